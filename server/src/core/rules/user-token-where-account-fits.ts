// user-token-where-account-fits: a user-owned token (tied to a person, reaching every account they can) where an
// account-owned token would do: no user-scope group is needed.
import type { Rule } from "./rule.js";
import { displayToken, relatedFromLinks } from "./helpers.js";

export const rule: Rule = {
  id: "user-token-where-account-fits",
  title: "User-owned token where an account-owned token fits",
  defaultSeverity: "info",
  fixable: false,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      if (t.token.owner !== "user") continue;
      if (t.needs.some((n) => n.group.scope === "user")) continue;
      if (!t.links.length && t.grants.some((g) => g.group?.scope === "user")) continue;
      // cloudflare_account_token exists only from provider v5 on (facts-2026-12.md "Tokens").
      const pin = t.token.module?.provider;
      const upgrade = pin && pin.major < 5 ? `, which needs provider v5: this module pins cloudflare ${pin.written}` : "";
      out.push({
        message: `Token ${displayToken(t.token)} is owned by a user${t.token.format === "terraform" ? " (cloudflare_api_token)" : ""}; ${t.links.length ? "its deploys need" : "it grants"} no user-level permission, so an account-owned token (cloudflare_account_token${upgrade}) fits and survives people leaving`,
        location: { file: t.token.file, span: t.token.nameSpan ?? t.token.span },
        related: relatedFromLinks(t),
        fixes: [],
      });
    }
    return out;
  },
};
