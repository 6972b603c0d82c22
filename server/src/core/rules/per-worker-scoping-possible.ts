// per-worker-scoping-possible: since 2026 account-owned tokens can hold Workers groups limited to individual
// Workers ("Specified Workers": developers.cloudflare.com/workers/authorization/workers/; policy shape from a public
// test write-up, facts-2026-12.md "Per-Worker API tokens"). A token that holds account-wide Workers Scripts Write
// only to deploy named Workers can use "Individual Workers Editor" on their script tags instead — when every call
// its deploys make with that group acts on the Worker itself (custom domains and the account's workers.dev
// subdomain do not). The quick fix (Terraform v5 account tokens) is unsafe: the script tags must be filled in and
// the Workers must exist before the token is minted.
import type { Rule } from "./rule.js";
import { catalog } from "../permissions/catalog.js";
import { roleAllowsCall, workerRole } from "../permissions/worker-roles.js";
import { EDITOR, perWorkerFix } from "../per-worker-fix.js";
import { displayToken, relatedFromNeeds, textOf } from "./helpers.js";

export const rule: Rule = {
  id: "per-worker-scoping-possible",
  title: "Account-owned token could be limited to its Workers with the 2026 Workers roles",
  defaultSeverity: "info",
  fixable: true,
  fixKinds: ["edit"],
  docs: "docs/rules/per-worker-scoping-possible.md",
  perToken: true,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    const editor = workerRole(EDITOR)!;
    const write = catalog().byName("Workers Scripts Write")!;
    for (const t of ctx.tokens) {
      if (t.token.owner !== "account" || !t.links.length) continue;
      const grant = t.grants.find((g) => g.group?.name === "Workers Scripts Write");
      if (!grant) continue;
      const workers = [...new Set(t.links.map((l) => l.deploy.minimal?.scriptName).filter((n): n is string => !!n))];
      if (!workers.length) continue;
      const needs = t.needs.filter((n) => n.group.id === write.id);
      const beyond = [...new Set(needs.flatMap((n) => n.api).filter((a) => !roleAllowsCall(editor, a)))];
      const head = `Token ${displayToken(t.token)} is account-owned and deploys only ${workers.join(", ")}`;
      if (beyond.length) {
        out.push({
          message: `${head}, but ${beyond.slice(0, 3).join(", ")} act${beyond.length === 1 ? "s" : ""} beyond one Worker${beyond.some((a) => /\/domains/.test(a)) ? " (custom domains do not support per-Worker roles)" : ""}: ${EDITOR} on the Workers' script tags cannot replace account-wide Workers Scripts Edit for these deploys`,
          location: { file: t.token.file, span: grant.entry.span },
          related: relatedFromNeeds(needs),
          fixes: [],
        });
        continue;
      }
      const text = textOf(ctx, t.token.file);
      const fix = text === undefined ? undefined : perWorkerFix(t, grant, workers, text);
      out.push({
        message: `${head}: ${EDITOR} on the Workers' script tags (2026, account-owned tokens, beta) can replace account-wide Workers Scripts Edit — the Workers must exist first (a script tag is a Worker's id), and new Workers, routes and custom domains still need other rights`,
        location: { file: t.token.file, span: grant.entry.span },
        related: relatedFromNeeds(needs),
        fixes: fix ? [fix] : [],
      });
    }
    return out;
  },
};
