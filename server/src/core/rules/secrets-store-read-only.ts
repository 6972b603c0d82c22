// secrets-store-read-only: a Worker binds a Secrets Store secret, but the token has only Account Secrets Store
// Read there (an Edit grant on another account does not count). Binding counts as a write: the upload fails with code 10021 (sources: workers-sdk #8964, #14431;
// cloudflare-docs PR #31724; see server/src/core/data/SOURCES.md).
import type { Rule } from "./rule.js";
import { classifyToken } from "../grant-class.js";
import { displayToken, relatedFromNeeds, swapGroupFix } from "./helpers.js";

export const rule: Rule = {
  id: "secrets-store-read-only",
  title: "Secrets Store Read where a binding needs Account Secrets Store Edit",
  defaultSeverity: "error",
  fixable: true,
  fixKinds: ["edit", "rewrite-to-minimal"],
  docs: "docs/rules/secrets-store-read-only.md",
  perToken: true,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      const c = classifyToken(t);
      for (const g of t.grants) {
        const k = c.grants.get(g);
        if (k?.kind !== "too-narrow") continue;
        const { need, write } = k;
        const fix = swapGroupFix(ctx, t.token, g, write, `Change to ${write.label}`);
        // A Write grant on other resources (another account) does not cover the binding's account.
        const elsewhere = t.grants.some((x) => x.group?.id === write.id)
          ? ` (its ${write.label} is on other resources)`
          : "";
        out.push({
          message: `Token ${displayToken(t.token)} has ${g.group!.label}, but binding a Secrets Store secret needs ${write.label}${elsewhere}: the upload fails with "Secrets store binding authorization failed [code: 10021]"`,
          location: { file: t.token.file, span: g.entry.span },
          related: relatedFromNeeds([need]),
          fixes: fix ? [fix] : [],
        });
      }
    }
    return out;
  },
};
