// SARIF 2.1.0 output of the CLI's commands (GitHub code scanning): check's findings, diff's new findings and
// audit's report. Each rule's helpUri is its page installed with the package (node/rule-docs.ts, checked to
// exist); without the pages the rule has no URI.
import type { AuditReport } from "../../core/index.js";
import { renderAuditSarif } from "../../core/index.js";
import { SARIF_LEVEL, sarifLocation, sarifLog, sarifRuleIds, type RuleDocs } from "../../core/index.js";
import { ruleDocsUri } from "../../node/rule-docs.js";
import { VERSION } from "../version.js";
import type { Reported } from "./findings.js";

const docs: RuleDocs = (id) => ruleDocsUri(id);

/** Findings (check's, or diff's new ones) as a SARIF log. */
export function findingsSarif(rs: Reported[]): object {
  const ruleIds = sarifRuleIds(rs.map((r) => r.rule));
  return sarifLog(
    ruleIds,
    docs,
    VERSION,
    rs.map((r) => ({
      ruleId: r.rule,
      ruleIndex: ruleIds.indexOf(r.rule),
      level: SARIF_LEVEL[r.severity],
      message: { text: r.message },
      locations: [sarifLocation(r.file, r.line, r.column, r.endLine, r.endColumn)],
      relatedLocations: r.related.map((x, i) => ({
        id: i + 1,
        ...sarifLocation(x.file, x.line, x.column),
        message: { text: x.message },
      })),
    })),
  );
}

export function auditSarif(r: AuditReport): object {
  return renderAuditSarif(r, VERSION, docs);
}
