// `audit`: the live token as one more token definition of the workspace analysis, linked to the CI secret the
// user names, so it meets exactly the comparison and rules `check` applies to token files. The result is a plain
// data structure (the CLI renders it as text, JSON, SARIF or Markdown; the editor shows it as a report and, later,
// in a view). Findings on the live token have no file: they carry a path into the token (e.g.
// `policies[0].permission_groups[1]`) and, as their place in the repository, the first workflow step that uses
// the secret. Pure: files come through the Host, the date through the options.
import type { Host } from "../host.js";
import type { Severity } from "../problems.js";
import type { Finding } from "../findings.js";
import type { Span } from "../source.js";
import { SourceFile } from "../source.js";
import { relative } from "../path.js";
import { commandText } from "../command.js";
import { analyzeWorkspace, type WorkspaceDeps, type WorkspaceOptions, type WorkspaceResult } from "../workspace.js";
import type { DeployAnalysis, TokenAnalysis } from "../rules/rule.js";
import { RULES } from "../rules/index.js";
import type { TokenDefinition } from "../model/token.js";
import { flattenResources } from "../compare.js";
import { withoutLiveFiles, type LiveToken } from "./live.js";
import { accountKeyFor, policyDiff, type PolicyDiff } from "./diff.js";
import { auditNotes } from "./notes.js";
import { replacementFor, type Replacement } from "./replacement.js";

export interface AuditOptions extends Omit<WorkspaceOptions, "extraTokens"> {
  /** The CI secret that holds the token (default CLOUDFLARE_API_TOKEN). */
  secret: string;
  today: string;
}

/** A place in a repository file: root-relative path, 1-based line and column. */
export interface AuditPlace {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface AuditFinding {
  rule: string;
  severity: Severity;
  message: string;
  /** Where in the live token the finding is ("" for the token as a whole); null for a finding in a repository file. */
  tokenPath: string | null;
  /** The repository place: the finding's own, or for a finding on the live token the first step that uses the secret. */
  at: AuditPlace | null;
  related: { file: string; line: number; column: number; message: string }[];
}

export interface AuditDeploy {
  label: string;
  file: string;
  line: number;
  column: number;
  command: string;
  env: string | null;
  /** Why its needs are unknown, when they are. */
  error?: string;
}

export interface AuditTokenSummary {
  id: string;
  name: string;
  owner: "user" | "account";
  accountId: string | null;
  status: string | null;
  expiresOn: string | null;
  notBefore: string | null;
  ipCondition: { in: string[]; notIn: string[] } | null;
  issuedOn: string | null;
  modifiedOn: string | null;
  lastUsedOn: string | null;
  policies: { effect: "allow" | "deny"; groups: { id: string | null; name: string }[]; resources: string[] }[];
}

/** The audit's answer (schemaVersion 1 of `audit --format json`). */
export interface AuditReport {
  schemaVersion: 1;
  secret: string;
  token: AuditTokenSummary;
  /** The deploys that use the secret (one entry per deploy and environment). */
  deploys: AuditDeploy[];
  findings: AuditFinding[];
  /** Null when the deploys' needs are not known (see notes). */
  diff: PolicyDiff | null;
  replacement: Replacement | null;
  notes: string[];
  summary: { deploys: number; errors: number; warnings: number; infos: number };
  /** The API requests that read the token (method, URL, status; filled in by the caller that made them). */
  requests: string[];
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Runs the workspace analysis with the live token added, and builds the report. */
export function auditWorkspace(
  host: Host,
  root: string,
  live: LiveToken,
  opts: AuditOptions,
  deps: WorkspaceDeps = {},
): AuditReport {
  const h = withoutLiveFiles(host);
  const { secret, ...wsOpts } = opts;
  const ws = analyzeWorkspace(
    h,
    root,
    { ...wsOpts, extraTokens: [{ token: live.definition, secrets: [secret] }] },
    deps,
  );
  const t = ws.tokens.find((x) => x.token === live.definition)!;
  return buildReport(h, root, ws, t, live, opts);
}

function buildReport(
  host: Host,
  root: string,
  ws: WorkspaceResult,
  t: TokenAnalysis,
  live: LiveToken,
  opts: AuditOptions,
): AuditReport {
  const places = placer(host, root);
  const linked = t.links.map((l) => l.deploy);
  const findings = auditFindings(ws, live, linked, places);
  const mapKey = accountKeyFor(t, live.accountId);
  const diff = policyDiff(t, opts.today, mapKey) ?? null;
  const replacement = diff ? replacementFor(t, live, opts.today, mapKey) : null;
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return {
    schemaVersion: 1,
    secret: opts.secret,
    token: summarize(live),
    deploys: linked.map((d) => deployEntry(d, places)),
    findings,
    diff,
    replacement,
    notes: auditNotes(ws, t, live, { root, secret: opts.secret, mapKey }),
    summary: {
      deploys: new Set(linked.map((d) => d.deploy)).size,
      errors: count("error"),
      warnings: count("warning"),
      infos: count("info"),
    },
    requests: [],
  };
}

/** The workspace findings and problems on the token or on the deploys that use it, most severe first. */
function auditFindings(
  ws: WorkspaceResult,
  live: LiveToken,
  linked: DeployAnalysis[],
  places: (file: string, span: Span) => AuditPlace,
): AuditFinding[] {
  const firstStep = linked[0] ? places(linked[0].deploy.location.file, linked[0].deploy.location.span) : null;
  const findings: AuditFinding[] = [];
  for (const f of ws.findings) {
    const related = f.related
      .filter((r) => r.file !== live.definition.file)
      .map((r) => ({ ...pos(places(r.file, r.span)), message: r.message }));
    if (f.location.file === live.definition.file) {
      findings.push({
        rule: f.rule,
        severity: f.severity,
        message: f.message,
        tokenPath: tokenPath(live.definition, f),
        at: firstStep,
        related,
      });
    } else if (onDeploys(f, linked)) {
      findings.push({
        rule: f.rule,
        severity: f.severity,
        message: f.message,
        tokenPath: null,
        at: places(f.location.file, f.location.span),
        related,
      });
    }
  }
  const files = new Set(
    linked.flatMap((d) => [
      d.deploy.location.file,
      ...d.deploy.via.map((v) => v.file),
      ...(d.configPath ? [d.configPath] : []),
    ]),
  );
  for (const p of ws.problems) {
    if (files.has(p.file))
      findings.push({
        rule: p.code,
        severity: p.severity,
        message: p.message,
        tokenPath: null,
        at: places(p.file, p.span),
        related: [],
      });
  }
  findings.sort(
    (a, b) =>
      RANK[a.severity] - RANK[b.severity] ||
      a.rule.localeCompare(b.rule) ||
      (a.tokenPath ?? "").localeCompare(b.tokenPath ?? ""),
  );
  return findings;
}

function pos(p: AuditPlace): { file: string; line: number; column: number } {
  return { file: p.file, line: p.line, column: p.column };
}

/** Root-relative 1-based places, reading each file once. */
function placer(host: Host, root: string): (file: string, span: Span) => AuditPlace {
  const sources = new Map<string, SourceFile>();
  return (file, span) => {
    let s = sources.get(file);
    if (!s) sources.set(file, (s = new SourceFile(file, host.readFile(file) ?? "")));
    const a = s.lineColumn(span.start);
    const b = s.lineColumn(span.end);
    return { file: relative(root, file), line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  };
}

/** A finding located in the step (or the command) of a deploy that uses the secret. */
function onDeploys(f: Finding, linked: DeployAnalysis[]): boolean {
  return linked.some((d) => {
    const s = d.deploy.stepLocation;
    return s.file === f.location.file && f.location.span.start >= s.span.start && f.location.span.start <= s.span.end;
  });
}

function deployEntry(d: DeployAnalysis, places: (file: string, span: Span) => AuditPlace): AuditDeploy {
  const p = places(d.deploy.location.file, d.deploy.location.span);
  const e: AuditDeploy = {
    label: d.deploy.label,
    file: p.file,
    line: p.line,
    column: p.column,
    command: `wrangler ${commandText(d.deploy.command.argv)}`,
    env: d.env,
  };
  if (!d.minimal) e.error = d.error ?? "not analysed";
  return e;
}

/** Findings located on the token's name stand for the token as a whole, or for the part the rule is about. */
const NAME_PATHS = new Map(RULES.flatMap((r) => (r.livePath ? [[r.id, r.livePath] as const] : [])));

function within(span: Span | undefined, offset: number): boolean {
  return !!span && offset >= span.start && offset < span.end;
}

/** A path into the live token's JSON for a finding's span. */
export function tokenPath(def: TokenDefinition, f: Pick<Finding, "rule" | "location">): string {
  const at = f.location.span.start;
  if (def.nameSpan && at === def.nameSpan.start) return NAME_PATHS.get(f.rule) ?? "";
  if (within(def.expiresOn?.span, at)) return "expires_on";
  if (within(def.notBefore?.span, at)) return "not_before";
  if (within(def.ipCondition?.span, at)) return "condition.request_ip";
  for (const [i, p] of def.policies.entries()) {
    const j = p.groups.findIndex((g) => within(g.span, at));
    if (j >= 0) return `policies[${i}].permission_groups[${j}]`;
    for (const r of p.resources) {
      if (!within(r.span, at)) continue;
      const inner = typeof r.value === "string" ? undefined : r.value.find((x) => within(x.span, at));
      return `policies[${i}].resources[${JSON.stringify(r.key)}]${inner ? `[${JSON.stringify(inner.key)}]` : ""}`;
    }
    if (within(p.span, at)) return `policies[${i}]`;
  }
  return "";
}

function summarize(live: LiveToken): AuditTokenSummary {
  const d = live.definition;
  return {
    id: live.id,
    name: live.name,
    owner: live.owner,
    accountId: live.accountId ?? null,
    status: d.live?.status ?? null,
    expiresOn: d.expiresOn?.value ?? null,
    notBefore: d.notBefore?.value ?? null,
    ipCondition: d.ipCondition ? { in: d.ipCondition.in, notIn: d.ipCondition.notIn } : null,
    issuedOn: d.live?.issuedOn ?? null,
    modifiedOn: d.live?.modifiedOn ?? null,
    lastUsedOn: d.live?.lastUsedOn ?? null,
    policies: d.policies.map((p) => ({
      effect: p.effect,
      groups: p.groups.map((g) => ({ id: g.id ?? null, name: g.name ?? g.written })),
      resources: flattenResources(p.resources).map((s) => (s.parent ? `${s.parent} › ${s.key}` : s.key)),
    })),
  };
}
