// missing-group: a deploy that uses the token needs a group the token does not grant, so the deploy fails.
// The message names the API call wrangler makes and the error users then see (Authentication error [code: 10000]).
import type { Rule } from "./rule.js";
import { callsBeyondWorker, coveringGrants } from "../compare.js";
import { addGroupFix, displayToken, policyForScope, relatedFromNeeds } from "./helpers.js";

export const rule: Rule = {
  id: "missing-group",
  title: "Token lacks a permission group its deploys need (the deploy will fail)",
  defaultSeverity: "error",
  fixable: true,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      // A token part that could not be read may grant what is missing: unreadable-token-part lists those needs.
      if (t.token.problems.some((p) => p.affectsGrants)) continue;
      for (const n of t.needs) {
        if (coveringGrants(t.grants, n).length) continue;
        // Secrets Store Read where Edit is needed has its own rule with a precise message.
        if (n.group.name === "Secrets Store Write" && t.grants.some((g) => g.group?.name === "Secrets Store Read")) continue;
        // A group granted on other resources is a resource problem, reported here with the resources.
        const granted = t.grants.filter((g) => g.group?.id === n.group.id);
        const where = granted.length ? ` on ${n.resources.join(", ")} (it is granted on ${[...new Set(granted.flatMap((g) => g.scopes.map((s) => s.key)))].join(", ")})` : "";
        const fix = granted.length ? undefined : addGroupFix(ctx, t.token, n.group, policyForScope(t.token, n.group.scope));
        const error = n.group.name === "Secrets Store Write" ? "Secrets store binding authorization failed [code: 10021]" : "Authentication error [code: 10000]";
        // A per-Worker grant makes the calls on the Worker itself; name the ones it cannot make.
        const beyond = callsBeyondWorker(t.grants, n);
        const perWorker = beyond.length
          ? `; its per-Worker grant covers the calls on the Worker itself, not ${beyond.slice(0, 3).join(", ")}${beyond.some((a) => /\/domains/.test(a)) ? " (custom domains do not support per-Worker roles)" : ""}`
          : "";
        out.push({
          message: `Token ${displayToken(t.token)} lacks ${n.group.label} (${n.group.name})${where}${perWorker}: \`${beyond[0] ?? n.api[0] ?? "the deploy"}\` will fail with "${error}"`,
          location: { file: t.token.file, span: t.token.nameSpan ?? t.token.span },
          related: relatedFromNeeds([n]),
          fixes: fix ? [fix] : [],
        });
      }
    }
    return out;
  },
};
