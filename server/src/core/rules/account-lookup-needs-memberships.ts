// account-lookup-needs-memberships: a CI deploy gives wrangler no account id (no account_id in the config, no
// CLOUDFLARE_ACCOUNT_ID), so wrangler looks the account up first: GET /accounts and GET /memberships in parallel.
// wrangler tolerates only the refusal codes 9106 and 10000 on /memberships (a 9109 stops the deploy), so a
// user-owned token needs Memberships Read, and wrangler stops in CI when the token reaches several accounts.
// Account-owned tokens cannot hold Memberships Read and get 9106, which is tolerated when /accounts answers;
// they reach one account. So the rule is quiet when every token linked to the step is account-owned.
// Sources: team research wrangler.md §3.0; oracle.md finding 14, "What failed", case no-account-memberships-denied;
// workers-sdk packages/workers-auth/src/core/factory.ts (fetchAllAccounts, selectAccountId).
import type { Rule } from "./rule.js";
import { tokenOwnerOf } from "../compare.js";
import { commandText } from "../command.js";
import { displayToken } from "./helpers.js";

export const rule: Rule = {
  id: "account-lookup-needs-memberships",
  title: "Deploy has no account id: wrangler must look the account up through the token",
  defaultSeverity: "warning",
  fixable: false,
  fixKinds: [],
  docs: "docs/rules/account-lookup-needs-memberships.md",
  reads: ["deploys", "tokens"],
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    const seen = new Set<unknown>();
    for (const d of ctx.deploys) {
      const m = d.minimal;
      if (!m || seen.has(d.deploy)) continue;
      // No API call (e.g. --dry-run), or an account id from the config or the step's environment.
      if (!m.requirements.length || m.accountId || d.deploy.accountId) continue;
      seen.add(d.deploy);
      const tokens = ctx.tokens.filter((t) => t.links.some((l) => l.deploy.deploy === d.deploy));
      const owners = tokens.map((t) => tokenOwnerOf(t.token));
      // An account-owned token passes the lookup (9106 tolerated, one account): nothing will fail.
      if (tokens.length && owners.every((o) => o === "account")) continue;
      const user = tokens.find((t, i) => owners[i] === "user");
      const cmd = `\`wrangler ${commandText(d.deploy.command.argv)}\``;
      const gitlab =
        d.deploy.source === "gitlab-ci"
          ? " (unless CLOUDFLARE_ACCOUNT_ID is a project or group CI/CD variable, which this file cannot show)"
          : "";
      const what = user
        ? `the user-owned token ${displayToken(user.token)} needs Memberships Read for it, and the deploy stops in CI when that token reaches more than one account`
        : "a user-owned token then needs Memberships Read and the deploy stops in CI when it reaches more than one account; an account-owned token needs no Memberships Read (wrangler tolerates its 9106 refusal)";
      out.push({
        message: `${cmd} runs without an account id${gitlab}, so wrangler first looks the account up (GET /accounts, GET /memberships): ${what}. Set account_id in ${d.configPath ? "the wrangler config" : "a wrangler config"} or CLOUDFLARE_ACCOUNT_ID in this step`,
        location: d.deploy.location,
        related: [
          ...(d.configPath && d.config
            ? [{ file: d.configPath, span: { start: 0, end: 0 }, message: "no account_id here" }]
            : []),
          ...tokens.map((t) => ({
            file: t.token.file,
            span: t.token.nameSpan ?? t.token.span,
            message: "the token this step uses",
          })),
        ],
        fixes: [],
      });
    }
    return out;
  },
};
