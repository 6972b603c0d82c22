// Fix safety as a property, over every rule fixture, every language-server fixture and every corpus repository,
// with LF and with CRLF line endings. Each quick fix a finding offers (its fixes, and the "ignore here" comment),
// and Fix all for each file, is taken as the language server sends it: core edits → LSP ranges (lsp/convert.ts)
// → applied by vscode-languageserver-textdocument, as a client does. Then:
// - every range lies inside its line (no column past a line's end, nothing inside a CRLF);
// - the client's result is byte for byte the core edit applied at its offsets (nothing outside the edit moves),
//   and an edit into a CRLF file brings no bare LF;
// - the edited files still parse (no new error problem), the fixed finding is gone, and no new finding appears.
//   A finding at the same place as before (its start moved with the edit) is the same finding even when its
//   message quotes text the edit touched. Two kinds of finding may come with a fix, both about the text the fix
//   wrote and located inside it: an info note on the new text (what a per-Worker token still reaches, why it
//   cannot be narrower), and, for a fix whose title asks to fill in <…> placeholders (never a safe one, so never
//   in Fix all), the unresolved-placeholder error that asks the same.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { TextDocument } from "vscode-languageserver-textdocument";
import { MemoryHost } from "../../server/src/core/host.js";
import { analyzeWorkspace, type WorkspaceResult } from "../../server/src/core/workspace.js";
import { LineIndex } from "../../server/src/core/source.js";
import type { Finding, TextEdit } from "../../server/src/core/findings.js";
import { nodeHclParser } from "../../server/src/node/hcl-wasm.js";
import { fixAllEdits, ignoreCommentEdit } from "../../server/src/core/fix-all.js";
import { spanToRange } from "../../server/src/lsp/convert.js";
import { applyEdits, caseFiles, listCases, readTree } from "../rules/harness.js";

const REPO = join(import.meta.dirname, "..", "..");
const CORPUS = join(REPO, "..", "shared", "corpus");
const ROOT = "/ws";

interface Workspace {
  name: string;
  files: Map<string, string>; // root-relative → text
}

function workspaces(): Workspace[] {
  const out: Workspace[] = listCases().map((c) => ({ name: `rules/${c.rule}/${c.name}`, files: caseFiles(c) }));
  const dirs = (d: string) =>
    existsSync(d)
      ? readdirSync(d)
          .filter((n) => statSync(join(d, n)).isDirectory())
          .sort()
      : [];
  for (const n of dirs(join(REPO, "test", "fixtures", "lsp")))
    out.push({ name: `lsp/${n}`, files: readTree(join(REPO, "test", "fixtures", "lsp", n)) });
  for (const n of dirs(CORPUS)) out.push({ name: `corpus/${n}`, files: readTree(join(CORPUS, n)) });
  return out;
}

const TODAY = "2026-11-23";
const key = (f: Finding) => `${f.rule}\u0000${f.location.file}\u0000${f.message}`;
const counts = (ws: WorkspaceResult) => {
  const m = new Map<string, number>();
  for (const f of ws.findings) m.set(key(f), (m.get(key(f)) ?? 0) + 1);
  return m;
};
const errors = (ws: WorkspaceResult, file: string) =>
  new Set(ws.problems.filter((p) => p.file === file && p.severity === "error").map((p) => `${p.code}: ${p.message}`));

/** Where an offset of the text before `edits` is afterwards; undefined when an edit replaced it. */
function mapOffset(edits: TextEdit[], file: string, offset: number): number | undefined {
  let delta = 0;
  for (const e of edits) {
    if (e.file !== file || e.start > offset) continue;
    if (e.end > offset || (e.start === offset && e.end > e.start)) return undefined;
    delta += e.newText.length - (e.end - e.start);
  }
  return offset + delta;
}

/** True when an offset of the edited text lies in text one of `edits` wrote. */
function written(edits: TextEdit[], file: string, offset: number): boolean {
  const mine = edits.filter((e) => e.file === file).sort((x, y) => x.start - y.start);
  let delta = 0;
  for (const e of mine) {
    const start = e.start + delta;
    if (offset >= start && offset <= start + e.newText.length) return true;
    delta += e.newText.length - (e.end - e.start);
  }
  return false;
}

/** Applies core edits as an LSP client would; returns the new texts, or what was wrong with the edits. */
function throughLsp(texts: Map<string, string>, edits: TextEdit[]): { texts: Map<string, string>; wrong: string[] } {
  const out = new Map(texts);
  const wrong: string[] = [];
  for (const file of new Set(edits.map((e) => e.file))) {
    const text = texts.get(file);
    if (text === undefined) {
      wrong.push(`edit of an unknown file ${file}`);
      continue;
    }
    const mine = edits.filter((e) => e.file === file);
    const lines = new LineIndex(text);
    const lineText = text.split(/\r\n|\r|\n/);
    const lsp = mine.map((e) => ({ range: spanToRange(lines, { start: e.start, end: e.end }), newText: e.newText }));
    for (const e of lsp) {
      for (const p of [e.range.start, e.range.end]) {
        if (p.line >= lineText.length || p.character > lineText[p.line]!.length)
          wrong.push(
            `${file}: position ${p.line + 1}:${p.character + 1} is past its line's end (${lineText[p.line]?.length ?? "no such line"})`,
          );
      }
    }
    const client = TextDocument.applyEdits(TextDocument.create("file://" + file, "plaintext", 1, text), lsp);
    const exact = applyEdits(text, mine);
    if (client !== exact) wrong.push(`${file}: the client's result differs from the edit at its offsets`);
    const crlf = /\r\n/.test(text) && !/(^|[^\r])\n/.test(text);
    if (crlf && mine.some((e) => /(^|[^\r])\n/.test(e.newText)))
      wrong.push(`${file}: an edit brings a bare LF into a CRLF file`);
    out.set(file, client);
  }
  return { texts: out, wrong };
}

test("fix safety: every quick fix and Fix all, LF and CRLF, over every fixture and corpus repository", async () => {
  const hcl = await nodeHclParser();
  const failures: string[] = [];
  let checked = 0;
  for (const w of workspaces()) {
    for (const crlf of [false, true]) {
      const texts = new Map([...w.files].map(([rel, t]) => [`${ROOT}/${rel}`, crlf ? t.replace(/\r?\n/g, "\r\n") : t]));
      const analyze = (m: Map<string, string>) => analyzeWorkspace(new MemoryHost(m), ROOT, { today: TODAY }, { hcl });
      const before = analyze(texts);
      const beforeCounts = counts(before);
      const attempts: { title: string; edits: TextEdit[]; fixed: Finding[]; safe: boolean }[] = [];
      for (const f of before.findings) {
        for (const fix of f.fixes)
          attempts.push({ title: `${f.rule}: ${fix.title}`, edits: fix.edits, fixed: [f], safe: fix.safe });
        const text = texts.get(f.location.file);
        const ignore = text === undefined ? undefined : ignoreCommentEdit(f.location.file, new LineIndex(text), f);
        if (ignore) attempts.push({ title: `${f.rule}: ignore comment`, edits: [ignore], fixed: [f], safe: true });
      }
      for (const file of new Set(before.findings.map((f) => f.location.file))) {
        const { edits, taken } = fixAllEdits(
          before.findings.filter((f) => f.location.file === file),
          (f) => texts.get(f),
        );
        if (edits.length)
          attempts.push({ title: `Fix all in ${file.slice(ROOT.length + 1)}`, edits, fixed: taken, safe: true });
      }
      for (const a of attempts) {
        checked++;
        const where = `${w.name}${crlf ? " (CRLF)" : ""}: ${a.title}`;
        const { texts: edited, wrong } = throughLsp(texts, a.edits);
        for (const x of wrong) failures.push(`${where}: ${x}`);
        const after = analyze(edited);
        for (const file of new Set(a.edits.map((e) => e.file))) {
          const was = errors(before, file);
          for (const p of errors(after, file))
            if (!was.has(p)) failures.push(`${where}: the edited file no longer parses: ${p}`);
        }
        const afterCounts = counts(after);
        for (const f of a.fixed)
          if ((afterCounts.get(key(f)) ?? 0) >= (beforeCounts.get(key(f)) ?? 0))
            failures.push(`${where}: the finding is still there: ${f.message}`);
        const moved = new Set(
          before.findings.map(
            (f) =>
              `${f.rule}\u0000${f.location.file}\u0000${mapOffset(a.edits, f.location.file, f.location.span.start)}`,
          ),
        );
        const seen = new Map<string, number>();
        for (const f of after.findings) {
          const n = (seen.get(key(f)) ?? 0) + 1;
          seen.set(key(f), n);
          if (
            n <= (beforeCounts.get(key(f)) ?? 0) ||
            moved.has(`${f.rule}\u0000${f.location.file}\u0000${f.location.span.start}`)
          )
            continue;
          const inside = written(a.edits, f.location.file, f.location.span.start);
          if (
            inside &&
            (f.severity === "info" || (f.rule === "unresolved-placeholder" && /placeholders/.test(a.title) && !a.safe))
          )
            continue;
          failures.push(`${where}: a new finding appears: ${f.rule}: ${f.message}`);
        }
      }
    }
  }
  assert.ok(checked > 100, `only ${checked} fixes checked`);
  assert.deepEqual(failures, [], `${failures.length} of ${checked} fixes are unsafe`);
});
