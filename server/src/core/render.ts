// The renderings of a minimal analysis, shared by the CLI (`minimal --format …`) and the language server
// (*Generate Minimal Token…*, *Show Required Permissions*): text for people, the result JSON, the create-token
// body, Terraform and the dashboard link. Every one writes the token for the owner the analysis was asked for.
import type { MinimalAnalysis } from "./minimal.js";
import { ACCOUNT_ID_SOURCES } from "./account-lookup.js";
import { dashboardUrl, terraform } from "./permissions/spec.js";
import type { ProviderPin } from "./tokens/provider.js";

export const MINIMAL_FORMATS = ["text", "json", "api", "terraform", "url"] as const;
export type MinimalFormat = (typeof MINIMAL_FORMATS)[number];

/**
 * The analysis in one format. `provider` is the repository's pinned Cloudflare provider (Terraform syntax v3/v4
 * or v5); `manual` lists the groups the dashboard link cannot pre-fill (url only).
 */
export function renderMinimal(
  a: MinimalAnalysis,
  format: MinimalFormat,
  opts: { provider?: ProviderPin } = {},
): { text: string; manual: string[] } {
  const r = a.result;
  switch (format) {
    case "json":
      return { text: JSON.stringify(r, null, 2) + "\n", manual: [] };
    case "api":
      return { text: JSON.stringify(r.token, null, 2) + "\n", manual: [] };
    case "terraform":
      return {
        text: terraform(r.token.name, a.requirements, r.accountId ?? undefined, r.owner, { provider: opts.provider }),
        manual: [],
      };
    case "url": {
      const { url, manual } = dashboardUrl(r.token.name, a.requirements, r.accountId ?? undefined, r.owner);
      return { text: url + "\n", manual };
    }
    default:
      return { text: renderText(a), manual: [] };
  }
}

export function renderText(a: MinimalAnalysis): string {
  const r = a.result;
  const out: string[] = [];
  const where = r.config ? r.config : "(no config)";
  out.push(
    `Minimal token for \`wrangler ${r.command}\`${r.env ? ` --env ${r.env}` : ""} — ${where}${r.scriptName ? ` (Worker ${r.scriptName})` : ""}`,
  );
  out.push(
    `Account: ${r.accountId ?? `<ACCOUNT_ID> (not known: replace the placeholder, or give ${ACCOUNT_ID_SOURCES})`}`,
  );
  out.push(
    `Owner: ${r.owner === "user" ? "user (POST /user/tokens, Terraform cloudflare_api_token)" : "account (POST /accounts/{account_id}/tokens, Terraform cloudflare_account_token)"}`,
  );
  out.push("");
  if (!r.requirements.length) out.push("No permission group is needed.");
  for (const req of a.requirements) {
    const scope = req.group.scope === "r2-bucket" ? "R2 bucket" : req.group.scope;
    out.push(
      `${req.group.label}  [${req.group.name} · ${scope}${req.confidence !== "high" ? ` · ${req.confidence} confidence` : ""}]`,
    );
    out.push(`    on ${req.resources.join(", ")}`);
    const json = r.requirements.find((x) => x.id === req.group.id && x.scope === req.group.scope)!;
    // One entry per place in the config (or the command), with every reason that place gives.
    const places = new Map<string, { where: string; lines: string[] }>();
    for (const reason of json.reasons) {
      const k = `${reason.file}:${reason.line}:${reason.column}`;
      const place = places.get(k) ?? { where: `${k}  ${reason.key}`, lines: [] };
      place.lines.push(`${reason.why} (${reason.api.join(", ")})`);
      places.set(k, place);
    }
    for (const p of places.values()) {
      out.push(`    ${p.where}`);
      for (const l of p.lines) out.push(`        ${l}`);
    }
    out.push("");
  }
  for (const p of a.problems) {
    const lc = a.config?.file.source.lineColumn(p.problem.span.start) ?? { line: 1, column: 1 };
    out.push(`${p.problem.severity}: ${r.config}:${lc.line}:${lc.column}: ${p.problem.message}`);
  }
  if (a.problems.length) out.push("");
  for (const n of r.notes) out.push(`note: ${n}`);
  out.push("");
  out.push("Create it with --format api (create-token JSON), --format terraform, or --format url (dashboard link).");
  return out.join("\n") + "\n";
}
