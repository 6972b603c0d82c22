// Hover and code-lens text for the editor, built from a workspace analysis: short, each deploy, secret and
// place named once. A config hover answers anywhere inside a binding (its table, a key, a value) and counts
// every CI command that uses the config (migrations, secret uploads, kv / r2 commands), not only `deploy`.
import { commandText } from "./command.js";
import type { Host } from "./host.js";
import { SourceFile, type Span } from "./source.js";
import { relative } from "./path.js";
import type { CiDeploy } from "./model/ci.js";
import { environments } from "./model/wrangler.js";
import type { analyzeMinimal } from "./minimal.js";
import { get, type ObjectNode, type Node } from "./parse/tree.js";
import type { DeployAnalysis, TokenAnalysis } from "./rules/rule.js";
import type { WorkspaceResult } from "./workspace.js";
import { expressionHover } from "./grant-hover.js";
import { statusSummary } from "./token-status.js";

type Minimal = (opts: Parameters<typeof analyzeMinimal>[1] & { path?: string }) => ReturnType<typeof analyzeMinimal>;

export interface EditorLens {
  span: Span;
  title: string;
  /** What the lens opens in the Token Permissions view. */
  target?: { kind: "token" | "deploy"; id: string };
}

/** Stable ids of view nodes: a token by its file and address (or name), a deploy by its file and command position. */
export function tokenNodeId(t: TokenAnalysis): string {
  return `token:${t.token.file}#${t.token.address ?? t.token.name}`;
}
export function deployNodeId(d: CiDeploy): string {
  return `deploy:${d.location.file}#${d.location.span.start}`;
}

function within(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

function uniq(list: string[]): string[] {
  return [...new Set(list)];
}

/** "`wrangler d1 migrations apply DB --remote` (deploy.yml › deploy › Apply migrations)" */
export function deployTitle(d: DeployAnalysis): string {
  return `\`wrangler ${commandText(d.deploy.command.argv)}\`${d.env ? ` (env ${d.env})` : ""} — ${d.deploy.label}`;
}

export function hoverAt(
  ws: WorkspaceResult,
  host: Host,
  root: string,
  file: string,
  offset: number,
  minimal: Minimal,
): { markdown: string; span: Span } | undefined {
  const where = (f: string, o: number) => `${relative(root, f)}:${lineOf(host, f, o)}`;
  for (const t of ws.tokens) {
    if (t.token.file !== file) continue;
    for (const g of t.grants) {
      if (!within(g.entry.span, offset)) continue;
      const special = expressionHover(t, g, where);
      if (special) return { markdown: special, span: g.entry.span };
      return { markdown: grantHover(ws, t, g, where), span: g.entry.span };
    }
  }
  for (const d of ws.deploys) {
    if (d.deploy.location.file !== file || !within(d.deploy.location.span, offset)) continue;
    return { markdown: deployHover(ws.deploys.filter((x) => x.deploy === d.deploy)), span: d.deploy.location.span };
  }
  const cfg = ws.configs.find((c) => c.path === file);
  if (cfg?.file.root) return configHover(ws, host, cfg.file.root, cfg.file.source, file, offset, minimal);
  return undefined;
}

function grantHover(
  ws: WorkspaceResult,
  t: TokenAnalysis,
  g: TokenAnalysis["grants"][number],
  where: (f: string, o: number) => string,
): string {
  const name = g.group
    ? `**${g.group.name}** (${g.group.label}, ${g.group.scope})`
    : `\`${g.entry.written}\` (not in the catalog)`;
  const status = ws.tokenStatus(t).grants.find((s) => s.grant === g);
  const secrets = uniq(t.links.map((l) => `\`${l.secret}\``)).join(", ");
  if (!t.links.length)
    return `${name}\n\nThis token is not linked to any deploy (see the \`tokenSecrets\` setting), so its use is unknown.`;
  const deploys = uniq(t.links.map((l) => l.deploy.deploy.label)).length;
  if (status?.state !== "needed") {
    const used = `${deploys} deploy${deploys === 1 ? " uses" : "s use"} this token through ${secrets}`;
    if (status?.state === "unneeded" || !status)
      return `${name} — unneeded. No deploy that uses this token needs it (${secrets}; ${deploys} deploy${deploys === 1 ? "" : "s"}).`;
    const state =
      status.state === "too-broad"
        ? `too broad: ${status.note}`
        : status.state === "too-narrow"
          ? `too narrow: its deploys need ${status.note?.replace(/^needs /, "")}`
          : `use unknown: ${status.note}`;
    return `${name} — ${state} (${used}).`;
  }
  const needs = t.needs.filter((n) => g.group && (n.group.id === g.group.id || n.group.twin === g.group.name));
  const lines = [`${name} — needed by:`, ""];
  const seen = new Set<string>();
  for (const n of needs) {
    for (const c of n.causes) {
      const line = `- ${where(c.file, c.span.start)} — ${c.message}`;
      if (seen.has(line) || seen.size >= 8) continue;
      seen.add(line);
      lines.push(line);
    }
  }
  return lines.join("\n");
}

function deployHover(same: DeployAnalysis[]): string {
  const d = same[0]!.deploy;
  const lines = [`\`wrangler ${commandText(d.command.argv)}\` needs:`, ""];
  for (const x of same) {
    if (x.error) lines.push(`- ${x.env ? `env ${x.env}: ` : ""}${x.error}`);
    for (const r of x.minimal?.requirements ?? []) {
      const line = `- ${x.env ? `(${x.env}) ` : ""}**${r.group.name}** on ${uniq(r.resources).join(", ")}${r.userTokenOnly ? " (only a user-owned token: wrangler looks the account up)" : ""}`;
      if (!lines.includes(line)) lines.push(line);
    }
  }
  if (d.token?.secret) lines.push("", `Token: \`${d.token.secret}\``);
  return lines.join("\n");
}

/** The innermost table or inline table holding the offset (not the document, the `env` map or an [env.x] table). */
function bindingAt(root: ObjectNode, offset: number): ObjectNode | undefined {
  const envMap = get(root, "env");
  const envTables = new Set<Node>(envMap?.kind === "object" ? envMap.entries.map((e) => e.value) : []);
  let found: ObjectNode | undefined;
  const visit = (n: Node): void => {
    if (!within(n.span, offset)) return;
    if (n.kind === "object" && n !== root && n !== envMap && !envTables.has(n)) found = n;
    if (n.kind === "object") for (const e of n.entries) visit(e.value);
    if (n.kind === "array") for (const i of n.items) visit(i);
  };
  visit(root);
  return found;
}

function configHover(
  ws: WorkspaceResult,
  host: Host,
  root: ObjectNode,
  src: SourceFile,
  file: string,
  offset: number,
  minimal: Minimal,
): { markdown: string; span: Span } | undefined {
  const binding = bindingAt(root, offset);
  const inScope = (span: Span) => (binding ? within(binding.span, span.start) : within(lineSpan(src, span), offset));
  // What the CI runs against this config; without CI, what a plain `wrangler deploy` of each env would need.
  const runs = ws.deploys.filter((d) => d.configPath === file && d.minimal);
  const analyses = runs.length
    ? runs.map((d) => ({ a: d.minimal!, env: d.env, command: commandText(d.deploy.command.argv) }))
    : [null, ...environments(ws.configs.find((c) => c.path === file)!.file)].flatMap((env) => {
        const a = minimal({ cwd: "/", path: file, env: env ?? undefined, command: "deploy", accountId: true });
        return "error" in a ? [] : [{ a, env, command: "deploy" }];
      });
  const groups = new Map<string, { why: Set<string>; commands: Set<string> }>();
  let span: Span | undefined;
  for (const { a, env, command } of analyses) {
    for (const r of a.requirements) {
      for (const reason of r.reasons) {
        const loc = reason.cause.location;
        if (!loc || loc.file !== file || !inScope(loc.span)) continue;
        span ??= binding?.span ?? loc.span;
        const g = groups.get(r.group.name) ?? { why: new Set(), commands: new Set() };
        groups.set(r.group.name, g);
        g.why.add(reason.cause.why);
        g.commands.add(`\`wrangler ${command}\`${env ? ` (env ${env})` : ""}`);
      }
    }
  }
  if (!span) return undefined;
  const lines = [
    runs.length ? "The CI commands that use this config need, because of this:" : "Deploying this needs:",
    "",
  ];
  for (const [name, g] of groups)
    lines.push(`- **${name}** — ${[...g.why].join("; ")}${runs.length ? ` (${[...g.commands].join(", ")})` : ""}`);
  return { markdown: lines.join("\n"), span };
}

function lineOf(host: Host, file: string, offset: number): number {
  const text = host.readFile(file);
  return text === undefined ? 1 : new SourceFile(file, text).lineColumn(offset).line;
}

function lineSpan(src: SourceFile, span: Span): Span {
  const line = src.lines.positionAt(span.start).line;
  const start = src.lines.lineStart(line);
  const end = line + 1 < src.lines.lineCount ? src.lines.lineStart(line + 1) - 1 : src.text.length;
  return { start, end: Math.max(end, span.end) };
}

export function lensesFor(ws: WorkspaceResult, file: string): EditorLens[] {
  const out: EditorLens[] = [];
  for (const t of ws.tokens) {
    if (t.token.file !== file) continue;
    out.push({
      span: t.token.span,
      title: statusSummary(ws.tokenStatus(t)),
      target: { kind: "token", id: tokenNodeId(t) },
    });
  }
  // The first token linked to each deploy (searching the tokens' links for each deploy was quadratic).
  const linked = new Map<CiDeploy, (typeof ws.tokens)[number]>();
  for (const t of ws.tokens) for (const l of t.links) if (!linked.has(l.deploy.deploy)) linked.set(l.deploy.deploy, t);
  const seen = new Set<CiDeploy>();
  for (const d of ws.deploys) {
    if (d.deploy.location.file !== file || seen.has(d.deploy)) continue;
    seen.add(d.deploy);
    const secret = d.deploy.token?.secret;
    const token = secret ? linked.get(d.deploy) : undefined;
    out.push({
      span: d.deploy.stepLocation.span,
      title: secret
        ? token
          ? `token: ${secret} → ${token.token.name}`
          : `token: ${secret} (no token definition found)`
        : d.deploy.token
          ? "token: set inline"
          : "token: none set",
      target: token ? { kind: "token", id: tokenNodeId(token) } : { kind: "deploy", id: deployNodeId(d.deploy) },
    });
  }
  return out;
}
