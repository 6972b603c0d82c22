// write-where-read-suffices: the token grants "X Write" where its deploys only need "X Read".
import type { Rule } from "./rule.js";
import { classifyToken } from "../grant-class.js";
import { displayToken, relatedFromNeeds, swapGroupFix } from "./helpers.js";

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
      const c = classifyToken(t);
      for (const g of t.grants) {
        const k = c.grants.get(g);
        if (k?.kind !== "write-where-read") continue;
        const { read, readNeeds } = k;
        const fix = swapGroupFix(ctx, t.token, g, read, `Change to ${read.name}`);
        out.push({
          message: `${g.group!.label} can be ${read.label} in token ${displayToken(t.token)}: its deploys only read (${readNeeds[0]!.api.slice(0, 3).join(", ")})`,
          location: { file: t.token.file, span: g.entry.span },
          related: relatedFromNeeds(readNeeds),
          fixes: fix ? [fix] : [],
        });
      }
    }
    return out;
  },
};
