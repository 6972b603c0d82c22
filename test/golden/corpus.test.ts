// Robustness of the `minimal` engine (issue "Analysis core"): every wrangler config of the team's shared corpus of
// public projects (../shared/corpus from the repository root) goes through analyzeMinimal for `deploy` at the top
// level and in each of its environments without throwing, giving either a result or an error string; parse
// problems carry a range inside the file. Crafted broken configs (test/fixtures/minimal-broken/) give a clear
// error or problem and never a throw.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { diskHost } from "../../server/src/node/disk-host.js";
import { renderText } from "../../server/src/core/render.js";
import { analyzeMinimal, type MinimalAnalysis } from "../../server/src/core/minimal.js";
import { environments, readConfigFile } from "../../server/src/core/model/wrangler.js";

const root = join(import.meta.dirname, "..", "..");
const corpus = join(root, "..", "shared", "corpus");
const brokenDir = join(root, "test", "fixtures", "minimal-broken");
const CONFIG_NAME = /^wrangler.*\.(toml|json|jsonc)$/;

function findConfigs(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) {
      if (name !== "node_modules" && name !== ".git") findConfigs(p, out);
    } else if (CONFIG_NAME.test(name)) out.push(p);
  }
  return out;
}

/** Runs the engine; a throw fails the test with the file named. */
function analyze(file: string, env?: string): MinimalAnalysis | { error: string } {
  try {
    return analyzeMinimal(diskHost(), { cwd: dirname(file), path: file, env, command: "deploy" });
  } catch (e) {
    assert.fail(`analyzeMinimal threw on ${file}${env ? ` --env ${env}` : ""}: ${(e as Error).stack ?? e}`);
  }
}

/** The shared checks for any outcome: an error is a non-empty string; a result renders; problems lie inside the file. */
function checkOutcome(a: MinimalAnalysis | { error: string }, file: string, text: string) {
  if ("error" in a) {
    assert.equal(typeof a.error, "string");
    assert.ok(a.error.trim().length > 0, `empty error for ${file}`);
    return;
  }
  assert.doesNotThrow(() => renderText(a));
  for (const { file: f, problem } of a.problems) {
    assert.equal(f, file);
    assert.ok(problem.span.start >= 0 && problem.span.start <= problem.span.end && problem.span.end <= text.length, `${file}: problem ${problem.code} at ${problem.span.start}-${problem.span.end} lies outside the file (${text.length} chars)`);
    assert.ok(problem.message.length > 0);
  }
  for (const r of a.result.requirements) for (const x of r.reasons) assert.ok(x.line >= 1 && x.column >= 1, `${file}: reason at ${x.line}:${x.column}`);
}

test("the shared corpus exists and holds wrangler configs", () => {
  assert.ok(existsSync(corpus), `the shared corpus is missing: expected it at ../shared/corpus from the repository root`);
  assert.ok(findConfigs(corpus).length >= 20, "too few wrangler configs in the corpus");
});

const configs = existsSync(corpus) ? findConfigs(corpus) : [];
for (const file of configs) {
  test(`corpus: ${relative(corpus, file)}`, () => {
    const text = readFileSync(file, "utf8");
    const parsed = readConfigFile(file, text);
    for (const p of parsed.problems) {
      assert.ok(p.span.start >= 0 && p.span.start <= p.span.end && p.span.end <= text.length, `${p.code} range outside the file`);
    }
    const top = analyze(file);
    checkOutcome(top, file, text);
    // A config that cannot be read at all says where: the error names file:line:column.
    if (!parsed.root) {
      assert.ok("error" in top);
      assert.match(top.error, /:\d+:\d+: /, top.error);
    }
    for (const env of environments(parsed)) {
      const a = analyze(file, env);
      checkOutcome(a, file, text);
      // A defined env is never "unknown".
      if ("error" in a) assert.doesNotMatch(a.error, /No environment/);
      else assert.equal(a.result.env, env);
    }
  });
}

// ---- crafted broken configs ------------------------------------------------------------------------------------

function brokenCase(name: string): { file: string; text: string; a: MinimalAnalysis | { error: string } } {
  const dir = join(brokenDir, name);
  const file = readdirSync(dir).find((n) => CONFIG_NAME.test(n));
  assert.ok(file, `no config in ${name}`);
  const path = join(dir, file);
  return { file: path, text: readFileSync(path, "utf8"), a: analyze(path) };
}

function problemAt(a: MinimalAnalysis, text: string, code: string, snippet: string | RegExp, message: RegExp) {
  const hits = a.problems.filter((p) => p.problem.code === code);
  assert.ok(hits.length > 0, `no ${code} problem; got ${a.problems.map((p) => p.problem.code).join(", ") || "none"}`);
  const matching = hits.find((p) => message.test(p.problem.message));
  assert.ok(matching, hits.map((p) => p.problem.message).join("\n"));
  const at = text.slice(matching.problem.span.start, matching.problem.span.end);
  if (typeof snippet === "string") assert.equal(at, snippet);
  else assert.match(at, snippet);
}

test("broken: bad TOML gives an error naming file:line:column inside the file", () => {
  const { text, a } = brokenCase("bad-toml");
  assert.ok("error" in a, "a TOML file that does not parse cannot be analysed");
  const m = /^wrangler\.toml:(\d+):(\d+): TOML syntax error/.exec(a.error);
  assert.ok(m, a.error);
  const lines = text.split("\n");
  assert.ok(Number(m[1]) >= 5 && Number(m[1]) <= lines.length, `line ${m[1]} should be at or after the broken header (line 5)`);
});

test("broken: bad JSONC gives a json-syntax problem at the missing value, and the rest is still analysed", () => {
  const { text, a } = brokenCase("bad-jsonc");
  assert.ok(!("error" in a), "the JSONC reader recovers");
  const p = a.problems.find((x) => x.problem.code === "json-syntax");
  assert.ok(p, "no json-syntax problem");
  assert.equal(p.problem.severity, "error");
  const lc = a.config!.file.source.lineColumn(p.problem.span.start);
  assert.equal(lc.line, 5);
  assert.ok(text.split("\n")[4]!.slice(0, lc.column - 1).endsWith('"zone_name": '), `column ${lc.column}`);
  assert.equal(a.result.scriptName, "broken");
});

test("broken: routes = 5 is a wrong-type error on the value", () => {
  const { text, a } = brokenCase("routes-number");
  assert.ok(!("error" in a));
  problemAt(a, text, "wrong-type", "5", /"routes" must be an array/);
  assert.ok(!a.result.requirements.some((r) => r.group.includes("Routes")), "no route is deployed from a number");
});

test('broken: kv_namespaces = "x" is a wrong-type error on the value', () => {
  const { text, a } = brokenCase("kv-string");
  assert.ok(!("error" in a));
  problemAt(a, text, "wrong-type", '"x"', /"kv_namespaces" must be an array of tables/);
});

test("broken: wrong scalar and item types are each reported where they are written", () => {
  const { text, a } = brokenCase("wrong-scalars");
  assert.ok(!("error" in a));
  problemAt(a, text, "wrong-type", "true", /"account_id" must be a string/);
  problemAt(a, text, "wrong-type", '"yes"', /"workers_dev" must be true or false/);
  problemAt(a, text, "wrong-type", '"*/5 * * * *"', /"triggers\.crons" must be an array/);
  problemAt(a, text, "wrong-type", '"my-bucket"', /each item of "r2_buckets" must be a table/);
  // A non-string account_id is no account id: the token keeps the placeholder.
  assert.equal(a.result.accountId, null);
});

test("broken: a 3 MB config is analysed (or refused with a clear error) without a throw", () => {
  // Generated, not committed: 3 MB of vars plus many KV bindings.
  const dir = mkdtempSync(join(tmpdir(), "wtl-minimal-big-"));
  try {
    const parts = ['name = "big"', 'main = "src/index.ts"', 'compatibility_date = "2025-01-01"', 'account_id = "0123456789abcdef0123456789abcdef"', ""];
    for (let i = 0; i < 2000; i++) parts.push("[[kv_namespaces]]", `binding = "KV_${i}"`, `id = "${i.toString(16).padStart(32, "0")}"`, "");
    parts.push("[vars]");
    const filler = "x".repeat(100);
    let size = parts.join("\n").length;
    for (let i = 0; size < 3 * 1024 * 1024; i++) {
      const line = `VAR_${i} = "${filler}"`;
      parts.push(line);
      size += line.length + 1;
    }
    const file = join(dir, "wrangler.toml");
    const text = parts.join("\n") + "\n";
    writeFileSync(file, text);
    assert.ok(text.length >= 3 * 1024 * 1024);
    const a = analyze(file);
    checkOutcome(a, file, text);
    assert.ok(!("error" in a), "error" in a ? a.error : "");
    assert.equal(a.result.scriptName, "big");
    assert.deepEqual(a.result.requirements.map((r) => r.group), ["Workers Scripts Write"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
