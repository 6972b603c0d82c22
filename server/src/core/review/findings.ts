// Findings of both snapshots (rule findings and file problems), split into new in head, fixed in head and
// unchanged. A finding is the same on both sides when its rule, its file (followed through the renames the
// deploy and token matching found) and its message agree; line numbers inside messages are ignored.
import { problemAsFinding } from "../findings.js";
import type { WorkspaceResult } from "../workspace.js";
import { matchStaged } from "./match.js";
import type { ReviewFinding } from "./model.js";
import type { Placer } from "./places.js";

export function reviewFindings(ws: WorkspaceResult, at: Placer): ReviewFinding[] {
  const out: ReviewFinding[] = [];
  const one = (f: {
    rule: string;
    severity: ReviewFinding["severity"];
    message: string;
    location: { file: string; span: { start: number; end: number } };
    related: { file: string; span: { start: number; end: number }; message: string }[];
    fixes: { title: string }[];
  }) => {
    const p = at.place(f.location, f.message);
    out.push({
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      file: p.file,
      line: p.line,
      column: p.column,
      endLine: p.endLine,
      endColumn: p.endColumn,
      related: f.related.map((r) => {
        const q = at.place(r, r.message);
        return { file: q.file, line: q.line, column: q.column, message: r.message };
      }),
      fixes: f.fixes.map((x) => x.title),
    });
  };
  for (const f of ws.findings) one(f);
  for (const p of ws.problems) one(problemAsFinding(p));
  return out.sort((x, y) =>
    x.file < y.file
      ? -1
      : x.file > y.file
        ? 1
        : x.line - y.line || x.column - y.column || (x.rule < y.rule ? -1 : x.rule > y.rule ? 1 : 0),
  );
}

const normal = (m: string) => m.replace(/:\d+(:\d+)?\b/g, ":#");

/** `renames`: root-relative base file → head file, for files the matching followed. */
export function diffFindings(
  base: ReviewFinding[],
  head: ReviewFinding[],
  renames: Map<string, string>,
): { new: ReviewFinding[]; fixed: ReviewFinding[]; unchanged: ReviewFinding[] } {
  const side = new Set(base);
  const file = (f: ReviewFinding) => (side.has(f) ? (renames.get(f.file) ?? f.file) : f.file);
  const m = matchStaged<ReviewFinding>(base, head, [
    { name: "same file", key: (f) => `${f.rule}|${file(f)}|${normal(f.message)}` },
    { name: "same message", key: (f) => `${f.rule}|${normal(f.message)}` },
  ]);
  return { new: m.headOnly, fixed: m.baseOnly, unchanged: m.pairs.map((p) => p.head) };
}
