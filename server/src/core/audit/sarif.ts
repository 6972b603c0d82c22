// SARIF 2.1.0 for an audit report. A finding on the live token has no file of its own: its physical location is
// the workflow step that uses the secret (so code scanning shows it where the token is used), and a logical
// location names the token and the path inside it (`cloudflare-api-token/<id>/policies[0].permission_groups[1]`).
// Pure.
import type { AuditFinding, AuditPlace, AuditReport } from "./report.js";
import { SARIF_LEVEL, sarifLocation, sarifLog, sarifRuleIds, type RuleDocs } from "../sarif.js";

const LEVEL = SARIF_LEVEL;

function physical(p: AuditPlace | { file: string; line: number; column: number }): object {
  return "endLine" in p
    ? sarifLocation(p.file, p.line, p.column, p.endLine, p.endColumn)
    : sarifLocation(p.file, p.line, p.column);
}

function result(r: AuditReport, f: AuditFinding, ruleIds: string[]): object {
  const out: Record<string, unknown> = {
    ruleId: f.rule,
    ruleIndex: ruleIds.indexOf(f.rule),
    level: LEVEL[f.severity],
    message: {
      text:
        f.tokenPath !== null
          ? `Live token ${r.token.id}${f.tokenPath ? ` (${f.tokenPath})` : ""}: ${f.message}`
          : f.message,
    },
    relatedLocations: f.related.map((x, i) => ({ id: i + 1, ...physical(x), message: { text: x.message } })),
  };
  const locations: Record<string, unknown>[] = [];
  if (f.at) locations.push(physical(f.at) as Record<string, unknown>);
  if (f.tokenPath !== null) {
    const logical = {
      name: f.tokenPath || r.token.name,
      fullyQualifiedName: `cloudflare-api-token/${r.token.id}${f.tokenPath ? `/${f.tokenPath}` : ""}`,
      kind: "resource",
    };
    if (locations[0]) locations[0].logicalLocations = [logical];
    else locations.push({ logicalLocations: [logical] });
  }
  out.locations = locations;
  // Stable across runs for the same token and finding, so code scanning can follow it.
  out.partialFingerprints = {
    liveTokenFinding: `${r.token.id}:${f.rule}:${f.tokenPath ?? (f.at ? `${f.at.file}:${f.at.line}` : "")}`,
  };
  return out;
}

/** `docs` gives each rule's page (an existing URI) or undefined (then the rule entry has no helpUri). */
export function renderAuditSarif(r: AuditReport, version: string, docs: RuleDocs): object {
  const ruleIds = sarifRuleIds(r.findings.map((f) => f.rule));
  return sarifLog(
    ruleIds,
    docs,
    version,
    r.findings.map((f) => result(r, f, ruleIds)),
    { liveToken: { id: r.token.id, name: r.token.name, owner: r.token.owner, secret: r.secret } },
  );
}
