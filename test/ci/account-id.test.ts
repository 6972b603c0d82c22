// Where CI hands wrangler its account id (CLOUDFLARE_ACCOUNT_ID, its old name CF_ACCOUNT_ID, or wrangler-action's
// accountId input): every form below is seen, so a deploy that passes one is not reported as looking the account
// up (account-lookup-needs-memberships). Shapes from the shared corpus and wrangler-action's README.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { findCiDeploys } from "../../server/src/core/ci/index.js";
import { analyzeWorkspace } from "../../server/src/core/workspace.js";
import { FIXTURES, at, loadRepo } from "./helpers.js";

test("the account id is found in every place CI passes it", () => {
  const { host, files } = loadRepo(join(FIXTURES, "account-id"));
  const r = findCiDeploys(host, "/repo");
  const byEnv = new Map(r.deploys.map((d) => [d.env, d]));
  const expect: [string, string][] = [
    ["a1", "${{ secrets.CLOUDFLARE_ACCOUNT_ID }}"], // workflow env
    ["a2", "${{ vars.CLOUDFLARE_ACCOUNT_ID }}"], // job env, a repository variable
    ["a3", "${{ vars.CLOUDFLARE_ACCOUNT_ID }}"], // wrangler-action accountId
    ["a4", "${{ secrets.CF_ACCOUNT }}"], // NAME=value before the command
    ["a5", "${{ secrets.CF_ACCOUNT }}"], // export in the same script
    ["a6", "${{ secrets.CF_ACCOUNT }}"], // echo "NAME=value" >> $GITHUB_ENV in an earlier step
    ["a7", "${{ secrets.CF_ACCOUNT }}"], // step env of `npm run deploy`
    ["a8", "${{ secrets.CF_ACCOUNT }}"], // CF_ACCOUNT_ID, the name wrangler still reads
    ["g1", "$CF_ACCOUNT"], // GitLab global variables
    ["g2", "0123456789abcdef0123456789abcdef"], // GitLab job variables
  ];
  for (const [env, raw] of expect) {
    const d = byEnv.get(env);
    assert.ok(d, `no deploy --env ${env}`);
    assert.equal(d.accountId?.raw, raw, `--env ${env}`);
  }
  assert.equal(byEnv.get("a9")!.accountId, undefined, "a deploy without any account id");
  // The $GITHUB_ENV value is located where it is written.
  assert.equal(at(files, byEnv.get("a6")!.accountId!.location).text, "${{ secrets.CF_ACCOUNT }}");
});

test("only the deploy without an account id gets account-lookup-needs-memberships", () => {
  const { host } = loadRepo(join(FIXTURES, "account-id"));
  const ws = analyzeWorkspace(host, "/repo", { today: "2026-11-23" });
  const hits = ws.findings.filter((f) => f.rule === "account-lookup-needs-memberships");
  assert.deepEqual(
    hits.map((f) => f.location.file),
    ["/repo/.github/workflows/none.yml"],
  );
});
