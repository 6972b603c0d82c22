// Compares a recorded list of Cloudflare API calls with a predicted token: which calls the token covers,
// which it does not, which predicted groups no call used, and why a failed command failed. Pure: the
// endpoint data comes from the permission catalog (server/src/core/data/endpoints.json), and the refusals
// wrangler tolerates (its fallbacks) from the same data through permissions/fallback.ts, as the engine uses them.
import { catalog, type Catalog, type Endpoint, type Scope } from "../permissions/catalog.js";
import { expectedRefusal, fallbackCalls, resourceIsAll, tolerates, type Owner } from "../permissions/fallback.js";

export type CallAuth = "token" | "jwt" | "key" | "none";

export interface RecordedCall {
  /** 1-based order in which the proxy received the call. */
  seq: number;
  method: string;
  /** Path template relative to the API base: "/accounts/{account_id}/workers/scripts/{script_name}". */
  path: string;
  /** Query parameter names (no values). */
  query: string[];
  /** How the request authenticated: the API token, an upload JWT from an earlier answer, a global key, or nothing. */
  auth: CallAuth;
  /** HTTP status of the answer (0 when the upstream could not be reached). */
  status: number;
  /** Cloudflare error codes and messages from the answer's envelope (only for failed calls). */
  errors: { code: number; message: string }[];
  /** For zone calls: the zone the call is about (id from the path, name from ?name= or learned from /zones answers). */
  zone?: { id?: string; name?: string };
  /** For list calls whose answer was read (GET /zones): how many results came back. */
  listed?: number;
}

/** The part of a minimal-token prediction this comparison reads (matches `minimal --format json`). */
export interface PredictedRequirement {
  group: string;
  scope: Scope;
  resources: string[];
}

export type Verdict =
  /** A group in the token allows the call. */
  | "covered"
  /** The call carries an upload JWT (or needs no permission): the token's groups do not matter. */
  | "no-permission-needed"
  /** The endpoint needs a group on all zones; the token's group is zone-specific and the API refused with 10000. */
  | "refused-all-zones"
  /**
   * The API refuses the predicted token here (or would: the recording's token was broader) with a code wrangler
   * tolerates, and the token allows the fallback calls wrangler then makes: the routes write of a zone-specific
   * token, GET /memberships of an account-owned one.
   */
  | "tolerated"
  /** No group in the token allows the call. */
  | "missing"
  /** The endpoint is not in the catalog, so what it needs is unknown. */
  | "unknown-endpoint";

export interface CallVerdict {
  call: RecordedCall;
  /** Groups that allow the call (any one), from the catalog; [] for JWT calls and unknown endpoints. */
  needs: string[];
  /** The token groups that allow it. */
  coveredBy: string[];
  verdict: Verdict;
  /** Extra words on the verdict (e.g. "needs Workers Routes Write on all zones"). */
  detail?: string;
  /** Catalog note and source for the endpoint, when known. */
  endpoint?: Pick<Endpoint, "source" | "note" | "needs" | "auth">;
}

export interface Comparison {
  calls: CallVerdict[];
  /** Groups the recording needs that the prediction lacks (one entry per uncovered call's first choice). */
  missing: { group: string; calls: string[] }[];
  /** Predicted groups that no recorded call used. */
  extra: string[];
  /** Calls whose endpoint is not in the catalog. */
  unknown: string[];
}

/** "GET /zones?name&account.id" */
export function callLabel(c: Pick<RecordedCall, "method" | "path" | "query">): string {
  return `${c.method} ${c.path}${c.query.length ? "?" + c.query.join("&") : ""}`;
}

/** "com.cloudflare.api.account.zone.<ZONE_ID:example.com>" → "example.com"; "…zone.0123…" → "0123…". */
function stripResource(r: string): string {
  return r
    .trim()
    .toLowerCase()
    .replace(/^com\.cloudflare\.api\.account\.zone\./, "")
    .replace(/^zone[:=]\s*/, "")
    .replace(/^<zone_id:(.*)>$/, "$1");
}

/** True when a zone-scoped requirement's resources include the call's zone. */
export function zoneCovered(resources: readonly string[], zone: RecordedCall["zone"]): boolean {
  if (resourceIsAll(resources)) return true;
  if (!zone) return false;
  const want = [zone.id, zone.name].filter((s): s is string => !!s).map((s) => s.toLowerCase());
  return resources.some((r) => want.includes(stripResource(r)));
}

/** The error codes wrangler and the API use for "this token may not do that". */
export const AUTH_ERROR_CODES = new Set([10000, 10001, 9106, 9109, 9103, 7003, 10042]);

export function isAuthFailure(c: RecordedCall): boolean {
  return c.status === 401 || c.status === 403 || c.errors.some((e) => AUTH_ERROR_CODES.has(e.code));
}

export interface JudgeOptions {
  /** Who owns the predicted token (default "account", as `minimal` predicts it). */
  owner?: Owner;
  cat?: Catalog;
}

export function judgeCall(
  call: RecordedCall,
  token: readonly PredictedRequirement[],
  opts: JudgeOptions = {},
): CallVerdict {
  const cat = opts.cat ?? catalog();
  const ep = cat.endpoint(call.method, call.path);
  const meta = ep && { source: ep.source, note: ep.note, needs: ep.needs, auth: ep.auth };
  if (call.auth === "jwt" || ep?.auth === "jwt") {
    return {
      call,
      needs: [],
      coveredBy: [],
      verdict: "no-permission-needed",
      detail: "authenticated with an upload JWT",
      endpoint: meta,
    };
  }
  if (!ep)
    return { call, needs: [], coveredBy: [], verdict: "unknown-endpoint", detail: "not in the endpoint catalog" };
  const early = exemptVerdict(call, ep, meta) ?? accountAccessVerdict(call, ep, token, meta);
  if (early) return early;
  const isZoneCall = call.path.startsWith("/zones");
  const { coveredBy, zoneSpecificOnly } = coveringGroups(call, ep, token, cat);
  const uniq = [...new Set(coveredBy)];
  if (uniq.length) return { call, needs: ep.groups, coveredBy: uniq, verdict: "covered", endpoint: meta };
  const fallback = judgeFallback(call, ep, token, opts.owner ?? "account", cat);
  if (fallback) return { call, needs: ep.groups, endpoint: meta, ...fallback };
  if (ep.needs === "all-zones" && zoneSpecificOnly) {
    return {
      call,
      needs: ep.groups,
      coveredBy: [],
      verdict: "missing",
      detail: `needs ${ep.groups.join(" or ")} on all zones; the token's is zone-specific, and it lacks what wrangler's per-zone fallback needs`,
      endpoint: meta,
    };
  }
  const where = isZoneCall && call.zone ? ` on zone ${call.zone.name ?? call.zone.id}` : "";
  return {
    call,
    needs: ep.groups,
    coveredBy: [],
    verdict: "missing",
    detail: `needs ${ep.groups.join(" or ")}${where}`,
    endpoint: meta,
  };
}

/** Calls that need no permission: endpoints with no groups, and a zone lookup that found nothing. */
function exemptVerdict(call: RecordedCall, ep: Endpoint, meta: CallVerdict["endpoint"]): CallVerdict | undefined {
  if (ep.groups.length === 0) {
    return {
      call,
      needs: [],
      coveredBy: [],
      verdict: "no-permission-needed",
      detail: "any valid token may call it",
      endpoint: meta,
    };
  }
  // The zone list is filtered to what the token can see, so a lookup that found nothing gets the same empty
  // answer from any token: wrangler tries "shop.example.com" before "example.com" for a bare route pattern.
  if (call.method === "GET" && call.path === "/zones" && call.listed === 0 && call.status < 400) {
    return {
      call,
      needs: ep.groups,
      coveredBy: [],
      verdict: "no-permission-needed",
      detail: "no zone matched; an empty list needs no permission",
      endpoint: meta,
    };
  }
  return undefined;
}

/** Account lookups (`needs: account-access`): covered by any group the token holds on the account. */
function accountAccessVerdict(
  call: RecordedCall,
  ep: Endpoint,
  token: readonly PredictedRequirement[],
  meta: CallVerdict["endpoint"],
): CallVerdict | undefined {
  if (ep.needs !== "account-access") return undefined;
  // GET /accounts lists the accounts the token holds a group on: any account-level group lists its account.
  const onAccount = token.filter((r) => r.scope === "account");
  if (onAccount.length) {
    // When the token holds only the lookup's own group there (whoami), that group is what lists the account.
    const own = onAccount.every((r) => ep.groups.includes(r.group)) ? [...new Set(onAccount.map((r) => r.group))] : [];
    return {
      call,
      needs: [],
      coveredBy: own,
      verdict: "covered",
      detail: "any group the token holds on the account lists it",
      endpoint: meta,
    };
  }
  return {
    call,
    needs: ep.groups,
    coveredBy: [],
    verdict: "missing",
    detail: `the token holds no group on the account; ${ep.groups.join(" or ")} lists it`,
    endpoint: meta,
  };
}

/** The endpoint's groups the token holds with a fitting scope, and whether an all-zones need met only zone-specific grants. */
function coveringGroups(
  call: RecordedCall,
  ep: Endpoint,
  token: readonly PredictedRequirement[],
  cat: Catalog,
): { coveredBy: string[]; zoneSpecificOnly: boolean } {
  const isZoneCall = call.path.startsWith("/zones");
  const coveredBy: string[] = [];
  let zoneSpecificOnly = false;
  for (const name of ep.groups) {
    for (const req of token) {
      if (req.group !== name) continue;
      const group = cat.byName(name, req.scope);
      const scope = group?.scope ?? req.scope;
      if (scope === "zone") {
        if (ep.needs === "all-zones") {
          if (resourceIsAll(req.resources)) coveredBy.push(name);
          else zoneSpecificOnly = true;
        } else if (!isZoneCall || zoneCovered(req.resources, call.zone)) {
          coveredBy.push(name);
        }
      } else {
        coveredBy.push(name);
      }
    }
  }
  return { coveredBy, zoneSpecificOnly };
}

/**
 * A call the predicted token lacks the group for, where the facts say the API refuses that token with a code
 * wrangler tolerates: judged by the fallback calls wrangler then makes (their groups count as used). Undefined
 * when no such refusal is known, or the token lacks what the fallback needs.
 */
function judgeFallback(
  call: RecordedCall,
  ep: Endpoint,
  token: readonly PredictedRequirement[],
  owner: Owner,
  cat: Catalog,
): Pick<CallVerdict, "coveredBy" | "verdict" | "detail"> | undefined {
  const code = expectedRefusal(ep, token, owner, cat);
  if (code === undefined || !tolerates(ep, code)) return undefined;
  const coveredBy: string[] = [];
  for (const f of fallbackCalls(ep, cat)) {
    const groups = f.endpoint?.groups ?? [];
    const zone = f.path.startsWith("/zones");
    const held = token.filter((r) => groups.includes(r.group) && (!zone || r.scope === "zone")).map((r) => r.group);
    // A conditional call (the zone lookup, not made for routes given by zone_id) may be absent from the token.
    if (!held.length && !f.when) return undefined;
    coveredBy.push(...held);
  }
  const refused = call.status === 401 || call.status === 403 || call.errors.some((e) => e.code === code);
  const then = ep.fallback!.calls.length
    ? `wrangler then makes ${ep.fallback!.calls.map((c) => `${c.method} ${c.path}`).join(", ")}, which the token allows`
    : "wrangler goes on without its answer";
  const why =
    ep.needs === "all-zones"
      ? `needs ${ep.groups.join(" or ")} on all zones; the token's is zone-specific`
      : `an account-owned token cannot hold ${ep.groups.join(" or ")}`;
  if (refused && ep.needs === "all-zones") {
    return {
      coveredBy: [...new Set(coveredBy)],
      verdict: "refused-all-zones",
      detail: `${why} (refused, wrangler falls back to zone routes)`,
    };
  }
  return {
    coveredBy: [...new Set(coveredBy)],
    verdict: "tolerated",
    detail: `${why}: the API ${refused ? "refused it" : `would refuse it (${code}), where the recorded token was allowed`}; ${then}`,
  };
}

export function compare(
  calls: readonly RecordedCall[],
  token: readonly PredictedRequirement[],
  opts: JudgeOptions = {},
): Comparison {
  const verdicts = calls.map((c) => judgeCall(c, token, opts));
  const used = new Set(verdicts.flatMap((v) => v.coveredBy));
  // A zone group refused on an all-zones call was still "used" if it covered the fallback; otherwise it counts
  // as extra like any other group.
  const missing = new Map<string, string[]>();
  for (const v of verdicts) {
    if (v.verdict !== "missing") continue;
    const g = v.needs[0]!;
    missing.set(g, [...(missing.get(g) ?? []), callLabel(v.call)]);
  }
  const predicted = [...new Set(token.map((r) => r.group))];
  return {
    calls: verdicts,
    missing: [...missing].map(([group, cs]) => ({ group, calls: [...new Set(cs)] })),
    extra: predicted.filter((g) => !used.has(g)),
    unknown: [...new Set(verdicts.filter((v) => v.verdict === "unknown-endpoint").map((v) => callLabel(v.call)))],
  };
}

/** Groups needed by each distinct call (for the "calls made" listing without a prediction). */
export function neededGroups(
  call: Pick<RecordedCall, "method" | "path" | "auth">,
  cat: Catalog = catalog(),
): { groups: string[]; known: boolean; jwt: boolean } {
  const ep = cat.endpoint(call.method, call.path);
  const jwt = call.auth === "jwt" || ep?.auth === "jwt";
  return { groups: jwt ? [] : (ep?.groups ?? []), known: !!ep, jwt };
}

/**
 * Explains a failed command: the call that most likely made it fail. Prefers the last call refused for
 * permissions (401/403 or an auth error code), then the last failed call that is not a plain 404 probe.
 */
export function explainFailure(
  calls: readonly RecordedCall[],
  cat: Catalog = catalog(),
): { call: RecordedCall; needs: string[]; message: string } | undefined {
  const failed = calls.filter((c) => c.status === 0 || c.status >= 400);
  const pick =
    [...failed].reverse().find(isAuthFailure) ??
    [...failed].reverse().find((c) => c.status !== 404) ??
    failed[failed.length - 1];
  if (!pick) return undefined;
  const { groups, known, jwt } = neededGroups(pick, cat);
  const codes = pick.errors.map((e) => `${e.message} [code: ${e.code}]`).join("; ");
  const status = pick.status === 0 ? "no answer from the upstream" : `HTTP ${pick.status}`;
  const need = jwt
    ? "it carried an upload JWT, so no token permission is involved"
    : !known
      ? "its endpoint is not in the catalog, so the permission it needs is unknown"
      : cat.endpoint(pick.method, pick.path)?.needs === "account-access"
        ? `it lists only the accounts the token holds a group on (grant ${groups.join(" or ")} when it holds none on the account)`
        : groups.length
          ? `it needs ${groups.length > 1 ? "one of " : ""}${groups.join(", ")}`
          : "any valid token may make it";
  return {
    call: pick,
    needs: groups,
    message: `${callLabel(pick)} failed (${status}${codes ? ": " + codes : ""}); ${need}.`,
  };
}
