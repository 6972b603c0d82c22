// Per token: the grants (group × resource) the branch adds or removes, and whether head grants anything base
// did not. A grant is new access unless a base grant of the same group (or its Write twin) already covered the
// resource; a deny policy taken away is new access too. Resources written with variables cover only themselves.
import {
  ALL_ACCOUNTS,
  ALL_ZONES,
  grantsOf,
  isDynamicKey,
  resourceCovers,
  type Grant,
  type GrantedScope,
} from "../compare.js";
import { displayToken } from "../rules/helpers.js";
import type { TokenAnalysis } from "../rules/rule.js";
import { matchStaged, type Stage } from "./match.js";
import type { GrantDelta, TokenDelta } from "./model.js";
import type { Placer } from "./places.js";

interface Fact {
  effect: "allow" | "deny";
  grant: Grant;
  scope: GrantedScope;
  /** Group identity: catalog id, per-Worker role, or the text as written. */
  group: string;
  key: string;
}

function groupId(g: Grant): string {
  return g.group ? g.group.id : g.role ? `role:${g.role.name}` : `written:${g.entry.name ?? g.entry.written}`;
}

function facts(t: TokenAnalysis): Fact[] {
  const out: Fact[] = [];
  const denies = t.token.policies.filter((p) => p.effect === "deny").map((p) => ({ ...p, effect: "allow" as const }));
  const sets: [Fact["effect"], Grant[]][] = [
    ["allow", t.grants],
    ["deny", grantsOf({ ...t.token, policies: denies })],
  ];
  for (const [effect, grants] of sets) {
    for (const grant of grants) {
      for (const scope of grant.scopes) {
        const group = groupId(grant);
        out.push({ effect, grant, scope, group, key: `${effect}|${group}|${scope.parent ?? ""}>${scope.key}` });
      }
    }
  }
  return out;
}

/** Does a base allow fact already give what head fact `h` gives? */
function covers(b: Fact, h: Fact): boolean {
  if (b.effect !== "allow") return false;
  const sameGroup = b.group === h.group;
  const twin =
    !!h.grant.group &&
    !!b.grant.group &&
    h.grant.group.name.endsWith(" Read") &&
    h.grant.group.twin === b.grant.group.name;
  if (!sameGroup && !twin) return false;
  const hk = h.scope.key;
  const bk = b.scope.key;
  if (hk === bk && (h.scope.parent ?? "") === (b.scope.parent ?? "")) return true;
  if (isDynamicKey(hk) || isDynamicKey(bk) || hk === ALL_ACCOUNTS || hk === ALL_ZONES) return false;
  if (resourceCovers(b.scope, hk)) return true;
  // A zone group granted on a whole account covers the zones nested under that account.
  return (
    hk.startsWith("com.cloudflare.api.account.zone.") &&
    !!h.scope.parent &&
    !b.scope.parent &&
    (bk === h.scope.parent || bk === ALL_ACCOUNTS)
  );
}

export function diffTokens(
  base: TokenAnalysis[],
  head: TokenAnalysis[],
  baseAt: Placer,
  headAt: Placer,
): { deltas: TokenDelta[]; files: Map<string, string> } {
  const stages: Stage<TokenAnalysis>[] = [
    { name: "same place", key: (t) => `${headAt.rel(t.token.file)}|${t.token.address ?? t.token.name}` },
    { name: "same address", key: (t) => t.token.address },
    { name: "same name", key: (t) => (t.token.name !== t.token.address ? `name|${t.token.name}` : undefined) },
  ];
  const m = matchStaged(base, head, stages);
  // Last: a file holding exactly one token on each side (a token renamed in place).
  const perFile = (list: TokenAnalysis[]) => {
    const n = new Map<string, number>();
    for (const t of list) n.set(t.token.file, (n.get(t.token.file) ?? 0) + 1);
    return n;
  };
  const nb = perFile(base);
  const nh = perFile(head);
  const last = matchStaged(m.baseOnly, m.headOnly, [
    {
      name: "only token in the file",
      key: (t) => ((base.includes(t) ? nb : nh).get(t.token.file) === 1 ? headAt.rel(t.token.file) : undefined),
    },
  ]);
  const pairs = [...m.pairs, ...last.pairs];
  const files = new Map<string, string>();
  const deltas: TokenDelta[] = [];
  for (const p of pairs) {
    files.set(p.base.token.file, p.head.token.file);
    const d = delta(p.base, p.head, baseAt, headAt, p.stage);
    if (d) deltas.push(d);
  }
  for (const t of last.headOnly) deltas.push(delta(undefined, t, baseAt, headAt)!);
  for (const t of last.baseOnly) deltas.push(delta(t, undefined, baseAt, headAt)!);
  return { deltas, files };
}

function grantDelta(f: Fact, at: Placer, t: TokenAnalysis, added: boolean): GrantDelta {
  const g = f.grant;
  const label = g.group?.label ?? g.role?.label ?? g.entry.written;
  const resource =
    f.scope.parent && f.scope.key.startsWith("com.cloudflare.edge.worker.script.")
      ? `${f.scope.parent} › ${f.scope.key}`
      : f.scope.key;
  const out: GrantDelta = {
    group: g.group?.name ?? g.role?.name ?? g.entry.written,
    label,
    resource,
    effect: f.effect,
    place: at.place(
      { file: t.token.file, span: g.entry.span },
      `${f.effect === "deny" ? "denies" : "grants"} ${label} on ${resource}`,
    ),
  };
  if (added && f.effect === "allow" && t.links.length) {
    out.needed =
      t.needs.some((n) => !!g.group && (n.group.id === g.group.id || n.group.twin === g.group.name)) ||
      (!!g.role && t.needs.some((n) => n.group.name.startsWith("Workers Scripts")));
  }
  return out;
}

function delta(
  base: TokenAnalysis | undefined,
  head: TokenAnalysis | undefined,
  baseAt: Placer,
  headAt: Placer,
  stage?: string,
): TokenDelta | undefined {
  const t = (head ?? base)!;
  const bf = base ? facts(base) : [];
  const hf = head ? facts(head) : [];
  const bkeys = new Set(bf.map((f) => f.key));
  const hkeys = new Set(hf.map((f) => f.key));
  const addedFacts = hf.filter((f) => !bkeys.has(f.key));
  const removedFacts = bf.filter((f) => !hkeys.has(f.key));
  const widening = (f: Fact) => (f.effect === "allow" ? !bf.some((b) => covers(b, f)) : false);
  const widened = !!head && (addedFacts.some(widening) || removedFacts.some((f) => f.effect === "deny"));
  const unknowns: string[] = [];
  const unreadable = (x?: TokenAnalysis) => !!x?.token.problems.some((p) => p.affectsGrants);
  if (unreadable(head)) unknowns.push("part of the token could not be read in head, so it may grant more than listed");
  else if (unreadable(base))
    unknowns.push("part of the token could not be read in base, so what it granted before may be more than listed");
  for (const f of addedFacts) {
    if (f.effect !== "allow" || !widening(f)) continue;
    const dynamic = isDynamicKey(f.scope.key) || bf.some((b) => b.group === f.group && isDynamicKey(b.scope.key));
    if (dynamic)
      unknowns.push(
        `${f.scope.key} or what base granted it on is written with a variable, so whether ${f.grant.group?.label ?? f.grant.entry.written} grants more than before is not known: counted as new access`,
      );
  }
  if (base?.links.length && head && !head.links.length)
    unknowns.push("no deploy in head uses this token any more: delete it, or link it to its deploys (tokenSecrets)");
  if (base && !base.links.length && head?.links.length)
    unknowns.push(
      `head links it to ${head.links.length} deploy${head.links.length === 1 ? "" : "s"} that base did not`,
    );
  const renamed =
    !!base &&
    !!head &&
    (baseAt.rel(base.token.file) !== headAt.rel(head.token.file) ||
      base.token.name !== head.token.name ||
      base.token.address !== head.token.address);
  if (base && head && !addedFacts.length && !removedFacts.length && !renamed && !unknowns.length) return undefined;
  return {
    status: !base ? "added" : !head ? "removed" : "changed",
    ...(stage ? { matchedBy: stage } : {}),
    name: displayToken(t.token),
    ...(t.token.address ? { address: t.token.address } : {}),
    file: {
      ...(base ? { base: baseAt.rel(base.token.file) } : {}),
      ...(head ? { head: headAt.rel(head.token.file) } : {}),
    },
    place: {
      ...(base
        ? {
            base: baseAt.place(
              { file: base.token.file, span: base.token.nameSpan ?? base.token.span },
              displayToken(base.token),
            ),
          }
        : {}),
      ...(head
        ? {
            head: headAt.place(
              { file: head.token.file, span: head.token.nameSpan ?? head.token.span },
              displayToken(head.token),
            ),
          }
        : {}),
    },
    added: head
      ? addedFacts.map((f) => ({
          ...grantDelta(f, headAt, head, true),
          ...(f.effect === "allow" ? { widens: widening(f) } : {}),
        }))
      : [],
    removed: base ? removedFacts.map((f) => grantDelta(f, baseAt, base, false)) : [],
    widened,
    unknowns,
  };
}
