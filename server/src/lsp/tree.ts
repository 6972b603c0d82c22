// The Token Permissions view's data (TREE_REQUEST): per folder analysis, the deploys (each CI command, or each
// config + env + `deploy` when no CI runs it) with the groups they need and the reasons, and the tokens with
// each grant marked and the deploys they serve. Plain nodes with locations; the client only draws them.
import { commandText } from "../core/index.js";
import type { Need } from "../core/index.js";
import type { DeployAnalysis, TokenAnalysis } from "../core/index.js";
import type { Requirement } from "../core/index.js";
import type { LineIndex, Location } from "../core/index.js";
import { analyzeMinimal } from "../core/index.js";
import { environments, readConfigFile } from "../core/index.js";
import { dirname, relative } from "../core/index.js";
import { deployNodeId, tokenNodeId } from "../core/index.js";
import { statusSummary } from "../core/index.js";
import type { Diagnostics, FolderAnalysis } from "./diagnostics.js";
import type { OverlayHost } from "./workspace.js";
import { pathToUri, spanToRange, uriToPath } from "./convert.js";
import type { TreeNode, TreeParams, TreeResult, TreeSection } from "./protocol.js";

interface Ctx {
  a: FolderAnalysis;
  host: OverlayHost;
  multi: boolean;
}

function lines(c: Ctx, file: string): LineIndex | undefined {
  const l = c.a.lines.get(file);
  return l && l.text === c.host.readFile(file) ? l : c.host.lines(file);
}

function at(c: Ctx, loc: Location | undefined): TreeNode["location"] {
  if (!loc) return undefined;
  const l = lines(c, loc.file);
  return l ? { uri: pathToUri(loc.file), range: spanToRange(l, loc.span) } : undefined;
}

function place(c: Ctx, loc: Location): string {
  const l = lines(c, loc.file);
  return `${relative(c.a.root, loc.file)}${l ? `:${l.positionAt(loc.span.start).line + 1}` : ""}`;
}

/** "account", "zone example.com", "bucket assets" for a resource key. */
export function resourceLabel(key: string): string {
  const zone = /^com\.cloudflare\.api\.account\.zone\.(?:<ZONE_ID:([^>]+)>|(.+))$/.exec(key);
  if (zone) return `zone ${zone[1] ?? zone[2]}`;
  if (key.startsWith("com.cloudflare.edge.r2.bucket.")) return `bucket ${key.split("_").slice(2).join("_") || key}`;
  if (key.startsWith("com.cloudflare.api.user.")) return "user";
  if (key === "com.cloudflare.api.account.*") return "all accounts";
  return "account";
}

function requirementNode(c: Ctx, parent: string, r: Requirement): TreeNode {
  const id = `${parent}/${r.group.name}`;
  const children = r.reasons.map((reason, i): TreeNode => {
    const loc = reason.cause.location;
    return {
      id: `${id}/${i}`,
      label: reason.cause.why,
      description: loc ? place(c, loc) : undefined,
      tooltip: reason.api.map((x) => `\`${x}\``).join("  \n"),
      kind: "reason",
      location: at(c, loc),
    };
  });
  const note = r.userTokenOnly ? " · user-owned token only" : "";
  return {
    id,
    label: r.group.name,
    description: `${[...new Set(r.resources.map(resourceLabel))].join(", ")}${note}`,
    tooltip: `${r.group.label} (${r.group.scope}), ${r.confidence} confidence`,
    kind: "group",
    children,
  };
}

function tokenOf(c: Ctx, d: DeployAnalysis): TokenAnalysis | undefined {
  return (c.a.result.tokens ?? []).find((t) => t.links.some((l) => l.deploy.deploy === d.deploy));
}

function deployNodes(c: Ctx): TreeNode[] {
  const out: TreeNode[] = [];
  const byDeploy = new Map<unknown, DeployAnalysis[]>();
  for (const d of c.a.result.deploys ?? []) byDeploy.set(d.deploy, [...(byDeploy.get(d.deploy) ?? []), d]);
  for (const list of byDeploy.values()) {
    const d = list[0]!;
    const id = deployNodeId(d.deploy);
    const children: TreeNode[] = [];
    for (const x of list) {
      const envId = list.length > 1 ? `${id}/env:${x.env ?? ""}` : id;
      const groups = (x.minimal?.requirements ?? []).map((r) => requirementNode(c, envId, r));
      if (x.error) groups.push({ id: `${envId}/error`, label: x.error, kind: "error" });
      if (list.length > 1)
        children.push({ id: envId, label: x.env ? `env ${x.env}` : "top level", kind: "config", children: groups });
      else children.push(...groups);
    }
    const t = tokenOf(c, d);
    const secret = d.deploy.token?.secret;
    children.push({
      id: `${id}/token`,
      label: secret ? `token ${secret}` : d.deploy.token ? "token set inline" : "no token set",
      description: t ? `→ ${t.token.name}` : secret ? "no token definition found" : undefined,
      kind: "link",
      location: t ? at(c, { file: t.token.file, span: t.token.nameSpan ?? t.token.span }) : undefined,
      data: t ? { reveal: tokenNodeId(t) } : undefined,
    });
    const cfg = d.configPath ? relative(c.a.root, d.configPath) : undefined;
    out.push({
      id,
      label: d.deploy.label,
      description: `wrangler ${commandText(d.deploy.command.argv)}${d.env ? ` (env ${d.env})` : ""}`,
      tooltip: cfg ? `config: \`${cfg}\`` : "no wrangler config found",
      kind: "deploy",
      location: at(c, d.deploy.location),
      children,
      data: {
        ...(d.configPath ? { config: pathToUri(d.configPath) } : {}),
        command: commandText(d.deploy.command.argv),
        env: d.env ?? "",
        step: pathToUri(d.deploy.stepLocation.file) + "#" + d.deploy.stepLocation.span.start,
      },
    });
  }
  // Configs no CI command uses: what `wrangler deploy` of each env needs.
  const used = new Set((c.a.result.deploys ?? []).map((d) => d.configPath));
  for (const cfg of c.a.result.configs ?? []) {
    if (used.has(cfg.path)) continue;
    const text = c.host.readFile(cfg.path);
    if (text === undefined) continue;
    const envs = [null, ...environments(readConfigFile(cfg.path, text))];
    for (const env of envs) {
      const a = analyzeMinimal(c.host, {
        cwd: dirname(cfg.path),
        path: cfg.path,
        env: env ?? undefined,
        command: "deploy",
        root: c.a.root,
      });
      const id = `config:${cfg.path}#${env ?? ""}`;
      const children =
        "error" in a
          ? [{ id: `${id}/error`, label: a.error, kind: "error" as const }]
          : a.requirements.map((r) => requirementNode(c, id, r));
      out.push({
        id,
        label: relative(c.a.root, cfg.path),
        description: `wrangler deploy${env ? ` --env ${env}` : ""} (not run by CI)`,
        kind: "config",
        location: at(c, { file: cfg.path, span: { start: 0, end: 0 } }),
        children,
        data: { config: pathToUri(cfg.path), env: env ?? "", command: "deploy" },
      });
    }
  }
  return out;
}

const STATE_LABEL = {
  needed: "needed",
  unneeded: "unneeded",
  "too-broad": "too broad",
  "too-narrow": "too narrow",
  unknown: "use unknown",
  missing: "missing",
  granted: "granted",
} as const;

function needNode(c: Ctx, id: string, n: Need, state: "missing" | "too-narrow"): TreeNode {
  const first = n.causes[0];
  return {
    id: `${id}/need/${n.group.name}`,
    label: n.group.name,
    description: `${STATE_LABEL[state]}${state === "too-narrow" ? ` (${n.group.twin} granted)` : ""} · ${[...new Set(n.resources.map(resourceLabel))].join(", ")}`,
    tooltip: n.causes
      .slice(0, 6)
      .map((x) => `- ${place(c, x)} — ${x.message}`)
      .join("\n"),
    kind: state,
    location: at(c, first),
  };
}

function tokenNodes(c: Ctx): TreeNode[] {
  return (c.a.result.tokens ?? []).map((t): TreeNode => {
    const id = tokenNodeId(t);
    const s = c.a.result.tokenStatus?.(t);
    const children: TreeNode[] = (s?.grants ?? []).map((g, i) => ({
      id: `${id}/grant/${i}`,
      label: g.name,
      description: `${STATE_LABEL[g.state]}${g.note && g.state !== "needed" && g.state !== "unneeded" ? ` (${g.note})` : ""} · ${[...new Set(g.grant.scopes.map((x) => resourceLabel(x.key)))].join(", ")}`,
      kind: g.state,
      location: at(c, { file: t.token.file, span: g.grant.entry.span }),
    }));
    for (const n of s?.needs ?? []) if (n.state !== "granted") children.push(needNode(c, id, n.need, n.state));
    const seen = new Set<unknown>();
    for (const l of t.links) {
      if (seen.has(l.deploy.deploy)) continue;
      seen.add(l.deploy.deploy);
      children.push({
        id: `${id}/serves/${deployNodeId(l.deploy.deploy)}`,
        label: `serves ${l.deploy.deploy.label}`,
        description: `wrangler ${commandText(l.deploy.deploy.command.argv)} · ${l.secret}`,
        kind: "link",
        location: at(c, l.deploy.deploy.location),
        data: { reveal: deployNodeId(l.deploy.deploy) },
      });
    }
    const where = relative(c.a.root, t.token.file);
    return {
      id,
      label: t.token.name,
      description: s ? statusSummary(s) : where,
      tooltip: `${t.token.address ?? where} in \`${where}\``,
      kind: "token",
      location: at(c, { file: t.token.file, span: t.token.nameSpan ?? t.token.span }),
      children,
    };
  });
}

export async function permissionsTree(
  params: TreeParams,
  diagnostics: Diagnostics,
  host: OverlayHost,
): Promise<TreeResult> {
  const wanted = new Set(params.sections ?? ["deploys", "tokens"]);
  const folder = params.folder ? uriToPath(params.folder) : undefined;
  const roots = diagnostics.roots().filter((r) => !folder || r === folder);
  const deploys: TreeNode[] = [];
  const tokens: TreeNode[] = [];
  for (const root of roots) {
    const a = diagnostics.analysisOf(root) ?? (await diagnostics.analyzeNow(root));
    if (!a) continue;
    const c: Ctx = { a, host, multi: roots.length > 1 };
    if (wanted.has("deploys")) deploys.push(...deployNodes(c));
    if (wanted.has("tokens")) tokens.push(...tokenNodes(c));
  }
  const sections: TreeSection[] = [];
  if (wanted.has("deploys"))
    sections.push({ id: "deploys", label: "Deploys", nodes: deploys, empty: "No CI deploy or wrangler config found." });
  if (wanted.has("tokens"))
    sections.push({
      id: "tokens",
      label: "Tokens",
      nodes: tokens,
      empty:
        "No token definition (create-token JSON, Terraform cloudflare_api_token / cloudflare_account_token) found.",
    });
  return { sections };
}
