// all-zones: zone groups granted on every zone where the deploys' routes use specific zones.
import type { Rule } from "./rule.js";
import { ALL_ZONES, flattenResources } from "../compare.js";
import { displayToken, relatedFromNeeds, textOf } from "./helpers.js";
import { replaceWithin } from "../edit.js";

export const rule: Rule = {
  id: "all-zones",
  title: "Token grants zone permissions on all zones where specific zones suffice",
  defaultSeverity: "warning",
  fixable: true,
  fixKinds: ["edit", "rewrite-to-minimal"],
  docs: "docs/rules/all-zones.md",
  perToken: true,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      const zoneNeeds = t.needs.filter((n) => n.group.scope === "zone");
      if (!zoneNeeds.length) continue; // no zone need at all: zone-groups-without-routes
      const zones = [...new Set(zoneNeeds.flatMap((n) => n.resources))];
      for (const p of t.token.policies) {
        if (p.effect !== "allow") continue;
        for (const s of flattenResources(p.resources)) {
          if (s.key !== ALL_ZONES) continue;
          const known = zones.every((z) => !z.includes("<"));
          const text = textOf(ctx, t.token.file);
          let fixes: ReturnType<Rule["check"]>[number]["fixes"] = [];
          if (known && zones.length === 1 && text !== undefined) {
            const edit = replaceWithin(t.token.file, text, s.resource.keySpan, [[ALL_ZONES, zones[0]!]]);
            if (edit) fixes = [{ title: `Limit to zone ${zones[0]!.split(".").pop()}`, edits: [edit], safe: true }];
          }
          out.push({
            message: `Token ${displayToken(t.token)} grants zone permissions on all zones; its routes use only ${zones.map((z) => z.replace("com.cloudflare.api.account.zone.", "").replace(/^<ZONE_ID:(.*)>$/, "zone $1")).join(", ")}`,
            location: { file: t.token.file, span: s.resource.keySpan },
            related: relatedFromNeeds(zoneNeeds),
            fixes,
          });
        }
      }
    }
    return out;
  },
};
