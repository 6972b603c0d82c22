// Text output of the CLI's commands (the terminal default): check's findings here; minimal, diff and audit
// render through the core (renderMinimal, renderReviewText, renderAuditText).
import type { Severity } from "../../core/index.js";
import type { WorkspaceResult } from "../../core/index.js";
import type { Reported } from "./findings.js";

export { renderReviewText as diffText } from "../../core/index.js";
export { renderAuditText as auditText } from "../../core/index.js";

export function checkText(rs: Reported[], summary: WorkspaceResult["summary"]): string {
  const lines: string[] = [];
  for (const r of rs) {
    lines.push(`${r.file}:${r.line}:${r.column}: ${r.severity} [${r.rule}] ${r.message}`);
    for (const rel of r.related.slice(0, 5)) lines.push(`    ${rel.file}:${rel.line}:${rel.column}: ${rel.message}`);
    if (r.related.length > 5) lines.push(`    … ${r.related.length - 5} more`);
    for (const f of r.fixes) lines.push(`    fix: ${f}`);
  }
  const count = (s: Severity) => rs.filter((r) => r.severity === s).length;
  lines.push(
    `${rs.length ? "\n" : ""}${summary.configs} configs, ${summary.deploys} deploys, ${summary.tokens} tokens: ${count("error")} errors, ${count("warning")} warnings, ${count("info")} notes`,
  );
  return lines.join("\n") + "\n";
}
