// write-where-read-suffices: the token grants "X Write" where its deploys only need "X Read".
import type { Rule } from "./rule.js";
import { catalog } from "../permissions/catalog.js";
import { displayToken, needsKnown, relatedFromNeeds, swapGroupFix } from "./helpers.js";

export const rule: Rule = {
  id: "write-where-read-suffices",
  title: "Token grants Write where its deploys only need Read",
  defaultSeverity: "warning",
  fixable: true,
  fixKinds: ["edit", "rewrite-to-minimal"],
  grantState: { state: "too-broad", note: "Read suffices" },
  docs: "docs/rules/write-where-read-suffices.md",
  perToken: true,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      if (!needsKnown(t)) continue;
      for (const g of t.grants) {
        const group = g.group;
        // An expression granting a whole list (values(…)) holds the Read twin too: unneeded-group reports it.
        if (!group || !group.name.endsWith(" Write") || !group.twin || g.entry.fromExpression?.every) continue;
        if (t.needs.some((n) => n.group.id === group.id)) continue;
        const readNeeds = t.needs.filter((n) => n.group.name === group.twin && n.group.scope === group.scope);
        if (!readNeeds.length) continue;
        const read = catalog().byName(group.twin, group.scope);
        if (!read) continue;
        const fix = swapGroupFix(ctx, t.token, g, read, `Change to ${read.name}`);
        out.push({
          message: `${group.label} can be ${read.label} in token ${displayToken(t.token)}: its deploys only read (${readNeeds[0]!.api.slice(0, 3).join(", ")})`,
          location: { file: t.token.file, span: g.entry.span },
          related: relatedFromNeeds(readNeeds),
          fixes: fix ? [fix] : [],
        });
      }
    }
    return out;
  },
};
