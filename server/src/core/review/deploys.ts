// Per deploy: which groups and resources the branch adds or removes, the lines behind each (in head for what
// it adds, in base for what it removes), and the groups its token lacks now that it did not lack before.
import { coveringGrants, tokenOwnerOf, type Need } from "../compare.js";
import type { Requirement } from "../permissions/require.js";
import { displayToken } from "../rules/helpers.js";
import { matchStaged, type Stage } from "./match.js";
import type { DeployDelta, GroupDelta, Lack, ResourceDelta, ReviewPlace } from "./model.js";
import type { Placer } from "./places.js";
import type { DeployUnit } from "./units.js";

type Side = { unit: DeployUnit; at: Placer };

export function deployStages(rel: (file: string) => string): Stage<DeployUnit>[] {
  const env = (u: DeployUnit) => u.env ?? "";
  return [
    { name: "same place", key: (u) => `${u.kind}|${rel(u.file)}|${u.label}|${u.command}|${env(u)}` },
    {
      name: "same job and step",
      key: (u) => (u.kind === "ci" ? `${u.labelInFile}|${u.command}|${env(u)}` : undefined),
    },
    { name: "same Worker", key: (u) => (u.scriptName ? `${u.scriptName}|${u.commandKind}|${env(u)}` : undefined) },
    { name: "same config", key: (u) => (u.configPath ? `${rel(u.configPath)}|${u.commandKind}|${env(u)}` : undefined) },
  ];
}

export function diffDeploys(
  base: DeployUnit[],
  head: DeployUnit[],
  baseAt: Placer,
  headAt: Placer,
): { deltas: DeployDelta[]; files: Map<string, string> } {
  // Stages compare root-relative paths, which both sides share.
  const m = matchStaged(base, head, deployStages(headAt.rel));
  const deltas: DeployDelta[] = [];
  const files = new Map<string, string>();
  for (const p of m.pairs) {
    files.set(p.base.file, p.head.file);
    if (p.base.configPath && p.head.configPath) files.set(p.base.configPath, p.head.configPath);
    const d = pairDelta({ unit: p.base, at: baseAt }, { unit: p.head, at: headAt }, p.stage);
    if (d) deltas.push(d);
  }
  for (const u of m.headOnly) deltas.push(oneSided({ unit: u, at: headAt }, "added"));
  for (const u of m.baseOnly) deltas.push(oneSided({ unit: u, at: baseAt }, "removed"));
  return { deltas, files };
}

const keyOf = (r: Requirement) => `${r.group.scope}:${r.group.name}`;

function causesOf(s: Side, r: Requirement, only?: Set<string>): ReviewPlace[] {
  const out: ReviewPlace[] = [];
  const seen = new Set<string>();
  for (const reason of r.reasons) {
    const k = `${reason.cause.key}|${reason.cause.why}`;
    if (only && !only.has(k)) continue;
    const place = s.at.place(reason.cause.location ?? s.unit.place, reason.cause.why);
    const dedupe = `${place.file}:${place.line}:${place.message}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    out.push(place);
  }
  return out;
}

function groupDelta(s: Side, r: Requirement): GroupDelta {
  return {
    group: r.group.name,
    label: r.group.label,
    scope: r.group.scope,
    resources: r.resources,
    ...(r.userTokenOnly ? { userTokenOnly: true as const } : {}),
    causes: causesOf(s, r),
  };
}

function skeleton(s: Side, status: DeployDelta["status"], other?: Side): DeployDelta {
  const u = s.unit;
  const head = status === "removed" ? undefined : s;
  const base = status === "removed" ? s : other;
  return {
    kind: u.kind,
    status,
    label: u.label,
    ...(base && base.unit.label !== u.label && status !== "removed" ? { baseLabel: base.unit.label } : {}),
    command: u.command,
    env: u.env,
    config: {
      ...(base?.unit.configPath ? { base: base.at.rel(base.unit.configPath) } : {}),
      ...(head?.unit.configPath ? { head: head.at.rel(head.unit.configPath) } : {}),
    },
    scriptName: u.scriptName,
    place: {
      ...(base ? { base: base.at.place(base.unit.place, base.unit.label) } : {}),
      ...(head ? { head: head.at.place(head.unit.place, head.unit.label) } : {}),
    },
    groupsAdded: [],
    groupsRemoved: [],
    resources: [],
    token: {
      ...(base?.unit.secret ? { base: base.unit.secret } : {}),
      ...(head?.unit.secret ? { head: head.unit.secret } : {}),
      definitions: (head ?? base)!.unit.tokens.map((t) => displayToken(t.token)),
    },
    newlyLacking: [],
    unknowns: [],
  };
}

function oneSided(s: Side, status: "added" | "removed"): DeployDelta {
  const d = skeleton(s, status);
  if (s.unit.error)
    d.unknowns.push(`${status === "added" ? "in head" : "in base"} the analysis failed: ${s.unit.error}`);
  const groups = (s.unit.requirements ?? []).map((r) => groupDelta(s, r));
  if (status === "added") {
    d.groupsAdded = groups;
    d.newlyLacking = lacks(s);
    d.unknowns.push(...tokenUnknowns(s, groups.length > 0));
  } else d.groupsRemoved = groups;
  return d;
}

function pairDelta(base: Side, head: Side, stage: string): DeployDelta | undefined {
  const d = skeleton(head, "changed", base);
  d.matchedBy = stage;
  if (base.unit.error || head.unit.error) {
    if (base.unit.error !== head.unit.error) {
      if (head.unit.error)
        d.unknowns.push(`in head the analysis failed, so what it needs now is not known: ${head.unit.error}`);
      if (base.unit.error)
        d.unknowns.push(`in base the analysis failed, so what it needed before is not known: ${base.unit.error}`);
    }
    if (!head.unit.error) d.groupsAdded = (head.unit.requirements ?? []).map((r) => groupDelta(head, r));
  } else diffRequirements(d, base, head);
  const baseLacks = new Set(lacks(base).map((l) => l.group));
  d.newlyLacking = lacks(head).filter((l) => !baseLacks.has(l.group));
  const widerNeeds = d.groupsAdded.length > 0 || d.resources.some((r) => r.added.length);
  d.unknowns.push(...tokenUnknowns(head, widerNeeds));
  const moved =
    base.at.rel(base.unit.file) !== head.at.rel(head.unit.file) ||
    base.unit.label !== head.unit.label ||
    d.config.base !== d.config.head;
  const changed =
    d.groupsAdded.length ||
    d.groupsRemoved.length ||
    d.resources.length ||
    d.newlyLacking.length ||
    d.unknowns.length ||
    d.token.base !== d.token.head ||
    moved;
  return changed ? d : undefined;
}

function diffRequirements(d: DeployDelta, base: Side, head: Side): void {
  const b = new Map((base.unit.requirements ?? []).map((r) => [keyOf(r), r]));
  const h = new Map((head.unit.requirements ?? []).map((r) => [keyOf(r), r]));
  for (const [k, r] of h) if (!b.has(k)) d.groupsAdded.push(groupDelta(head, r));
  for (const [k, r] of b) if (!h.has(k)) d.groupsRemoved.push(groupDelta(base, r));
  for (const [k, hr] of h) {
    const br = b.get(k);
    if (!br) continue;
    const added = hr.resources.filter((x) => !br.resources.includes(x));
    const removed = br.resources.filter((x) => !hr.resources.includes(x));
    if (!added.length && !removed.length) continue;
    const reasonKeys = (r: Requirement) => new Set(r.reasons.map((x) => `${x.cause.key}|${x.cause.why}`));
    const bk = reasonKeys(br);
    const hk = reasonKeys(hr);
    const fresh = new Set([...hk].filter((x) => !bk.has(x)));
    const gone = new Set([...bk].filter((x) => !hk.has(x)));
    const causes = [
      ...(added.length ? causesOf(head, hr, fresh.size ? fresh : undefined) : []),
      ...(removed.length ? causesOf(base, br, gone.size ? gone : undefined) : []),
    ];
    const delta: ResourceDelta = { group: hr.group.name, label: hr.group.label, added, removed, causes };
    d.resources.push(delta);
  }
}

/** Groups the unit needs that none of its linked tokens grant (tokens with unreadable parts are not judged). */
function lacks(s: Side): Lack[] {
  const tokens = s.unit.tokens;
  if (!tokens.length || !s.unit.requirements || tokens.some((t) => t.token.problems.some((p) => p.affectsGrants)))
    return [];
  const out: Lack[] = [];
  for (const r of s.unit.requirements) {
    const api = [...new Set(r.reasons.flatMap((x) => x.api))];
    const covered = (resources: string[]) =>
      tokens.some((t) => {
        // Only a user-owned token needs it: not asked of an account-owned one, nor of one whose owner is unknown.
        if (r.userTokenOnly && tokenOwnerOf(t.token) !== "user") return true;
        const need: Need = {
          group: r.group,
          resources,
          causes: [],
          api,
          ...(r.userTokenOnly ? { userTokenOnly: true as const } : {}),
        };
        return coveringGrants(t.grants, need).length > 0;
      });
    if (covered(r.resources)) continue;
    // Name the resources it lacks (a group granted on one zone of two lacks the other).
    const missing = r.resources.filter((x) => !covered([x]));
    out.push({
      group: r.group.name,
      label: r.group.label,
      resources: missing.length ? missing : r.resources,
      tokens: tokens.map((t) => displayToken(t.token)),
      causes: causesOf(s, r),
    });
  }
  return out;
}

/** What cannot be said about the unit's token in head. */
function tokenUnknowns(s: Side, needsMore: boolean): string[] {
  const u = s.unit;
  if (u.kind !== "ci" || !needsMore) return [];
  if (u.tokenState === "none")
    return [
      "no API token is set for this command in the workflow, so whether its token grants the added groups is not known",
    ];
  if (u.tokenState === "inline")
    return ["its API token is not a CI secret, so whether it grants the added groups is not known"];
  if (!u.tokens.length)
    return [
      `no token definition in the repository is linked to the secret ${u.secret}, so whether it grants the added groups is not known (link one with tokenSecrets)`,
    ];
  const unreadable = u.tokens.filter((t) => t.token.problems.some((p) => p.affectsGrants));
  if (unreadable.length)
    return [
      `part of ${unreadable.map((t) => displayToken(t.token)).join(", ")} could not be read, so whether it grants the added groups is not known`,
    ];
  return [];
}
