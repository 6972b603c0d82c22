// The one place where core positions become LSP ones: spans (UTF-16 offsets) → ranges, findings → diagnostics,
// core text edits → workspace edits, and file paths ↔ file URIs.
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Range,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver";
import { LineIndex, type Span } from "../core/index.js";
import type { Finding, TextEdit } from "../core/index.js";
import type { Severity } from "../core/index.js";
import { ruleDocsUri } from "../node/rule-docs.js";

/** Diagnostic.source for everything this server publishes. */
export const SOURCE = "wrangler-token-lint";

/** Gives the line index of a file's current text (open document or disk), or undefined if it is unreadable. */
export type LinesOf = (path: string) => LineIndex | undefined;

/** file: URI → absolute POSIX path; undefined for other schemes (untitled:, git:, …) the analysis cannot see. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

export function spanToRange(lines: LineIndex, span: Span): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

export function rangeToSpan(lines: LineIndex, range: Range): Span {
  return { start: lines.offsetAt(range.start), end: lines.offsetAt(range.end) };
}

export function toLspSeverity(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case "error":
      return DiagnosticSeverity.Error;
    case "warning":
      return DiagnosticSeverity.Warning;
    default:
      return DiagnosticSeverity.Information;
  }
}

/** The rule's page shipped with the server (docs/rules/<id>.md, a file: URI), when it is installed. */
export function ruleDocsUrl(rule: string): string | undefined {
  return ruleDocsUri(rule);
}

/**
 * Converts a finding located in `lines`' file (`hasDocs`: the code is a rule with a docs page). Related locations in files that cannot be read are dropped
 * rather than pointing at a wrong place.
 */
export function findingToDiagnostic(finding: Finding, lines: LineIndex, linesOf: LinesOf, hasDocs = true): Diagnostic {
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of finding.related) {
    const idx = r.file === finding.location.file ? lines : linesOf(r.file);
    if (!idx) continue;
    related.push({ location: { uri: pathToUri(r.file), range: spanToRange(idx, r.span) }, message: r.message });
  }
  const diagnostic: Diagnostic = {
    range: spanToRange(lines, finding.location.span),
    severity: toLspSeverity(finding.severity),
    code: finding.rule,
    source: SOURCE,
    message: finding.message,
  };
  const href = hasDocs ? ruleDocsUrl(finding.rule) : undefined;
  if (href) diagnostic.codeDescription = { href };
  if (related.length) diagnostic.relatedInformation = related;
  return diagnostic;
}

/**
 * Core edits (offsets per file) → a WorkspaceEdit. Returns undefined when a file the edit touches cannot be
 * read, because offsets cannot then be placed safely.
 */
export function toWorkspaceEdit(edits: readonly TextEdit[], linesOf: LinesOf): WorkspaceEdit | undefined {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const e of edits) {
    const lines = linesOf(e.file);
    if (!lines) return undefined;
    (changes[pathToUri(e.file)] ??= []).push({
      range: spanToRange(lines, { start: e.start, end: e.end }),
      newText: e.newText,
    });
  }
  return { changes };
}

/** True when two half-open spans overlap, or touch when either is empty (a cursor at a finding's edge). */
export function spansTouch(a: Span, b: Span): boolean {
  if (a.start === a.end || b.start === b.end) return a.start <= b.end && b.start <= a.end;
  return a.start < b.end && b.start < a.end;
}
