// Agreement with the real wrangler (issue "Analysis core", item 5): for each of the 37 API-call traces that
// wrangler 4.164 made against a recording mock (team research: research/oracle.md, parsed into
// test/fixtures/oracle/traces.json), the engine's minimal token for the same config, env, command and account
// state must (a) allow every recorded call and (b) contain no group that the recorded calls do not need.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { diskHost } from "../../server/src/node/disk-host.js";
import { analyzeMinimal, type MinimalAnalysis } from "../../server/src/core/minimal.js";
import { catalog } from "../../server/src/core/permissions/catalog.js";
import type { Requirement } from "../../server/src/core/permissions/require.js";
import type { Endpoint } from "../../server/src/core/permissions/catalog.js";
import { fallbackCalls, skippableForAccountToken, type Owner } from "../../server/src/core/permissions/fallback.js";

const root = join(import.meta.dirname, "..", "..");
// The same fixture projects the live oracle tests run wrangler on (copies of research/oracle-cases).
const casesDir = join(root, "test/oracle/cases");
const traces: { case: string; command: string; calls: { method: string; path: string; status?: number; auth?: string }[] }[] =
  JSON.parse(readFileSync(join(root, "test/fixtures/oracle/traces.json"), "utf8")).traces;

interface Setup {
  dir: string;
  existing?: boolean;
  noAccount?: boolean;
  /** wrangler exited non-zero: only the calls before the first forced failure are checked, and only for coverage. */
  failed?: boolean;
}

// How each trace was recorded (oracle.md: "case" and the runner flags --existing / --no-account-id / --fail).
const SETUP: Record<string, Setup> = {
  plain: { dir: "plain" },
  "routes-zone": { dir: "routes-zone" },
  "routes-zone-id": { dir: "routes-zone-id" },
  "routes-pattern-only": { dir: "routes-pattern-only" },
  "routes-zone-fallback": { dir: "routes-zone" },
  "custom-domain": { dir: "custom-domain" },
  crons: { dir: "crons" },
  "bindings-ids": { dir: "bindings-ids" },
  "bindings-ids-existing": { dir: "bindings-ids", existing: true },
  "d1-no-id": { dir: "d1-no-id" },
  "d1-no-id-existing": { dir: "d1-no-id", existing: true },
  "kv-no-id": { dir: "kv-no-id" },
  "durable-objects": { dir: "durable-objects" },
  "durable-objects-existing": { dir: "durable-objects", existing: true },
  queues: { dir: "queues" },
  "service-binding": { dir: "service-binding" },
  "secrets-store": { dir: "secrets-store" },
  assets: { dir: "assets" },
  "tail-consumers": { dir: "tail-consumers" },
  workflows: { dir: "workflows" },
  "env-production": { dir: "env-production" },
  "no-account": { dir: "no-account", noAccount: true },
  "no-account-memberships-denied": { dir: "no-account", noAccount: true },
  "no-account-accounts-denied": { dir: "no-account", noAccount: true, failed: true },
  "plain-existing": { dir: "plain", existing: true },
  "routes-zone-existing": { dir: "routes-zone", existing: true },
  "routes-zone-existing-wd-off": { dir: "routes-zone", existing: true },
  "versions-upload": { dir: "plain", failed: true },
  "versions-upload-existing": { dir: "plain", existing: true },
  "pages-deploy": { dir: "pages-site", failed: true },
  "pages-deploy-existing": { dir: "pages-site", existing: true },
  "pages-project-create": { dir: "pages-site" },
  "d1-migrations-apply": { dir: "d1-migrations", existing: true },
  "kv-key-put": { dir: "bindings-ids", existing: true },
  "r2-object-put": { dir: "bindings-ids", existing: true },
  "secret-put": { dir: "plain" },
  "secret-put-existing": { dir: "plain", existing: true },
};

const ACCOUNT = "0123456789abcdef0123456789abcdef";

/** Does the token allow the call? Refusals wrangler tolerates (data: endpoints' `fallback`) are judged by the fallback. */
function allows(reqs: Requirement[], method: string, path: string, owner: Owner): boolean {
  const ep = catalog().endpoint(method, path.split("?")[0]!);
  assert.ok(ep, `no catalog entry for ${method} ${path}`);
  if (ep.auth === "jwt" || ep.groups.length === 0) return true;
  // GET /accounts lists the accounts the token holds a group on.
  if (ep.needs === "account-access") return reqs.some((r) => r.group.scope === "account");
  if (owner === "account" && skippableForAccountToken(ep)) return true;
  return reqs.some((r) => {
    if (!ep.groups.includes(r.group.name)) return false;
    if (ep.needs === "all-zones") return false; // zone-specific tokens are refused here; see the fallback check
    if (path.startsWith("/zones")) return r.group.scope === "zone";
    return r.group.scope !== "zone";
  });
}

/** The calls wrangler makes instead when `ep` is refused: conditional ones only where the engine predicted them. */
function fallbackMade(ep: Endpoint, reqs: Requirement[]): { method: string; path: string }[] {
  const predicted = new Set(reqs.flatMap((r) => r.reasons.flatMap((x) => x.api)));
  return fallbackCalls(ep).filter((f) => !f.when || predicted.has(`${f.method} ${f.path}`));
}

function run(name: string, setup: Setup, command: string, owner: Owner = "account"): MinimalAnalysis {
  const words = command.replace(/^wrangler\s+/, "");
  const a = analyzeMinimal(diskHost(), {
    cwd: join(casesDir, setup.dir),
    command: words,
    accountId: setup.noAccount ? undefined : ACCOUNT,
    resourcesExist: setup.existing,
    owner,
  });
  if ("error" in a) assert.fail(`${name}: ${a.error}`);
  return a;
}

test("every recorded trace has a setup", () => {
  assert.deepEqual(traces.map((t) => t.case).sort(), Object.keys(SETUP).sort());
  assert.equal(traces.length, 37);
});

/** The same checks for an account-owned and a user-owned token (the owner changes only the account lookup). */
function checkTrace(trace: (typeof traces)[number], setup: Setup, owner: Owner): void {
  const a = run(trace.case, setup, trace.command, owner);
  const reqs = a.requirements;
  const firstFailure = trace.calls.findIndex((c) => c.status === 403);
  const considered = setup.failed && firstFailure >= 0 ? trace.calls.slice(0, firstFailure) : trace.calls;
  // (a) coverage: every call wrangler made (and was not refused on purpose) is allowed by the token. Where the
  // token is refused and wrangler falls back (the account-level routes write of a zone-specific token), the
  // fallback calls must be allowed instead.
  const uncovered = considered
    .filter((c) => c.status !== 403)
    .filter((c) => {
      const ep = catalog().endpoint(c.method, c.path.split("?")[0]!)!;
      if (ep.needs === "all-zones") return fallbackMade(ep, reqs).some((f) => !allows(reqs, f.method, f.path, owner));
      return !allows(reqs, c.method, c.path, owner);
    })
    .map((c) => `${c.method} ${c.path}`);
  assert.deepEqual(uncovered, [], `calls the minimal ${owner}-owned token does not allow`);
  if (setup.failed) return;
  // (b) necessity: dropping any group leaves a recorded call (forced refusals included: the call was made)
  // unallowed, unless the group is a documented server-side check of the upload. A refused all-zones call
  // counts its fallback calls as made (recorded in routes-zone-fallback).
  const made = [...trace.calls];
  for (const c of trace.calls) {
    const ep = catalog().endpoint(c.method, c.path.split("?")[0]!)!;
    if (ep.needs === "all-zones") made.push(...fallbackMade(ep, reqs));
  }
  for (const r of reqs) {
    const without = reqs.filter((x) => x !== r);
    const serverCheck = r.reasons.some((x) => x.cause.why.includes("upload API checks"));
    const needed = made.some((c) => {
      const ep = catalog().endpoint(c.method, c.path.split("?")[0]!)!;
      if (ep.needs === "all-zones") return false;
      return !allows(without, c.method, c.path, owner);
    });
    assert.ok(needed || serverCheck, `${r.group.name} (${r.group.scope}) is not needed by any recorded call (${owner}-owned token)`);
  }
}

for (const trace of traces) {
  const setup = SETUP[trace.case]!;
  test(`oracle ${trace.case}: \`${trace.command}\``, () => {
    for (const owner of ["account", "user"] as const) checkTrace(trace, setup, owner);
    // With an account id there is no lookup, so who owns the token changes nothing.
    if (!setup.noAccount) {
      assert.deepEqual(run(trace.case, setup, trace.command, "user").result.requirements, run(trace.case, setup, trace.command, "account").result.requirements);
    }
  });
}

test("no account id: an account-owned token needs no Memberships Read, a user-owned one does", () => {
  const acct = run("no-account", SETUP["no-account"]!, "deploy", "account").requirements.map((r) => r.group.name);
  const user = run("no-account", SETUP["no-account"]!, "deploy", "user").requirements.map((r) => r.group.name);
  assert.deepEqual(acct, ["Workers Scripts Write"]);
  assert.deepEqual(user, ["Workers Scripts Write", "Memberships Read"]);
});

test("secrets-store: the binding needs Account Secrets Store Edit, not Read", () => {
  const a = run("secrets-store", SETUP["secrets-store"]!, "deploy");
  const names = a.requirements.map((r) => r.group.name);
  assert.ok(names.includes("Secrets Store Write"));
  assert.ok(!names.includes("Secrets Store Read"));
});

test("routes by zone name need Zone Read on that zone; routes by zone id do not", () => {
  const byName = run("routes-zone", SETUP["routes-zone"]!, "deploy");
  const zr = byName.requirements.find((r) => r.group.name === "Zone Read");
  assert.deepEqual(zr?.resources, ["com.cloudflare.api.account.zone.<ZONE_ID:example.com>"]);
  const byId = run("routes-zone-id", SETUP["routes-zone-id"]!, "deploy");
  assert.equal(byId.requirements.find((r) => r.group.name === "Zone Read"), undefined);
  const wr = byId.requirements.find((r) => r.group.name === "Workers Routes Write");
  assert.ok(wr && wr.resources.every((k) => /^com\.cloudflare\.api\.account\.zone\.[0-9a-f]{32}$/.test(k)), JSON.stringify(wr?.resources));
});
