// The per-Worker quick fix: an account-owned Terraform token (provider v5 `cloudflare_account_token`) that holds
// account-wide Workers Scripts Write only to deploy named, existing Workers gets "Individual Workers Editor" on
// those Workers' script tags instead. Unsafe by nature: the script tag is the Worker's id, not its name, so each
// Worker gets a `script_tag_<name>` variable to set; the Worker must exist before the token is minted; custom
// domains are not covered. The policy shape (script key nested under the account key) is from a public test
// write-up (facts-2026-12.md "Per-Worker API tokens", medium confidence); the group has no published id, so it is
// looked up by name through `data "cloudflare_account_api_token_permission_groups_list"`.
import type { Fix, TextEdit } from "./findings.js";
import type { Grant } from "./compare.js";
import type { TokenAnalysis } from "./rules/rule.js";
import { flattenResources, ALL_ACCOUNTS } from "./compare.js";
import { eol, indentAt, removeListItem } from "./edit.js";
import { tfIdent } from "./permissions/terraform-refs.js";

export const EDITOR = "Individual Workers Editor";
const ACCOUNT_PREFIX = "com.cloudflare.api.account.";
const LIST_SOURCE = "cloudflare_account_api_token_permission_groups_list";

/** The account key the new policy nests the script keys under. */
function accountKey(t: TokenAnalysis, grant: Grant): string | undefined {
  const own = flattenResources(grant.policy.resources)
    .map((s) => s.parent ?? s.key)
    .find((k) => k.startsWith(ACCOUNT_PREFIX) && !k.startsWith(`${ACCOUNT_PREFIX}zone.`) && k !== ALL_ACCOUNTS);
  if (own) return own;
  const a = t.token.accountIdText;
  if (!a) return undefined;
  const literal = /^"([0-9a-f]{32})"$/.exec(a);
  return literal ? `${ACCOUNT_PREFIX}${literal[1]}` : `${ACCOUNT_PREFIX}\${${a}}`;
}

function hclString(s: string): string {
  return JSON.stringify(s).replace(/\$\{/g, "$${");
}

/** The fix, or undefined when the token's shape does not allow it (not v5 account-owned, an expression, …). */
export function perWorkerFix(t: TokenAnalysis, grant: Grant, workers: string[], text: string): Fix | undefined {
  const token = t.token;
  if (token.format !== "terraform" || token.terraformVersion !== 5 || token.owner !== "account" || !token.accountIdText)
    return undefined;
  if (grant.entry.fromExpression || !workers.length) return undefined;
  const account = accountKey(t, grant);
  if (!account) return undefined;
  const nl = eol(text);
  const module = token.module;
  const blocks: string[] = [];
  const vars = workers.map((w) => `script_tag_${tfIdent(w)}`);
  workers.forEach((w, i) => {
    if (module?.variables.includes(vars[i]!)) return;
    blocks.push(
      [
        `variable "${vars[i]}" {`,
        "  type        = string",
        `  description = ${hclString(`Script tag of the existing Worker "${w}" (its id in GET /accounts/{account_id}/workers/scripts)`)}`,
        "}",
      ].join(nl),
    );
  });
  let lookup = module?.groupLookups[EDITOR];
  if (!lookup) {
    lookup = `data.${LIST_SOURCE}.individual_workers_editor`;
    blocks.push(
      [
        `data "${LIST_SOURCE}" "individual_workers_editor" {`,
        `  account_id = ${token.accountIdText}`,
        `  name       = "Individual%20Workers%20Editor"`,
        "}",
      ].join(nl),
    );
  }
  const edits: TextEdit[] = [];
  const at = text.lastIndexOf("\n", token.span.start - 1) + 1;
  if (blocks.length)
    edits.push({ file: token.file, start: at, end: at, newText: blocks.map((b) => b + nl + nl).join("") });
  const policy = grant.policy;
  const indent = indentAt(text, policy.span.start);
  const i1 = indent + "  ";
  const i2 = i1 + "  ";
  const i3 = i2 + "  ";
  const scripts = vars.map((v) => `${i3}"com.cloudflare.edge.worker.script.\${var.${v}}" = "*"`).join(nl);
  const body = [
    "{",
    `${i1}effect            = "allow"`,
    `${i1}permission_groups = [{ id = ${lookup}.result[0].id }] # ${EDITOR}`,
    `${i1}resources = jsonencode({`,
    `${i2}"${account}" = {`,
    scripts,
    `${i2}}`,
    `${i1}})`,
    `${indent}}`,
  ].join(nl);
  if (policy.groups.length === 1) {
    // The policy exists for Workers Scripts Write alone: it becomes the per-Worker policy.
    edits.push({ file: token.file, start: policy.span.start, end: policy.span.end, newText: body });
  } else {
    edits.push(...removeListItem(token.file, text, grant.entry.span));
    const last = token.policies[token.policies.length - 1]!.span;
    const comma = /^\s*,/.test(text.slice(last.end));
    const after = comma ? text.indexOf(",", last.end) + 1 : last.end;
    edits.push({ file: token.file, start: after, end: after, newText: `${comma ? "" : ","} ${body}` });
  }
  return {
    title: `Limit to ${workers.join(", ")} with ${EDITOR} (set ${vars.map((v) => `var.${v}`).join(", ")} to the script tag${vars.length > 1 ? "s" : ""})`,
    edits,
    safe: false,
  };
}
