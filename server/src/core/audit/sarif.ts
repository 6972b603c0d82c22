// SARIF 2.1.0 for an audit report. A finding on the live token has no file of its own: its physical location is
// the workflow step that uses the secret (so code scanning shows it where the token is used), and a logical
// location names the token and the path inside it (`cloudflare-api-token/<id>/policies[0].permission_groups[1]`).
// Pure.
import { RULES } from "../rules/index.js";
import type { Severity } from "../problems.js";
import type { AuditFinding, AuditPlace, AuditReport } from "./report.js";
import { RULE_DOCS_BASE } from "./render.js";

const LEVEL: Record<Severity, string> = { error: "error", warning: "warning", info: "note" };

function physical(p: AuditPlace | { file: string; line: number; column: number }): object {
  const region = "endLine" in p ? { startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn } : { startLine: p.line, startColumn: p.column };
  return { physicalLocation: { artifactLocation: { uri: p.file.split("/").map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" }, region } };
}

function ruleEntry(id: string, base: string): object {
  const r = RULES.find((x) => x.id === id);
  if (!r) return { id, name: id, shortDescription: { text: `File problem: ${id}` }, defaultConfiguration: { level: "error" } };
  return {
    id,
    name: id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: r.title },
    fullDescription: { text: r.title },
    helpUri: `${base}/${id}.md`,
    help: { text: `${r.title}. See ${base}/${id}.md`, markdown: `${r.title}. See [${id}](${base}/${id}.md).` },
    defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
    properties: { tags: ["security", "least-privilege"] },
  };
}

function result(r: AuditReport, f: AuditFinding, ruleIds: string[]): object {
  const out: Record<string, unknown> = {
    ruleId: f.rule,
    ruleIndex: ruleIds.indexOf(f.rule),
    level: LEVEL[f.severity],
    message: { text: f.tokenPath !== null ? `Live token ${r.token.id}${f.tokenPath ? ` (${f.tokenPath})` : ""}: ${f.message}` : f.message },
    relatedLocations: f.related.map((x, i) => ({ id: i + 1, ...physical(x), message: { text: x.message } })),
  };
  const locations: Record<string, unknown>[] = [];
  if (f.at) locations.push(physical(f.at) as Record<string, unknown>);
  if (f.tokenPath !== null) {
    const logical = { name: f.tokenPath || r.token.name, fullyQualifiedName: `cloudflare-api-token/${r.token.id}${f.tokenPath ? `/${f.tokenPath}` : ""}`, kind: "resource" };
    if (locations[0]) locations[0].logicalLocations = [logical];
    else locations.push({ logicalLocations: [logical] });
  }
  out.locations = locations;
  // Stable across runs for the same token and finding, so code scanning can follow it.
  out.partialFingerprints = { liveTokenFinding: `${r.token.id}:${f.rule}:${f.tokenPath ?? (f.at ? `${f.at.file}:${f.at.line}` : "")}` };
  return out;
}

export function renderAuditSarif(r: AuditReport, version: string, docsBase: string = RULE_DOCS_BASE): object {
  const base = docsBase.replace(/\/$/, "");
  const ruleIds = [...new Set([...RULES.map((x) => x.id), ...r.findings.map((f) => f.rule)])];
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "wrangler-token-lint", informationUri: "https://github.com/wrangler-token-lint/wrangler-token-lint", version, rules: ruleIds.map((id) => ruleEntry(id, base)) } },
        originalUriBaseIds: { "%SRCROOT%": { uri: "file:///" } },
        results: r.findings.map((f) => result(r, f, ruleIds)),
        properties: { liveToken: { id: r.token.id, name: r.token.name, owner: r.token.owner, secret: r.secret } },
      },
    ],
  };
}
