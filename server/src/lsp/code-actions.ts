// Code actions: each finding's fixes as quick fixes, an "ignore this rule here" comment for every finding, and
// a source.fixAll.wranglerTokenLint action that applies every safe, non-overlapping fix in the document (the
// choice and the comment are the core's, core/fix-all.ts, which `check --fix` uses too).
import { CodeActionKind, type CodeAction, type CodeActionParams, type WorkspaceEdit } from "vscode-languageserver";
import type { Finding } from "../core/index.js";
import type { LineIndex } from "../core/index.js";
import { fixAllEdits, ignoreCommentEdit } from "../core/index.js";
import type { Diagnostics, FolderAnalysis } from "./diagnostics.js";
import type { OverlayHost } from "./workspace.js";
import { findingToDiagnostic, rangeToSpan, spansTouch, toWorkspaceEdit, uriToPath, type LinesOf } from "./convert.js";

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.wranglerTokenLint`;

/** Findings of the current analyses placed in `path`, but only if the file still has the analysed text. */
function currentFindings(
  analyses: FolderAnalysis[],
  path: string,
  host: OverlayHost,
): { finding: Finding; analysis: FolderAnalysis; lines: LineIndex }[] {
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
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit,
          isPreferred: i === 0 && fix.safe,
        });
      });
      const ignore = ignoreCommentEdit(path, lines, finding);
      if (ignore) {
        const edit = toWorkspaceEdit([ignore], linesOf);
        if (edit)
          actions.push({
            title: `Ignore ${finding.rule} here (comment)`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            edit,
          });
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
  const { edits, taken } = fixAllEdits(
    found.map((f) => f.finding),
    (file) => host.readFile(file),
  );
  const first = found.find((f) => taken.includes(f.finding));
  if (!edits.length || !first) return undefined;
  return toWorkspaceEdit(edits, linesFor(first.analysis, host));
}
