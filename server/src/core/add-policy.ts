// "Add <group>" for a missing group that no policy of the token can take (a zone group on a token whose only
// policy is on the account, say): a new policy with just that group on the resources its deploys need, after the
// token's last policy, in the token's own syntax. Terraform gets references instead of placeholders (and the
// `data "cloudflare_zone"` / variable blocks they need, above the token); a JSON body keeps the engine's
// <…> placeholders, so that fix is not safe for "fix all".
import type { Fix, TextEdit } from "./findings.js";
import type { Need } from "./compare.js";
import type { TokenAnalysis } from "./rules/rule.js";
import { accountKeyMapper, minimalPolicies, renderJson, renderV4, renderV5 } from "./rewrite.js";
import { eol, indentAt } from "./edit.js";
import { TerraformRefs } from "./permissions/terraform-refs.js";

/** The items of a rendered list `[\n  item,\n  item\n]` without the brackets (the text between the first and last line). */
function listItems(rendered: string, nl: string): string {
  const lines = rendered.split(nl);
  return lines.slice(1, -1).join(nl);
}

export function addPolicyFix(t: TokenAnalysis, need: Need, text: string): Fix | undefined {
  const token = t.token;
  const last = token.policies[token.policies.length - 1];
  if (!last) return undefined;
  const nl = eol(text);
  const policies = minimalPolicies([need], accountKeyMapper(t));
  const refs = token.format === "terraform" ? new TerraformRefs(token.terraformVersion ?? 5, token.module) : undefined;
  let edit: TextEdit;
  if (token.format === "api-json" || token.terraformVersion === 5) {
    if (!token.policiesSpan) return undefined;
    // Items are indented like the line that closes the last policy (`},` on its own line, or `}]` in a compact list).
    const itemIndent = indentAt(text, last.span.end - 1);
    const rendered = listItems(
      token.format === "api-json" ? renderJson(policies, "", nl) : renderV5(policies, "", nl, refs!),
      nl,
    );
    const item = rendered
      .split(nl)
      .map((l) => itemIndent + l.slice(2))
      .join(nl);
    const comma = /^[ \t]*,/.exec(text.slice(last.span.end));
    const afterItem = last.span.end + (comma ? comma[0].length : 0);
    // A list closed on the last policy's line (`}]`) gets its bracket on a line of its own.
    const closes = /^[ \t]*\]/.test(text.slice(afterItem)) ? `${nl}${indentAt(text, token.policiesSpan.start)}` : "";
    const lead = token.format === "api-json" || !comma ? "," : "";
    edit = { file: token.file, start: afterItem, end: afterItem, newText: `${lead}${nl}${item}${closes}` };
  } else {
    const indent = indentAt(text, last.span.start);
    edit = {
      file: token.file,
      start: last.span.end,
      end: last.span.end,
      newText: `${nl}${nl}${indent}${renderV4(policies, indent, nl, refs!)}`,
    };
  }
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
  edits.push(edit);
  const placeholders = !refs && policies.some((p) => p.resources.some((r) => r.includes("<")));
  const kind = (r: string) =>
    r.startsWith("com.cloudflare.api.account.zone.")
      ? "zone"
      : r.startsWith("com.cloudflare.edge.r2.bucket.")
        ? "bucket"
        : r.startsWith("com.cloudflare.api.user.")
          ? "user"
          : "account";
  const where = [...new Set(need.resources.map(kind))].join(", ");
  return {
    title: `Add ${need.group.name} (new ${where} policy${placeholders ? "; fill in the <…> placeholders" : ""})`,
    edits,
    safe: !placeholders,
  };
}
