// zone-groups-without-routes: the token grants zone-level groups but none of its deploys uses routes or zones.
import type { Rule } from "./rule.js";
import { classifyToken } from "../grant-class.js";
import { displayToken, relatedFromLinks, removeGroupFix } from "./helpers.js";

export const rule: Rule = {
  id: "zone-groups-without-routes",
  title: "Token grants zone permissions but no deploy uses routes",
  defaultSeverity: "warning",
  fixable: true,
  fixKinds: ["edit", "rewrite-to-minimal"],
  docs: "docs/rules/zone-groups-without-routes.md",
  perToken: true,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      const c = classifyToken(t);
      for (const g of t.grants) {
        const k = c.grants.get(g);
        // Zone groups of a `values(…)` / `for` expression are reported once per expression by unneeded-group.
        if (k?.kind !== "zone-without-routes" || k.inExpression) continue;
        const fix = removeGroupFix(ctx, t.token, g, true);
        out.push({
          message: `${g.group!.label} is a zone permission, but no deploy that uses token ${displayToken(t.token)} has routes or zone calls`,
          location: { file: t.token.file, span: g.entry.span },
          related: relatedFromLinks(t),
          fixes: fix ? [fix] : [],
        });
      }
    }
    return out;
  },
};
