// token-can-create-tokens: the token can create more tokens (API Tokens Write / Account API Tokens Write), so a
// leak can mint new, broader credentials. No deploy needs it.
import type { Rule } from "./rule.js";
import { displayToken, removeGroupFix } from "./helpers.js";

const MINTING = new Set(["API Tokens Write", "Account API Tokens Write"]);

export const rule: Rule = {
  id: "token-can-create-tokens",
  title: "Token can create other API tokens",
  defaultSeverity: "warning",
  fixable: true,
  fixKinds: ["edit", "rewrite-to-minimal"],
  docs: "docs/rules/token-can-create-tokens.md",
  perToken: true,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      for (const g of t.grants) {
        if (!g.group || !MINTING.has(g.group.name)) continue;
        const fix = removeGroupFix(ctx, t.token, g, false);
        out.push({
          message: `Token ${displayToken(t.token)} has ${g.group.label}${g.entry.fromExpression ? ` (through \`${g.entry.fromExpression.text}\`)` : ""}: whoever holds it can create new tokens with any permission its owner has`,
          location: { file: t.token.file, span: g.entry.span },
          related: [],
          fixes: fix ? [fix] : [],
        });
      }
    }
    return out;
  },
};
