// The Token Permissions view's "review" section (while a review is active): a summary line, then each changed
// deploy and token with its delta, then the findings new on the branch and those it fixes. Every node opens its
// place: in head as a file, in base as the file at the base commit (`data.gitRef`, which the client turns into a
// git: URI through VS Code's git extension).
import {
  join,
  type DeployDelta,
  type GrantDelta,
  type GroupDelta,
  type Review,
  type ReviewFinding,
  type ReviewPlace,
  type TokenDelta,
} from "../core/index.js";
import { pathToUri } from "./convert.js";
import type { TreeNode, TreeSection } from "./protocol.js";
import { resourceLabel } from "./tree.js";

interface Ctx {
  root: string;
  commit?: string;
  label: string;
}

const SIGN = { added: "+", removed: "\u2212", changed: "~" } as const;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** The view node id of a token's delta (the lens reveals it). */
export function reviewTokenNodeId(t: TokenDelta): string {
  return `review:token:${t.address ?? t.name}:${t.file.head ?? t.file.base ?? ""}`;
}

function deployNodeId(d: DeployDelta): string {
  return `review:deploy:${d.label}:${d.config.head ?? d.config.base ?? ""}:${d.env ?? ""}:${d.command}`;
}

/** Where a place opens: head places as files, base places as the file at the base commit. */
function open(c: Ctx, p: ReviewPlace | undefined): Pick<TreeNode, "location" | "data"> {
  if (!p) return {};
  const range = {
    start: { line: p.line - 1, character: p.column - 1 },
    end: { line: p.endLine - 1, character: p.endColumn - 1 },
  };
  const location = { uri: pathToUri(join(c.root, p.file)), range };
  if (p.side === "head") return { location };
  return c.commit ? { location, data: { gitRef: c.commit } } : {};
}

const where = (p: ReviewPlace) => `${p.side === "base" ? "base " : ""}${p.file}:${p.line}`;

function causes(c: Ctx, id: string, list: ReviewPlace[]): TreeNode[] {
  return list.map((p, i) => ({
    id: `${id}/cause/${i}`,
    label: p.message,
    description: where(p),
    kind: "reason",
    ...open(c, p),
  }));
}

function groupNode(c: Ctx, id: string, g: GroupDelta, sign: "+" | "\u2212"): TreeNode {
  const nid = `${id}/${sign === "+" ? "add" : "remove"}/${g.group}`;
  const res = [...new Set(g.resources.map(resourceLabel))].join(", ");
  return {
    id: nid,
    label: `${sign} ${g.group}`,
    description: `${sign === "+" ? "now needed" : "no longer needed"} · ${res}${g.userTokenOnly ? " · user-owned token only" : ""}`,
    tooltip: g.label,
    kind: sign === "+" ? "group" : "unneeded",
    ...open(c, g.causes[0]),
    children: causes(c, nid, g.causes),
  };
}

function deployNode(c: Ctx, d: DeployDelta): TreeNode {
  const id = deployNodeId(d);
  const children: TreeNode[] = [
    ...d.newlyLacking.map((l): TreeNode => ({
      id: `${id}/lacks/${l.group}`,
      label: `lacks ${l.group}`,
      description: `${l.tokens.join(", ")} does not grant it`,
      tooltip: `${l.label} on ${l.resources.join(", ")}`,
      kind: "missing",
      ...open(c, l.causes[0]),
      children: causes(c, `${id}/lacks/${l.group}`, l.causes),
    })),
    ...d.groupsAdded.map((g) => groupNode(c, id, g, "+")),
    ...d.groupsRemoved.map((g) => groupNode(c, id, g, "\u2212")),
    ...d.resources.map((x): TreeNode => ({
      id: `${id}/resources/${x.group}`,
      label: `~ ${x.group}`,
      description: [
        ...x.added.map((k) => `+${resourceLabel(k)}`),
        ...x.removed.map((k) => `\u2212${resourceLabel(k)}`),
      ].join(" "),
      kind: "group",
      ...open(c, x.causes[0]),
      children: causes(c, `${id}/resources/${x.group}`, x.causes),
    })),
    ...d.unknowns.map((u, i): TreeNode => ({ id: `${id}/unknown/${i}`, label: u, kind: "unknown" })),
  ];
  if (d.place.base && d.place.head)
    children.push({
      id: `${id}/base`,
      label: "base version",
      description: where(d.place.base),
      kind: "link",
      ...open(c, d.place.base),
    });
  const delta = [
    ...(d.groupsAdded.length ? [`+${plural(d.groupsAdded.length, "group")}`] : []),
    ...(d.groupsRemoved.length ? [`\u2212${plural(d.groupsRemoved.length, "group")}`] : []),
    ...(d.resources.length ? [`${plural(d.resources.length, "resource change")}`] : []),
    ...(d.newlyLacking.length ? [`lacks ${d.newlyLacking.map((l) => l.group).join(", ")}`] : []),
  ];
  return {
    id,
    label: `${SIGN[d.status]} ${d.label}`,
    description: `${d.status === "changed" ? "" : `${d.status} · `}${delta.join(" · ") || `wrangler ${d.command}`}`,
    tooltip: `wrangler ${d.command}${d.env ? ` (env ${d.env})` : ""}${d.matchedBy ? ` — matched by ${d.matchedBy}` : ""}`,
    kind: d.newlyLacking.length ? "missing" : "deploy",
    ...open(c, d.place.head ?? d.place.base),
    children,
  };
}

function grantNode(c: Ctx, id: string, g: GrantDelta, sign: "+" | "\u2212", i: number): TreeNode {
  const bits = [
    g.effect === "deny" ? "deny" : "",
    g.widens ? "new access" : "",
    g.needed === false ? "no linked deploy needs it" : g.needed ? "needed" : "",
  ].filter(Boolean);
  return {
    id: `${id}/${sign === "+" ? "add" : "remove"}/${i}`,
    label: `${sign} ${g.group}`,
    description: [resourceLabel(g.resource), ...bits].join(" · "),
    tooltip: `${g.label} on \`${g.resource}\``,
    kind: sign === "\u2212" ? "unneeded" : g.needed === false ? "too-broad" : g.widens ? "too-broad" : "needed",
    ...open(c, g.place),
  };
}

function tokenNode(c: Ctx, t: TokenDelta): TreeNode {
  const id = reviewTokenNodeId(t);
  const children: TreeNode[] = [
    ...t.added.map((g, i) => grantNode(c, id, g, "+", i)),
    ...t.removed.map((g, i) => grantNode(c, id, g, "\u2212", i)),
    ...t.unknowns.map((u, i): TreeNode => ({ id: `${id}/unknown/${i}`, label: u, kind: "unknown" })),
  ];
  if (t.place.base && t.place.head)
    children.push({
      id: `${id}/base`,
      label: "base version",
      description: where(t.place.base),
      kind: "link",
      ...open(c, t.place.base),
    });
  const delta = [
    ...(t.added.length ? [`+${plural(t.added.length, "grant")}`] : []),
    ...(t.removed.length ? [`\u2212${plural(t.removed.length, "grant")}`] : []),
    ...(t.widened ? ["widened"] : []),
  ];
  return {
    id,
    label: `${SIGN[t.status]} ${t.name}`,
    description: `${t.status === "changed" ? "" : `${t.status} · `}${delta.join(" · ")}`,
    tooltip: t.address ? `\`${t.address}\`` : undefined,
    kind: t.widened ? "too-broad" : "token",
    ...open(c, t.place.head ?? t.place.base),
    children,
  };
}

function findingNode(c: Ctx, id: string, f: ReviewFinding, side: "base" | "head", i: number): TreeNode {
  const p: ReviewPlace = {
    side,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    message: f.message,
  };
  return {
    id: `${id}/${i}`,
    label: f.rule,
    description: `${where(p)} · ${f.message}`,
    tooltip: f.message,
    kind: side === "base" ? "needed" : f.severity === "error" ? "error" : f.severity === "warning" ? "finding" : "note",
    ...open(c, p),
  };
}

function summary(r: Review): string {
  const s = r.summary;
  const bits = [plural(s.deploysChanged, "deploy") + " changed", plural(s.tokensChanged, "token") + " changed"];
  if (s.tokensWidened) bits.push(`${s.tokensWidened} widened`);
  if (s.deploysLacking) bits.push(`${plural(s.deploysLacking, "deploy")} now lacking`);
  bits.push(`${s.findingsNew} new, ${s.findingsFixed} fixed findings`);
  return bits.join(" · ");
}

export function reviewSection(
  active: { root: string; commit?: string; label: string; review: Review }[],
  multi: boolean,
): TreeSection {
  const nodes: TreeNode[] = [];
  for (const a of active) {
    const c: Ctx = { root: a.root, commit: a.commit, label: a.label };
    const r = a.review;
    const sid = `review:summary:${a.root}`;
    nodes.push({
      id: sid,
      label: r.fails ? "Widens access or breaks a deploy" : "No widened token, no deploy newly lacking",
      description: `vs ${a.label}${multi ? ` (${a.root})` : ""} · ${summary(r)}`,
      tooltip: [
        `Base: ${a.label}; head: the working tree (unsaved edits included).`,
        ...r.reasons.map((x) => `- ${x}`),
        ...r.notes.map((x) => `- ${x}`),
      ].join("\n"),
      kind: r.fails ? "error" : "needed",
      children: [
        ...r.reasons.map((x, i): TreeNode => ({ id: `${sid}/reason/${i}`, label: x, kind: "error" })),
        ...r.notes.map((x, i): TreeNode => ({ id: `${sid}/note/${i}`, label: x, kind: "note" })),
      ],
    });
    nodes.push(...r.deploys.map((d) => deployNode(c, d)), ...r.tokens.map((t) => tokenNode(c, t)));
    if (r.findings.new.length)
      nodes.push({
        id: `review:new:${a.root}`,
        label: "New on this branch",
        description: plural(r.findings.new.length, "finding"),
        kind: "finding",
        children: r.findings.new.map((f, i) => findingNode(c, `review:new:${a.root}`, f, "head", i)),
      });
    if (r.findings.fixed.length)
      nodes.push({
        id: `review:fixed:${a.root}`,
        label: "Fixed on this branch",
        description: plural(r.findings.fixed.length, "finding"),
        kind: "needed",
        children: r.findings.fixed.map((f, i) => findingNode(c, `review:fixed:${a.root}`, f, "base", i)),
      });
  }
  return { id: "review", label: "Review", nodes };
}
