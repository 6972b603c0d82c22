// unresolved-placeholder: a token definition still holds one of the placeholders this tool writes where it
// cannot know a value — `<ACCOUNT_ID>`, `<USER_ID>`, `<ZONE_ID:example.com>`, `<SCRIPT_TAG:worker>`,
// `<GROUP_ID:…>` — in a resource key or a permission group id. It is not an id: Cloudflare cannot create the token
// as written, or the policy names nothing. Found in resource keys and group entries of JSON and Terraform tokens.
import type { Rule } from "./rule.js";
import type { GrantedResource } from "../model/token.js";
import { displayToken } from "./helpers.js";

const PLACEHOLDER = /<([A-Z][A-Z0-9_]*)(?::[^>]*)?>/;

const HOW: Record<string, string> = {
  ACCOUNT_ID: "the account id (dashboard › Account home, or CLOUDFLARE_ACCOUNT_ID in CI)",
  USER_ID: "the id of the user who owns the token (GET /user)",
  ZONE_ID: "the zone's id (dashboard › the zone's Overview; in Terraform a data \"cloudflare_zone\" lookup)",
  SCRIPT_TAG: "the Worker's script tag (its id in GET /accounts/{account_id}/workers/scripts; the Worker must exist)",
  GROUP_ID:
    "the group's id (GET /accounts/{account_id}/tokens/permission_groups; in Terraform a permission-groups list data source)",
};

function* keys(rs: GrantedResource[]): Generator<GrantedResource> {
  for (const r of rs) {
    yield r;
    if (Array.isArray(r.value)) yield* keys(r.value);
  }
}

export const rule: Rule = {
  id: "unresolved-placeholder",
  title: "Token still holds an unfilled placeholder instead of an id",
  defaultSeverity: "error",
  fixable: false,
  fixKinds: [],
  docs: "docs/rules/unresolved-placeholder.md",
  perToken: true,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      const hits: { text: string; span: { start: number; end: number } }[] = [];
      for (const p of t.token.policies) {
        for (const r of keys(p.resources)) if (PLACEHOLDER.test(r.key)) hits.push({ text: r.key, span: r.keySpan });
        for (const g of p.groups) {
          const written = `${g.id ?? ""} ${g.written}`;
          if (PLACEHOLDER.test(written)) hits.push({ text: PLACEHOLDER.exec(written)![0], span: g.span });
        }
      }
      const seen = new Set<string>();
      for (const h of hits) {
        const k = `${h.span.start}:${h.text}`;
        if (seen.has(k)) continue;
        seen.add(k);
        const m = PLACEHOLDER.exec(h.text)!;
        const how = HOW[m[1]!] ?? "the real value";
        out.push({
          message: `Token ${displayToken(t.token)} holds the placeholder ${m[0]}: replace it with ${how}; as written the token cannot be created or names nothing`,
          location: { file: t.token.file, span: h.span },
          related: [],
          fixes: [],
        });
      }
    }
    return out;
  },
};
