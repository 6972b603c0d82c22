// The last live-token audit (*Audit Live Token…*, ExtensionApi.lastAudit()) as a Token Permissions section: the
// token, its findings (each opening its place in the repository), the change to the minimal token, the deploys
// that use its secret. Built in the client from the report data the server answered with.
import * as vscode from "vscode";
import type { AuditPlace, AuditReport, TreeNode, TreeSection } from "../../server/src/lsp/protocol";

function location(
  folder: vscode.Uri | undefined,
  at: Pick<AuditPlace, "file" | "line" | "column"> | null,
): TreeNode["location"] {
  if (!folder || !at) return undefined;
  const p = { line: at.line - 1, character: at.column - 1 };
  return { uri: vscode.Uri.joinPath(folder, at.file).toString(), range: { start: p, end: p } };
}

export function auditSection(r: AuditReport, folder: vscode.Uri | undefined): TreeSection {
  const id = `audit:${r.token.id}`;
  const findings: TreeNode[] = r.findings.map((f, i) => ({
    id: `${id}/finding/${i}`,
    label: f.rule,
    description: f.tokenPath ? `at ${f.tokenPath}` : f.at ? `${f.at.file}:${f.at.line}` : undefined,
    tooltip: f.message,
    kind: f.severity === "error" ? "error" : f.severity === "warning" ? "finding" : "note",
    location: location(folder, f.at),
  }));
  const change: TreeNode[] = [];
  const d = r.diff;
  if (d) {
    for (const x of d.remove)
      change.push({
        id: `${id}/remove/${x.policy}/${x.id}`,
        label: x.group,
        description: "unneeded: remove",
        kind: "unneeded",
      });
    for (const x of d.readInstead)
      change.push({
        id: `${id}/read/${x.policy}/${x.from}`,
        label: x.from,
        description: `too broad: ${x.to} instead`,
        kind: "too-broad",
      });
    for (const x of d.add)
      change.push({
        id: `${id}/add/${x.id}`,
        label: x.group,
        description: "missing: add",
        tooltip: x.why,
        kind: "missing",
      });
    for (const x of d.unknown)
      change.push({
        id: `${id}/unknown/${x.policy}/${x.written}`,
        label: x.written,
        description: "not in the catalog",
        kind: "unknown",
      });
  }
  const deploys: TreeNode[] = r.deploys.map((x, i) => ({
    id: `${id}/deploy/${i}`,
    label: `serves ${x.label}`,
    description: `wrangler ${x.command}${x.env ? ` (env ${x.env})` : ""}${x.error ? ` — ${x.error}` : ""}`,
    kind: x.error ? "error" : "link",
    location: location(folder, x),
  }));
  const s = r.summary;
  const token: TreeNode = {
    id,
    label: `${r.token.name} (live, ${r.token.id.slice(0, 8)}…)`,
    description: `${r.token.status ?? "status unknown"} · ${s.errors} errors, ${s.warnings} warnings, ${s.infos} notes · secret ${r.secret}`,
    tooltip: r.notes.join("\n\n") || undefined,
    kind: "token",
    children: [
      ...(change.length
        ? [{ id: `${id}/change`, label: "Change to the minimal token", kind: "note" as const, children: change }]
        : []),
      ...(findings.length
        ? [{ id: `${id}/findings`, label: "Findings", kind: "note" as const, children: findings }]
        : []),
      ...deploys,
    ],
  };
  return { id: "audit", label: "Live Token Audit", nodes: [token] };
}
