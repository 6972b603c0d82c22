// Renders a set of requirements as a minimal token: Cloudflare's create-token JSON body, Terraform (provider
// v5 cloudflare_account_token / cloudflare_api_token) and the dashboard's pre-filled token URL.
import type { Requirement } from "./require.js";
import keysData from "../data/dashboard-keys.json";

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
      policy = { effect: "allow", permission_groups: [], resources: Object.fromEntries(r.resources.map((k) => [k, "*"])) };
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

function tfIdent(s: string): string {
  const id = s.toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  return /^[a-z_]/.test(id) ? id : `t_${id}`;
}

/**
 * Terraform for provider v5. Account-owned (cloudflare_account_token) unless a user-scope group is needed.
 * Resource keys that hold the account placeholder use var.account_id instead.
 */
export function terraform(name: string, requirements: Requirement[], accountId: string | undefined, owner?: "account" | "user"): string {
  const body = createTokenBody(name, requirements);
  const kind = owner ?? (needsUserToken(requirements) ? "user" : "account");
  const resource = kind === "account" ? "cloudflare_account_token" : "cloudflare_api_token";
  const lines: string[] = [];
  const acctExpr = accountId ? hclString(accountId) : "var.account_id";
  if (!accountId) {
    lines.push('variable "account_id" {', '  type        = string', '  description = "Cloudflare account id the token is limited to"', "}", "");
  }
  lines.push(`resource "${resource}" "${tfIdent(name)}" {`);
  if (kind === "account") lines.push(`  account_id = ${acctExpr}`);
  lines.push(`  name       = ${hclString(name)}`);
  lines.push("  policies = [");
  for (const p of body.policies) {
    lines.push("    {");
    lines.push('      effect = "allow"');
    lines.push("      permission_groups = [");
    for (const g of p.permission_groups) lines.push(`        { id = ${hclString(g.id)} }, # ${g.name}`);
    lines.push("      ]");
    lines.push("      resources = jsonencode({");
    for (const k of Object.keys(p.resources)) {
      const key = accountId ? hclString(k) : hclString(k).replace("<ACCOUNT_ID>", "${var.account_id}");
      lines.push(`        ${key} = "*"`);
    }
    lines.push("      })");
    lines.push("    },");
  }
  lines.push("  ]");
  lines.push("  # Set an expiry and, where CI egress is known, a request_ip condition:");
  lines.push('  # expires_on = "2027-01-01T00:00:00Z"');
  lines.push("}");
  return lines.join("\n") + "\n";
}

interface DashKey {
  key: string;
  type: string;
  confidence: string;
}

/** The dashboard's pre-filled "create token" URL, and the groups it cannot pre-fill (added by hand). */
export function dashboardUrl(name: string, requirements: Requirement[], accountId: string | undefined, owner?: "account" | "user"): { url: string; manual: string[] } {
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
  if (requirements.some((r) => r.group.scope === "zone")) manual.push("zone resources: the link cannot pre-select zones; pick the route zones by hand");
  return { url, manual };
}
