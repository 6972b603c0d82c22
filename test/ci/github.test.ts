import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { findCiDeploys, findGithubDeploys } from "../../server/src/core/ci/index.js";
import { FIXTURES, at, loadRepo } from "./helpers.js";

test("wrangler-action: multi-line command, environment, workingDirectory, secrets, default command", () => {
  const { host, files } = loadRepo(join(FIXTURES, "action-multiline"));
  const r = findCiDeploys(host, "/repo");
  assert.deepEqual(r.problems, []);
  assert.equal(r.deploys.length, 4);
  const [bulk, deploy, d1, dflt] = r.deploys;
  // secrets: uploaded first, with the env
  assert.equal(bulk!.command.kind, "secret-bulk");
  assert.equal(bulk!.implicit, true);
  assert.deepEqual(bulk!.secretNames, ["STRIPE_KEY", "SENTRY_DSN"]);
  assert.equal(bulk!.env, "production");
  assert.deepEqual(at(files, bulk!.location), { text: "secrets", line: 21, column: 11 });
  // first command line
  assert.equal(deploy!.command.kind, "deploy");
  assert.deepEqual(deploy!.command.argv, ["deploy", "--env", "production"]);
  assert.equal(deploy!.env, "production");
  assert.equal(deploy!.envCandidates, undefined);
  assert.equal(deploy!.workingDirectory, "/repo/apps/api");
  assert.deepEqual(at(files, deploy!.location), { text: "deploy", line: 19, column: 13 });
  assert.equal(at(files, deploy!.envLocation!).text, "production");
  assert.equal(deploy!.token?.secret, "CF_DEPLOY_TOKEN");
  assert.equal(deploy!.token?.origin, "secret");
  assert.equal(deploy!.token?.raw, "${{ secrets.CF_DEPLOY_TOKEN }}");
  assert.equal(deploy!.accountId?.secret, "CF_ACCOUNT_ID");
  assert.equal(deploy!.accountId?.origin, "variable");
  assert.equal(deploy!.label, "deploy.yml › deploy › Deploy worker");
  assert.ok(at(files, deploy!.stepLocation).text.startsWith("name: Deploy worker"));
  // second command line
  assert.equal(d1!.command.kind, "d1-migrations-apply");
  assert.equal(d1!.command.remote, true);
  assert.equal(d1!.env, "production");
  assert.deepEqual(at(files, d1!.location), { text: "d1 migrations apply DB --remote", line: 20, column: 13 });
  // no command: the action runs `deploy`
  assert.equal(dflt!.command.kind, "deploy");
  assert.equal(dflt!.implicit, true);
  assert.equal(dflt!.env, null);
  assert.equal(dflt!.workingDirectory, "/repo");
  assert.equal(dflt!.accountId?.origin, "literal");
  assert.equal(dflt!.accountId?.value, "0123456789abcdef0123456789abcdef");
  assert.equal(at(files, dflt!.location).text, "cloudflare/wrangler-action@v3");
});

test("npm run scripts are resolved through package.json, with args after -- and cycles guarded", () => {
  const { host, files } = loadRepo(join(FIXTURES, "npm-scripts"));
  const r = findCiDeploys(host, "/repo");
  assert.equal(r.deploys.length, 2);
  const [prod, staging] = r.deploys;
  assert.equal(prod!.command.kind, "deploy");
  assert.equal(prod!.env, "production");
  assert.equal(prod!.workingDirectory, "/repo/worker");
  assert.deepEqual(at(files, prod!.location), { text: "npm run deploy:prod", line: 17, column: 14 });
  assert.deepEqual(
    prod!.via.map((l) => [l.file, at(files, l).text]),
    [
      ["/repo/.github/workflows/ci.yml", "npm run deploy:prod"],
      ["/repo/worker/package.json", "npm run deploy -- --env production"],
      ["/repo/worker/package.json", "wrangler deploy"],
    ],
  );
  assert.equal(prod!.token?.secret, "CLOUDFLARE_API_TOKEN");
  assert.equal(prod!.accountId?.secret, "CLOUDFLARE_ACCOUNT_ID");
  assert.equal(staging!.env, "staging");
  // the env comes from the workflow line's own words
  assert.equal(at(files, staging!.envLocation!).text, "staging");
  assert.equal(staging!.envLocation!.file, "/repo/.github/workflows/ci.yml");
  const cycle = r.problems.find((p) => p.code === "ci-script-cycle");
  assert.ok(cycle, "the loop/loop2 scripts are reported");
});

test("npx, pnpm, yarn, bunx, npm exec; cd, CLOUDFLARE_ENV, working directories, CF_ aliases", () => {
  const { host, files } = loadRepo(join(FIXTURES, "runners"));
  const r = findCiDeploys(host, "/repo");
  const by = new Map(r.deploys.map((d) => [d.label.split(" › ").pop()!, d]));
  assert.equal(r.deploys.length, 7);
  const pnpm = by.get("pnpm exec")!;
  assert.equal(pnpm.env, "staging");
  assert.equal(pnpm.packageManager, "pnpm");
  assert.equal(pnpm.workingDirectory, "/repo/apps/web");
  assert.equal(pnpm.token?.secret, "LEGACY_TOKEN");
  assert.equal(pnpm.accountId?.value, "0123456789abcdef0123456789abcdef");
  const yarn = by.get("yarn bin")!;
  assert.equal(yarn.command.kind, "versions-upload");
  assert.equal(yarn.env, "staging");
  const bunx = by.get("bunx pinned")!;
  assert.equal(bunx.wranglerVersion, "3.99.0");
  assert.equal(bunx.env, null);
  assert.equal(bunx.envExpression, undefined);
  const npx = by.get("npx yes")!;
  assert.equal(npx.env, "production");
  assert.deepEqual(at(files, npx.location), {
    text: "npx --yes wrangler deploy \\\n            --env production",
    line: 22,
    column: 11,
  });
  const exec = by.get("npm exec")!;
  assert.equal(exec.command.kind, "triggers-deploy");
  assert.equal(exec.workingDirectory, "/repo");
  const cd = by.get("cd and CLOUDFLARE_ENV")!;
  assert.equal(cd.workingDirectory, "/repo/apps/web");
  assert.equal(cd.env, "preview");
  assert.deepEqual(at(files, cd.location), { text: "npx wrangler deploy", line: 29, column: 52 });
  const step = by.get("step env wins")!;
  assert.equal(step.token?.secret, "STEP_TOKEN", "CLOUDFLARE_API_TOKEN wins over the deprecated CF_API_TOKEN");
  assert.equal(step.env, "production");
  assert.equal(at(files, step.envLocation!).text, "production");
});

test("matrix and input expressions: candidates when known, expression otherwise", () => {
  const { host, files } = loadRepo(join(FIXTURES, "matrix"));
  const path = "/repo/.github/workflows/matrix.yml";
  const r = findGithubDeploys(host, path, files.get(path)!);
  assert.equal(r.deploys.length, 3);
  const [m, manual, choice] = r.deploys;
  assert.equal(m!.env, null);
  assert.deepEqual(m!.envCandidates, ["staging", "production", "canary"]);
  assert.equal(m!.envExpression, "${{ matrix.environment }}");
  assert.deepEqual(at(files, m!.location), {
    text: "npx wrangler deploy --env ${{ matrix.environment }}",
    line: 22,
    column: 14,
  });
  assert.equal(manual!.env, null);
  assert.equal(manual!.envCandidates, undefined);
  assert.equal(manual!.envExpression, "${{ github.event.inputs.environment }}");
  assert.deepEqual(choice!.envCandidates, ["eu", "us"]);
  assert.equal(choice!.token, undefined);
});

test("reusable workflow: callee deploys resolved through each caller's with: and secrets:", () => {
  const { host, files } = loadRepo(join(FIXTURES, "reusable"));
  const r = findCiDeploys(host, "/repo");
  assert.equal(r.deploys.length, 2, "the callee's own (unresolved) deploy is not reported twice");
  const [prod, staging] = r.deploys;
  assert.equal(prod!.env, "production");
  assert.equal(prod!.envExpression, "${{ inputs.environment }}");
  assert.equal(prod!.token?.secret, "PROD_DEPLOY_TOKEN");
  assert.equal(prod!.token?.location.file, "/repo/.github/workflows/release.yml");
  assert.equal(prod!.location.file, "/repo/.github/workflows/deploy-reusable.yml");
  assert.equal(at(files, prod!.via[0]!).text, "./.github/workflows/deploy-reusable.yml");
  assert.equal(staging!.env, "staging");
  assert.equal(staging!.token?.secret, "CLOUDFLARE_API_TOKEN", "secrets: inherit keeps the name");
  // Scanned alone, the callee's env is an unknown expression.
  const callee = "/repo/.github/workflows/deploy-reusable.yml";
  const alone = findGithubDeploys(host, callee, files.get(callee)!);
  assert.equal(alone.deploys.length, 1);
  assert.equal(alone.deploys[0]!.env, null);
  assert.equal(alone.deploys[0]!.envCandidates, undefined);
  assert.equal(alone.deploys[0]!.envExpression, "${{ inputs.environment }}");
});

test("secrets-store secret create with scopes", () => {
  const { host, files } = loadRepo(join(FIXTURES, "secrets-store"));
  const r = findCiDeploys(host, "/repo");
  assert.equal(r.secretsStoreCreates.length, 1);
  const s = r.secretsStoreCreates[0]!;
  assert.equal(s.storeId, "8f7a1b2c3d4e5f60718293a4b5c6d7e8");
  assert.equal(s.name, "OPENAI_KEY");
  assert.deepEqual(s.scopes, ["workers", "ai-gateway"]);
  assert.equal(s.remote, true);
  assert.equal(s.token?.secret, "CLOUDFLARE_API_TOKEN");
  const loc = at(files, s.location);
  assert.ok(loc.text.startsWith("npx wrangler secrets-store secret create"));
  assert.equal(loc.line, 12);
  assert.equal(loc.column, 32);
  assert.equal(r.deploys[0]!.command.kind, "secrets-store-secret-create");
});

test("never throws on broken YAML; reports yaml-syntax with the file", () => {
  const { host } = loadRepo(join(FIXTURES, "runners"));
  const r = findGithubDeploys(
    host,
    "/repo/.github/workflows/bad.yml",
    "jobs:\n  x:\n    steps: [\n      - run: npx wrangler deploy\n",
  );
  assert.ok(r.problems.some((p) => p.code === "yaml-syntax" && p.file === "/repo/.github/workflows/bad.yml"));
});
