// "Rewrite to the minimal token": replaces a token definition's policies (and nothing else) with the minimal
// policies its linked deploys need, in the definition's own syntax (create-token JSON, Terraform v4 policy
// blocks, Terraform v5 policies list). Name, expiry, conditions, comments around the policies stay as written.
// In Terraform no placeholder is written: the account becomes var.account_id, a zone known by name a
// data "cloudflare_zone" lookup (the module's own when it has one), declared above the token when missing.
import type { Fix } from "./findings.js";
import type { Need } from "./compare.js";
import type { TokenAnalysis } from "./rules/rule.js";
import { flattenResources, isDynamicKey, tokenOwnerOf, ALL_ACCOUNTS } from "./compare.js";
import { eol, indentAt } from "./edit.js";
import { TerraformRefs } from "./permissions/terraform-refs.js";
import type { TextEdit } from "./findings.js";

const ACCOUNT_PREFIX = "com.cloudflare.api.account.";

interface Policy {
  groups: Need["group"][];
  resources: string[];
}

/** Groups the needs into policies: one per distinct resource set. */
export function minimalPolicies(needs: Need[], accountKey: (k: string) => string): Policy[] {
  const out: Policy[] = [];
  for (const n of needs) {
    const resources = n.resources.map(accountKey).sort();
    const key = resources.join("\n");
    let p = out.find((x) => x.resources.join("\n") === key);
    if (!p) out.push((p = { groups: [], resources }));
    if (!p.groups.some((g) => g.id === n.group.id)) p.groups.push(n.group);
  }
  return out;
}

/**
 * How account keys should be written in the rewritten token: the token's own specific account key (possibly a
 * Terraform expression such as `${var.account_id}`) when it has one, else the deploys' account id, else the
 * placeholder the engine uses.
 */
export function accountKeyMapper(t: TokenAnalysis): (k: string) => string {
  const own = t.token.policies
    .flatMap((p) => flattenResources(p.resources))
    .map((s) => s.parent ?? s.key)
    .find((k) => k.startsWith(ACCOUNT_PREFIX) && !k.startsWith(`${ACCOUNT_PREFIX}zone.`) && k !== ALL_ACCOUNTS);
  const accounts = new Set(t.links.map((l) => l.deploy.minimal?.accountId).filter((x): x is string => !!x));
  const known = accounts.size === 1 ? [...accounts][0]! : undefined;
  return (k: string) => {
    if (!k.startsWith(ACCOUNT_PREFIX) || k.startsWith(`${ACCOUNT_PREFIX}zone.`)) {
      if (k.startsWith("com.cloudflare.edge.r2.bucket.<ACCOUNT_ID>") && (known || (own && !isDynamicKey(own)))) {
        return k.replace("<ACCOUNT_ID>", known ?? own!.slice(ACCOUNT_PREFIX.length));
      }
      return k;
    }
    const id = k.slice(ACCOUNT_PREFIX.length);
    if (id !== "<ACCOUNT_ID>") return k;
    if (own) return own;
    return known ? `${ACCOUNT_PREFIX}${known}` : k;
  };
}

/** The fix, or undefined when the token is not linked or its policies cannot be located as one block of text. */
export function rewriteToMinimalFix(t: TokenAnalysis, text: string): Fix | undefined {
  if (!t.links.length || !t.needs.length || t.links.some((l) => !l.deploy.minimal)) return undefined;
  const token = t.token;
  // Like `minimal`, a token whose owner is not shown is written account-owned: without the groups only a
  // user-owned token needs (account-lookup-needs-memberships says what those would be).
  const needs = tokenOwnerOf(t.token) === "user" ? t.needs : t.needs.filter((n) => !n.userTokenOnly);
  if (!needs.length) return undefined;
  const policies = minimalPolicies(needs, accountKeyMapper(t));
  const nl = eol(text);
  const refs = token.format === "terraform" ? new TerraformRefs(token.terraformVersion ?? 5, token.module) : undefined;
  const placeholders = !refs && policies.some((p) => p.resources.some((r) => r.includes("<")));
  let start: number;
  let end: number;
  let newText: string;
  if (token.format === "api-json" || token.terraformVersion === 5) {
    if (!token.policiesSpan) return undefined;
    start = token.policiesSpan.start;
    end = token.policiesSpan.end;
    const indent = indentAt(text, start);
    newText = token.format === "api-json" ? renderJson(policies, indent, nl) : renderV5(policies, indent, nl, refs!);
  } else {
    if (!token.policies.length) return undefined;
    const first = token.policies[0]!.span;
    const last = token.policies[token.policies.length - 1]!.span;
    // The v4 policy blocks must sit together (only whitespace or comments between them).
    for (let i = 1; i < token.policies.length; i++) {
      const gap = text.slice(token.policies[i - 1]!.span.end, token.policies[i]!.span.start);
      if (!/^(\s|#[^\n]*|\/\/[^\n]*)*$/.test(gap)) return undefined;
    }
    start = first.start;
    end = last.end;
    newText = renderV4(policies, indentAt(text, start), nl, refs!);
  }
  if (text.slice(start, end) === newText) return undefined;
  const edits: TextEdit[] = [];
  const blocks = refs?.blocks() ?? [];
  if (blocks.length) {
    const at = text.lastIndexOf("\n", token.span.start - 1) + 1;
    edits.push({
      file: token.file,
      start: at,
      end: at,
      newText: blocks.map((b) => b.replace(/\n/g, nl) + nl + nl).join(""),
    });
  }
  edits.push({ file: token.file, start, end, newText });
  const declares = blocks
    .map((b) => /^(variable|data) "([^"]+)"(?: "([^"]+)")?/.exec(b))
    .map((m) => (m ? (m[1] === "variable" ? `var.${m[2]}` : `data.${m[2]}.${m[3]}`) : ""))
    .filter(Boolean);
  return {
    title: placeholders
      ? "Rewrite to the minimal token (fill in the <…> placeholders)"
      : `Rewrite to the minimal token${declares.length ? ` (declares ${declares.join(", ")})` : ""}`,
    edits,
    safe: false,
  };
}

export function renderJson(policies: Policy[], indent: string, nl: string): string {
  const i1 = indent + "  ";
  const i2 = i1 + "  ";
  const i3 = i2 + "  ";
  const items = policies.map((p) => {
    const groups = p.groups.map((g) => `${i3}{ "id": "${g.id}", "name": "${g.name}" }`).join("," + nl);
    const resources = p.resources.map((r) => `${i3}${JSON.stringify(r)}: "*"`).join("," + nl);
    return `${i1}{${nl}${i2}"effect": "allow",${nl}${i2}"permission_groups": [${nl}${groups}${nl}${i2}],${nl}${i2}"resources": {${nl}${resources}${nl}${i2}}${nl}${i1}}`;
  });
  return `[${nl}${items.join("," + nl)}${nl}${indent}]`;
}

export function renderV5(policies: Policy[], indent: string, nl: string, refs: TerraformRefs): string {
  const i1 = indent + "  ";
  const i2 = i1 + "  ";
  const i3 = i2 + "  ";
  const items = policies.map((p) => {
    const groups = p.groups.map((g) => `${i3}{ id = "${g.id}" }, # ${g.name}`).join(nl);
    const resources = p.resources.map((r) => `${i3}${refs.quotedKey(r)} = "*"`).join(nl);
    return `${i1}{${nl}${i2}effect = "allow"${nl}${i2}permission_groups = [${nl}${groups}${nl}${i2}]${nl}${i2}resources = jsonencode({${nl}${resources}${nl}${i2}})${nl}${i1}},`;
  });
  return `[${nl}${items.join(nl)}${nl}${indent}]`;
}

export function renderV4(policies: Policy[], indent: string, nl: string, refs: TerraformRefs): string {
  const i1 = indent + "  ";
  const i2 = i1 + "  ";
  return policies
    .map((p) => {
      const groups = p.groups.map((g) => `${i2}"${g.id}", # ${g.name}`).join(nl);
      const resources = p.resources.map((r) => `${i2}${refs.quotedKey(r)} = "*"`).join(nl);
      return `policy {${nl}${i1}permission_groups = [${nl}${groups}${nl}${i1}]${nl}${i1}resources = {${nl}${resources}${nl}${i1}}${nl}${indent}}`;
    })
    .join(nl + nl + indent);
}
