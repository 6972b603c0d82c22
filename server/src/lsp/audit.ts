// The server half of *Audit Live Token…*: the client reads the token from Cloudflare (the reading token never
// leaves the extension host) and sends the API's token object here; the server runs the core audit over the
// folder, with the folder's settings and unsaved editor text, and answers with the report as data and Markdown.
import type { Host } from "../core/index.js";
import { readLiveToken } from "../core/index.js";
import { auditWorkspace } from "../core/index.js";
import { renderAuditMarkdown } from "../core/index.js";
import type { Diagnostics } from "./diagnostics.js";
import { uriToPath } from "./convert.js";
import { ruleDocsBase } from "../node/rule-docs.js";
import type { AuditResult } from "./protocol.js";

const HEX32 = /^[0-9a-f]{32}$/i;

export async function auditLiveToken(
  arg: Record<string, unknown>,
  host: Host,
  diagnostics: Diagnostics,
  ruleIds: ReadonlySet<string>,
): Promise<AuditResult> {
  const folder = typeof arg.folder === "string" ? uriToPath(arg.folder) : diagnostics.roots()[0];
  if (!folder) return { error: "No workspace folder to audit against." };
  const owner = arg.owner === "account" ? "account" : "user";
  const accountId =
    typeof arg.accountId === "string" && HEX32.test(arg.accountId) ? arg.accountId.toLowerCase() : undefined;
  if (owner === "account" && !accountId) return { error: "An account-owned token needs its account id." };
  const secret =
    typeof arg.secret === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(arg.secret) ? arg.secret : "CLOUDFLARE_API_TOKEN";
  const live = readLiveToken(arg.token, { owner, accountId });
  if ("error" in live) return { error: `The token could not be read: ${live.error}.` };
  const { settings, hcl } = await diagnostics.inputsFor(folder);
  const report = auditWorkspace(
    host,
    folder,
    live,
    {
      secret,
      today: new Date().toISOString().slice(0, 10),
      ruleSeverities: settings.rules,
      tokenGlobs: settings.tokenGlobs,
      tokenSecrets: settings.tokenSecrets,
    },
    { hcl },
  );
  report.requests = Array.isArray(arg.requests)
    ? arg.requests.filter((r): r is string => typeof r === "string").slice(0, 100)
    : [];
  return { report, markdown: renderAuditMarkdown(report, ruleIds, ruleDocsBase()) };
}
