// per-worker-scoping-possible: since 2026 account-owned tokens can hold Workers roles limited to individual
// Workers (sources: developers.cloudflare.com/workers/authorization/workers/ and workers-sdk discussion #16482,
// "Specified Workers" on account-owned tokens only; see server/src/core/data/SOURCES.md). Creating a new Worker
// still needs account-wide rights, so this applies to tokens that only update existing Workers.
import type { Rule } from "./rule.js";
import { displayToken } from "./helpers.js";

export const rule: Rule = {
  id: "per-worker-scoping-possible",
  title: "Account-owned token could be limited to its Workers with the 2026 Workers roles",
  defaultSeverity: "info",
  fixable: false,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      if (t.token.owner !== "account" || !t.links.length) continue;
      const grant = t.grants.find((g) => g.group?.name === "Workers Scripts Write");
      if (!grant) continue;
      const workers = [...new Set(t.links.map((l) => l.deploy.minimal?.scriptName).filter((n): n is string => !!n))];
      if (!workers.length) continue;
      out.push({
        message: `Token ${displayToken(t.token)} is account-owned and deploys only ${workers.join(", ")}: Workers roles scoped to "Specified Workers" (2026, account-owned tokens) can replace account-wide Workers Scripts Edit once the Workers exist (beta; new Workers still need account-wide rights)`,
        location: { file: t.token.file, span: grant.entry.span },
        related: [],
        fixes: [],
      });
    }
    return out;
  },
};
