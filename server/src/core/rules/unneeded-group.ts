// unneeded-group: a token grants a group that no deploy it serves needs. Facts: the engine's requirements
// (permissions/require.ts over data/endpoints.json). Groups one expression yields together (`values(data.….
// account)`, a `for` over a list data source) are reported once per expression, with the groups it should be.
import type { Rule, RuleContext, TokenAnalysis } from "./rule.js";
import { coveringGrants, usedGrants, type Grant } from "../compare.js";
import type { PermissionGroup } from "../permissions/catalog.js";
import {
  describeExpression,
  displayToken,
  groupByExpression,
  groupListText,
  needsKnown,
  relatedFromLinks,
  removeGroupFix,
} from "./helpers.js";

export const rule: Rule = {
  id: "unneeded-group",
  title: "Token grants a permission group that none of its deploys needs",
  defaultSeverity: "warning",
  fixable: true,
  fixKinds: ["edit", "rewrite-to-minimal"],
  grantState: { state: "unneeded", note: "no deploy needs it" },
  docs: "docs/rules/unneeded-group.md",
  perToken: true,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      if (!needsKnown(t)) continue;
      const used = new Set<unknown>();
      // A grant that covers only some of a need's resources is still used (zone A of routes on zones A and B).
      for (const n of t.needs) for (const g of usedGrants(t.grants, n)) used.add(g);
      const unneeded = (g: Grant) => !used.has(g) && !!g.group && !excused(t, g);
      const { shared, single } = groupByExpression(t.grants);
      for (const g of single) {
        if (!unneeded(g)) continue;
        const fix = removeGroupFix(ctx, t.token, g, true);
        out.push({
          message: `${g.group!.label} (${g.group!.name}) is not needed by any deploy that uses token ${displayToken(t.token)}: remove it`,
          location: { file: t.token.file, span: g.entry.span },
          related: relatedFromLinks(t),
          fixes: fix ? [fix] : [],
        });
      }
      for (const gs of shared) {
        const f = expressionFinding(ctx, t, gs);
        if (f) out.push(f);
      }
    }
    return out;
  },
};

/**
 * Write granted where its Read twin is needed is write-where-read-suffices; zone groups with no zone need are
 * zone-groups-without-routes.
 */
function excused(t: TokenAnalysis, g: Grant): boolean {
  if (t.needs.some((n) => n.group.name === g.group!.twin && n.group.scope === g.group!.scope)) return true;
  return g.group!.scope === "zone" && !t.needs.some((n) => n.group.scope === "zone");
}

/** The groups of one expression its token's deploys need (exactly, and not granted elsewhere in the token). */
function neededOf(t: TokenAnalysis, gs: Grant[]): PermissionGroup[] {
  const keep: PermissionGroup[] = [];
  const others = t.grants.filter((g) => !gs.includes(g));
  for (const n of t.needs) {
    if (coveringGrants(others, n).length) continue;
    const exact = usedGrants(gs, n, false);
    const any = exact.length ? exact : usedGrants(gs, n);
    const g = any.find((x) => x.group)?.group;
    if (g && !keep.includes(g)) keep.push(g);
  }
  return keep;
}

function expressionFinding(
  ctx: RuleContext,
  t: TokenAnalysis,
  gs: Grant[],
): ReturnType<Rule["check"]>[number] | undefined {
  const keep = neededOf(t, gs);
  const extra = gs.filter((g) => g.group && !keep.includes(g.group));
  if (!extra.length) return undefined;
  const span = gs[0]!.entry.span;
  const names = (xs: { name: string }[]) => xs.map((x) => x.name).join(", ");
  const shown = extra.slice(0, 8).map((g) => g.group!);
  const what = `${describeExpression(gs)} grants ${extra.length} group${extra.length === 1 ? "" : "s"} that no deploy using token ${displayToken(t.token)} needs (${names(shown)}${extra.length > shown.length ? `, and ${extra.length - shown.length} more` : ""})`;
  const text = keep.length && t.token.format === "terraform" ? groupListText(ctx, t.token, span, keep) : undefined;
  return {
    message: keep.length
      ? `${what}: list only ${names(keep)}`
      : `${what}: none of its groups is needed, remove this policy`,
    location: { file: t.token.file, span },
    related: relatedFromLinks(t),
    fixes: text
      ? [
          {
            title: `List only ${names(keep)}`,
            edits: [{ file: t.token.file, start: span.start, end: span.end, newText: text }],
            safe: true,
          },
        ]
      : [],
  };
}
