// r2-bucket-scope-possible: account-wide R2 access where only object operations on named buckets are needed;
// the "Workers R2 Storage Bucket Item" groups can be limited to those buckets (team research: permissions.md §5).
// The engine's data (data/endpoints.json) maps `wrangler r2 object put --remote` to account-wide Workers R2
// Storage Write, because whether the REST object API accepts the bucket-item groups is unverified. So this rule
// also fires when every R2 call of the token's deploys is an object call, and its message says it is unverified.
import type { Rule } from "./rule.js";
import { displayToken, needsKnown, relatedFromNeeds } from "./helpers.js";

export const rule: Rule = {
  id: "r2-bucket-scope-possible",
  title: "Account-wide R2 access where bucket-scoped object access would do",
  defaultSeverity: "info",
  fixable: false,
  fixKinds: [],
  docs: "docs/rules/r2-bucket-scope-possible.md",
  perToken: true,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      if (!needsKnown(t)) continue;
      const bucketNeeds = t.needs.filter((n) => n.group.scope === "r2-bucket");
      const accountR2 = t.needs.filter(
        (n) => n.group.scope === "account" && n.group.name.startsWith("Workers R2 Storage"),
      );
      // Account-level R2 needs that come only from object calls (`wrangler r2 object put`).
      const objectOnly =
        accountR2.length > 0 && accountR2.every((n) => n.api.length > 0 && n.api.every((a) => a.includes("/objects/")));
      if (!bucketNeeds.length && !objectOnly) continue;
      if (accountR2.length && !objectOnly) continue;
      let buckets = bucketNeeds.flatMap((n) => n.resources).map((r) => r.split("_").slice(2).join("_"));
      for (const l of t.links) {
        const c = l.deploy.deploy.command;
        if (c.kind === "r2-object-put" && c.positionals[0]) buckets.push(c.positionals[0].split("/")[0]!);
      }
      buckets = [...new Set(buckets.filter(Boolean))];
      if (!buckets.length) continue;
      const needs = [...bucketNeeds, ...accountR2];
      for (const g of t.grants) {
        if (
          g.group?.scope !== "account" ||
          !g.group.name.startsWith("Workers R2 Storage") ||
          g.entry.fromExpression?.every
        )
          continue;
        const item = bucketNeeds[0]?.group.label ?? "Workers R2 Storage Bucket Item Write";
        out.push({
          message: `${g.group.label} reaches every bucket of the account; token ${displayToken(t.token)} only writes objects in ${buckets.join(", ")}: ${
            bucketNeeds.length && !objectOnly
              ? `use ${item} on those buckets`
              : `${item} on those buckets may do, but whether wrangler's REST object upload accepts it is unverified: try it on a test token before narrowing`
          }`,
          location: { file: t.token.file, span: g.entry.span },
          related: relatedFromNeeds(needs),
          fixes: [],
        });
      }
    }
    return out;
  },
};
