// user-token-where-account-fits: a user-owned token (tied to a person, reaching every account they can) where an
// account-owned token would do: no user-scope group is needed (Memberships Read for wrangler's account lookup is
// needed only because the token is user-owned: an account-owned token's 9106 refusal there is tolerated).
import type { Rule } from "./rule.js";
import { displayToken, relatedFromLinks } from "./helpers.js";

export const rule: Rule = {
  id: "user-token-where-account-fits",
  title: "User-owned token where an account-owned token fits",
  defaultSeverity: "info",
  fixable: false,
  fixKinds: [],
  docs: "docs/rules/user-token-where-account-fits.md",
  perToken: true,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      if (t.token.owner !== "user") continue;
      // Memberships Read for wrangler's account lookup does not count: an account-owned token does without it.
      if (t.needs.some((n) => n.group.scope === "user" && !n.userTokenOnly)) continue;
      if (!t.links.length && t.grants.some((g) => g.group?.scope === "user")) continue;
      const lookup = t.needs.some((n) => n.userTokenOnly);
      // cloudflare_account_token exists only from provider v5 on (facts-2026-12.md "Tokens").
      const pin = t.token.module?.provider;
      const upgrade =
        pin && pin.major < 5 ? `, which needs provider v5: this module pins cloudflare ${pin.written}` : "";
      out.push({
        message: `Token ${displayToken(t.token)} is owned by a user${t.token.format === "terraform" ? " (cloudflare_api_token)" : ""}; ${t.links.length ? "its deploys need" : "it grants"} no user-level permission${lookup ? " (Memberships Read only for wrangler's account lookup, which an account-owned token passes without it)" : ""}, so an account-owned token (cloudflare_account_token${upgrade}) fits and survives people leaving`,
        location: { file: t.token.file, span: t.token.nameSpan ?? t.token.span },
        related: relatedFromLinks(t),
        fixes: [],
      });
    }
    return out;
  },
};
