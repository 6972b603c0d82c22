// Markdown output of the CLI's commands (PR comments, job summaries): check's findings table here; diff and
// audit render through the core. Rule ids link to their pages (docs/rules/<id>.md, installed with the package).
import { RULES } from "../../core/index.js";
import type { Severity } from "../../core/index.js";
import type { WorkspaceResult } from "../../core/index.js";
import type { AuditReport } from "../../core/index.js";
import { renderAuditMarkdown } from "../../core/index.js";
import { ruleDocsBase } from "../../node/rule-docs.js";
import type { Reported } from "./findings.js";

export { renderReviewMarkdown as diffMarkdown } from "../../core/index.js";

/** The rule pages installed with the package (a file: URI), else the package-relative folder. */
export const DOCS_BASE = (ruleDocsBase() ?? "docs/rules/").replace(/\/$/, "");

export function checkMarkdown(rs: Reported[], summary: WorkspaceResult["summary"]): string {
  const icon: Record<Severity, string> = { error: "🔴", warning: "🟠", info: "🔵" };
  const lines = [
    "## wrangler-token-lint",
    "",
    `${summary.configs} configs · ${summary.deploys} deploys · ${summary.tokens} tokens`,
    "",
  ];
  if (!rs.length) lines.push("No findings: every token matches what its deploys need.");
  else {
    lines.push("| | Rule | Where | Finding |", "|---|---|---|---|");
    const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
    for (const r of rs) {
      const rule = RULES.some((x) => x.id === r.rule) ? `[\`${r.rule}\`](${DOCS_BASE}/${r.rule}.md)` : `\`${r.rule}\``;
      lines.push(
        `| ${icon[r.severity]} | ${rule} | \`${r.file}:${r.line}\` | ${cell(r.message)}${r.fixes.length ? ` _(fix: ${cell(r.fixes.join("; "))})_` : ""} |`,
      );
    }
  }
  return lines.join("\n") + "\n";
}

export function auditMarkdown(r: AuditReport): string {
  return renderAuditMarkdown(r, new Set(RULES.map((x) => x.id)), DOCS_BASE);
}
