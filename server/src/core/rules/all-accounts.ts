// all-accounts: a policy applies to every account the token's owner can reach (com.cloudflare.api.account.*).
import type { Rule } from "./rule.js";
import { ALL_ACCOUNTS } from "../compare.js";
import { displayToken, relatedFromLinks, textOf } from "./helpers.js";
import { replaceWithin } from "../edit.js";

export const rule: Rule = {
  id: "all-accounts",
  title: "Token policy applies to all accounts",
  defaultSeverity: "warning",
  fixable: true,
  fixKinds: ["edit", "rewrite-to-minimal"],
  docs: "docs/rules/all-accounts.md",
  perToken: true,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      const accounts = new Set(t.links.map((l) => l.deploy.minimal?.accountId).filter((a): a is string => !!a));
      const only =
        t.links.length && accounts.size === 1 && t.links.every((l) => l.deploy.minimal?.accountId)
          ? [...accounts][0]
          : undefined;
      for (const p of t.token.policies) {
        if (p.effect !== "allow") continue;
        for (const r of p.resources) {
          if (r.key !== ALL_ACCOUNTS) continue;
          const text = textOf(ctx, t.token.file);
          const edit =
            only && text !== undefined
              ? replaceWithin(t.token.file, text, r.keySpan, [[ALL_ACCOUNTS, `com.cloudflare.api.account.${only}`]])
              : undefined;
          out.push({
            message: `Token ${displayToken(t.token)} applies to all accounts${only ? `; its deploys use only account ${only}` : ": name the one account it deploys to"}`,
            location: { file: t.token.file, span: r.keySpan },
            related: relatedFromLinks(t),
            fixes: edit ? [{ title: `Limit to account ${only}`, edits: [edit], safe: true }] : [],
          });
        }
      }
    }
    return out;
  },
};
