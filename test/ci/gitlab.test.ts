import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { findCiDeploys } from "../../server/src/core/ci/index.js";
import { findGitlabDeploys } from "../../server/src/core/ci/gitlab.js";
import { MemoryHost } from "../../server/src/core/host.js";
import { FIXTURES, at, loadRepo } from "./helpers.js";

test("gitlab: script lines, variables, default before_script, extends, parallel matrix, include", () => {
  const { host, files } = loadRepo(join(FIXTURES, "gitlab"));
  const r = findCiDeploys(host, "/repo");
  const inc = r.problems.find((p) => p.code === "ci-include-unresolved");
  assert.equal(inc?.severity, "info");
  assert.equal(r.deploys.length, 2, "the hidden .deploy template is reported through the job that extends it");
  const [prod, regions] = r.deploys;
  assert.equal(prod!.source, "gitlab-ci");
  assert.equal(prod!.label, ".gitlab-ci.yml › deploy_production");
  assert.equal(prod!.command.kind, "deploy");
  assert.equal(prod!.env, "production", "the job's CLOUDFLARE_ENV overrides the template's");
  assert.equal(prod!.workingDirectory, "/repo/worker");
  assert.equal(prod!.token?.secret, "CF_DEPLOY_TOKEN");
  assert.equal(prod!.token?.origin, "secret");
  assert.equal(prod!.accountId?.value, "0123456789abcdef0123456789abcdef");
  assert.deepEqual(at(files, prod!.location), { text: "npx wrangler deploy", line: 20, column: 7 });
  assert.equal(regions!.env, null);
  assert.deepEqual(regions!.envCandidates, ["eu", "us"]);
  assert.equal(regions!.envExpression, "$REGION");
  assert.equal(regions!.workingDirectory, "/repo");
  assert.equal(at(files, regions!.location).line, 33);
});

test("gitlab: the eidam/gitlab-wrangler-action template (token through INPUT_APITOKEN, env from $ENVIRONMENT)", () => {
  const text = `variables:
  INPUT_APITOKEN: $CF_API_TOKEN
  INPUT_ENVIRONMENT: $ENVIRONMENT

.wrangler_deploy:
  script: |
    if [ -n "$INPUT_APITOKEN" ]
    then
      export CF_API_TOKEN="$INPUT_APITOKEN"
    fi
    if [ -z "$INPUT_ENVIRONMENT" ]
    then
      wrangler publish
    else
      wrangler publish -e "$INPUT_ENVIRONMENT"
      for SECRET in $INPUT_SECRETS; do
        echo "$VALUE" | wrangler secret put "$SECRET" --env "$INPUT_ENVIRONMENT"
      done
    fi
`;
  const r = findGitlabDeploys(new MemoryHost(new Map()), "/r/.gitlab-ci.yml", text);
  assert.deepEqual(
    r.deploys.map((d) => d.command.kind),
    ["deploy", "deploy", "secret-put"],
  );
  for (const d of r.deploys) {
    assert.equal(d.token?.secret, "CF_API_TOKEN");
    assert.equal(d.token?.origin, "secret");
  }
  assert.equal(r.deploys[0]!.env, null);
  assert.equal(r.deploys[0]!.envExpression, undefined);
  assert.equal(r.deploys[1]!.env, null);
  assert.equal(r.deploys[1]!.envExpression, "$INPUT_ENVIRONMENT");
  const src = text.slice(r.deploys[2]!.location.span.start, r.deploys[2]!.location.span.end);
  assert.equal(src, `wrangler secret put "$SECRET" --env "$INPUT_ENVIRONMENT"`);
});

test("gitlab: local includes (paths, globs, nested) merged under the main file; remote/template includes and missing files reported; the project's CLOUDFLARE_API_TOKEN", () => {
  const { host, files } = loadRepo(join(FIXTURES, "gitlab-include"));
  const r = findCiDeploys(host, "/repo");
  assert.equal(r.deploys.length, 2);
  const [pages, migrate] = r.deploys;
  assert.equal(pages!.command.kind, "pages-deploy");
  assert.equal(pages!.env, "production", "the main file's variables merge into the included job");
  assert.equal(pages!.accountId?.value, "0123456789abcdef0123456789abcdef");
  assert.equal(pages!.location.file, "/repo/ci/deploy.gitlab-ci.yml");
  assert.equal(
    at(files, pages!.location).text,
    'npx wrangler pages deploy public --project-name "$CI_PROJECT_NAME" --branch "$CI_COMMIT_BRANCH"',
  );
  assert.equal(migrate!.workingDirectory, "/repo/worker");
  assert.equal(migrate!.label, "migrate.yml › migrate");
  for (const d of r.deploys) {
    assert.equal(d.token?.secret, "CLOUDFLARE_API_TOKEN", "no job names a token: the project variable wrangler reads");
    assert.equal(d.token?.origin, "secret");
  }
  const inc = r.problems
    .filter((p) => p.code === "ci-include-unresolved")
    .map((p) => [p.severity, p.message.split(";")[0]]);
  assert.deepEqual(inc, [
    [
      "info",
      "Not followed: `include: remote: https://raw.githubusercontent.com/eidam/gitlab-wrangler-action/main/templates/1.3.0.yml` is not in this repository",
    ],
    ["info", "Not followed: `include: template: Security/SAST.gitlab-ci.yml` is not in this repository"],
    ["warning", "The included file ci/missing.yml was not found"],
  ]);
  assert.ok(
    r.problems.some(
      (p) =>
        p.code === "ci-extends-unresolved" && at(files, { file: p.file, span: p.span }).text === ".wrangler_deploy",
    ),
  );
});
