// Golden tests of the `minimal` engine (issue "Analysis core"): one test per fixture project under
// test/fixtures/minimal/<case>/. Each case holds a wrangler config (or none), an optional case.json
// { env?, command?, accountId?, resourcesExist?, path?, owner? } and a golden expected.json:
//   { "result": <the JSON contract of `minimal --format json`>, "problems": [<config problems with line/column>] }
// or { "error": "<message>" } when the engine refuses the input. Paths are relative to the case directory (the
// cwd of the run). Every golden was reviewed by hand against the team's facts (see test/fixtures/minimal/README.md).
// A missing golden fails; `UPDATE_GOLDEN=1 node test/run.mjs golden/minimal` writes them (review the diff!).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { diskHost } from "../../server/src/node/disk-host.js";
import { renderText } from "../../server/src/core/render.js";
import { analyzeMinimal, type MinimalAnalysis } from "../../server/src/core/minimal.js";
import { createTokenBody, dashboardUrl, terraform } from "../../server/src/core/permissions/spec.js";

const root = join(import.meta.dirname, "..", "..");
const casesDir = join(root, "test", "fixtures", "minimal");
const update = process.env.UPDATE_GOLDEN === "1";

interface CaseSpec {
  env?: string;
  command?: string;
  accountId?: string;
  resourcesExist?: boolean;
  path?: string;
  /** Who owns the token (default account, as `minimal` decides without --owner). */
  owner?: "account" | "user";
}

interface Golden {
  error?: string;
  result?: unknown;
  problems?: { file: string; line: number; column: number; code: string; severity: string; message: string }[];
}

/** Machine paths never go into goldens: the case directory is written as "." (its children as relative paths). */
function unmachine(s: string, dir: string): string {
  return s.split(dir + "/").join("").split(dir).join(".");
}

function golden(a: MinimalAnalysis | { error: string }, dir: string): Golden {
  if ("error" in a) return { error: unmachine(a.error, dir) };
  return {
    result: a.result,
    problems: a.problems.map(({ file, problem }) => {
      const lc = a.config && a.config.file.path === file ? a.config.file.source.lineColumn(problem.span.start) : { line: 0, column: 0 };
      return { file: relative(dir, file), line: lc.line, column: lc.column, code: problem.code, severity: problem.severity, message: unmachine(problem.message, dir) };
    }),
  };
}

function runCase(dir: string): MinimalAnalysis | { error: string } {
  const specPath = join(dir, "case.json");
  const spec: CaseSpec = existsSync(specPath) ? JSON.parse(readFileSync(specPath, "utf8")) : {};
  return analyzeMinimal(diskHost(), {
    cwd: dir,
    path: spec.path,
    env: spec.env,
    command: spec.command,
    accountId: spec.accountId,
    resourcesExist: spec.resourcesExist,
    owner: spec.owner,
  });
}

const cases = readdirSync(casesDir)
  .filter((n) => statSync(join(casesDir, n)).isDirectory())
  .sort();

test("there are at least 45 fixture projects", () => {
  assert.ok(cases.length >= 45, `only ${cases.length} cases`);
});

for (const name of cases) {
  test(`minimal golden: ${name}`, () => {
    const dir = join(casesDir, name);
    const a = runCase(dir);
    const actual = golden(a, dir);
    const expectedPath = join(dir, "expected.json");
    // Goldens are JSON: compare the JSON form (drops undefined fields, as the CLI's --format json does).
    const actualJson = JSON.parse(JSON.stringify(actual));
    if (update) writeFileSync(expectedPath, JSON.stringify(actualJson, null, 2) + "\n");
    assert.ok(existsSync(expectedPath), `missing golden ${relative(root, expectedPath)} (run with UPDATE_GOLDEN=1, then review it)`);
    const expected = JSON.parse(readFileSync(expectedPath, "utf8"));
    assert.deepEqual(actualJson, expected);
    assert.ok(!JSON.stringify(actualJson).includes(root), "a machine path leaked into the result");

    if ("error" in a) return;
    // Every renderer works on every case.
    const text = renderText(a);
    assert.ok(text.startsWith("Minimal token for `wrangler "), text);
    const r = a.result;
    assert.deepEqual(createTokenBody(r.token.name, a.requirements), r.token);
    const tf = terraform(r.token.name, a.requirements, r.accountId ?? undefined, r.owner);
    assert.match(tf, r.owner === "account" ? /resource "cloudflare_account_token"/ : /resource "cloudflare_api_token"/);
    // An account-owned token holds no user-level group: account ownership is decided once, in the engine.
    if (r.owner === "account") assert.ok(!r.requirements.some((q) => q.scope === "user"), "an account-owned token with a user-level group");
    for (const owner of ["account", "user"] as const) {
      const { url, manual } = dashboardUrl(r.token.name, a.requirements, r.accountId ?? undefined, owner);
      assert.ok(new URL(url).hostname === "dash.cloudflare.com", url);
      assert.ok(Array.isArray(manual));
    }
    // Every reason points at a real place (1-based line and column) and names its API calls.
    for (const req of r.requirements) {
      assert.ok(req.reasons.length > 0, `${req.group} has no reason`);
      assert.ok(req.resources.length > 0, `${req.group} has no resource`);
      for (const reason of req.reasons) {
        assert.ok(reason.line >= 1 && reason.column >= 1, `${req.group}: ${reason.file}:${reason.line}:${reason.column}`);
        assert.ok(reason.api.length > 0 && reason.why.length > 0, `${req.group}: empty reason`);
        if (reason.file !== "(command line)") assert.ok(existsSync(join(dir, reason.file)), `reason names a missing file ${reason.file}`);
      }
    }
    // The token holds exactly the required groups, and names no account other than the result's.
    const groups = r.token.policies.flatMap((p) => p.permission_groups.map((g) => g.id)).sort();
    assert.deepEqual(groups, r.requirements.map((q) => q.id).sort());
  });
}
