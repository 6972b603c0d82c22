// The exact change from a live token to the minimal token its deploys need: groups to remove, Write to turn
// into Read, groups to add, resources to narrow, and the expiry and IP condition to add. Computed from the same
// grants and needs the rules compare (compare.ts), so the diff and the findings agree. Pure.
import { coveringGrants, flattenResources, isDynamicKey, ALL_ACCOUNTS, type Grant, type Need } from "../compare.js";
import type { TokenAnalysis } from "../rules/rule.js";
import { needsKnown } from "../rules/helpers.js";
import { addDays } from "../rules/no-expiry.js";

const ACCOUNT_PREFIX = "com.cloudflare.api.account.";

export interface PolicyDiff {
  /** Groups no deploy needs (policy numbers are 1-based, in the token's order). */
  remove: { group: string; id: string; policy: number }[];
  /** Write granted where the deploys only read. */
  readInstead: { from: string; to: string; policy: number }[];
  /** Groups the deploys need and the token lacks, with the resources they are needed on. */
  add: { group: string; id: string; resources: string[]; why: string }[];
  /** Policies whose resources reach further than their groups' needs. */
  narrow: { policy: number; from: string[]; to: string[] }[];
  /** Set when the token has no expiry, or its expiry has passed: a suggested one (90 days from today). */
  expiry: { suggest: string } | null;
  /** Set when the token has no client IP condition. */
  ipCondition: { suggest: string } | null;
  /** Groups not in the catalog: not judged (kept in the minimal token only if you know they are needed). */
  unknown: { written: string; policy: number }[];
}

/** Needed resource keys with the account placeholder replaced where the live token's account is known. */
export function accountKeyFor(t: TokenAnalysis, accountId: string | undefined): (k: string) => string {
  const own = t.token.policies
    .flatMap((p) => flattenResources(p.resources))
    .map((s) => s.parent ?? s.key)
    .filter(
      (k) =>
        k.startsWith(ACCOUNT_PREFIX) &&
        !k.startsWith(`${ACCOUNT_PREFIX}zone.`) &&
        k !== ALL_ACCOUNTS &&
        !isDynamicKey(k),
    );
  const deployAccounts = new Set(t.links.map((l) => l.deploy.minimal?.accountId).filter((x): x is string => !!x));
  const id =
    accountId ??
    (deployAccounts.size === 1
      ? [...deployAccounts][0]
      : new Set(own).size === 1
        ? own[0]!.slice(ACCOUNT_PREFIX.length)
        : undefined);
  return (k) => (id ? k.replace("<ACCOUNT_ID>", id) : k);
}

function policyIndex(t: TokenAnalysis, g: Grant): number {
  return t.token.policies.indexOf(g.policy) + 1;
}

/** The diff, or undefined when the needs are not known (unlinked token, or a deploy that was not analysed). */
export function policyDiff(t: TokenAnalysis, today: string, mapKey: (k: string) => string): PolicyDiff | undefined {
  if (!needsKnown(t)) return undefined;
  const diff: PolicyDiff = {
    remove: [],
    readInstead: [],
    add: [],
    narrow: [],
    expiry: null,
    ipCondition: null,
    unknown: [],
  };
  const used = new Map<Grant, Need[]>();
  for (const n of t.needs) {
    const covering = coveringGrants(t.grants, n);
    for (const g of covering) used.set(g, [...(used.get(g) ?? []), n]);
    if (covering.length) continue;
    diff.add.push({
      group: n.group.name,
      id: n.group.id,
      resources: n.resources.map(mapKey),
      why: n.causes[0]?.message ?? "",
    });
  }
  for (const g of t.grants) {
    if (!g.group) {
      diff.unknown.push({ written: g.entry.written || g.entry.id || "(empty)", policy: policyIndex(t, g) });
      continue;
    }
    const needs = used.get(g);
    if (needs) {
      // Write covering only Read needs: the twin is enough.
      if (g.group.name.endsWith(" Write") && needs.every((n) => n.group.name === g.group!.twin))
        diff.readInstead.push({ from: g.group.name, to: g.group.twin!, policy: policyIndex(t, g) });
      continue;
    }
    diff.remove.push({ group: g.group.name, id: g.group.id, policy: policyIndex(t, g) });
  }
  t.token.policies.forEach((p, i) => {
    if (p.effect !== "allow") return;
    const kept = t.grants.filter((g) => g.policy === p && used.has(g));
    if (!kept.length) return;
    const to = [...new Set(kept.flatMap((g) => used.get(g)!.flatMap((n) => n.resources.map(mapKey))))].sort();
    const from = [
      ...new Set(flattenResources(p.resources).map((s) => (s.parent ? `${s.parent} › ${s.key}` : s.key))),
    ].sort();
    if (from.some((k) => k.includes("*") || !to.includes(k.split(" › ").pop()!)))
      diff.narrow.push({ policy: i + 1, from, to });
  });
  // No expiry, or one that has passed (the replacement needs a new one).
  const expires = t.token.expiresOn?.value.slice(0, 10);
  if (!expires || expires <= today) diff.expiry = { suggest: `${addDays(today, 90)}T00:00:00Z` };
  if (!t.token.ipCondition)
    diff.ipCondition = {
      suggest: "condition.request_ip.in with the egress IP ranges of your CI runners, where they are fixed",
    };
  return diff;
}

/** True when the diff changes nothing. */
export function diffIsEmpty(d: PolicyDiff): boolean {
  return !d.remove.length && !d.readInstead.length && !d.add.length && !d.narrow.length && !d.expiry && !d.ipCondition;
}
