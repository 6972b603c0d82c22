// The CLI's output modules (server/src/cli/output/): SARIF links only to rule pages that exist (or to none),
// never to a web address that does not; the command modules and main.ts do not import each other.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../../server/src/cli/main.js";
import { sarifLog, sarifRuleIds } from "../../server/src/core/sarif.js";
import { RULES } from "../../server/src/core/rules/index.js";
import { sarifValidator } from "./sarif.js";

const root = join(import.meta.dirname, "..", "..");

/** Every value under a key ending in "uri" / "Uri", with its key path. */
function uris(v: unknown, path = ""): [string, string][] {
  if (Array.isArray(v)) return v.flatMap((x, i) => uris(x, `${path}[${i}]`));
  if (typeof v !== "object" || v === null) return [];
  return Object.entries(v).flatMap(([k, x]) =>
    typeof x === "string" && /uri$/i.test(k) ? [[`${path}.${k}`, x] as [string, string]] : uris(x, `${path}.${k}`),
  );
}

test("check's SARIF links each rule to its page in the package, and to nothing else", async () => {
  let out = "";
  const code = await main(
    ["check", join(root, "test/fixtures/rules/all-zones/positive-one-zone"), "--format", "sarif", "--fail-on", "none"],
    { cwd: root, env: {}, stdout: (s) => (out += s), stderr: () => undefined },
  );
  assert.equal(code, 0);
  const log = JSON.parse(out) as { runs: { tool: { driver: Record<string, unknown> } }[] };
  assert.ok(sarifValidator(root)(log));
  assert.equal(log.runs[0]!.tool.driver.informationUri, undefined);
  assert.doesNotMatch(out, /github\.com/);
  const found = uris(log);
  assert.ok(found.filter(([k]) => k.endsWith(".helpUri")).length >= RULES.length);
  for (const [k, u] of found) {
    if (u.startsWith("file:")) assert.ok(existsSync(fileURLToPath(u)), `${k}: ${u} exists`);
    else assert.ok(!/^[a-z]+:/.test(u), `${k}: ${u} is a file: URI or a path relative to the checked root`);
  }
});

test("without the rule pages a SARIF rule has no help URI", () => {
  const log = sarifLog(sarifRuleIds([]), () => undefined, "0.0.0", []) as {
    runs: { tool: { driver: { rules: Record<string, unknown>[] } } }[];
  };
  assert.ok(sarifValidator(root)(log));
  for (const r of log.runs[0]!.tool.driver.rules) {
    assert.equal(r.helpUri, undefined, String(r.id));
    assert.match(JSON.stringify(r.help), new RegExp(`docs/rules/${String(r.id)}\\.md`));
  }
});

test("no CLI module imports main.ts, which imports them", () => {
  const dir = join(root, "server/src/cli");
  const files = [
    ...readdirSync(dir).map((f) => join(dir, f)),
    ...readdirSync(join(dir, "output")).map((f) => join(dir, "output", f)),
  ].filter((f) => f.endsWith(".ts"));
  const bad = files.filter(
    (f) => !f.endsWith("main.ts") && /from "(\.\/|\.\.\/)main\.js"/.test(readFileSync(f, "utf8")),
  );
  assert.deepEqual(bad, []);
});
