// Compares what a token grants with what the deploys it serves need. Granted and needed are both reduced to
// (group, resource) facts so every rule asks the same questions the same way.
import { catalog, type PermissionGroup } from "./permissions/catalog.js";
import { roleAllowsCall, SCRIPT_RESOURCE_PREFIX, workerRole, type WorkerRole } from "./permissions/worker-roles.js";
import type { GrantedGroup, GrantedResource, TokenDefinition, TokenPolicy } from "./model/token.js";
import type { Location } from "./source.js";

/** One resource a policy grants on, flattened (nested account → zone maps become zone keys under the account). */
export interface GrantedScope {
  key: string;
  /** For a zone key nested under an account key: that account key. */
  parent?: string;
  resource: GrantedResource;
}

export interface Grant {
  policy: TokenPolicy;
  entry: GrantedGroup;
  /** The catalog group, when the entry could be resolved. */
  group: PermissionGroup | undefined;
  /** A per-Worker group ("Individual Workers Editor"), when the entry names one (they have no published id). */
  role?: WorkerRole;
  scopes: GrantedScope[];
}

/** A group a linked deploy needs, with its resources and the places that need it. */
export interface Need {
  group: PermissionGroup;
  resources: string[];
  /** Config lines and workflow steps behind it. */
  causes: (Location & { message: string })[];
  /** The API calls behind it ("PUT /accounts/{account_id}/…"). */
  api: string[];
  /** Only a user-owned token needs it (Memberships Read for wrangler's account lookup): see needsForOwner. */
  userTokenOnly?: true;
}

/**
 * Who owns a token, as far as the definition shows: the resource type or endpoint when known, else user when
 * it grants a user-level group or names a user resource (an account-owned token can hold neither).
 */
export function tokenOwnerOf(token: TokenDefinition): "account" | "user" | "unknown" {
  if (token.owner !== "unknown") return token.owner;
  for (const g of grantsOf(token)) {
    if (g.group?.scope === "user" || g.scopes.some((s) => s.key.startsWith("com.cloudflare.api.user."))) return "user";
  }
  return "unknown";
}

/**
 * The needs that apply to a token of this owner: an account-owned token drops the groups only user-owned
 * tokens need (wrangler tolerates its refusal there). For an unknown owner they are kept, still marked, so
 * rules can say what a user-owned token would need without claiming the token lacks it.
 */
export function needsForOwner(needs: Need[], owner: "account" | "user" | "unknown"): Need[] {
  return owner === "account" ? needs.filter((n) => !n.userTokenOnly) : needs;
}

export function grantsOf(token: TokenDefinition): Grant[] {
  const cat = catalog();
  const out: Grant[] = [];
  for (const policy of token.policies) {
    if (policy.effect !== "allow") continue;
    const scopes = flattenResources(policy.resources);
    for (const entry of policy.groups) {
      const group =
        (entry.id ? cat.byId(entry.id) : undefined) ??
        (entry.name ? cat.byName(entry.name) : undefined) ??
        cat.lookup(entry.written);
      const role = group ? undefined : workerRole(entry.name ?? entry.written);
      out.push(role ? { policy, entry, group, role, scopes } : { policy, entry, group, scopes });
    }
  }
  return out;
}

export function flattenResources(resources: GrantedResource[], parent?: string): GrantedScope[] {
  const out: GrantedScope[] = [];
  for (const r of resources) {
    if (typeof r.value === "string") out.push({ key: r.key, parent, resource: r });
    else out.push(...flattenResources(r.value, r.key));
  }
  return out;
}

export const ALL_ACCOUNTS = "com.cloudflare.api.account.*";
export const ALL_ZONES = "com.cloudflare.api.account.zone.*";

/** True when a resource key is written with a variable or placeholder (its concrete value is unknown here). */
export function isDynamicKey(key: string): boolean {
  return /\$\{|<[A-Z_]+|\{\{|var\.|local\./.test(key);
}

/** Does granted resource key `g` include needed resource key `n`? Unknown values are given the benefit of the doubt. */
export function resourceCovers(g: GrantedScope, n: string): boolean {
  const key = g.key;
  if (n.startsWith("com.cloudflare.api.account.zone.")) {
    if (!key.startsWith("com.cloudflare.api.account.zone.")) return false;
    if (key === ALL_ZONES) return true;
    if (n.includes("<ZONE_ID:") || isDynamicKey(key)) return true;
    return key === n;
  }
  if (n.startsWith("com.cloudflare.edge.r2.bucket.")) {
    if (key.startsWith("com.cloudflare.edge.r2.bucket."))
      return (
        key === n || isDynamicKey(key) || (n.includes("<ACCOUNT_ID>") && key.endsWith(n.slice(n.lastIndexOf("_"))))
      );
    return accountMatches(key, n.slice("com.cloudflare.edge.r2.bucket.".length).split("_")[0]!);
  }
  if (n.startsWith("com.cloudflare.api.user.")) return key.startsWith("com.cloudflare.api.user.");
  if (n.startsWith("com.cloudflare.api.account.")) {
    return accountMatches(key, n.slice("com.cloudflare.api.account.".length));
  }
  return false;
}

function accountMatches(key: string, accountId: string): boolean {
  if (!key.startsWith("com.cloudflare.api.account.") || key.startsWith("com.cloudflare.api.account.zone."))
    return false;
  if (key === ALL_ACCOUNTS) return true;
  const id = key.slice("com.cloudflare.api.account.".length);
  return id === accountId || isDynamicKey(id) || accountId.startsWith("<");
}

/** The per-Worker script resources a grant names: `com.cloudflare.edge.worker.script.<tag>` keys nested under an account. */
export function scriptScopes(g: Grant): GrantedScope[] {
  return g.scopes.filter((s) => s.key.startsWith(SCRIPT_RESOURCE_PREFIX) && !!s.parent);
}

/**
 * Per-Worker grants that cover a Workers Scripts need: every API call behind the need acts on one Worker and the
 * role allows it, on the needed account. Which Worker a script tag names is not known here (the tag is the
 * Worker's id, not its name), so a tag is taken to be the deployed Worker.
 */
export function perWorkerCovering(grants: Grant[], need: Need): Grant[] {
  if (!need.group.name.startsWith("Workers Scripts") && need.group.name !== "Workers Tail Read") return [];
  if (!need.api.length) return [];
  return grants.filter((g) => {
    if (!g.role) return false;
    const scripts = scriptScopes(g);
    if (!scripts.length || !need.api.every((a) => roleAllowsCall(g.role!, a))) return false;
    return need.resources.every((r) =>
      scripts.some((s) => resourceCovers({ key: s.parent!, resource: s.resource }, r)),
    );
  });
}

/** The calls of a need that per-Worker grants of these kinds cannot make (account-level calls, routes, domains). */
export function callsBeyondWorker(grants: Grant[], need: Need): string[] {
  const roles = grants.filter((g) => g.role && scriptScopes(g).length);
  if (!roles.length) return [];
  return need.api.filter((a) => !roles.some((g) => roleAllowsCall(g.role!, a)));
}

/** Grants whose group is exactly the needed group (or its Write twin for a needed Read), on the needed resources. */
export function coveringGrants(grants: Grant[], need: Need, allowWriteForRead = true): Grant[] {
  return grantsFor(grants, need, allowWriteForRead, "every");
}

/**
 * Grants a need uses: those that cover it, and those that cover some of its resources (Workers Routes Write on
 * zone A when the routes are on zones A and B: wrangler writes zone A's routes with it). Such a grant is needed
 * even though the need is not fully granted.
 */
export function usedGrants(grants: Grant[], need: Need, allowWriteForRead = true): Grant[] {
  return grantsFor(grants, need, allowWriteForRead, "some");
}

function grantsFor(grants: Grant[], need: Need, allowWriteForRead: boolean, resources: "every" | "some"): Grant[] {
  const perWorker = perWorkerCovering(grants, need);
  const classic = grants.filter((g) => {
    if (!g.group) return false;
    const sameGroup = g.group.id === need.group.id;
    const writeForRead =
      allowWriteForRead &&
      need.group.name.endsWith(" Read") &&
      g.group.name === need.group.twin &&
      g.group.scope === need.group.scope;
    const accountR2ForBucket =
      need.group.scope === "r2-bucket" &&
      g.group.scope === "account" &&
      g.group.name === need.group.name.replace(" Bucket Item", "");
    if (!sameGroup && !writeForRead && !accountR2ForBucket) return false;
    const relevant = g.scopes.filter((s) =>
      g.group!.scope === "zone" ? s.key.startsWith("com.cloudflare.api.account.zone.") || !!s.parent : true,
    );
    const covered = (r: string) => relevant.some((s) => resourceCovers(s, r));
    return resources === "every" || !need.resources.length
      ? need.resources.every(covered)
      : need.resources.some(covered);
  });
  return perWorker.length ? [...perWorker, ...classic] : classic;
}
