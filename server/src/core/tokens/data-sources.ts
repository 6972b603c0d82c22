// The permission-group data sources of the Cloudflare Terraform provider, as evaluator values made of the
// catalog's groups (shared research permissions.md §3; facts-2026-12.md "Tokens"):
// - v3/v4 `data "cloudflare_api_token_permission_groups"`: maps `account`, `zone`, `user`, `r2` and the older
//   all-scopes `permissions`, each API name → id.
// - v5 `data "cloudflare_api_token_permission_groups_list"` (user) and
//   `data "cloudflare_account_api_token_permission_groups_list"` (account): `result`, a list of { id, name,
//   scopes }, optionally filtered by `name` (URL-encoded) and `scope`; `for_each` and `count` instances too.
// Cloudflare's lists hold more groups than the catalog, so unfiltered maps and lists are "open": reading one
// whole (values(…), a `for` over it) grants at least the catalog's groups of it, and a name the catalog lacks is
// unknown rather than absent.
import { catalog, type PermissionGroup, type Scope } from "../permissions/catalog.js";
import { workerRole, workerRoles, type WorkerRole } from "../permissions/worker-roles.js";
import { Evaluator, prim, scopeString, unknown, type EvalModule, type Value } from "./evaluate.js";
import { sortedEntries } from "./values.js";

export const V4_DATA_SOURCE = "cloudflare_api_token_permission_groups";
export const V5_LIST_SOURCES = new Set([
  "cloudflare_api_token_permission_groups_list",
  "cloudflare_account_api_token_permission_groups_list",
]);

/** v4 data source attribute → catalog scope (`permissions` is the deprecated all-scopes map). */
const V4_MAPS: Record<string, Scope | undefined> = {
  account: "account",
  zone: "zone",
  user: "user",
  r2: "r2-bucket",
  permissions: undefined,
};
const SCOPE_WORDS: Record<Scope, string> = { account: "account", zone: "zone", user: "user", "r2-bucket": "R2 bucket" };

type Group = PermissionGroup | WorkerRole;

function v4Map(attr: string, scope: Scope | undefined): Value {
  const groups = catalog().groups.filter((g) => !scope || g.scope === scope);
  const entries = new Map<string, Value>();
  for (const g of groups) if (!entries.has(g.name)) entries.set(g.name, prim(g.id));
  const label = scope ? SCOPE_WORDS[scope] : "any scope";
  return {
    t: "map",
    entries,
    open: {
      what: scope ? `every ${label} permission group` : "every permission group",
      scope: scope ? attr : undefined,
      resolve: (key) => {
        const g = catalog().lookup(key, scope) ?? (scope ? undefined : catalog().lookup(key));
        return g && (!scope || g.scope === scope) ? prim(g.id) : undefined;
      },
    },
  };
}

function v4Source(): Value {
  const entries = new Map<string, Value>();
  for (const [attr, scope] of Object.entries(V4_MAPS)) entries.set(attr, v4Map(attr, scope));
  return { t: "map", entries };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

function allGroups(): Group[] {
  return [...catalog().groups, ...workerRoles()];
}

/** The `result` list for one instance of a v5 list data source, given its evaluated `name` / `scope` filters. */
function listResult(name: Value | undefined, scope: Value | undefined, label: string): Value {
  if (name && (name.t !== "prim" || typeof name.v !== "string"))
    return name.t === "unknown" ? name : unknown(`the name filter of ${label} is not a string`);
  if (scope && (scope.t !== "prim" || typeof scope.v !== "string"))
    return scope.t === "unknown" ? scope : unknown(`the scope filter of ${label} is not a string`);
  const scopeFilter = scope?.t === "prim" ? decode(String(scope.v)) : undefined;
  const inScope = (g: Group) => !scopeFilter || scopeString(g) === scopeFilter;
  if (name?.t === "prim") {
    const n = decode(String(name.v));
    const hits: Group[] = [];
    const cat = catalog();
    for (const g of cat.groups) if (inScope(g) && (g.name === n || cat.lookup(n, g.scope) === g)) hits.push(g);
    const role = workerRole(n);
    if (role && inScope(role)) hits.push(role);
    return {
      t: "list",
      items: dedupeByName(hits).map((g) => ({ t: "group", g })),
      open: { what: `the groups named "${n}"`, pinned: [n] },
    };
  }
  const groups = allGroups().filter(inScope);
  return {
    t: "list",
    items: groups.map((g) => ({ t: "group", g })),
    open: { what: scopeFilter ? `every permission group of scope ${scopeFilter}` : "every permission group" },
  };
}

/** One name per scope: a lenient lookup can match a group under its alias and its own name. */
function dedupeByName(gs: Group[]): Group[] {
  return gs.filter((g, i) => gs.indexOf(g) === i);
}

/**
 * The value of `data.<type>.<name>` when it is a permission-group data source of this module, else undefined.
 * `for_each` (a known list, set or map) gives a map of instances, `count` (a known number) a list.
 */
export function permissionGroupSource(mod: EvalModule, type: string, name: string, ev: Evaluator): Value | undefined {
  if (type !== V4_DATA_SOURCE && !V5_LIST_SOURCES.has(type)) return undefined;
  // The v4 data source takes no arguments: its maps are the same wherever it is declared (a file of the module
  // this reader was not given, in a partial checkout).
  if (type === V4_DATA_SOURCE) return v4Source();
  const src = mod.data.get(`${type}.${name}`);
  if (!src) return unknown(`data.${type}.${name} is not declared in this module, so its name filter is not known`);
  const attr = (k: string) => src.block.body.attributes.find((a) => a.name === k);
  const label = `data.${type}.${name}`;
  const instance = (scopeVars: Map<string, Value>): Value => {
    const nameA = attr("name");
    const scopeA = attr("scope");
    const n = nameA ? ev.eval({ expr: nameA.value, file: src.file }, scopeVars) : undefined;
    const s = scopeA ? ev.eval({ expr: scopeA.value, file: src.file }, scopeVars) : undefined;
    return { t: "map", entries: new Map([["result", listResult(n, s, label)]]) };
  };
  const forEach = attr("for_each");
  const count = attr("count");
  if (forEach) {
    const coll = ev.eval({ expr: forEach.value, file: src.file });
    if (coll.t !== "list" && coll.t !== "map")
      return coll.t === "unknown" ? coll : unknown(`the for_each of ${label} is not a collection`);
    const entries = new Map<string, Value>();
    const pairs: [string, Value][] =
      coll.t === "map" ? sortedEntries(coll.entries) : coll.items.map((v) => [v.t === "prim" ? String(v.v) : "?", v]);
    for (const [k, v] of pairs)
      entries.set(
        k,
        instance(
          new Map([
            [
              "each",
              {
                t: "map",
                entries: new Map([
                  ["key", prim(k)],
                  ["value", v],
                ]),
              },
            ],
          ]),
        ),
      );
    return { t: "map", entries };
  }
  if (count) {
    const c = ev.eval({ expr: count.value, file: src.file });
    if (c.t !== "prim" || typeof c.v !== "number")
      return c.t === "unknown" ? c : unknown(`the count of ${label} is not a number`);
    const items: Value[] = [];
    for (let i = 0; i < Math.min(c.v, 100); i++)
      items.push(instance(new Map([["count", { t: "map", entries: new Map([["index", prim(i)]]) }]])));
    return { t: "list", items };
  }
  return instance(new Map());
}
