// unneeded-group: a token grants a group that no deploy it serves needs. Facts: the engine's requirements
// (permissions/require.ts over data/endpoints.json). Groups one expression yields together (`values(data.….
// account)`, a `for` over a list data source) are reported once per expression, with the groups it should be.
import type { Rule, RuleContext, TokenAnalysis } from "./rule.js";
import { classifyToken, type ExpressionClass } from "../grant-class.js";
import { describeExpression, displayToken, groupListText, relatedFromLinks, removeGroupFix } from "./helpers.js";

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
      const c = classifyToken(t);
      if (!c.known) continue;
      for (const g of c.single) {
        if (c.grants.get(g)?.kind !== "unneeded") continue;
        const fix = removeGroupFix(ctx, t.token, g, true);
        out.push({
          message: `${g.group!.label} (${g.group!.name}) is not needed by any deploy that uses token ${displayToken(t.token)}: remove it`,
          location: { file: t.token.file, span: g.entry.span },
          related: relatedFromLinks(t),
          fixes: fix ? [fix] : [],
        });
      }
      for (const e of c.expressions) {
        const f = expressionFinding(ctx, t, e);
        if (f) out.push(f);
      }
    }
    return out;
  },
};

function expressionFinding(
  ctx: RuleContext,
  t: TokenAnalysis,
  { grants: gs, keep, extra }: ExpressionClass,
): ReturnType<Rule["check"]>[number] | undefined {
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
