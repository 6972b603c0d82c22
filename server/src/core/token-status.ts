// Each grant of a linked token and each need of its deploys, marked once so the editor's inlay hints, code lens,
// hover and Token Permissions view say the same thing and their counts add up: every need is granted, granted
// too narrowly (Read where Write is needed) or missing; every grant is needed, unneeded, too broad (a finding
// says a narrower group suffices), too narrow, or of unknown use (the token is not linked, or a deploy could not
// be analysed).
import type { Finding } from "./findings.js";
import { coveringGrants, tokenOwnerOf, usedGrants, type Grant, type Need } from "./compare.js";
import type { TokenAnalysis } from "./rules/rule.js";
import { RULES } from "./rules/index.js";

export type GrantState = "needed" | "unneeded" | "too-broad" | "too-narrow" | "unknown";
export type NeedState = "granted" | "too-narrow" | "missing";

export interface GrantStatus {
  grant: Grant;
  state: GrantState;
  /** The group's API name ("Workers Scripts Write"), or the entry as written when it is not in the catalog. */
  name: string;
  /** Short reason for the state ("needs D1 Write", "Read suffices", "no deploy needs it"). */
  note?: string;
}

export interface NeedStatus {
  need: Need;
  state: NeedState;
  /** The grants that cover it (granted) or fall short of it (too narrow). */
  grants: Grant[];
}

export interface TokenStatus {
  grants: GrantStatus[];
  /** Needs that apply to this token's owner (a user-token-only need of a token not known to be user-owned is left out). */
  needs: NeedStatus[];
  linked: boolean;
}

/** What each rule's finding on a grant makes the grant (the rules declare it: `grantState`). */
const GRANT_STATES = new Map(RULES.flatMap((r) => (r.grantState ? [[r.id, r.grantState] as const] : [])));

function isTwinReadOf(g: Grant, n: Need): boolean {
  return (
    !!g.group &&
    g.group.scope === n.group.scope &&
    g.group.twin === n.group.name &&
    g.group.name.endsWith(" Read") &&
    n.group.name.endsWith(" Write")
  );
}

export function tokenStatus(t: TokenAnalysis, findings: readonly Finding[]): TokenStatus {
  const owner = tokenOwnerOf(t.token);
  const linked = t.links.length > 0;
  const known = linked && t.links.every((l) => !!l.deploy.minimal);
  const needs: NeedStatus[] = [];
  const covering = new Set<Grant>();
  const narrowFor = new Map<Grant, Need>();
  for (const n of t.needs) {
    if (n.userTokenOnly && owner !== "user") continue;
    const cover = coveringGrants(t.grants, n);
    // A grant on some of the need's resources (one of two route zones) is needed, though the need is not granted.
    for (const g of usedGrants(t.grants, n)) covering.add(g);
    if (cover.length) {
      needs.push({ need: n, state: "granted", grants: cover });
      continue;
    }
    const narrow = t.grants.filter((g) => isTwinReadOf(g, n));
    for (const g of narrow) narrowFor.set(g, n);
    needs.push({ need: n, state: narrow.length ? "too-narrow" : "missing", grants: narrow });
  }
  const onEntry = (g: Grant) =>
    findings.filter(
      (f) =>
        f.location.file === t.token.file &&
        f.location.span.start === g.entry.span.start &&
        f.location.span.end === g.entry.span.end,
    );
  const grants = t.grants.map((g): GrantStatus => {
    const name = g.group?.name ?? g.role?.name ?? g.entry.name ?? g.entry.written;
    if (!linked) return { grant: g, state: "unknown", name, note: "token not linked to a deploy" };
    const here = onEntry(g);
    const states = here.map((f) => GRANT_STATES.get(f.rule)).filter((x) => !!x);
    const broad = states.find((x) => x.state === "too-broad");
    if (broad) return { grant: g, state: "too-broad", name, note: broad.note };
    const unneeded = states.find((x) => x.state === "unneeded");
    if (unneeded) return { grant: g, state: "unneeded", name, note: unneeded.note };
    if (covering.has(g)) return { grant: g, state: "needed", name };
    const n = narrowFor.get(g);
    if (n) return { grant: g, state: "too-narrow", name, note: `needs ${n.group.name}` };
    if (!known) return { grant: g, state: "unknown", name, note: "a deploy could not be analysed" };
    return { grant: g, state: "unneeded", name, note: "no deploy needs it" };
  });
  return { grants, needs, linked };
}

function count<T extends { state: string }>(list: T[], state: T["state"]): number {
  return list.filter((x) => x.state === state).length;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "needs 4 groups: 1 granted, 3 missing · grants 4: 1 needed, 2 unneeded, 1 too narrow" (zero counts left out). */
export function statusSummary(s: TokenStatus): string {
  const part = (n: number, word: string) => (n ? `${n} ${word}` : "");
  const grants = s.grants.length;
  if (!s.linked) return `grants ${plural(grants, "group")} · not linked to a deploy`;
  const needs = [
    part(count(s.needs, "granted"), "granted"),
    part(count(s.needs, "too-narrow"), "too narrow"),
    part(count(s.needs, "missing"), "missing"),
  ].filter(Boolean);
  const have = [
    part(count(s.grants, "needed"), "needed"),
    part(count(s.grants, "unneeded"), "unneeded"),
    part(count(s.grants, "too-broad"), "too broad"),
    part(count(s.grants, "too-narrow"), "too narrow"),
    part(count(s.grants, "unknown"), "of unknown use"),
  ].filter(Boolean);
  return `needs ${plural(s.needs.length, "group")}${needs.length ? `: ${needs.join(", ")}` : ""} · grants ${grants}${have.length ? `: ${have.join(", ")}` : ""}`;
}

/** The inlay hint after a group id: its name, and its state when that is not simply "needed". */
export function grantHint(g: GrantStatus): string {
  if (g.state === "needed") return g.name;
  const state =
    g.state === "too-broad"
      ? "too broad"
      : g.state === "too-narrow"
        ? "too narrow"
        : g.state === "unknown"
          ? "use unknown"
          : "unneeded";
  return `${g.name} · ${state}${g.note && g.state !== "unneeded" && g.state !== "unknown" ? ` (${g.note})` : ""}`;
}
