// Renders a set of requirements as a minimal token: Cloudflare's create-token JSON body, Terraform (provider
// v5 cloudflare_account_token / cloudflare_api_token, or v3/v4 cloudflare_api_token with policy blocks when the
// repository pins an older provider) and the dashboard's pre-filled token URL.
import type { Requirement } from "./require.js";
import keysData from "../data/dashboard-keys.json";
import { TerraformRefs, tfIdent } from "./terraform-refs.js";

export interface CreateTokenBody {
  name: string;
  policies: {
    effect: "allow";
    permission_groups: { id: string; name: string }[];
    resources: Record<string, string>;
  }[];
}

/** One policy per distinct resource set, groups in requirement order. */
export function createTokenBody(name: string, requirements: Requirement[]): CreateTokenBody {
  const policies: CreateTokenBody["policies"] = [];
  const bySet = new Map<string, CreateTokenBody["policies"][number]>();
  for (const r of requirements) {
    const key = JSON.stringify(r.resources);
    let policy = bySet.get(key);
    if (!policy) {
      policy = {
        effect: "allow",
        permission_groups: [],
        resources: Object.fromEntries(r.resources.map((k) => [k, "*"])),
      };
      bySet.set(key, policy);
      policies.push(policy);
    }
    policy.permission_groups.push({ id: r.group.id, name: r.group.name });
  }
  return { name, policies };
}

/** True when a user-owned token is needed (a user-scope group is required). */
export function needsUserToken(requirements: Requirement[]): boolean {
  return requirements.some((r) => r.group.scope === "user");
}

function hclString(s: string): string {
  return JSON.stringify(s).replace(/\$\{/g, "$${");
}

export interface TerraformOptions {
  /** The repository's Cloudflare provider pin; v3/v4 get `cloudflare_api_token` with `policy { … }` blocks. */
  provider?: { major: number; written: string; file: string };
}

/**
 * Terraform for the minimal token. Provider v5 (the default, or a pin ≥ 5): account-owned
 * `cloudflare_account_token` unless a user-scope group is needed, `policies = [{ … }]`, `jsonencode` resources.
 * A pin below 5 gets v4 syntax: `cloudflare_api_token` (v3/v4 have no account-owned token resource) with `policy`
 * blocks. Placeholders become variables and `data "cloudflare_zone"` lookups (permissions/terraform-refs.ts).
 */
export function terraform(
  name: string,
  requirements: Requirement[],
  accountId: string | undefined,
  owner?: "account" | "user",
  opts: TerraformOptions = {},
): string {
  const body = createTokenBody(name, requirements);
  const syntax = opts.provider && opts.provider.major < 5 ? 4 : 5;
  const wanted = owner ?? (needsUserToken(requirements) ? "user" : "account");
  const kind = syntax === 4 ? "user" : wanted;
  const refs = new TerraformRefs(syntax, undefined, accountId);
  const resource = kind === "account" ? "cloudflare_account_token" : "cloudflare_api_token";
  const lines: string[] = [];
  if (opts.provider)
    lines.push(
      `# cloudflare provider ${opts.provider.written} (${opts.provider.file}): provider v${syntax === 4 ? "3/v4" : "5"} syntax`,
    );
  if (syntax === 4 && wanted === "account") {
    lines.push(
      "# An account-owned token (cloudflare_account_token) needs provider v5; with this pin the token is user-owned.",
    );
  }
  const acctExpr = accountId ? hclString(accountId) : "var.account_id";
  const policyLines = syntax === 4 ? renderV4Policies(body, refs) : renderV5Policies(body, refs);
  if (kind === "account" && !accountId) refs.key("<ACCOUNT_ID>");
  const blocks = refs.blocks();
  if (lines.length) lines.push("");
  for (const b of blocks) lines.push(b, "");
  lines.push(`resource "${resource}" "${tfIdent(name)}" {`);
  if (kind === "account") lines.push(`  account_id = ${acctExpr}`);
  lines.push(`  name       = ${hclString(name)}`);
  lines.push(...policyLines);
  lines.push("  # Set an expiry and, where CI egress is known, a request_ip condition:");
  lines.push('  # expires_on = "2027-01-01T00:00:00Z"');
  lines.push("}");
  return lines.join("\n") + "\n";
}

function renderV5Policies(body: CreateTokenBody, refs: TerraformRefs): string[] {
  const lines = ["  policies = ["];
  for (const p of body.policies) {
    lines.push("    {", '      effect = "allow"', "      permission_groups = [");
    for (const g of p.permission_groups) lines.push(`        { id = ${hclString(g.id)} }, # ${g.name}`);
    lines.push("      ]", "      resources = jsonencode({");
    for (const k of Object.keys(p.resources)) lines.push(`        ${refs.quotedKey(k)} = "*"`);
    lines.push("      })", "    },");
  }
  lines.push("  ]");
  return lines;
}

function renderV4Policies(body: CreateTokenBody, refs: TerraformRefs): string[] {
  const lines: string[] = [];
  for (const p of body.policies) {
    lines.push("  policy {", "    permission_groups = [");
    for (const g of p.permission_groups) lines.push(`      ${hclString(g.id)}, # ${g.name}`);
    lines.push("    ]", "    resources = {");
    for (const k of Object.keys(p.resources)) lines.push(`      ${refs.quotedKey(k)} = "*"`);
    lines.push("    }", "  }");
  }
  return lines;
}

interface DashKey {
  key: string;
  type: string;
  confidence: string;
}

/** The dashboard's pre-filled "create token" URL, and the groups it cannot pre-fill (added by hand). */
export function dashboardUrl(
  name: string,
  requirements: Requirement[],
  accountId: string | undefined,
  owner?: "account" | "user",
): { url: string; manual: string[] } {
  const keys = (keysData as { keys: Record<string, DashKey> }).keys;
  const perms: { key: string; type: string }[] = [];
  const manual: string[] = [];
  for (const r of requirements) {
    const k = keys[r.group.name];
    if (k) {
      if (!perms.some((p) => p.key === k.key && p.type === k.type)) perms.push({ key: k.key, type: k.type });
    } else manual.push(`${r.group.label} (${r.group.scope})`);
  }
  const kind = owner ?? (needsUserToken(requirements) ? "user" : "account");
  const q = new URLSearchParams({ permissionGroupKeys: JSON.stringify(perms) });
  let url: string;
  if (kind === "account") {
    // Documented form: the dashboard asks which account when the user has several.
    q.set("name", name);
    url = `https://dash.cloudflare.com/?to=/:account/api-tokens&${q.toString()}`;
  } else {
    q.set("accountId", accountId ?? "*");
    if (!accountId) manual.push("account: the link starts at All accounts; choose the one account this deploy uses");
    q.set("zoneId", "all");
    q.set("name", name);
    url = `https://dash.cloudflare.com/profile/api-tokens?${q.toString()}`;
  }
  if (requirements.some((r) => r.group.scope === "zone"))
    manual.push("zone resources: the link cannot pre-select zones; pick the route zones by hand");
  return { url, manual };
}
