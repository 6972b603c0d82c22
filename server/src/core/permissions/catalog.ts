// The permission catalog: permission groups and the API endpoints each allows, loaded from data/ and
// validated with zod when first used. Every entry names its source.
import { z } from "zod";
import groupsData from "../data/permission-groups.json";
import endpointsData from "../data/endpoints.json";

export type Scope = "account" | "zone" | "user" | "r2-bucket";
export type Confidence = "high" | "medium" | "low";

const confidence = z.enum(["high", "medium", "low"]);

const groupSchema = z.object({
  /** API name, e.g. "Workers Scripts Write". Not unique on its own: "Logs Read" exists per account and per zone. */
  name: z.string().min(1),
  id: z.string().regex(/^[0-9a-f]{32}$/),
  /** Dashboard label, e.g. "Workers Scripts: Edit". */
  label: z.string().min(1),
  /** Other labels and names seen for this group (old names, template labels), used when reading tokens. */
  aliases: z.array(z.string()).optional(),
  scope: z.enum(["account", "zone", "user", "r2-bucket"]),
  /** The Read↔Write twin's API name (same scope). */
  twin: z.string().optional(),
  allows: z.string(),
  source: z.string().min(1),
  confidence,
});

const fallbackCallSchema = z.object({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]),
  path: z.string().startsWith("/"),
  /** Made only in this case (e.g. a zone lookup only for routes named by zone name); a sentence for people. */
  when: z.string().optional(),
});

const endpointSchema = z.object({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]),
  /** Path template relative to the API base, placeholders in braces: /accounts/{account_id}/… */
  path: z.string().startsWith("/"),
  /** Any one of these groups allows the call. Empty when the call is not authorised by the API token. */
  groups: z.array(z.string()),
  /** "token" (default) or "jwt": the call carries an upload JWT from an earlier response, not the token. */
  auth: z.enum(["token", "jwt"]).default("token"),
  /**
   * "all-zones": the call is refused unless the zone groups cover every zone of the account.
   * "account-access": the answer lists only the accounts the token holds a group on, so any account-scoped group
   * on the account allows it; `groups` names what to grant when the token holds nothing else there.
   */
  needs: z.enum(["all-zones", "account-access"]).optional(),
  /**
   * What wrangler does when the API refuses this call with one of `codes`: it goes on, making `calls` instead
   * (none: it carries on with what it has). A token the API is known to refuse here (see fallback.ts) then
   * needs the fallback calls' groups, not this call's.
   */
  fallback: z
    .object({
      codes: z.array(z.number().int()).min(1),
      calls: z.array(fallbackCallSchema),
      note: z.string().min(1),
    })
    .optional(),
  source: z.string().min(1),
  confidence,
  note: z.string().optional(),
});

export type PermissionGroup = z.infer<typeof groupSchema>;
export type Endpoint = z.infer<typeof endpointSchema>;

export interface Catalog {
  groups: readonly PermissionGroup[];
  endpoints: readonly Endpoint[];
  /** A group by API name, preferring the given scope when the name exists in two scopes. */
  byName(name: string, scope?: Scope): PermissionGroup | undefined;
  byId(id: string): PermissionGroup | undefined;
  /** Finds a group by API name, dashboard label or alias, case- and punctuation-insensitively. */
  lookup(nameOrLabel: string, scope?: Scope): PermissionGroup | undefined;
  /** The endpoint entry matching a method and a concrete or templated path (query string ignored). */
  endpoint(method: string, path: string): Endpoint | undefined;
}

let cached: Catalog | undefined;

/** The catalog, validated once. Throws only if the shipped data is malformed (a build-time bug, caught by tests). */
export function catalog(): Catalog {
  return (cached ??= buildCatalog(groupsData, endpointsData));
}

export function buildCatalog(rawGroups: unknown, rawEndpoints: unknown): Catalog {
  const groups = z.array(groupSchema).parse(rawGroups);
  const endpoints = z.array(endpointSchema).parse(rawEndpoints);
  const byId = new Map(groups.map((g) => [g.id, g]));
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/\*/g, "")
      .replace(/[:\s]+/g, " ")
      .replace(/\bedit\b/g, "write")
      .trim();
  const byNorm = new Map<string, PermissionGroup[]>();
  const add = (k: string, g: PermissionGroup) => {
    const list = byNorm.get(norm(k)) ?? [];
    if (!list.includes(g)) list.push(g);
    byNorm.set(norm(k), list);
  };
  for (const g of groups) {
    add(g.name, g);
    add(g.label, g);
    for (const a of g.aliases ?? []) add(a, g);
  }
  const matchers = endpoints.map((e) => ({
    e,
    re: templateRegex(e.path),
    holes: (e.path.match(/\{[^}]+\}/g) ?? []).length,
  }));
  const byApiName = new Map<string, PermissionGroup[]>();
  for (const g of groups) byApiName.set(g.name, [...(byApiName.get(g.name) ?? []), g]);
  const endpointMemo = new Map<string, Map<string, Endpoint | undefined>>();
  const pick = (list: PermissionGroup[] | undefined, scope?: Scope) =>
    list && (list.find((g) => !scope || g.scope === scope) ?? (scope ? undefined : list[0]));
  return {
    groups,
    endpoints,
    byName: (name, scope) => pick(byApiName.get(name), scope),
    byId: (id) => byId.get(id.toLowerCase()),
    lookup: (s, scope) => pick(byNorm.get(norm(s)), scope),
    endpoint(method, path) {
      const q = path.indexOf("?");
      const p = q < 0 ? path : path.slice(0, q);
      const m = method.length <= 6 && method === method.toUpperCase() ? method : method.toUpperCase();
      let perMethod = endpointMemo.get(p);
      if (!perMethod) {
        perMethod = new Map();
        if (endpointMemo.size < 10000) endpointMemo.set(p, perMethod);
      }
      if (perMethod.has(m)) return perMethod.get(m);
      const found = findEndpoint(m, p);
      perMethod.set(m, found);
      return found;
    },
  };
  function findEndpoint(m: string, p: string): Endpoint | undefined {
    // Exact template first, then the most specific pattern matching a concrete path: a literal segment beats a
    // placeholder (…/rules/catch_all before …/rules/{rule_id}), independent of the order of the data.
    const exact = endpoints.find((e) => e.method === m && e.path === p);
    if (exact) return exact;
    let best: { e: Endpoint; holes: number } | undefined;
    for (const { e, re, holes } of matchers) {
      if (e.method === m && re.test(p) && (!best || holes < best.holes)) best = { e, holes };
    }
    return best?.e;
  }
}

function templateRegex(template: string): RegExp {
  const parts = template.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp("^" + parts.join("[^/]+") + "$");
}
