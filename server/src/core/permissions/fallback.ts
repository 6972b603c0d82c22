// Calls the API refuses for some tokens without wrangler failing: wrangler catches the refusal and goes on
// (with other calls, or with what it already has). The facts are the endpoints' `fallback` entries in
// data/endpoints.json; this module says when a token is refused there. The engine (require.ts), `record`'s
// comparison (record/compare.ts) and the oracle tests all ask here, so there is one list of fallbacks.
import { catalog, type Catalog, type Endpoint, type Scope } from "./catalog.js";

/** Who owns a token: an account (POST /accounts/{id}/tokens, cloudflare_account_token) or a user. */
export type Owner = "account" | "user";

/** The code an account-owned token gets on a call that only user-level groups allow (research/wrangler.md §3.0: "account-scoped tokens get 9106 there"; oracle.md finding 14). */
export const ACCOUNT_TOKEN_REFUSAL = 9106;
/** The code a token without "All zones" Workers Routes permission gets on the account-level routes write (oracle.md finding 4). */
export const ZONE_SPECIFIC_REFUSAL = 10000;

/** A group a token holds (or a prediction names), as `minimal --format json` writes it. */
export interface HeldGroup {
  group: string;
  scope: Scope;
  resources: readonly string[];
}

/** True when only user-level groups allow the call (an account-owned token cannot hold any of them). */
export function userLevelOnly(ep: Endpoint, cat: Catalog = catalog()): boolean {
  return (
    ep.groups.length > 0 &&
    ep.groups.every((name) => cat.byName(name, "user")?.scope === "user" && !cat.byName(name, "account"))
  );
}

/** True when wrangler goes on after the API refuses the call with `code`. */
export function tolerates(ep: Endpoint, code: number): boolean {
  return !!ep.fallback?.codes.includes(code);
}

/**
 * True when an account-owned token needs no group for this call: the API refuses it (9106, it cannot hold a
 * user-level group) and wrangler tolerates that. `GET /memberships` in the account lookup is the case.
 */
export function skippableForAccountToken(ep: Endpoint, cat: Catalog = catalog()): boolean {
  return userLevelOnly(ep, cat) && tolerates(ep, ACCOUNT_TOKEN_REFUSAL);
}

// Token resource strings for "every zone": "*", the zone wildcard, or an account resource (a zone group granted
// on an account covers all of its zones) — "com.cloudflare.api.account.<id>" without ".zone.".
const ALL_MARKERS =
  /^(\*|all|all zones|com\.cloudflare\.api\.account\.zone\.\*|com\.cloudflare\.api\.account\.(?!zone\.)[^.]+)$/i;

/** True when zone resources mean every zone (none listed, a wildcard, or a whole account). */
export function resourceIsAll(resources: readonly string[]): boolean {
  return resources.length === 0 || resources.some((r) => ALL_MARKERS.test(r.trim()));
}

/**
 * The refusal code the API answers this call with for a token holding `held`, when the facts say it refuses
 * it: 10000 on an all-zones call whose groups the token holds on specific zones only, 9106 on a user-level
 * call for an account-owned token. Undefined when the token is allowed, or when what happens is not known.
 */
export function expectedRefusal(
  ep: Endpoint,
  held: readonly HeldGroup[],
  owner: Owner | undefined,
  cat: Catalog = catalog(),
): number | undefined {
  if (ep.needs === "all-zones") {
    const mine = held.filter((h) => ep.groups.includes(h.group) && h.scope === "zone");
    if (mine.length && mine.every((h) => !resourceIsAll(h.resources))) return ZONE_SPECIFIC_REFUSAL;
    return undefined;
  }
  if (owner === "account" && userLevelOnly(ep, cat)) return ACCOUNT_TOKEN_REFUSAL;
  return undefined;
}

/** The fallback calls wrangler makes after a tolerated refusal of `ep` (with their endpoint entries). */
export function fallbackCalls(
  ep: Endpoint,
  cat: Catalog = catalog(),
): { method: string; path: string; when?: string; endpoint: Endpoint | undefined }[] {
  return (ep.fallback?.calls ?? []).map((c) => ({ ...c, endpoint: cat.endpoint(c.method, c.path) }));
}
