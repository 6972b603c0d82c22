// Every repository under ../shared/corpus (real public projects, next to this checkout) is analysed as a
// workspace: no crash, and a compact rendering of the findings (rule, file:line, message) equals
// test/fixtures/corpus-check/<folder>.golden.txt. UPDATE_GOLDEN=1 rewrites the goldens; review them by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { analyzeWorkspace } from "../../server/src/core/workspace.js";
import { SourceFile } from "../../server/src/core/source.js";
import { diskHost } from "../../server/src/node/disk-host.js";
import { nodeHclParser } from "../../server/src/node/hcl-wasm.js";

const root = join(import.meta.dirname, "..", "..");
const corpus = join(root, "..", "shared", "corpus");
const goldens = join(root, "test", "fixtures", "corpus-check");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

test("the shared corpus is present", () => {
  assert.ok(existsSync(corpus) && statSync(corpus).isDirectory(), `missing corpus folder ${corpus}`);
});

const folders = existsSync(corpus) ? readdirSync(corpus).filter((n) => statSync(join(corpus, n)).isDirectory()).sort() : [];

for (const name of folders) {
  test(`corpus: ${name}`, async () => {
    const dir = join(corpus, name);
    const host = diskHost();
    const ws = analyzeWorkspace(host, dir, { today: "2026-11-23" }, { hcl: await nodeHclParser() });
    const internal = ws.problems.filter((p) => p.code === "internal-error");
    assert.deepEqual(internal.map((p) => p.message), [], "a rule crashed");
    const lines = ws.findings.map((f) => {
      const text = host.readFile(f.location.file) ?? "";
      const { line } = new SourceFile(f.location.file, text).lineColumn(f.location.span.start);
      return `${f.rule} ${relative(dir, f.location.file)}:${line} ${f.message}`;
    });
    const header = `# ${ws.summary.configs} configs, ${ws.summary.deploys} deploys, ${ws.summary.tokens} tokens; links: ${
      ws.tokens.map((t) => `${t.token.address ?? t.token.name} → ${[...new Set(t.links.map((l) => `${l.secret} (${l.via})`))].join(", ") || "none"}`).join("; ") || "none"
    }`;
    const rendered = [header, ...lines].join("\n") + "\n";
    const golden = join(goldens, `${name}.golden.txt`);
    if (UPDATE) writeFileSync(golden, rendered);
    assert.ok(existsSync(golden), `missing golden ${golden} (run with UPDATE_GOLDEN=1, then review it)`);
    assert.equal(rendered, readFileSync(golden, "utf8"));
  });
}
