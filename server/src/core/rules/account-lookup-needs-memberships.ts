// account-lookup-needs-memberships: a CI deploy gives wrangler no account id (no account_id in the config, no
// CLOUDFLARE_ACCOUNT_ID), so wrangler lists accounts and memberships first. That needs Memberships Read, a
// user-level group account-owned tokens cannot hold (team research: wrangler.md §3.0, oracle.md finding 14).
import type { Rule } from "./rule.js";

export const rule: Rule = {
  id: "account-lookup-needs-memberships",
  title: "Deploy has no account id: wrangler's account lookup needs Memberships Read",
  defaultSeverity: "warning",
  fixable: false,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    const seen = new Set<unknown>();
    for (const d of ctx.deploys) {
      const m = d.minimal;
      if (!m || seen.has(d.deploy)) continue;
      if (!m.requirements.some((r) => r.group.name === "Memberships Read")) continue;
      seen.add(d.deploy);
      const token = ctx.tokens.find((t) => t.links.some((l) => l.deploy === d));
      out.push({
        message: `\`wrangler ${d.deploy.command.argv.join(" ")}\` runs without an account id, so wrangler calls GET /accounts and GET /memberships (Memberships Read, which account-owned tokens cannot have). Set account_id in ${d.configPath ? "the wrangler config" : "the config"} or CLOUDFLARE_ACCOUNT_ID in this step`,
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
