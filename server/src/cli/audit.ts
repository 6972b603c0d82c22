// `wrangler-token-lint audit`: reads the live token Cloudflare holds (GET requests only, opt-in like `record`),
// adds it to the workspace analysis as the token behind a CI secret, and reports what `check` would report for a
// token file: findings, the exact policy diff and the minimal replacement. Returns an exit code (0, 1 or 2, as
// `check`); never calls process.exit.
import { statSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { RULES } from "../core/index.js";
import type { Severity } from "../core/index.js";
import type { SeveritySetting } from "../core/index.js";
import { readLiveToken, type TokenOwner } from "../core/index.js";
import { readPermission } from "../core/index.js";
import { auditWorkspace, type AuditReport } from "../core/index.js";
import { diskHost } from "../node/disk-host.js";
import { nodeHclParser } from "../node/hcl-wasm.js";
import { DEFAULT_API_BASE, fetchLiveToken, type Lookup } from "../node/token-api.js";
import { OPTION_FLAGS_HELP, optionFlags, parseArgs, UsageError } from "./args.js";
import type { Io } from "./io.js";
import { auditText } from "./output/text.js";
import { asJson } from "./output/json.js";
import { auditMarkdown } from "./output/markdown.js";
import { auditSarif } from "./output/sarif.js";

export const AUDIT_HELP = `wrangler-token-lint audit [PATH] (--token-id ID | --token-name NAME | --self) [options]

  Reads the live API token from Cloudflare and checks it against the CI deploys under PATH (default: the current
  directory) that use the secret holding it: the same rules as \`check\`, the exact policy diff, and the minimal
  replacement (create-token body, Terraform, dashboard link). Opt-in network: besides \`record\`, the only command
  that opens a connection. It sends only GET requests to the API base (https://api.cloudflare.com/client/v4, or
  CLOUDFLARE_API_BASE_URL), with the reading token from CLOUDFLARE_API_TOKEN (or --token-env) as the bearer; it
  changes nothing, and never prints, logs or stores a token value. The reading token needs API Tokens Read (user
  tokens) or Account API Tokens Read (account tokens). See docs/audit.md.

  --token-id ID           the token's id (32 hex characters, as GET …/tokens lists it; not its value)
  --token-name NAME       find the token by its exact name (list endpoints with the name filter)
  --self                  audit the reading token itself (GET …/tokens/verify gives its id)
  --account-id ID         the token is account-owned, in this account (GET /accounts/ID/tokens/…)
  --owner user|account    who owns the token (default: account with --account-id, else user)
  --secret NAME           the CI secret that holds the audited token (default CLOUDFLARE_API_TOKEN)
  --token-env VAR         environment variable holding the reading token (default CLOUDFLARE_API_TOKEN)
  --format FORMAT         text (default), json, sarif (SARIF 2.1.0), markdown
  --fail-on LEVEL         exit 1 when a finding is at or above error (default), warning or info; "none" never fails
${OPTION_FLAGS_HELP.rule}
  --today YYYY-MM-DD      date used for expiry checks and suggestions (default: today)

  Exit codes: 0 no finding at or above --fail-on; 1 a finding is; 2 unusable input (bad option, no such
  directory, no reading token, the API refused or could not be reached, no such token).
`;

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
const HEX32 = /^[0-9a-f]{32}$/i;

interface AuditArgs {
  root: string;
  lookup: Lookup;
  owner?: TokenOwner;
  accountId?: string;
  secret: string;
  tokenEnv: string;
  format: string;
  failOn: string;
  today: string;
  ruleSeverities: Record<string, SeveritySetting>;
}

function usage(io: Io, message: string): number {
  io.stderr(`wrangler-token-lint audit: ${message}\n`);
  return 2;
}

/** The options, or an error message. */
export function parseAuditArgs(argv: string[], cwd: string): AuditArgs | { error: string } | { help: true } {
  const flags = optionFlags(argv, new Set(RULES.map((r) => r.id)), ["rule"]);
  if ("error" in flags) return { error: flags.error };
  const rest = flags.rest;
  let args;
  try {
    args = parseArgs(rest, {
      "token-id": { value: true },
      "token-name": { value: true },
      self: { value: false },
      "account-id": { value: true },
      owner: { value: true, choices: ["user", "account"] },
      secret: { value: true },
      "token-env": { value: true },
      format: { value: true, choices: ["text", "json", "sarif", "markdown"] },
      "fail-on": { value: true, choices: ["error", "warning", "info", "none"] },
      today: { value: true },
      help: { value: false, short: "h" },
    });
  } catch (e) {
    if (e instanceof UsageError) return { error: e.message };
    throw e;
  }
  const f = args.flags;
  if (f.help) return { help: true };
  if (args.positionals.length > 1) return { error: `expected one PATH, got ${args.positionals.length}` };
  const ways = [f["token-id"], f["token-name"], f.self].filter((x) => x !== undefined).length;
  if (ways !== 1) return { error: "give exactly one of --token-id ID, --token-name NAME or --self" };
  let lookup: Lookup;
  if (typeof f["token-id"] === "string") {
    if (!HEX32.test(f["token-id"]))
      return { error: "--token-id must be the token's 32-character hex id (not its value)" };
    lookup = { by: "id", id: f["token-id"].toLowerCase() };
  } else if (typeof f["token-name"] === "string") {
    if (!f["token-name"].trim()) return { error: "--token-name needs a name" };
    lookup = { by: "name", name: f["token-name"] };
  } else lookup = { by: "self" };
  const accountId = typeof f["account-id"] === "string" ? f["account-id"] : undefined;
  if (accountId !== undefined && !HEX32.test(accountId))
    return { error: "--account-id must be a 32-character hex account id" };
  const owner = f.owner as TokenOwner | undefined;
  if (owner === "account" && !accountId) return { error: "--owner account needs --account-id" };
  const ruleSeverities = flags.options.ruleSeverities;
  const today = typeof f.today === "string" ? f.today : new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) return { error: "--today must be YYYY-MM-DD" };
  const secret = typeof f.secret === "string" ? f.secret : "CLOUDFLARE_API_TOKEN";
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(secret))
    return { error: "--secret must be a secret name such as CLOUDFLARE_API_TOKEN" };
  return {
    root: resolvePath(cwd, args.positionals[0] ?? "."),
    lookup,
    owner,
    accountId: accountId?.toLowerCase(),
    secret,
    tokenEnv: typeof f["token-env"] === "string" ? f["token-env"] : "CLOUDFLARE_API_TOKEN",
    format: typeof f.format === "string" ? f.format : "text",
    failOn: typeof f["fail-on"] === "string" ? f["fail-on"] : "error",
    today,
    ruleSeverities,
  };
}

export function renderAudit(r: AuditReport, format: string): string {
  switch (format) {
    case "json":
      return asJson(r);
    case "sarif":
      return asJson(auditSarif(r));
    case "markdown":
      return auditMarkdown(r);
    default:
      return auditText(r);
  }
}

export async function auditCommand(
  argv: string[],
  io: Io,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const a = parseAuditArgs(argv, io.cwd);
  if ("help" in a) {
    io.stdout(AUDIT_HELP);
    return 0;
  }
  if ("error" in a) return usage(io, a.error);
  try {
    if (!statSync(a.root).isDirectory()) return usage(io, `${a.root}: not a directory`);
  } catch {
    return usage(io, `${a.root}: no such directory`);
  }
  const token = (env[a.tokenEnv] ?? "").trim();
  if (!token) {
    const need = a.owner === "account" || a.accountId ? readPermission("account") : readPermission("user");
    return usage(
      io,
      `set ${a.tokenEnv} to a token that may read API tokens: ${need}. It is read from the environment only, never from an option.`,
    );
  }
  const base = env.CLOUDFLARE_API_BASE_URL || DEFAULT_API_BASE;
  const got = await fetchLiveToken({ base, token }, a.lookup, { owner: a.owner, accountId: a.accountId });
  if (!got.ok) return usage(io, got.message);
  const live = readLiveToken(got.result, got.source);
  if ("error" in live) return usage(io, live.error);
  let hcl;
  try {
    hcl = await nodeHclParser();
  } catch (err) {
    io.stderr(
      `wrangler-token-lint: Terraform files are not read: ${err instanceof Error ? err.message : String(err)}\n`,
    );
  }
  const report = auditWorkspace(
    diskHost(),
    a.root,
    live,
    { secret: a.secret, today: a.today, ruleSeverities: a.ruleSeverities },
    { hcl },
  );
  report.requests = got.requests;
  io.stdout(renderAudit(report, a.format));
  if (a.failOn === "none") return 0;
  return report.findings.some((f) => RANK[f.severity] >= RANK[a.failOn as Severity]) ? 1 : 0;
}
