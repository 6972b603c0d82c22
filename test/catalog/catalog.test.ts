// The shipped permission catalog: schema validity, group identity, endpoint coverage of the wrangler 4.164 traces,
// and lookups by the labels people actually write in tokens and docs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fallbackCalls, skippableForAccountToken } from "../../server/src/core/permissions/fallback.js";
import { predictCalls } from "../../server/src/core/permissions/calls.js";
import { parseWranglerCommand } from "../../server/src/core/command.js";
import { readConfigFile, resolveConfig } from "../../server/src/core/model/wrangler.js";
import {
  buildCatalog,
  catalog,
  type Endpoint,
  type PermissionGroup,
} from "../../server/src/core/permissions/catalog.js";

const dataDir = resolve(__dirname, "../../server/src/core/data");
const rawGroups: unknown = JSON.parse(readFileSync(resolve(dataDir, "permission-groups.json"), "utf8"));
const rawEndpoints: unknown = JSON.parse(readFileSync(resolve(dataDir, "endpoints.json"), "utf8"));

interface TraceCall {
  method: string;
  path: string;
  status?: number;
  auth?: "jwt";
}
interface Trace {
  case: string;
  command: string;
  calls: TraceCall[];
}
const traces: Trace[] = JSON.parse(readFileSync(resolve(__dirname, "../fixtures/oracle/traces.json"), "utf8")).traces;

function templateMatches(template: string, path: string): boolean {
  const parts = template.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp("^" + parts.join("[^/]+") + "$").test(path.split("?")[0]!);
}
const holes = (template: string) => (template.match(/\{[^}]+\}/g) ?? []).length;

test("the shipped data passes the zod schema", () => {
  const c = buildCatalog(rawGroups, rawEndpoints);
  assert.ok(c.groups.length >= 80, `only ${c.groups.length} groups`);
  assert.ok(c.endpoints.length >= 100, `only ${c.endpoints.length} endpoints`);
  // catalog() is the same data, validated once
  assert.equal(catalog().groups.length, c.groups.length);
  assert.equal(catalog().endpoints.length, c.endpoints.length);
});

test("buildCatalog rejects malformed data", () => {
  const groups = rawGroups as PermissionGroup[];
  assert.throws(() => buildCatalog([{ ...groups[0], id: "not-hex" }], []));
  assert.throws(() =>
    buildCatalog([], [{ method: "GET", path: "no-slash", groups: [], source: "x", confidence: "high" }]),
  );
  assert.throws(() =>
    buildCatalog([], [{ method: "GET", path: "/x", groups: [], source: "x", confidence: "certain" }]),
  );
});

test("group ids are 32 lower-case hex and unique; names are unique per scope", () => {
  const { groups } = catalog();
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const g of groups) {
    assert.match(g.id, /^[0-9a-f]{32}$/, g.name);
    assert.ok(!ids.has(g.id), `duplicate id ${g.id} (${g.name})`);
    ids.add(g.id);
    const key = `${g.scope}/${g.name}`;
    assert.ok(!names.has(key), `duplicate name in scope: ${key}`);
    names.add(key);
    assert.equal(catalog().byId(g.id.toUpperCase()), g);
  }
});

test("names that exist in two scopes stay two entries (Logs Read/Write)", () => {
  const c = catalog();
  for (const name of ["Logs Read", "Logs Write"]) {
    const acct = c.byName(name, "account");
    const zone = c.byName(name, "zone");
    assert.ok(acct && zone, name);
    assert.notEqual(acct.id, zone.id);
    assert.equal(c.lookup(name, "zone"), zone);
    assert.equal(c.lookup(acct.label, "account"), acct);
  }
});

test("labels are clean dashboard labels, not pairs, markdown or notes", () => {
  for (const g of catalog().groups) {
    assert.doesNotMatch(g.label, /\*|\(|\)| \/ |\bsame\b/, `${g.name}: ${g.label}`);
    for (const a of g.aliases ?? []) assert.doesNotMatch(a, /\*|\(|\)| \/ /, `${g.name} alias ${a}`);
  }
});

test("twins point at each other within the same scope and differ only in Read/Write", () => {
  const c = catalog();
  for (const g of c.groups) {
    if (!g.twin) continue;
    const t = c.byName(g.twin, g.scope);
    assert.ok(t, `${g.scope}/${g.name}: twin ${g.twin} missing`);
    assert.equal(t.scope, g.scope);
    assert.equal(t.twin, g.name, `${t.name} does not point back at ${g.name}`);
    assert.equal(g.name.replace(/ (Read|Write)$/, ""), t.name.replace(/ (Read|Write)$/, ""), `${g.name} ↔ ${t.name}`);
    assert.notEqual(g.name, t.name);
  }
  // every Read/Write pair present in one scope is linked
  for (const g of c.groups) {
    const m = /^(.*) Read$/.exec(g.name);
    if (m && c.byName(`${m[1]} Write`, g.scope)) assert.equal(g.twin, `${m[1]} Write`, g.name);
  }
});

test("every name, label and alias looks up its own group within its scope (no collisions)", () => {
  const c = catalog();
  for (const g of c.groups) {
    for (const s of [g.name, g.label, ...(g.aliases ?? [])]) {
      assert.equal(c.lookup(s, g.scope), g, `${JSON.stringify(s)} in ${g.scope}`);
    }
  }
});

test("lookup finds groups by the labels seen in dashboards, docs and templates", () => {
  const c = catalog();
  const cases: [string, string][] = [
    ["Workers Scripts: Edit", "Workers Scripts Write"],
    ["Workers Scripts Edit", "Workers Scripts Write"],
    ["workers scripts: read", "Workers Scripts Read"],
    ["Cloudflare Pages Edit", "Pages Write"],
    ["Cloudflare Pages: Edit", "Pages Write"],
    ["Cloudflare Pages: Read", "Pages Read"],
    ["Account Secrets Store Edit", "Secrets Store Write"],
    ["Account Secrets Store: Read", "Secrets Store Read"],
    ["User Memberships Read", "Memberships Read"],
    ["User Memberships: Read", "Memberships Read"],
    ["Argo Tunnel Write", "Cloudflare Tunnel Write"],
    ["Containers Write", "Workers Containers Write"],
    ["Containers: Edit", "Workers Containers Write"],
    ["Workers Routes: Edit", "Workers Routes Write"],
    ["D1: Edit", "D1 Write"],
    ["Zone Zone Read", "Zone Read"],
    ["**Account Secrets Store: Edit**", "Secrets Store Write"],
  ];
  for (const [label, name] of cases) assert.equal(c.lookup(label)?.name, name, label);
  assert.equal(c.lookup("Workers Scripts: Destroy"), undefined);
  assert.equal(c.lookup("Workers Routes: Edit", "account"), undefined, "Workers Routes is zone-scoped");
});

test("every group named by an endpoint exists, in a scope that fits the path", () => {
  const c = catalog();
  for (const e of c.endpoints) {
    for (const name of e.groups) {
      const candidates = c.groups.filter((g) => g.name === name);
      assert.ok(candidates.length > 0, `${e.method} ${e.path}: unknown group ${name}`);
      const scopes = new Set(candidates.map((g) => g.scope));
      if (e.path.startsWith("/zones/"))
        assert.ok(scopes.has("zone"), `${e.method} ${e.path}: ${name} is not zone-scoped`);
      else if (e.path === "/zones") assert.ok(scopes.has("zone"), `${name} for GET /zones`);
      else if (e.path.startsWith("/accounts/") && e.needs !== "all-zones" && e.confidence !== "low")
        assert.ok(scopes.has("account"), `${e.method} ${e.path}: ${name} is not account-scoped`);
      else if (e.path.startsWith("/user") || e.path.startsWith("/memberships"))
        assert.ok(scopes.has("user"), `${e.method} ${e.path}: ${name} is not user-scoped`);
    }
    if (e.needs === "all-zones") for (const n of e.groups) assert.equal(c.byName(n)?.scope, "zone", `${e.path}: ${n}`);
  }
});

test("endpoint entries: groups non-empty unless jwt or documented; jwt entries have no groups; notes explain guesses", () => {
  for (const e of catalog().endpoints) {
    if (e.auth === "jwt") assert.deepEqual(e.groups, [], `${e.method} ${e.path}`);
    if (e.groups.length === 0) assert.ok(e.auth === "jwt" || e.note, `${e.method} ${e.path}: no groups and no note`);
    if (e.confidence !== "high") assert.ok(e.note, `${e.method} ${e.path}: ${e.confidence} confidence needs a note`);
    assert.equal(new Set(e.groups).size, e.groups.length, `${e.method} ${e.path}: duplicate group`);
  }
});

test("no two endpoint templates of one method overlap unless one is strictly more specific", () => {
  const eps = catalog().endpoints;
  for (const a of eps) {
    for (const b of eps) {
      if (a === b || a.method !== b.method) continue;
      assert.ok(!(a.path === b.path), `duplicate ${a.method} ${a.path}`);
      if (templateMatches(a.path, b.path)) {
        assert.ok(holes(b.path) < holes(a.path), `${a.method} ${a.path} overlaps ${b.path}`);
      }
    }
  }
});

test("endpoint() resolves concrete paths, ignores the query and prefers literal segments", () => {
  const c = catalog();
  const put = c.endpoint("put", "/accounts/0123/workers/scripts/my-worker?excludeScript=true&bindings_inherit=strict");
  assert.equal(put?.path, "/accounts/{account_id}/workers/scripts/{script_name}");
  assert.deepEqual(put?.groups, ["Workers Scripts Write"]);
  assert.equal(
    c.endpoint("PUT", "/zones/z1/email/routing/rules/catch_all")?.path,
    "/zones/{zone_id}/email/routing/rules/catch_all",
  );
  assert.equal(
    c.endpoint("PUT", "/zones/z1/email/routing/rules/r1")?.path,
    "/zones/{zone_id}/email/routing/rules/{rule_identifier}",
  );
  assert.equal(c.endpoint("GET", "/accounts/0123/workers/scripts/a/b/c/d"), undefined);
  const routes = c.endpoint("PUT", "/accounts/a/workers/scripts/w/routes");
  assert.equal(routes?.needs, "all-zones");
  assert.deepEqual(routes?.groups, ["Workers Routes Write"]);
  assert.equal(c.endpoint("GET", "/zones?name=example.com&account.id=a")?.groups[0], "Zone Read");
});

test("the trace fixture holds all 37 recorded wrangler runs", () => {
  assert.equal(traces.length, 37);
  assert.equal(new Set(traces.map((t) => t.case)).size, 37);
  for (const t of traces) {
    assert.ok(t.calls.length > 0, t.case);
    for (const call of t.calls) {
      assert.match(call.method, /^(GET|POST|PUT|PATCH|DELETE)$/);
      assert.ok(call.path.startsWith("/"), call.path);
    }
  }
});

test("every call of every recorded wrangler trace matches exactly one endpoint entry", () => {
  const c = catalog();
  const unmatched: string[] = [];
  for (const t of traces) {
    for (const call of t.calls) {
      const label = `${t.case}: ${call.method} ${call.path}`;
      const all = c.endpoints.filter((e) => e.method === call.method && templateMatches(e.path, call.path));
      if (all.length !== 1) {
        unmatched.push(`${label} -> ${all.length} entries`);
        continue;
      }
      const e: Endpoint | undefined = c.endpoint(call.method, call.path);
      assert.equal(e, all[0], label);
      assert.equal(e.auth, call.auth ?? "token", `${label}: auth`);
    }
  }
  assert.deepEqual(unmatched, []);
});

test("trace-derived facts: upload needs Workers Scripts Write, assets upload is jwt, account discovery is covered", () => {
  const c = catalog();
  const deploy = traces.find((t) => t.case === "assets")!;
  const needed = deploy.calls.map((call) => c.endpoint(call.method, call.path)!);
  assert.ok(needed.some((e) => e.groups.length === 1 && e.groups[0] === "Workers Scripts Write"));
  assert.deepEqual(
    needed.filter((e) => e.auth === "jwt").map((e) => e.path),
    ["/accounts/{account_id}/workers/assets/upload"],
  );
  const noAccount = traces.find((t) => t.case === "no-account")!;
  const memberships = c.endpoint("GET", noAccount.calls[1]!.path)!;
  assert.deepEqual([...memberships.groups].sort(), ["Memberships Read", "Memberships Write"]);
  assert.ok(c.endpoint("GET", "/accounts?page=1")!.groups.includes("Account Settings Read"));
});

test("fallbacks: every fallback call is in the catalog, its codes are auth refusals, and the engine predicts them", () => {
  const c = catalog();
  const withFallback = c.endpoints.filter((e) => e.fallback);
  assert.deepEqual(withFallback.map((e) => `${e.method} ${e.path}`).sort(), [
    "GET /memberships",
    "PUT /accounts/{account_id}/workers/scripts/{script_name}/routes",
  ]);
  for (const e of withFallback) {
    for (const code of e.fallback!.codes) assert.ok([9106, 10000].includes(code), `${e.path}: ${code}`);
    for (const f of e.fallback!.calls)
      assert.ok(c.endpoint(f.method, f.path), `${e.path}: fallback ${f.method} ${f.path} is not in the catalog`);
  }
  // GET /memberships is the one call an account-owned token may skip; GET /accounts is allowed by any account group.
  assert.deepEqual(
    c.endpoints.filter((e) => skippableForAccountToken(e)).map((e) => e.path),
    ["/memberships"],
  );
  assert.deepEqual(
    c.endpoints.filter((e) => e.needs === "account-access").map((e) => e.path),
    ["/accounts"],
  );
  // The engine's route calls include wrangler's fallback: the per-zone calls the data names, the zone lookup
  // only for a route without zone_id.
  const routes = c.endpoint("PUT", "/accounts/{account_id}/workers/scripts/{script_name}/routes")!;
  for (const [config, lookup] of [
    ['name = "w"\nmain = "i.js"\nroutes = [{ pattern = "example.com/*", zone_name = "example.com" }]\n', true],
    [
      'name = "w"\nmain = "i.js"\nroutes = [{ pattern = "example.com/*", zone_id = "dddddddddddddddddddddddddddddddd" }]\n',
      false,
    ],
  ] as const) {
    const file = readConfigFile("/p/wrangler.toml", config);
    const predicted = predictCalls(resolveConfig(file, null), {
      command: parseWranglerCommand("deploy"),
      accountKnown: true,
    }).calls.map((x) => `${x.method} ${x.path}`);
    assert.ok(predicted.includes(`${routes.method} ${routes.path}`));
    for (const f of fallbackCalls(routes)) {
      assert.equal(
        predicted.includes(`${f.method} ${f.path}`),
        !f.when || lookup,
        `${f.method} ${f.path} (${lookup ? "zone_name" : "zone_id"})`,
      );
    }
  }
});
