// Text and Markdown renderings of an audit report (the CLI's --format text|markdown and the editor's report
// document). Pure.
import type { AuditFinding, AuditReport } from "./report.js";
import type { PolicyDiff } from "./diff.js";
import { diffIsEmpty } from "./diff.js";

/** Default base of the rule pages: the package's own docs/rules folder, relative (callers pass the installed folder's file: URI). */
export const RULE_DOCS_BASE = "docs/rules";

/** One line about the token: owner, status, dates and condition. */
export function tokenLine(r: AuditReport): string {
  const t = r.token;
  const ip = t.ipCondition
    ? `IP condition ${[...t.ipCondition.in.map((x) => `in ${x}`), ...t.ipCondition.notIn.map((x) => `not in ${x}`)].join(", ")}`
    : "no IP condition";
  return [
    `${t.owner}-owned${t.accountId && t.owner === "account" ? ` (account ${t.accountId})` : ""}`,
    `status ${t.status ?? "unknown"}`,
    t.expiresOn ? `expires ${t.expiresOn}` : "no expiry",
    ...(t.notBefore ? [`not before ${t.notBefore}`] : []),
    ip,
    ...(t.lastUsedOn ? [`last used ${t.lastUsedOn}`] : []),
  ].join(" · ");
}

function where(f: AuditFinding): string {
  if (f.tokenPath === null) return f.at ? `${f.at.file}:${f.at.line}:${f.at.column}` : "";
  return `live token${f.tokenPath ? ` ${f.tokenPath}` : ""}`;
}

/** The diff as lines, "-" remove, "~" change, "+" add. */
export function diffLines(d: PolicyDiff): string[] {
  const out: string[] = [];
  for (const x of d.remove) out.push(`- remove ${x.group} (policy ${x.policy})`);
  for (const x of d.readInstead) out.push(`~ ${x.from} → ${x.to} (policy ${x.policy})`);
  for (const x of d.narrow) out.push(`~ narrow policy ${x.policy}: ${x.from.join(", ")} → ${x.to.join(", ")}`);
  for (const x of d.add) out.push(`+ add ${x.group} on ${x.resources.join(", ")}${x.why ? ` (${x.why})` : ""}`);
  if (d.expiry) out.push(`+ set expires_on, e.g. ${d.expiry.suggest}`);
  if (d.ipCondition) out.push(`+ add ${d.ipCondition.suggest}`);
  for (const x of d.unknown)
    out.push(`? ${x.written} (policy ${x.policy}) is not in the permission catalog: not judged`);
  if (diffIsEmpty(d) && !d.unknown.length) out.push("(none: the live token is the minimal token)");
  return out;
}

function summaryLine(r: AuditReport): string {
  const s = r.summary;
  return `${s.deploys} deploy${s.deploys === 1 ? "" : "s"} use ${r.secret}: ${s.errors} errors, ${s.warnings} warnings, ${s.infos} notes`;
}

function indent(text: string, by: string): string[] {
  return text
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => by + l);
}

export function renderAuditText(r: AuditReport): string {
  const out: string[] = [`Live token "${r.token.name}" (${r.token.id})`, `  ${tokenLine(r)}`, ""];
  out.push(r.deploys.length ? `Deploys that use ${r.secret}:` : `No deploy uses ${r.secret}.`);
  for (const d of r.deploys)
    out.push(
      `  ${d.file}:${d.line}:${d.column}  ${d.label}: ${d.command}${d.env ? ` (env ${d.env})` : ""}${d.error ? ` — not analysed: ${d.error}` : ""}`,
    );
  out.push("");
  for (const f of r.findings) {
    out.push(`${f.severity} [${f.rule}] ${where(f)}: ${f.message}`);
    if (f.tokenPath !== null && f.at)
      out.push(`    at ${f.at.file}:${f.at.line}:${f.at.column} (the step that uses ${r.secret})`);
    // The steps that use the secret are listed above; repeat only the other places behind a finding.
    const related = f.related.filter((x) => !x.message.startsWith("uses this token through "));
    for (const rel of related.slice(0, 5)) out.push(`    ${rel.file}:${rel.line}:${rel.column}: ${rel.message}`);
    if (related.length > 5) out.push(`    … ${related.length - 5} more`);
  }
  if (r.findings.length) out.push("");
  if (r.diff) {
    out.push("Policy diff (live token → minimal token):", ...diffLines(r.diff).map((l) => `  ${l}`), "");
  }
  if (r.replacement) {
    const rep = r.replacement;
    out.push(
      `Minimal replacement (${rep.owner}-owned; ${rep.endpoint}):`,
      ...indent(JSON.stringify(rep.body, null, 2), "  "),
      "",
    );
    out.push("Terraform:", ...indent(rep.terraform, "  "), "");
    out.push(`Dashboard: ${rep.dashboard.url}`, ...rep.dashboard.manual.map((m) => `  add by hand: ${m}`), "");
  }
  for (const n of r.notes) out.push(`note: ${n}`);
  if (r.notes.length) out.push("");
  if (r.requests.length) out.push("Requests made (GET only):", ...r.requests.map((q) => `  ${q}`), "");
  out.push(summaryLine(r));
  return out.join("\n") + "\n";
}

const ICON: Record<AuditFinding["severity"], string> = { error: "🔴", warning: "🟠", info: "🔵" };

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function renderAuditMarkdown(
  r: AuditReport,
  ruleIds: ReadonlySet<string>,
  docsBase: string = RULE_DOCS_BASE,
): string {
  const out: string[] = [
    `## Live token audit: “${cell(r.token.name)}”`,
    "",
    `\`${r.token.id}\` · ${cell(tokenLine(r))}`,
    "",
  ];
  if (r.deploys.length) {
    out.push(`Deploys that use \`${r.secret}\`:`, "");
    for (const d of r.deploys)
      out.push(
        `- \`${d.file}:${d.line}\` ${cell(d.label)}: \`${cell(d.command)}\`${d.env ? ` (env ${d.env})` : ""}${d.error ? ` — not analysed: ${cell(d.error)}` : ""}`,
      );
  } else out.push(`No deploy uses \`${r.secret}\`.`);
  out.push("");
  if (r.findings.length) {
    out.push("| | Rule | Where | Finding |", "|---|---|---|---|");
    for (const f of r.findings) {
      const rule = ruleIds.has(f.rule)
        ? `[\`${f.rule}\`](${docsBase.replace(/\/$/, "")}/${f.rule}.md)`
        : `\`${f.rule}\``;
      out.push(`| ${ICON[f.severity]} | ${rule} | \`${cell(where(f))}\` | ${cell(f.message)} |`);
    }
  } else out.push("No findings.");
  out.push("");
  if (r.diff) out.push("### Policy diff", "", "```diff", ...diffLines(r.diff), "```", "");
  if (r.replacement) {
    const rep = r.replacement;
    out.push(
      `### Minimal replacement (${rep.owner}-owned)`,
      "",
      `\`${rep.endpoint}\`:`,
      "",
      "```json",
      JSON.stringify(rep.body, null, 2),
      "```",
      "",
    );
    out.push("Terraform:", "", "```hcl", rep.terraform.replace(/\n$/, ""), "```", "");
    out.push(
      `[Create it in the dashboard](${rep.dashboard.url})${rep.dashboard.manual.length ? ` (add by hand: ${cell(rep.dashboard.manual.join("; "))})` : ""}`,
      "",
    );
  }
  if (r.notes.length) out.push("### Notes", "", ...r.notes.map((n) => `- ${cell(n)}`), "");
  if (r.requests.length) out.push("Requests made (GET only):", "", ...r.requests.map((q) => `- \`${cell(q)}\``), "");
  out.push(summaryLine(r));
  return out.join("\n") + "\n";
}
