// The findings of a workspace analysis as every CLI output format reports them: one list of rule findings and
// file problems, with 1-based positions and root-relative paths.
import {
  problemAsFinding,
  relative,
  SourceFile,
  type Finding,
  type ReviewFinding,
  type WorkspaceResult,
} from "../../core/index.js";

/** A finding or file problem as reported: the same shape the review reports its findings in. */
export type Reported = ReviewFinding;

/** Findings and file problems in one list, sorted by file, position and rule. */
export function report(ws: WorkspaceResult, root: string): Reported[] {
  const sources = new Map<string, SourceFile>();
  // The analysis's own (confined) host: a finding placed at a link never makes the report read where it leads.
  const host = ws.host;
  const pos = (file: string, offset: number) => {
    let s = sources.get(file);
    if (!s) {
      s = new SourceFile(file, host.readFile(file) ?? "");
      sources.set(file, s);
    }
    return s.lineColumn(offset);
  };
  const one = (f: Pick<Finding, "rule" | "severity" | "message" | "location" | "related" | "fixes">): Reported => {
    const a = pos(f.location.file, f.location.span.start);
    const b = pos(f.location.file, f.location.span.end);
    return {
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      file: relative(root, f.location.file),
      line: a.line,
      column: a.column,
      endLine: b.line,
      endColumn: b.column,
      related: f.related.map((r) => ({
        file: relative(root, r.file),
        ...pos(r.file, r.span.start),
        message: r.message,
      })),
      fixes: f.fixes.map((x) => x.title),
    };
  };
  const out = ws.findings.map(one);
  for (const p of ws.problems) {
    out.push(one(problemAsFinding(p)));
  }
  return out.sort(
    (x, y) => x.file.localeCompare(y.file) || x.line - y.line || x.column - y.column || x.rule.localeCompare(y.rule),
  );
}
