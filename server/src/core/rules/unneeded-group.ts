// unneeded-group: a token grants a group that no deploy it serves needs. Facts: the engine's requirements
// (permissions/require.ts over data/endpoints.json).
import type { Rule } from "./rule.js";
import { coveringGrants } from "../compare.js";
import { displayToken, needsKnown, relatedFromLinks, removeGroupFix } from "./helpers.js";

export const rule: Rule = {
  id: "unneeded-group",
  title: "Token grants a permission group that none of its deploys needs",
  defaultSeverity: "warning",
  fixable: true,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      if (!needsKnown(t)) continue;
      const used = new Set<unknown>();
      for (const n of t.needs) for (const g of coveringGrants(t.grants, n)) used.add(g);
      for (const g of t.grants) {
        if (used.has(g) || !g.group) continue;
        // Write granted where its Read twin is needed is write-where-read-suffices; account-wide Secrets Store
        // Read where Edit is needed is secrets-store-read-only; zone groups with no zone need are
        // zone-groups-without-routes when the whole policy is zone-only.
        if (t.needs.some((n) => n.group.name === g.group!.twin && n.group.scope === g.group!.scope)) continue;
        if (g.group.scope === "zone" && !t.needs.some((n) => n.group.scope === "zone")) continue;
        const fix = removeGroupFix(ctx, t.token, g, true);
        out.push({
          message: `${g.group.label} (${g.group.name}) is not needed by any deploy that uses token ${displayToken(t.token)}: remove it`,
          location: { file: t.token.file, span: g.entry.span },
          related: relatedFromLinks(t),
          fixes: fix ? [fix] : [],
        });
      }
    }
    return out;
  },
};
