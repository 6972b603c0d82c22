// Project options (`.wrangler-token-lint.json`) with a `__proto__` key (issue 9, a fuzz lead). The entry used to
// be dropped without a word (assigning `__proto__` on a plain object sets its prototype). The options schema
// (core/options.ts) refuses `__proto__`, `constructor` and `prototype` as keys: the entry is not used, and a
// project-config warning at the key says so; nothing's prototype changes. Another name links as usual.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { MemoryHost } from "../../server/src/core/host.js";
import { analyzeWorkspace } from "../../server/src/core/workspace.js";

const DIR = join(import.meta.dirname, "..", "fixtures", "hostile", "options-proto");
const ROOT = "/ws";

/** The fixture folder as a memory workspace, each text passed through `edit`. */
function files(edit: (text: string) => string = (t) => t): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(`${ROOT}/${relative(DIR, p)}`, edit(readFileSync(p, "utf8")));
    }
  };
  walk(DIR);
  return out;
}

function links(host: MemoryHost): string[] {
  const r = analyzeWorkspace(host, ROOT, { today: "2026-11-23" });
  const t = r.tokens.find((x) => x.token.file === `${ROOT}/tokens/deploy.json`);
  assert.ok(t, "the token file is read");
  return t.links.map((l) => `${l.secret} via ${l.via}`);
}

test('a tokenSecrets key "__proto__" is refused with a warning at the key, not dropped without a word', () => {
  const host = new MemoryHost(files());
  assert.deepEqual(links(host), []);
  const r = analyzeWorkspace(host, ROOT, { today: "2026-11-23" });
  const text = host.readFile(`${ROOT}/.wrangler-token-lint.json`)!;
  const p = r.problems.filter((x) => x.code === "project-config");
  assert.deepEqual(
    p.map((x) => [x.severity, x.message, text.slice(x.span.start, x.span.end)]),
    [["warning", 'tokenSecrets.__proto__ "__proto__" cannot be used as a key', '"__proto__"']],
  );
  assert.equal(Object.getPrototypeOf(r.tokens[0]!.links), Array.prototype);
  assert.equal(({} as Record<string, unknown>).DEPLOY_TOKEN, undefined);
});

test("the same workspace with another token name links (the control for the test above)", () => {
  assert.deepEqual(links(new MemoryHost(files((t) => t.replaceAll("__proto__", "deploy-main")))), [
    "DEPLOY_TOKEN via settings",
  ]);
});
