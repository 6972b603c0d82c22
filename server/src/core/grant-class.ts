// The one place that decides what each grant of a token is for and how each need of its deploys is met. The
// rules unneeded-group, write-where-read-suffices, zone-groups-without-routes, secrets-store-read-only and
// missing-group read their decision here and only build their message and fix.
import type { TokenAnalysis } from "./rules/rule.js";
import { groupByExpression, needsKnown } from "./rules/helpers.js";
import { catalog, type PermissionGroup } from "./permissions/catalog.js";
import { callsBeyondWorker, coveringGrants, tokenOwnerOf, usedGrants, type Grant, type Need } from "./compare.js";

export type GrantClass =
  /** Not a catalog group (a role, an unknown id): no grant rule judges it. */
  | { kind: "unrecognised" }
  /** Secrets Store Read where a binding needs Secrets Store Write, and no Write grant of the token covers it. */
  | { kind: "too-narrow"; need: Need; write: PermissionGroup }
  /** The token is unlinked or a deploy could not be analysed: its needs are not known. */
  | { kind: "unknown" }
  /** X Write where the deploys need only its Read twin (not a whole-list expression's group). */
  | { kind: "write-where-read"; read: PermissionGroup; readNeeds: Need[] }
  /** A zone group, and no deploy needs a zone group; `inExpression` when a `values(…)` / `for` yields it. */
  | { kind: "zone-without-routes"; inExpression: boolean }
  /** Some need uses it (a grant on part of a need's resources counts). */
  | { kind: "needed" }
  /** Its Read↔Write twin is needed: write-where-read or a too-narrow Read (a missing need), not unneeded. */
  | { kind: "twin-of-need" }
  | { kind: "unneeded" };

export type NeedClass =
  | { kind: "granted"; grants: Grant[] }
  /** Only a user-owned token needs it, and the token is not known to be user-owned. */
  | { kind: "not-for-owner" }
  /** A user-level group of an account-owned token, which cannot hold it. */
  | { kind: "owner-cannot-hold" }
  /** Secrets Store Write where the token grants Secrets Store Read (the Secrets Store Read-where-Edit case). */
  | { kind: "too-narrow" }
  /** Not granted; `granted`: the same group on other resources; `beyond`: calls a per-Worker grant cannot make. */
  | { kind: "missing"; granted: Grant[]; beyond: string[] };

/** The grants one expression (`values(…)`, a `for`) yields together, the groups of them needed, and the rest. */
export interface ExpressionClass {
  grants: Grant[];
  keep: PermissionGroup[];
  extra: Grant[];
}

export interface TokenClassification {
  /** Its needs are known: it is linked, and every deploy it serves was analysed. */
  known: boolean;
  /** A token part could not be read, so it may grant what looks missing. */
  unreadable: boolean;
  grants: Map<Grant, GrantClass>;
  needs: Map<Need, NeedClass>;
  /** Entries written as single grants, apart from the expressions. */
  single: Grant[];
  expressions: ExpressionClass[];
}

const SS_READ = "Secrets Store Read";
const SS_WRITE = "Secrets Store Write";

export function classifyToken(t: TokenAnalysis): TokenClassification {
  const known = needsKnown(t);
  const used = new Set<Grant>();
  for (const n of t.needs) for (const g of usedGrants(t.grants, n)) used.add(g);
  const grants = new Map(t.grants.map((g) => [g, grantClass(t, g, known, used)] as const));
  const owner = tokenOwnerOf(t.token);
  const needs = new Map(t.needs.map((n) => [n, needClass(t, n, owner)] as const));
  const { shared, single } = groupByExpression(t.grants);
  const expressions = shared.map((gs): ExpressionClass => {
    const keep = neededOf(t, gs);
    return { grants: gs, keep, extra: gs.filter((g) => g.group && !keep.includes(g.group)) };
  });
  const unreadable = t.token.problems.some((p) => p.affectsGrants);
  return { known, unreadable, grants, needs, single, expressions };
}

function grantClass(t: TokenAnalysis, g: Grant, known: boolean, used: Set<Grant>): GrantClass {
  const group = g.group;
  if (!group) return { kind: "unrecognised" };
  // Read where the binding needs Write, and no Write grant covers it (one on another account does not).
  const ssNeed = t.needs.find((n) => n.group.name === SS_WRITE && !coveringGrants(t.grants, n).length);
  if (group.name === SS_READ && ssNeed) return { kind: "too-narrow", need: ssNeed, write: catalog().byName(SS_WRITE)! };
  if (!known) return { kind: "unknown" };
  const twinNeeds = t.needs.filter((n) => n.group.name === group.twin && n.group.scope === group.scope);
  // An expression granting a whole list (values(…)) holds the Read twin too: it is judged as an expression.
  if (group.name.endsWith(" Write") && group.twin && !g.entry.fromExpression?.every && twinNeeds.length) {
    const read = catalog().byName(group.twin, group.scope);
    if (read && !t.needs.some((n) => n.group.id === group.id))
      return { kind: "write-where-read", read, readNeeds: twinNeeds };
  }
  if (group.scope === "zone" && !t.needs.some((n) => n.group.scope === "zone"))
    return { kind: "zone-without-routes", inExpression: !!g.entry.fromExpression };
  if (used.has(g)) return { kind: "needed" };
  if (twinNeeds.length) return { kind: "twin-of-need" };
  return { kind: "unneeded" };
}

function needClass(t: TokenAnalysis, n: Need, owner: ReturnType<typeof tokenOwnerOf>): NeedClass {
  const cover = coveringGrants(t.grants, n);
  if (cover.length) return { kind: "granted", grants: cover };
  if (n.userTokenOnly && owner !== "user") return { kind: "not-for-owner" };
  if (owner === "account" && n.group.scope === "user") return { kind: "owner-cannot-hold" };
  if (n.group.name === SS_WRITE && t.grants.some((g) => g.group?.name === SS_READ)) return { kind: "too-narrow" };
  const granted = t.grants.filter((g) => g.group?.id === n.group.id);
  return { kind: "missing", granted, beyond: callsBeyondWorker(t.grants, n) };
}

/** The groups of one expression its token's deploys need (exactly, and not granted elsewhere in the token). */
function neededOf(t: TokenAnalysis, gs: Grant[]): PermissionGroup[] {
  const keep: PermissionGroup[] = [];
  const others = t.grants.filter((g) => !gs.includes(g));
  for (const n of t.needs) {
    if (coveringGrants(others, n).length) continue;
    const exact = usedGrants(gs, n, false);
    const any = exact.length ? exact : usedGrants(gs, n);
    const g = any.find((x) => x.group)?.group;
    if (g && !keep.includes(g)) keep.push(g);
  }
  return keep;
}
