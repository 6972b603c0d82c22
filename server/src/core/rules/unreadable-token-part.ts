// unreadable-token-part: part of a token definition could not be read — a permission group or resource whose
// value is only known when Terraform runs (a variable without a default, a resource attribute, a `for_each`
// instance), a group name the catalog lacks, an expression this reader does not evaluate. The token is never
// passed over in silence: each such part is reported with the reason, and needs of its deploys that the readable
// part does not cover are listed here instead of as missing-group errors (the unread part may grant them).
import type { Rule } from "./rule.js";
import { coveringGrants } from "../compare.js";
import { displayToken, relatedFromNeeds } from "./helpers.js";

export const rule: Rule = {
  id: "unreadable-token-part",
  title: "Part of a token definition could not be read, so what it grants is not fully known",
  defaultSeverity: "warning",
  fixable: false,
  fixKinds: [],
  docs: "docs/rules/unreadable-token-part.md",
  perToken: true,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      if (!t.token.problems.length) continue;
      const incomplete = t.token.problems.some((p) => p.affectsGrants);
      const uncovered = incomplete ? t.needs.filter((n) => !coveringGrants(t.grants, n).length) : [];
      let first = true;
      for (const p of t.token.problems) {
        let message = `Token ${displayToken(t.token)}: ${p.message}`;
        if (p.affectsGrants) message += "; what it grants there is not known";
        if (p.affectsGrants && first && uncovered.length) {
          const shown = uncovered.slice(0, 6).map((n) => n.group.name);
          message += `; its deploys need ${shown.join(", ")}${uncovered.length > shown.length ? ` and ${uncovered.length - shown.length} more` : ""}, which the readable part does not grant: check that the unread part does, or the deploy fails`;
        }
        out.push({
          message,
          location: { file: t.token.file, span: p.span },
          related: p.affectsGrants && first ? relatedFromNeeds(uncovered) : [],
          fixes: [],
        });
        if (p.affectsGrants) first = false;
      }
    }
    return out;
  },
};
