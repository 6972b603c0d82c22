// `wrangler-token-lint check` through the BUILT CLI (bin/wrangler-token-lint.js → server/out/cli.js, made by
// `npm run build`, which `npm test` runs first): exit codes, the text/json/markdown outputs, and SARIF 2.1.0
// validated against the schema shipped in @microsoft/jest-sarif.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after } from "node:test";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { RULES } from "../../server/src/core/rules/index.js";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "wrangler-token-lint.js");
const source = join(root, "test", "fixtures", "rules");
/** The rule fixtures, copied without their goldens (a fixed/ folder would be read as a second workspace copy). */
const fixtures = mkdtempSync(join(tmpdir(), "wtl-check-"));
after(() => rmSync(fixtures, { recursive: true, force: true }));
cpSync(source, fixtures, { recursive: true, filter: (p) => !/[\\/](fixed|expected\.txt)$/.test(p) });
/** One error (missing-group) and one warning-only case, and a clean one. */
const MISSING = join(fixtures, "missing-group", "positive-d1-by-name");
const WARNING_ONLY = join(fixtures, "unneeded-group", "positive-kv-write");
const CLEAN = join(fixtures, "no-expiry", "negative-has-expiry");
const INFO_ONLY = join(fixtures, "no-ip-condition", "positive-no-condition");

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  assert.ok(
    existsSync(join(root, "server", "out", "cli.js")),
    "server/out/cli.js is missing: run `npm run build` first",
  );
  const r = spawnSync(process.execPath, [bin, "check", ...args, "--today", "2026-11-23"], {
    cwd: root,
    encoding: "utf8",
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test("exit codes follow --fail-on", () => {
  assert.equal(run(MISSING).code, 1, "an error fails by default");
  assert.equal(run(MISSING, "--fail-on", "none").code, 0);
  assert.equal(run(WARNING_ONLY).code, 0, "warnings do not fail by default");
  assert.equal(run(WARNING_ONLY, "--fail-on", "warning").code, 1);
  assert.equal(run(WARNING_ONLY, "--fail-on", "error").code, 0);
  assert.equal(run(INFO_ONLY, "--fail-on", "warning").code, 0);
  assert.equal(run(INFO_ONLY, "--fail-on", "info").code, 1);
  assert.equal(run(CLEAN, "--fail-on", "info").code, 0);
});

test("--rule overrides a severity or turns a rule off", () => {
  assert.equal(run(WARNING_ONLY, "--rule", "unneeded-group=error").code, 1);
  const off = run(MISSING, "--rule", "missing-group=off", "--format", "json");
  assert.equal(off.code, 0);
  assert.ok(!JSON.parse(off.stdout).findings.some((f: { rule: string }) => f.rule === "missing-group"));
  const info = JSON.parse(run(WARNING_ONLY, "--rule=unneeded-group=info", "--format", "json").stdout);
  assert.deepEqual(
    info.findings
      .filter((f: { rule: string }) => f.rule === "unneeded-group")
      .map((f: { severity: string }) => f.severity),
    ["info"],
  );
});

test("usage errors exit 2", () => {
  const missing = run(join(fixtures, "does-not-exist"));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such directory/);
  assert.equal(run(CLEAN, "--no-such-option").code, 2);
  assert.equal(run(CLEAN, "--format", "xml").code, 2);
  assert.equal(run(CLEAN, "--fail-on", "sometimes").code, 2);
  const unknownRule = run(CLEAN, "--rule", "no-such-rule=off");
  assert.equal(unknownRule.code, 2);
  assert.match(unknownRule.stderr, /unknown rule "no-such-rule"/);
  assert.equal(run(CLEAN, "--rule", "no-expiry=loud").code, 2);
  assert.equal(run(CLEAN, "--token-secret", "no-equals-sign").code, 2);
});

test("--token-secret links a token the names alone do not link", () => {
  const dir = join(fixtures, "unneeded-group", "positive-linked-by-project-config");
  // The project file links tokens/deploy.json to CF_DEPLOY already; a second link through the option adds nothing
  // new but must be accepted, and the finding is there either way.
  const r = run(dir, "--token-secret", "tokens/deploy.json=CF_DEPLOY", "--format", "json");
  assert.equal(r.code, 0);
  const found = JSON.parse(r.stdout).findings.filter((f: { rule: string }) => f.rule === "unneeded-group");
  assert.equal(found.length, 1);
  // Unlinked token: the option makes the link, so unneeded-group can judge it.
  const unlinked = join(fixtures, "unneeded-group", "negative-unlinked");
  const before = JSON.parse(run(unlinked, "--format", "json").stdout).findings.filter(
    (f: { rule: string }) => f.rule === "unneeded-group",
  );
  const after = JSON.parse(
    run(unlinked, "--token-secret", "ops-token.json=CLOUDFLARE_API_TOKEN", "--format", "json").stdout,
  ).findings.filter((f: { rule: string }) => f.rule === "unneeded-group");
  assert.equal(before.length, 0);
  assert.equal(after.length, 1);
  assert.match(after[0].message, /Workers KV Storage Write/);
});

test("text output: one line per finding with file:line:col, severity and rule, then a summary", () => {
  const r = run(MISSING);
  assert.match(
    r.stdout,
    /^cloudflare-api-token\.json:2:11: error \[missing-group\] Token "api deploy" lacks D1: Edit \(D1 Write\)/m,
  );
  assert.match(r.stdout, /^ {4}fix: Add D1 Write$/m);
  assert.match(r.stdout, /^1 configs, 1 deploys, 1 tokens: 1 errors, 0 warnings, 0 notes$/m);
});

test("--format json has the documented shape", () => {
  const r = run(MISSING, "--format", "json");
  const out = JSON.parse(r.stdout);
  assert.equal(out.schemaVersion, 1);
  assert.deepEqual(out.summary, { configs: 1, deploys: 1, tokens: 1 });
  assert.ok(Array.isArray(out.findings) && out.findings.length === 1);
  const f = out.findings[0];
  assert.deepEqual(Object.keys(f).sort(), [
    "column",
    "endColumn",
    "endLine",
    "file",
    "fixes",
    "line",
    "message",
    "related",
    "rule",
    "severity",
  ]);
  assert.equal(f.rule, "missing-group");
  assert.equal(f.severity, "error");
  assert.equal(f.file, "cloudflare-api-token.json");
  assert.deepEqual([f.line, f.column, f.endLine, f.endColumn], [2, 11, 2, 23]);
  assert.equal(f.fixes[0], "Add D1 Write");
  assert.deepEqual(
    f.related.map((x: { file: string; line: number }) => `${x.file}:${x.line}`),
    ["wrangler.toml:6", ".github/workflows/deploy.yml:10"],
  );
});

test("--format markdown renders a table with rule links", () => {
  const r = run(WARNING_ONLY, "--format", "markdown");
  assert.match(r.stdout, /^## wrangler-token-lint$/m);
  assert.match(r.stdout, /^\| \| Rule \| Where \| Finding \|$/m);
  assert.match(
    r.stdout,
    /^\| 🟠 \| \[`unneeded-group`\]\([^)]*\/docs\/rules\/unneeded-group\.md\) \| `cloudflare-api-token\.json:8` \| .*Workers KV Storage Write.* _\(fix: Remove Workers KV Storage Write[;)].* \|$/m,
  );
  const clean = run(CLEAN, "--format", "markdown");
  assert.match(clean.stdout, /No findings/);
});

function sarifValidator() {
  const schemaPath = join(root, "node_modules", "@microsoft", "jest-sarif", "lib", "schemas", "sarif-2.1.0-rtm.5.json");
  const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as Record<string, unknown>;
  // The schema is written for JSON Schema draft-04 ("$schema" draft-04, root "id"). It uses no draft-04-only
  // keyword (no boolean exclusiveMinimum/Maximum), so Ajv's default draft-07 mode validates it once the draft-04
  // spelling of the root id is renamed and the meta-schema reference dropped. Its patterns are not valid with the
  // u flag (e.g. `[a-zA-Z]{2}]?`), so patterns compile without it, as draft-04 validators did.
  assert.match(String(schema.$schema), /draft-04/);
  assert.ok(!JSON.stringify(schema).includes("exclusiveM"), "the schema uses draft-04 exclusive bounds");
  const { $schema: _drop, id, ...rest } = schema;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  // ajv-formats' CommonJS default export, loaded through tsx: the plugin is the module or its default.
  const plugin = ((addFormats as unknown as { default?: unknown }).default ?? addFormats) as (a: Ajv) => Ajv;
  plugin(ajv);
  return ajv.compile<any>({ $id: id, ...rest } as object); // eslint-disable-line @typescript-eslint/no-explicit-any
}

test("--format sarif validates against SARIF 2.1.0 and carries rules, help links and locations", () => {
  const validate = sarifValidator();
  const r = run(join(fixtures, "all-zones", "positive-one-zone"), "--format", "sarif", "--fail-on", "none");
  assert.equal(r.code, 0);
  const log = JSON.parse(r.stdout);
  const ok = validate(log);
  assert.ok(ok, JSON.stringify(validate.errors, null, 2));
  assert.equal(log.version, "2.1.0");
  const run0 = log.runs[0];
  const rules: { id: string; helpUri: string; shortDescription: { text: string } }[] = run0.tool.driver.rules;
  for (const rule of RULES) {
    const meta = rules.find((x) => x.id === rule.id);
    assert.ok(meta, `SARIF lacks metadata for ${rule.id}`);
    assert.equal(meta.shortDescription.text, rule.title);
    assert.match(meta.helpUri, new RegExp(`^file:.*/docs/rules/${rule.id}\\.md$`));
    assert.ok(existsSync(fileURLToPath(meta.helpUri)), `${meta.helpUri} exists`);
  }
  const result = run0.results.find((x: { ruleId: string }) => x.ruleId === "all-zones");
  assert.ok(result, "no all-zones result");
  assert.equal(result.level, "warning");
  assert.equal(rules[result.ruleIndex]!.id, "all-zones");
  assert.deepEqual(result.locations[0].physicalLocation.artifactLocation, {
    uri: "cloudflare-api-token.json",
    uriBaseId: "%SRCROOT%",
  });
  // The quoted key "com.cloudflare.api.account.zone.*" (35 characters); SARIF end columns are exclusive.
  assert.deepEqual(result.locations[0].physicalLocation.region, {
    startLine: 16,
    startColumn: 22,
    endLine: 16,
    endColumn: 57,
  });
  assert.ok(result.relatedLocations.length >= 2);
  assert.deepEqual(
    result.relatedLocations.map(
      (x: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }) =>
        `${x.physicalLocation.artifactLocation.uri}:${x.physicalLocation.region.startLine}`,
    ),
    ["wrangler.toml:7", ".github/workflows/deploy.yml:10"],
  );
  // A workspace with no findings is still a valid log.
  const empty = JSON.parse(run(CLEAN, "--format", "sarif").stdout);
  assert.ok(validate(empty), JSON.stringify(validate.errors, null, 2));
  assert.deepEqual(empty.runs[0].results, []);
});

test("the validator rejects a broken SARIF log (the check can fail)", () => {
  const validate = sarifValidator();
  assert.equal(validate({ version: "2.1.0", runs: [{ tool: { driver: {} }, results: [] }] }), false);
  assert.equal(validate({ version: "3.0", runs: [] }), false);
});
