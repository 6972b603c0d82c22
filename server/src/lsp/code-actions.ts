// Code actions: each finding's fixes as quick fixes, an "ignore this rule here" comment for every finding, and
// a source.fixAll.wranglerTokenLint action that applies every safe, non-overlapping fix in the document.
import { CodeActionKind, type CodeAction, type CodeActionParams, type WorkspaceEdit } from "vscode-languageserver";
import type { Finding, TextEdit } from "../core/index.js";
import type { LineIndex } from "../core/index.js";
import { commentPrefix } from "../core/index.js";
import type { Diagnostics, FolderAnalysis } from "./diagnostics.js";
import type { OverlayHost } from "./workspace.js";
import { findingToDiagnostic, rangeToSpan, spansTouch, toWorkspaceEdit, uriToPath, type LinesOf } from "./convert.js";

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.wranglerTokenLint`;

/** The edit that puts `<prefix> wrangler-token-lint: ignore[rule]` on its own line above the finding. */
export function ignoreCommentEdit(path: string, lines: LineIndex, finding: Finding): TextEdit | undefined {
  const prefix = commentPrefix(path);
  if (!prefix) return undefined;
  const line = lines.positionAt(finding.location.span.start).line;
  const start = lines.lineStart(line);
  const indent = /^[ \t]*/.exec(lines.text.slice(start))![0];
  const eol = lines.text.includes("\r\n") ? "\r\n" : "\n";
  return { file: path, start, end: start, newText: `${indent}${prefix} wrangler-token-lint: ignore[${finding.rule}]${eol}` };
}

/** Findings of the current analyses placed in `path`, but only if the file still has the analysed text. */
function currentFindings(analyses: FolderAnalysis[], path: string, host: OverlayHost): { finding: Finding; analysis: FolderAnalysis; lines: LineIndex }[] {
  const out: { finding: Finding; analysis: FolderAnalysis; lines: LineIndex }[] = [];
  const text = host.readFile(path);
  for (const a of analyses) {
    const lines = a.lines.get(path);
    const findings = a.byFile.get(path);
    if (!lines || !findings || lines.text !== text) continue; // edited since: new diagnostics are on their way
    for (const finding of findings) out.push({ finding, analysis: a, lines });
  }
  return out;
}

function linesFor(analysis: FolderAnalysis, host: OverlayHost): LinesOf {
  return (p) => {
    const l = analysis.lines.get(p);
    if (l && l.text === host.readFile(p)) return l;
    return host.lines(p);
  };
}

export function codeActions(params: CodeActionParams, diagnostics: Diagnostics, host: OverlayHost): CodeAction[] {
  const path = uriToPath(params.textDocument.uri);
  if (!path) return [];
  const found = currentFindings(diagnostics.analysesFor(path), path, host);
  if (!found.length) return [];
  const only = params.context.only;
  const wants = (kind: string): boolean => !only || only.some((k) => kind === k || kind.startsWith(k + "."));
  const actions: CodeAction[] = [];

  if (wants(CodeActionKind.QuickFix)) {
    for (const { finding, analysis, lines } of found) {
      const span = rangeToSpan(lines, params.range);
      if (!spansTouch(span, finding.location.span)) continue;
      const linesOf = linesFor(analysis, host);
      const diagnostic = findingToDiagnostic(finding, lines, linesOf, diagnostics.hasDocs(finding.rule));
      finding.fixes.forEach((fix, i) => {
        const edit = toWorkspaceEdit(fix.edits, linesOf);
        if (!edit) return;
        actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit, isPreferred: i === 0 && fix.safe });
      });
      const ignore = ignoreCommentEdit(path, lines, finding);
      if (ignore) {
        const edit = toWorkspaceEdit([ignore], linesOf);
        if (edit) actions.push({ title: `Ignore ${finding.rule} here (comment)`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit });
      }
    }
  }

  if (wants(FIX_ALL_KIND)) {
    const edit = fixAllEdit(path, diagnostics, host);
    if (edit) actions.push({ title: "Fix all safe wrangler-token-lint problems", kind: FIX_ALL_KIND, edit });
  }
  return actions;
}

/**
 * Every safe fix of the findings in `path`, skipping a fix whose edits overlap one already taken (in any file
 * it touches). Undefined when there is nothing to fix.
 */
export function fixAllEdit(path: string, diagnostics: Diagnostics, host: OverlayHost): WorkspaceEdit | undefined {
  const found = currentFindings(diagnostics.analysesFor(path), path, host);
  const { edits, taken } = fixAllEdits(found.map((f) => f.finding), (file) => host.readFile(file));
  const first = found.find((f) => taken.includes(f.finding));
  if (!edits.length || !first) return undefined;
  return toWorkspaceEdit(edits, linesFor(first.analysis, host));
}

/**
 * Fix all's choice: the first safe fix of each finding, once, unless it overlaps an edit already taken. With the
 * files' text (`textOf`), an insertion that opens a new line at the end of a line is taken as the same text
 * inserted at the start of the next line, so "add a group after the last one" does not overlap "remove the last
 * group's line" and Fix all does both.
 */
export function fixAllEdits(findings: readonly Finding[], textOf?: (file: string) => string | undefined): { edits: TextEdit[]; taken: Finding[] } {
  const edits: TextEdit[] = [];
  const taken: Finding[] = [];
  const seen = new Set<string>();
  for (const finding of findings) {
    const safe = finding.fixes.find((f) => f.safe);
    if (!safe) continue;
    const key = JSON.stringify(safe.edits);
    if (seen.has(key)) continue; // the same fix offered by two findings
    seen.add(key);
    const fix = textOf ? { edits: safe.edits.map((e) => atNextLineStart(e, textOf(e.file))) } : safe;
    const clash = fix.edits.some((e) => edits.some((t) => t.file === e.file && spansTouchStrict(t, e) && !sameInsertionPoint(t, e) && !insertBeforeRemoval(t, e)));
    if (clash) continue;
    for (const e of fix.edits) {
      // Insertions at one point (two new policies after the last one, one data block above the token) are
      // joined in finding order, and the same text is inserted once.
      const at = edits.find((t) => t.file === e.file && sameInsertionPoint(t, e));
      // An insertion where a removal starts becomes one edit: the removed text replaced by the inserted one.
      const adjoining = edits.find((t) => t.file === e.file && insertBeforeRemoval(t, e));
      if (adjoining && e.start === e.end) adjoining.newText = e.newText;
      else if (adjoining) adjoining.end = e.end;
      else if (!at) edits.push({ ...e });
      else if (!at.newText.includes(e.newText)) at.newText += e.newText;
    }
    taken.push(finding);
  }
  return { edits, taken };
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

function sameInsertionPoint(a: TextEdit, b: TextEdit): boolean {
  return a.start === a.end && b.start === b.end && a.start === b.start;
}

function spansTouchStrict(a: TextEdit, b: TextEdit): boolean {
  // Two insertions at one point would have an order the client picks; treat them as clashing too.
  if (a.start === b.start) return true;
  return a.start < b.end && b.start < a.end;
}
