// Turns predicted API calls into the smallest set of permission groups (with the narrowest resources) that
// allows every call, keeping for each group the calls and config keys that need it.
import { catalog, type Confidence, type Endpoint, type PermissionGroup, type Scope } from "./catalog.js";
import type { Cause, PredictedCall, ZoneRef } from "./calls.js";
import { guessZoneName } from "./calls.js";
import { skippableForAccountToken, type Owner } from "./fallback.js";

export interface Reason {
  cause: Cause;
  /** The API calls behind this reason, as "METHOD /path/template". */
  api: string[];
}

export interface Requirement {
  group: PermissionGroup;
  /** Resource keys: com.cloudflare.api.account.<id>, …zone.<id>, …edge.r2.bucket.<acct>_<jur>_<bucket>, …user.<id>. */
  resources: string[];
  confidence: Confidence;
  reasons: Reason[];
  /** Only a user-owned token needs it: an account-owned token is refused there and wrangler goes on (GET /memberships). */
  userTokenOnly?: true;
}

export interface RequirementOptions {
  /** Concrete account id when known; else the visible placeholder <ACCOUNT_ID>. */
  accountId?: string;
  /** Assume the Worker and its resources exist (no automatic provisioning creates); default false. */
  resourcesExist?: boolean;
  /**
   * Who will own the token. "account": calls whose refusal wrangler tolerates for account-owned tokens need no
   * group (they are listed in `toleratedCalls`). "user": they need theirs. Undecided: they need theirs, and the
   * requirements only they cause are marked `userTokenOnly`.
   */
  owner?: Owner;
}

export interface RequirementResult {
  requirements: Requirement[];
  notes: string[];
  /** Predicted calls the catalog has no entry for (a data gap; reported, never silently dropped). */
  unknownCalls: string[];
  /** The calls kept for the assumed account state. */
  calls: PredictedCall[];
  /** Calls an account-owned token is refused and wrangler tolerates that (owner "account" only). */
  toleratedCalls: PredictedCall[];
}

export const ACCOUNT_PLACEHOLDER = "<ACCOUNT_ID>";
export const USER_PLACEHOLDER = "<USER_ID>";

export function accountResource(accountId: string | undefined): string {
  return `com.cloudflare.api.account.${accountId ?? ACCOUNT_PLACEHOLDER}`;
}

export function zoneResource(z: ZoneRef): string {
  if (z.zoneId) return `com.cloudflare.api.account.zone.${z.zoneId}`;
  const name = z.zoneName ?? guessZoneName(z.host ?? "");
  return `com.cloudflare.api.account.zone.<ZONE_ID:${name}>`;
}

export function bucketResource(accountId: string | undefined, b: { name: string; jurisdiction: string }): string {
  return `com.cloudflare.edge.r2.bucket.${accountId ?? ACCOUNT_PLACEHOLDER}_${b.jurisdiction || "default"}_${b.name}`;
}

const RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };
const SCOPE_ORDER: Record<Scope, number> = { account: 0, "r2-bucket": 1, zone: 2, user: 3 };

interface Candidate {
  call: PredictedCall;
  options: PermissionGroup[];
  confidence: Confidence;
  /** The account-level routes write: allowed to fail, wrangler falls back per zone. */
  allZones: boolean;
  /** GET /accounts: any group the token holds on the account allows it. */
  accountAccess: boolean;
  /** Only a user-owned token needs a group for it (an account-owned token's refusal is tolerated). */
  userOnly: boolean;
}

export function computeRequirements(calls: PredictedCall[], opts: RequirementOptions): RequirementResult {
  const kept = calls.filter((c) => !c.when || (opts.resourcesExist ? c.when === "existing" : c.when === "fresh"));
  const notes: string[] = [];
  const { candidates, unknownCalls, toleratedCalls } = candidatesOf(kept, opts.owner);
  const chosen = chooseGroups(candidates, opts);
  const requirements = [...chosen.values()].sort(
    (a, b) => SCOPE_ORDER[a.group.scope] - SCOPE_ORDER[b.group.scope] || cmp(a.group.name, b.group.name),
  );
  for (const r of requirements) {
    r.resources.sort();
    r.reasons.sort(
      (a, b) =>
        cmp(a.cause.location?.file ?? "", b.cause.location?.file ?? "") ||
        (a.cause.location?.span.start ?? -1) - (b.cause.location?.span.start ?? -1),
    );
  }
  if (unknownCalls.length) notes.push(`No permission facts for: ${[...new Set(unknownCalls)].join(", ")}.`);
  return { requirements, notes, unknownCalls, calls: kept, toleratedCalls };
}

function candidatesOf(
  kept: PredictedCall[],
  owner: Owner | undefined,
): { candidates: Candidate[]; unknownCalls: string[]; toleratedCalls: PredictedCall[] } {
  const cat = catalog();
  const candidates: Candidate[] = [];
  const unknownCalls: string[] = [];
  const toleratedCalls: PredictedCall[] = [];
  for (const call of kept) {
    const base = { call, allZones: false, accountAccess: false, userOnly: false };
    if (call.serverCheck) {
      const options = call.serverCheck.groups.map((g) => cat.byName(g)).filter((g): g is PermissionGroup => !!g);
      candidates.push({ ...base, options, confidence: call.confidence ?? "high" });
      continue;
    }
    const ep = cat.endpoint(call.method, call.path);
    if (!ep) {
      unknownCalls.push(`${call.method} ${call.path}`);
      continue;
    }
    if (ep.auth === "jwt") continue;
    const userOnly = skippableForAccountToken(ep, cat);
    if (userOnly && owner === "account") {
      toleratedCalls.push(call);
      continue;
    }
    const options = groupOptions(ep, !!call.zone, !!call.bucket, !!call.writes);
    const confidence = minConfidence(call.confidence ?? "high", ep.confidence);
    candidates.push({
      ...base,
      options,
      confidence,
      allZones: ep.needs === "all-zones",
      accountAccess: ep.needs === "account-access",
      userOnly,
    });
  }
  return { candidates, unknownCalls, toleratedCalls };
}

function chooseGroups(candidates: Candidate[], opts: RequirementOptions): Map<string, Requirement> {
  const cat = catalog();
  const chosen = new Map<string, Requirement>();
  const resourceFor = (g: PermissionGroup, call: PredictedCall): string => {
    switch (g.scope) {
      case "zone":
        return call.zone ? zoneResource(call.zone) : "com.cloudflare.api.account.zone.*";
      case "r2-bucket":
        return call.bucket ? bucketResource(opts.accountId, call.bucket) : accountResource(opts.accountId);
      case "user":
        return `com.cloudflare.api.user.${USER_PLACEHOLDER}`;
      default:
        return accountResource(opts.accountId);
    }
  };
  const attach = (g: PermissionGroup, c: Candidate) => {
    let req = chosen.get(g.id);
    if (!req) {
      req = { group: g, resources: [], confidence: c.confidence, reasons: [] };
      if (c.userOnly) req.userTokenOnly = true;
      chosen.set(g.id, req);
    } else if (!c.userOnly) delete req.userTokenOnly;
    // An all-zones call (the account-level routes write) is allowed to fail: wrangler falls back per zone.
    // It adds a reason but no resource of its own; so does the account lookup joining a group already chosen.
    if (!c.allZones && !(c.accountAccess && req.reasons.length)) {
      const r = resourceFor(g, c.call);
      if (!req.resources.includes(r)) req.resources.push(r);
      if (RANK[c.confidence] > RANK[req.confidence]) req.confidence = c.confidence;
    }
    const api = `${c.call.method} ${c.call.path}`;
    const same = req.reasons.find(
      (x) =>
        x.cause.key === c.call.cause.key && x.cause.why === c.call.cause.why && sameLocation(x.cause, c.call.cause),
    );
    if (same) {
      if (!same.api.includes(api)) same.api.push(api);
    } else req.reasons.push({ cause: c.call.cause, api: [api] });
  };

  // Calls with one possible group decide first; the rest reuse a chosen group where they can, otherwise take
  // the narrowest option (bucket-scoped over account-wide, Read over Write, the endpoint's own family first).
  // The account lookup comes last: any account-level group the command needs lets the token see its account.
  const ordered = [...candidates].sort(
    (a, b) => Number(a.accountAccess) - Number(b.accountAccess) || a.options.length - b.options.length,
  );
  for (const c of ordered) {
    if (c.accountAccess) {
      const held = accountGroupFor(chosen);
      if (held) {
        attach(held.group, c);
        continue;
      }
    }
    if (c.options.length === 0) continue;
    const reuse = c.options.find((g) => chosen.has(g.id) && (g.scope !== "r2-bucket" || !!c.call.bucket));
    if (reuse) {
      attach(reuse, c);
      continue;
    }
    attach(pickNarrowest(c.options, c.call), c);
  }
  // A bucket-scoped group is pointless when the account-wide twin family is already required with Write.
  for (const [k, req] of chosen) {
    if (req.group.scope !== "r2-bucket") continue;
    const acctWrite = chosen.get(cat.byName("Workers R2 Storage Write", "account")?.id ?? "");
    if (acctWrite && req.group.name.endsWith("Read")) {
      for (const r of req.reasons) acctWrite.reasons.push(r);
      chosen.delete(k);
    }
  }
  return chosen;
}

/** The command's main account-level group (the one with the most reasons), which also lists its account. */
function accountGroupFor(chosen: Map<string, Requirement>): Requirement | undefined {
  let best: Requirement | undefined;
  for (const r of chosen.values()) {
    if (r.group.scope !== "account") continue;
    if (
      !best ||
      r.reasons.length > best.reasons.length ||
      (r.reasons.length === best.reasons.length && r.group.name < best.group.name)
    )
      best = r;
  }
  return best;
}

/** Per-endpoint options, kept on the (static, shipped) catalog entry itself as a non-enumerable property. */
const OPTIONS = Symbol("group options");
type WithOptions = Endpoint & { [OPTIONS]?: (PermissionGroup[] | undefined)[] };

/** The catalog groups that allow an endpoint, filtered for one kind of call; computed once per combination. */
function groupOptions(ep: Endpoint, zone: boolean, bucket: boolean, writes: boolean): PermissionGroup[] {
  const e = ep as WithOptions;
  if (!e[OPTIONS]) Object.defineProperty(e, OPTIONS, { value: [], enumerable: false });
  const perEp = e[OPTIONS]!;
  const k = (zone ? 1 : 0) | (bucket ? 2 : 0) | (writes ? 4 : 0);
  const hit = perEp[k];
  if (hit) return hit;
  const cat = catalog();
  const scopeHint: Scope | undefined = zone ? "zone" : undefined;
  const options = ep.groups
    .map((g) => cat.byName(g, scopeHint) ?? cat.byName(g))
    .filter((g): g is PermissionGroup => !!g)
    .filter((g) => g.scope !== "r2-bucket" || bucket)
    .filter((g) => !writes || !g.name.endsWith(" Read"));
  perEp[k] = options;
  return options;
}

function pickNarrowest(options: PermissionGroup[], call: PredictedCall): PermissionGroup {
  const score = (g: PermissionGroup) => {
    let s = 0;
    if (g.scope === "r2-bucket" && call.bucket) s -= 100;
    if (g.name.endsWith(" Read")) s -= 10;
    if (g.name === "Workers Tail Read") s += 50; // accepted by script reads, but not what a deploy token is for
    if (familyMatches(g, call.path)) s -= 5;
    return s;
  };
  return [...options].sort((a, b) => score(a) - score(b))[0]!;
}

function familyMatches(g: PermissionGroup, path: string): boolean {
  const n = g.name.toLowerCase();
  if (path.includes("/queues")) return n.startsWith("queues");
  if (path.includes("/d1/")) return n.startsWith("d1");
  if (path.includes("/storage/kv")) return n.includes("kv");
  if (path.includes("/r2/")) return n.includes("r2");
  if (path.includes("/pages/")) return n.startsWith("pages");
  if (path.includes("/workers/")) return n.startsWith("workers scripts");
  return false;
}

/** Plain code-unit order: stable across locales, and much cheaper than localeCompare. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function minConfidence(a: Confidence, b: Confidence): Confidence {
  return RANK[a] <= RANK[b] ? a : b;
}

function sameLocation(a: Cause, b: Cause): boolean {
  return a.location?.file === b.location?.file && a.location?.span.start === b.location?.span.start;
}
