// Config templates rendered by a script in CI: one note that the file is a template, not a syntax error per
// placeholder (which failed `check` in CI); real syntax errors in real configs stay errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MemoryHost } from "../../server/src/core/host.js";
import { analyzeWorkspace } from "../../server/src/core/workspace.js";
import { analyzeMinimal } from "../../server/src/core/minimal.js";

const TEMPLATE = `{
  // Rendered by scripts/render-config.sh before deploy
  "name": "mercury-api",
  "main": "src/worker.ts",
  "compatibility_date": "2024-09-23",
  "account_id": {{ACCOUNT_ID}},
  "workers_dev": \${WORKERS_DEV},
  "kv_namespaces": [
    { "binding": "messageMetadata", "id": "{{ messageMetadataKV }}" }
  ],
  "routes": [{{ROUTES}}]
}
`;

function problemsOf(files: Record<string, string>) {
  const host = new MemoryHost(new Map(Object.entries(files).map(([k, v]) => [`/ws/${k}`, v])));
  return analyzeWorkspace(host, "/ws", { today: "2026-11-23" }).problems;
}

test("a placeholder template gives one informational note, not syntax errors", () => {
  const ps = problemsOf({ "wrangler.template.jsonc": TEMPLATE });
  assert.deepEqual(
    ps.map((p) => [p.code, p.severity]),
    [["config-template", "info"]],
  );
  assert.match(
    ps[0]!.message,
    /^wrangler\.template\.jsonc is a template \(placeholders such as `\{\{ACCOUNT_ID\}\}`.*not analysed/,
  );
  assert.equal(TEMPLATE.slice(ps[0]!.span.start, ps[0]!.span.end), "{{ACCOUNT_ID}}");
  const toml = problemsOf({ "wrangler.tpl.toml": 'name = "api"\naccount_id = {{ ACCOUNT_ID }}\n' });
  assert.deepEqual(
    toml.map((p) => [p.code, p.severity]),
    [["config-template", "info"]],
  );
});

test("minimal on a template says it is one (an error answer, not an empty token)", () => {
  const host = new MemoryHost(new Map([["/ws/wrangler.template.jsonc", TEMPLATE]]));
  const r = analyzeMinimal(host, { cwd: "/ws", path: "/ws/wrangler.template.jsonc", command: "deploy" });
  assert.ok("error" in r);
  assert.match(r.error, /is a template/);
});

test("a template whose placeholders sit inside strings is valid JSONC and analysed as usual (corpus: alessandroste/mercury)", () => {
  const text = readFileSync(
    join(
      import.meta.dirname,
      "..",
      "..",
      "..",
      "shared",
      "corpus",
      "alessandroste__mercury",
      "mda",
      "wrangler.jsonc.tpl",
    ),
    "utf8",
  );
  const ps = problemsOf({ "wrangler.template.jsonc": text });
  assert.deepEqual(
    ps.filter((p) => p.severity === "error"),
    [],
  );
  assert.ok(!ps.some((p) => p.code === "config-template"));
});

test("a real config with a syntax error is still an error, even if it mentions ${VAR} elsewhere", () => {
  const ps = problemsOf({
    "wrangler.jsonc": '{\n  "name": "api",\n  "vars": { "GREETING": "hi ${USER}" }\n  "main": "src/index.ts"\n}\n',
  });
  assert.ok(ps.some((p) => p.code === "json-syntax" && p.severity === "error"));
  assert.ok(!ps.some((p) => p.code === "config-template"));
});
