// missing-group: a deploy that uses the token needs a group the token does not grant, so the deploy fails.
// The message names the API call wrangler makes and the error users then see (Authentication error [code: 10000]).
// Groups only a user-owned token needs (Memberships Read for wrangler's account lookup) are never asked of an
// account-owned token, nor of one whose owner is unknown.
import type { Rule, RuleContext, TokenAnalysis } from "./rule.js";
import type { Fix } from "../findings.js";
import type { Need } from "../compare.js";
import { catalog } from "../permissions/catalog.js";
import { classifyToken } from "../grant-class.js";
import { addGroupFix, displayToken, policyForScope, relatedFromNeeds } from "./helpers.js";
import { addPolicyFix } from "../add-policy.js";

/**
 * Adds the group to a policy that suits its scope, else as a new policy of its own; a token with per-Worker
 * grants gets neither (account-wide Workers rights would undo its scoping: the rewrite says what it needs).
 */
function addFix(ctx: RuleContext, t: TokenAnalysis, n: Need, perWorker: boolean): Fix | undefined {
  const policy = policyForScope(t.token, n.group.scope);
  if (policy) return addGroupFix(ctx, t.token, n.group, policy);
  const text = ctx.source(t.token.file)?.text;
  return perWorker || text === undefined ? undefined : addPolicyFix(t, n, text);
}

export const rule: Rule = {
  id: "missing-group",
  title: "Token lacks a permission group its deploys need (the deploy will fail)",
  defaultSeverity: "error",
  fixable: true,
  fixKinds: ["edit", "rewrite-to-minimal"],
  livePath: "policies",
  docs: "docs/rules/missing-group.md",
  perToken: true,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      const c = classifyToken(t);
      // A token part that could not be read may grant what is missing: unreadable-token-part lists those needs.
      if (c.unreadable) continue;
      for (const n of t.needs) {
        const k = c.needs.get(n);
        // A need only a user-owned token has, of a token not known to be user-owned (not-for-owner), is left to
        // account-lookup-needs-memberships, which says what a user-owned token would need.
        if (k?.kind === "owner-cannot-hold") {
          out.push({
            message: `Token ${displayToken(t.token)} is account-owned, but its deploys need ${n.group.label} (${n.group.name}), a user-level group an account-owned token cannot hold: \`${n.api[0] ?? "the deploy"}\` needs a user-owned token (POST /user/tokens, Terraform cloudflare_api_token)`,
            location: { file: t.token.file, span: t.token.nameSpan ?? t.token.span },
            related: relatedFromNeeds([n]),
            fixes: [],
          });
          continue;
        }
        // Secrets Store Read where Edit is needed (too-narrow) has its own rule with a precise message.
        if (k?.kind !== "missing") continue;
        // A group granted on other resources is a resource problem, reported here with the resources.
        const { granted, beyond } = k;
        const where = granted.length
          ? ` on ${n.resources.join(", ")} (it is granted on ${[...new Set(granted.flatMap((g) => g.scopes.map((s) => s.key)))].join(", ")})`
          : "";
        const error =
          n.group.name === "Secrets Store Write"
            ? "Secrets store binding authorization failed [code: 10021]"
            : "Authentication error [code: 10000]";
        // A per-Worker grant makes the calls on the Worker itself; name the ones it cannot make.
        const fix = granted.length ? undefined : addFix(ctx, t, n, beyond.length > 0);
        const perWorker = beyond.length
          ? `; its per-Worker grant covers the calls on the Worker itself, not ${beyond.slice(0, 3).join(", ")}${beyond.some((a) => /\/domains/.test(a)) ? " (custom domains do not support per-Worker roles)" : ""}`
          : "";
        // The account lookup's GET /memberships: wrangler gets past some refusal codes, not all (data: fallback).
        const codes = n.userTokenOnly
          ? catalog().endpoint("GET", n.api[0]?.split(" ")[1] ?? "")?.fallback?.codes
          : undefined;
        const consequence = codes
          ? `wrangler's account lookup \`${n.api[0]}\` is refused without it, and wrangler gets past only the codes ${codes.join(" and ")} there (a refusal with 10001, as users report for user tokens without the group, stops the deploy)`
          : `\`${beyond[0] ?? n.api[0] ?? "the deploy"}\` will fail with "${error}"`;
        out.push({
          message: `Token ${displayToken(t.token)} lacks ${n.group.label} (${n.group.name})${where}${perWorker}: ${consequence}`,
          location: { file: t.token.file, span: t.token.nameSpan ?? t.token.span },
          related: relatedFromNeeds([n]),
          fixes: fix ? [fix] : [],
        });
      }
    }
    return out;
  },
};
