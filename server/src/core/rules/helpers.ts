// Shared pieces for rules: related locations from needs, and token edits (remove, swap, add a group).
import type { Fix, RelatedLocation, TextEdit } from "../findings.js";
import type { PermissionGroup } from "../permissions/catalog.js";
import type { Grant, Need } from "../compare.js";
import type { TokenDefinition, TokenPolicy } from "../model/token.js";
import type { RuleContext, TokenAnalysis } from "./rule.js";
import { indentAt, removeListItem, replaceWithin } from "../edit.js";

export function relatedFromNeeds(needs: Need[], limit = 20): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  for (const n of needs) {
    for (const c of n.causes) {
      if (out.length >= limit) return out;
      out.push({ file: c.file, span: c.span, message: `${n.group.name}: ${c.message}` });
    }
  }
  return out;
}

const LINK_LABELS: Record<TokenAnalysis["links"][number]["via"], string> = {
  "terraform-secret": "Terraform secret",
  settings: "tokenSecrets setting",
  "name-match": "matching name",
  audit: "the secret the audit was asked about",
};

export function relatedFromLinks(t: TokenAnalysis): RelatedLocation[] {
  const seen = new Set<string>();
  const out: RelatedLocation[] = [];
  for (const l of t.links) {
    const loc = l.deploy.deploy.location;
    const k = `${loc.file}:${loc.span.start}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ ...loc, message: `uses this token through ${l.secret} (${LINK_LABELS[l.via]})` });
  }
  return out;
}

export function textOf(ctx: RuleContext, file: string): string | undefined {
  return ctx.source(file)?.text;
}

/** The line break style of a file of the workspace (kept with its source: rules ask once per token). */
export function eolOf(ctx: RuleContext, file: string): string {
  return ctx.source(file)?.eol ?? "\n";
}

export function groupName(g: Grant): string {
  return g.group ? g.group.name : g.entry.written;
}

/** A fix that removes one group entry from its list. */
export function removeGroupFix(ctx: RuleContext, token: TokenDefinition, grant: Grant, safe: boolean): Fix | undefined {
  const text = textOf(ctx, token.file);
  if (text === undefined || grant.entry.fromExpression) return undefined; // one of several groups of one expression
  if (grant.policy.groups.length === 1) return undefined; // removing the only group would leave an invalid policy
  return { title: `Remove ${groupName(grant)}`, edits: removeListItem(token.file, text, grant.entry.span), safe };
}

/** A fix that turns a granted group into another (e.g. its Read twin): id, API name and label inside the entry. */
export function swapGroupFix(
  ctx: RuleContext,
  token: TokenDefinition,
  grant: Grant,
  to: PermissionGroup,
  title: string,
): Fix | undefined {
  const text = textOf(ctx, token.file);
  const from = grant.group;
  if (text === undefined || !from || grant.entry.fromExpression) return undefined;
  const edit = replaceWithin(token.file, text, grant.entry.span, [
    [from.id, to.id],
    [`"${from.name}"`, `"${to.name}"`],
    [`"${from.label}"`, `"${to.label}"`],
    [`# ${from.name}`, `# ${to.name}`],
    [from.name.replace(/ /g, "%20"), to.name.replace(/ /g, "%20")],
  ]);
  return edit ? { title, edits: [edit], safe: true } : undefined;
}

/** Text for a new group entry in the token's own syntax. */
export function groupEntryText(token: TokenDefinition, g: PermissionGroup): string {
  if (token.format === "api-json") return `{ "id": "${g.id}", "name": "${g.name}" }`;
  if (token.terraformVersion === 4) return `"${g.id}", # ${g.name}`;
  return `{ id = "${g.id}" }, # ${g.name}`;
}

/** A fix that adds a group to the first policy whose resources suit its scope, after that policy's last group. */
export function addGroupFix(
  ctx: RuleContext,
  token: TokenDefinition,
  group: PermissionGroup,
  policy: TokenPolicy | undefined,
): Fix | undefined {
  const text = textOf(ctx, token.file);
  if (text === undefined || !policy || policy.groups.length === 0) return undefined;
  const last = policy.groups[policy.groups.length - 1]!;
  if (last.fromExpression) return undefined; // the list is an expression (values(…), a for, a dynamic block)
  const nl = eolOf(ctx, token.file);
  const indent = indentAt(text, last.span.start);
  const entry = groupEntryText(token, group);
  const edits: TextEdit[] = [];
  const sameLine = text.slice(last.span.end).match(/^[ \t]*(,)?([ \t]*(#|\/\/)[^\r\n]*)?/)!;
  const afterLast = last.span.end + sameLine[0].length;
  const multiline = /^\r?\n/.test(text.slice(afterLast));
  // Two inserts at one offset would depend on the client's ordering of same-position edits: merge them.
  const insertLine = () => {
    if (!sameLine[1] && afterLast === last.span.end) {
      edits.push({ file: token.file, start: afterLast, end: afterLast, newText: `,${nl}${indent}${entry}` });
      return;
    }
    if (!sameLine[1]) edits.push({ file: token.file, start: last.span.end, end: last.span.end, newText: "," });
    edits.push({ file: token.file, start: afterLast, end: afterLast, newText: `${nl}${indent}${entry}` });
  };
  if (token.format === "api-json") {
    if (multiline) insertLine();
    else edits.push({ file: token.file, start: last.span.end, end: last.span.end, newText: `, ${entry}` });
  } else {
    const plain = entry.replace(/, # .*$/, "");
    if (multiline) insertLine();
    else edits.push({ file: token.file, start: last.span.end, end: last.span.end, newText: `, ${plain}` });
  }
  return { title: `Add ${group.name}`, edits, safe: true };
}

/** The first allow policy whose resources suit a group's scope (account keys for account groups, zone keys for zone groups). */
export function policyForScope(token: TokenDefinition, scope: PermissionGroup["scope"]): TokenPolicy | undefined {
  const fits = (keys: string[]) =>
    scope === "zone"
      ? keys.some((k) => k.startsWith("com.cloudflare.api.account.zone."))
      : scope === "r2-bucket"
        ? keys.some((k) => k.startsWith("com.cloudflare.edge.r2.bucket."))
        : scope === "user"
          ? keys.some((k) => k.startsWith("com.cloudflare.api.user."))
          : keys.some(
              (k) => k.startsWith("com.cloudflare.api.account.") && !k.startsWith("com.cloudflare.api.account.zone."),
            );
  return token.policies.find((p) => {
    if (p.effect !== "allow") return false;
    const keys: string[] = [];
    for (const r of p.resources) {
      if (typeof r.value === "string") keys.push(r.key);
      else for (const inner of r.value) keys.push(inner.key);
    }
    if (scope === "zone") return fits(keys);
    return fits(p.resources.map((r) => r.key)) && !p.resources.some((r) => typeof r.value !== "string");
  });
}

export function displayToken(t: TokenDefinition): string {
  // A Terraform token whose name is an expression is named by its address alone.
  if (t.live) return `"${t.name}" (live token ${t.live.id})`;
  return t.address ? (t.name === t.address ? t.address : `${t.name} (${t.address})`) : `"${t.name}"`;
}

/** True when the token is linked to deploys and every one of them was analysed, so its needs are complete. */
export function needsKnown(t: TokenAnalysis): boolean {
  return t.links.length > 0 && t.links.every((l) => !!l.deploy.minimal);
}

/** Grants that one expression yields together (`values(…)`, a `for`), by the expression's range; single entries apart. */
export function groupByExpression(grants: Grant[]): { shared: Grant[][]; single: Grant[] } {
  const shared = new Map<string, Grant[]>();
  const single: Grant[] = [];
  for (const g of grants) {
    if (!g.entry.fromExpression) {
      single.push(g);
      continue;
    }
    const k = `${g.policy.span.start}:${g.entry.span.start}:${g.entry.span.end}`;
    const list = shared.get(k);
    if (list) list.push(g);
    else shared.set(k, [g]);
  }
  return { shared: [...shared.values()], single };
}

/** "`values(data.….account)` (every account permission group: 60 in the catalog, more at Cloudflare)". */
export function describeExpression(gs: Grant[]): string {
  const e = gs[0]!.entry.fromExpression!;
  return e.every ? `\`${e.text}\` (${e.every}: ${gs.length} in the catalog, more at Cloudflare)` : `\`${e.text}\``;
}

/** A list of groups in the token's own syntax, replacing an expression: `["id", # Name …]` or `[{ id = "…" }, …]`. */
export function groupListText(
  ctx: RuleContext,
  token: TokenDefinition,
  span: { start: number },
  groups: PermissionGroup[],
): string | undefined {
  const text = textOf(ctx, token.file);
  if (text === undefined) return undefined;
  const nl = eolOf(ctx, token.file);
  const indent = indentAt(text, span.start);
  // A v4 module that declares the permission-groups data source keeps naming groups through it.
  const v4 = token.terraformVersion === 4 ? token.module?.v4Groups : undefined;
  const MAP: Record<PermissionGroup["scope"], string> = {
    account: "account",
    zone: "zone",
    user: "user",
    "r2-bucket": "r2",
  };
  const items = groups.map((g) =>
    v4
      ? `${indent}  ${v4}.${MAP[g.scope]}[${JSON.stringify(g.name)}],`
      : `${indent}  ${token.terraformVersion === 4 ? `"${g.id}"` : `{ id = "${g.id}" }`}, # ${g.name}`,
  );
  return `[${nl}${items.join(nl)}${nl}${indent}]`;
}
