// r2-bucket-scope-possible: account-wide R2 access where only object operations on named buckets are needed;
// the "Workers R2 Storage Bucket Item" groups can be limited to those buckets (team research: permissions.md §5).
import type { Rule } from "./rule.js";
import { displayToken, relatedFromNeeds } from "./helpers.js";

export const rule: Rule = {
  id: "r2-bucket-scope-possible",
  title: "Account-wide R2 access where bucket-scoped object access would do",
  defaultSeverity: "info",
  fixable: false,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      const bucketNeeds = t.needs.filter((n) => n.group.scope === "r2-bucket");
      if (!bucketNeeds.length || t.needs.some((n) => n.group.scope === "account" && n.group.name.startsWith("Workers R2 Storage"))) continue;
      for (const g of t.grants) {
        if (g.group?.scope !== "account" || !g.group.name.startsWith("Workers R2 Storage")) continue;
        const buckets = [...new Set(bucketNeeds.flatMap((n) => n.resources))].map((r) => r.split("_").slice(2).join("_"));
        out.push({
          message: `${g.group.label} reaches every bucket of the account; token ${displayToken(t.token)} only writes objects in ${buckets.join(", ")}: use ${bucketNeeds[0]!.group.label} on those buckets`,
          location: { file: t.token.file, span: g.entry.span },
          related: relatedFromNeeds(bucketNeeds),
          fixes: [],
        });
      }
    }
    return out;
  },
};
