// Fix all, shared by the language server (source.fixAll, the *Fix all* command) and `check --fix`: which fixes
// are taken together, how they are applied to a text, and the "ignore this rule here" comment. Pure.
import type { Finding, Fix, TextEdit } from "./findings.js";
import type { LineIndex } from "./source.js";
import { commentPrefix } from "./suppress.js";

/**
 * Fix all's choice: per finding its first safe fix (with `unsafe`, its first fix of any kind when it has no safe
 * one), each fix once, skipping one whose edits overlap an edit already taken. Insertions at one point are joined
 * in finding order and the same text is inserted once. With the files' text (`textOf`), an insertion that opens a
 * new line at the end of a line is taken as the same text inserted at the start of the next line, so "add a group
 * after the last one" does not overlap "remove the last group's line" and Fix all does both.
 */
export function fixAllEdits(
  findings: readonly Finding[],
  textOf?: (file: string) => string | undefined,
  opts: { unsafe?: boolean } = {},
): { edits: TextEdit[]; taken: Finding[]; fixes: Fix[] } {
  const edits: TextEdit[] = [];
  const taken: Finding[] = [];
  const fixes: Fix[] = [];
  const seen = new Set<string>();
  for (const finding of findings) {
    const chosen = finding.fixes.find((f) => f.safe) ?? (opts.unsafe ? finding.fixes[0] : undefined);
    if (!chosen) continue;
    const key = JSON.stringify(chosen.edits);
    if (seen.has(key)) continue; // the same fix offered by two findings
    seen.add(key);
    const fix = textOf ? { edits: chosen.edits.map((e) => atNextLineStart(e, textOf(e.file))) } : chosen;
    const clash = fix.edits.some((e) =>
      edits.some(
        (t) => t.file === e.file && spansTouchStrict(t, e) && !sameInsertionPoint(t, e) && !insertBeforeRemoval(t, e),
      ),
    );
    if (clash) continue;
    for (const e of fix.edits) {
      const at = edits.find((t) => t.file === e.file && sameInsertionPoint(t, e));
      // An insertion where a removal starts becomes one edit: the removed text replaced by the inserted one.
      const adjoining = edits.find((t) => t.file === e.file && insertBeforeRemoval(t, e));
      if (adjoining && e.start === e.end) adjoining.newText = e.newText;
      else if (adjoining) adjoining.end = e.end;
      else if (!at) edits.push({ ...e });
      else if (!at.newText.includes(e.newText)) at.newText += e.newText;
    }
    taken.push(finding);
    fixes.push(chosen);
  }
  return { edits, taken, fixes };
}

/** `\n<text>` inserted just before a line break is `<text>\n` inserted just after it: the same result. */
function atNextLineStart(e: TextEdit, text: string | undefined): TextEdit {
  const nl = e.start === e.end && text !== undefined ? /^\r?\n/.exec(e.newText)?.[0] : undefined;
  if (!nl || !text!.startsWith(nl, e.start)) return e;
  const at = e.start + nl.length;
  return { ...e, start: at, end: at, newText: e.newText.slice(nl.length) + nl };
}

/** One is an insertion and the other removes text (inserts nothing) from that very point. */
function insertBeforeRemoval(a: TextEdit, b: TextEdit): boolean {
  const [ins, del] = a.start === a.end ? [a, b] : [b, a];
  return ins.start === ins.end && del.start < del.end && del.newText === "" && ins.start === del.start;
}

/** A file's text with its edits applied (edits of other files are ignored; they must not overlap). */
export function applyTextEdits(file: string, text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of edits.filter((x) => x.file === file).sort((a, b) => b.start - a.start || b.end - a.end))
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** The edit that puts `<prefix> wrangler-token-lint: ignore[rule]` on its own line above the finding. */
export function ignoreCommentEdit(path: string, lines: LineIndex, finding: Finding): TextEdit | undefined {
  const prefix = commentPrefix(path);
  if (!prefix) return undefined;
  const line = lines.positionAt(finding.location.span.start).line;
  const start = lines.lineStart(line);
  const indent = /^[ \t]*/.exec(lines.text.slice(start))![0];
  const eol = lines.text.includes("\r\n") ? "\r\n" : "\n";
  return {
    file: path,
    start,
    end: start,
    newText: `${indent}${prefix} wrangler-token-lint: ignore[${finding.rule}]${eol}`,
  };
}

function sameInsertionPoint(a: TextEdit, b: TextEdit): boolean {
  return a.start === a.end && b.start === b.end && a.start === b.start;
}

function spansTouchStrict(a: TextEdit, b: TextEdit): boolean {
  // Two insertions at one point would have an order the client picks; treat them as clashing too.
  if (a.start === b.start) return true;
  return a.start < b.end && b.start < a.end;
}
