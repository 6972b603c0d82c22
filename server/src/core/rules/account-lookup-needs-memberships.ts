// account-lookup-needs-memberships: a CI deploy gives wrangler no account id (no account_id in the config, no
// CLOUDFLARE_ACCOUNT_ID), so wrangler looks the account up first: GET /accounts and GET /memberships in parallel.
// wrangler tolerates only the refusal codes 9106 and 10000 on /memberships (a 9109 stops the deploy), so a
// user-owned token needs Memberships Read; account-owned tokens cannot hold it and get 9106, which is tolerated
// when /accounts answers. And when the token reaches several accounts wrangler asks which one, which fails in CI.
// Sources: team research wrangler.md §3.0; oracle.md finding 14, "What failed", case no-account-memberships-denied.
import type { Rule } from "./rule.js";

export const rule: Rule = {
  id: "account-lookup-needs-memberships",
  title: "Deploy has no account id: wrangler must look the account up through the token",
  defaultSeverity: "warning",
  fixable: false,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    const seen = new Set<unknown>();
    for (const d of ctx.deploys) {
      const m = d.minimal;
      if (!m || seen.has(d.deploy)) continue;
      // No API call (e.g. --dry-run), or an account id from the config or the step's environment.
      if (!m.requirements.length || m.accountId || d.deploy.accountId) continue;
      seen.add(d.deploy);
      const token = ctx.tokens.find((t) => t.links.some((l) => l.deploy === d));
      out.push({
        message: `\`wrangler ${d.deploy.command.argv.join(" ")}\` runs without an account id, so wrangler first lists the token's accounts (GET /accounts, GET /memberships): a user-owned token then needs Memberships Read, and the deploy stops in CI when the token reaches more than one account. Set account_id in ${d.configPath ? "the wrangler config" : "a wrangler config"} or CLOUDFLARE_ACCOUNT_ID in this step`,
        location: d.deploy.location,
        related: [
          ...(d.configPath && d.config ? [{ file: d.configPath, span: { start: 0, end: 0 }, message: "no account_id here" }] : []),
          ...(token ? [{ file: token.token.file, span: token.token.nameSpan ?? token.token.span, message: "the token this step uses" }] : []),
        ],
        fixes: [],
      });
    }
    return out;
  },
};
