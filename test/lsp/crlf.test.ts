// Quick fixes on files saved with CRLF line endings, through the bundled server. An offset between a CR and its
// LF used to reach the client as a column one past the line's end (an edit at 6:75 on a 74-character line),
// and the "Add …" fix inserted its new line inside the CRLF. The same Terraform v5 token is served LF and CRLF:
// each quick fix and Fix all must give the LF result with CRLF line endings. The harness' applyEdits reads
// positions as a strict client does (CRLF-aware, and it throws on a column past the line's end).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CodeAction, Diagnostic } from "vscode-languageserver-protocol";
import { LspClient, REPO, applyEdits, uri } from "./harness";

const CASE = join(REPO, "test/fixtures/rules/missing-group/positive-terraform-v5");
const tmp = mkdtempSync(join(tmpdir(), "wtl-crlf-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

function copy(name: string, crlf: boolean): string {
  const dir = join(tmp, name);
  cpSync(CASE, dir, { recursive: true, filter: (p) => !/[\\/](fixed|expected\.txt)$/.test(p) });
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (crlf) writeFileSync(p, readFileSync(p, "utf8").replace(/\r?\n/g, "\r\n"));
    }
  };
  walk(dir);
  return dir;
}

const toCrlf = (s: string): string => s.replace(/\r?\n/g, "\r\n");
const missing = (ds: Diagnostic[]) => ds.find((d) => d.code === "missing-group");

interface Results {
  text: string;
  quickFixes: Map<string, string>;
  fixAll: string;
}

async function fixesOf(dir: string): Promise<Results> {
  const tf = join(dir, "infra/token.tf");
  const c = await LspClient.start(dir);
  try {
    await c.open(tf, "terraform");
    const d = missing(await c.waitForDiagnostics(tf, (ds) => missing(ds) !== undefined, 30000))!;
    const text = readFileSync(tf, "utf8");
    const actions = await c.request<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri: uri(tf) },
      range: d.range,
      context: { diagnostics: [d], only: ["quickfix"] },
    });
    const quickFixes = new Map<string, string>();
    for (const a of actions) quickFixes.set(a.title, applyEdits(text, a.edit!.changes![uri(tf)]!));
    const all = await c.request<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri: uri(tf) },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ["source.fixAll"] },
    });
    assert.equal(all.length, 1);
    return { text, quickFixes, fixAll: applyEdits(text, all[0]!.edit!.changes![uri(tf)]!) };
  } finally {
    await c.stop();
  }
}

test("quick fixes and Fix all on a CRLF Terraform token equal the LF results with CRLF line endings", async () => {
  const lf = await fixesOf(copy("lf", false));
  const crlf = await fixesOf(copy("crlf", true));
  assert.ok(lf.quickFixes.has("Add D1 Write"), [...lf.quickFixes.keys()].join(" | "));
  assert.deepEqual([...crlf.quickFixes.keys()], [...lf.quickFixes.keys()], "the same quick fixes are offered");
  for (const [title, fixed] of lf.quickFixes) {
    const got = crlf.quickFixes.get(title)!;
    assert.equal(got, toCrlf(fixed), `"${title}" on the CRLF file`);
    assert.doesNotMatch(got, /[^\r]\n|\r(?!\n)/, `"${title}" left a bare CR or LF`);
  }
  // The LF golden of the rule fixture is what Add D1 Write gives.
  assert.equal(lf.quickFixes.get("Add D1 Write"), readFileSync(join(CASE, "fixed/infra/token.tf"), "utf8"));
  assert.notEqual(crlf.fixAll, crlf.text, "Fix all changes the file");
  assert.equal(crlf.fixAll, toCrlf(lf.fixAll));
});
