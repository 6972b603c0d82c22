// Whole-workspace analysis: every wrangler config, every CI deploy, every token definition; links tokens to
// the deploys they serve, runs the rules, and answers hover / code lens questions. Used by `check` and by the
// language server. Pure: file access goes through the Host; the HCL parser and the date are passed in. What it
// reads and derives is kept in the workspace database the adapter owns (deps.db): the next analysis reuses every
// value whose inputs did not change.
import { confine, type Host } from "./host.js";
import { RefusalLog } from "./refusals.js";
import type { Span } from "./source.js";
import { onePerCause, type Problem } from "./problems.js";
import type { Finding, Fix } from "./findings.js";
import { join } from "./path.js";
import { Database } from "./db.js";
import { ciFiles, findCiDeploys } from "./ci/index.js";
import { findTokenDefinitions } from "./tokens/index.js";
import type { HclParser } from "./tokens/hcl.js";
import { hoverAt, lensesFor, type EditorLens } from "./editor-text.js";
import { tokenStatus, type TokenStatus } from "./token-status.js";
import type { ConfigInfo, DeployAnalysis, RuleContext, TokenAnalysis } from "./rules/rule.js";
import { PROJECT_CONFIG, withProjectConfig, type WorkspaceOptions } from "./project-config.js";
import { ConfigReader, analyzeDeploy, findConfigFiles, runsLocally } from "./deploys.js";
import { indexDeploys, linkExtraToken, linkToken } from "./linking.js";
import { rewriteFixes, runRules, tokenLocator } from "./run-rules.js";
import { analyzeMinimal } from "./minimal.js";

export { PROJECT_CONFIG, withProjectConfig, type SeveritySetting, type WorkspaceOptions } from "./project-config.js";
export { findConfigFiles } from "./deploys.js";
export { tokenKeys } from "./linking.js";

export interface WorkspaceDeps {
  hcl?: HclParser;
  /** The workspace database to read from and keep results in (the adapter's); a fresh one when not given. */
  db?: Database;
}

export interface WorkspaceResult {
  findings: Finding[];
  /** Problems reading files (syntax errors, unknown keys), each with its file. */
  problems: (Problem & { file: string })[];
  summary: { configs: number; deploys: number; tokens: number };
  configs: ConfigInfo[];
  deploys: DeployAnalysis[];
  tokens: TokenAnalysis[];
  /** Hover text for a position, or undefined. */
  hover(file: string, offset: number): { markdown: string; span: Span } | undefined;
  /** The "rewrite to the minimal token" fix for the token definition at a position, when it is linked. */
  rewrite(file: string, offset: number): Fix | undefined;
  /** Code lenses for a file. */
  lenses(file: string): EditorLens[];
  /** Each grant and need of a token, marked needed / unneeded / too broad / too narrow / missing. */
  tokenStatus(t: TokenAnalysis): TokenStatus;
  /** Every file whose change can alter the result. */
  files: string[];
  /** The Host the analysis read through (confined to the root): adapters read the findings' files through it. */
  host: Host;
}

export function analyzeWorkspace(
  given: Host,
  root: string,
  options: WorkspaceOptions = {},
  deps: WorkspaceDeps = {},
): WorkspaceResult {
  const db = deps.db ?? new Database({ once: true });
  db.begin(root);
  try {
    return analyze(db, given, root, options, deps.hcl);
  } finally {
    db.end();
  }
}

function analyze(
  db: Database,
  given: Host,
  root: string,
  options: WorkspaceOptions,
  hcl: HclParser | undefined,
): WorkspaceResult {
  // Every read stays inside the root (real paths); what is refused becomes a finding where it was asked for.
  const host = confine(given, root);
  const refusals = new RefusalLog(host, host.root);
  const ciNames = () => {
    const c = ciFiles(host.base, root);
    return [...c.github, ...c.gitlab];
  };
  const { options: opts, problems: projectProblems } = withProjectConfig(host, root, options);
  const problems: (Problem & { file: string })[] = [...projectProblems];
  const files = new Set<string>([join(root, PROJECT_CONFIG)]);
  const source = (file: string) => {
    const text = host.readFile(file);
    return text === undefined ? undefined : db.source(file, text);
  };

  const configReader = new ConfigReader(host, db, problems, files);
  for (const p of db.tracked("config-files", root, host, [], (h) => findConfigFiles(h, root))) configReader.get(p);

  // CI deploys.
  const ci = findCiDeploys(host, root, db);
  for (const p of ci.problems) problems.push(p);
  refusals.claim(undefined, ciNames);
  const deploys: DeployAnalysis[] = [];
  const apiSteps = ci.deploys.filter((d) => !runsLocally(d.command));
  for (const d of apiSteps) {
    files.add(d.location.file);
    for (const v of d.via) files.add(v.file);
    deploys.push(...analyzeDeploy(host, db, configReader, d, root));
    refusals.claim(d.location);
  }

  // Tokens.
  const found = findTokenDefinitions(host, root, hcl, { jsonGlobs: opts.tokenGlobs }, db);
  for (const p of found.problems) problems.push(p);
  for (const f of found.files) files.add(f);
  const index = indexDeploys(deploys);
  const order = new Map(deploys.map((d, i) => [d, i]));
  const tokens: TokenAnalysis[] = found.tokens.map((token) => linkToken(db, token, index, order, root, opts));
  for (const x of options.extraTokens ?? []) tokens.push(linkExtraToken(x.token, x.secrets, index, order));

  const configs = configReader.infos();
  refusals.claim(undefined, ciNames);
  problems.push(...refusals.problems());

  const ctx: RuleContext = {
    host,
    root,
    today: opts.today ?? "2026-01-01",
    configs,
    deploys,
    tokens,
    secretsStoreCreates: ci.secretsStoreCreates,
    refusals: refusals.placed,
    source,
  };
  // Findings about what a linked token grants also offer the rewrite to the minimal token.
  const rewriteFor = rewriteFixes(db, (f) => source(f)?.text);
  const findings = runRules(db, ctx, opts, problems, rewriteFor);

  return resultOf(db, host, root, {
    findings,
    problems,
    configs,
    deploys,
    tokens,
    steps: apiSteps.length,
    files,
    rewriteFor,
  });
}

interface Analysed {
  findings: Finding[];
  problems: (Problem & { file: string })[];
  configs: ConfigInfo[];
  deploys: DeployAnalysis[];
  tokens: TokenAnalysis[];
  steps: number;
  files: Set<string>;
  rewriteFor: (t: TokenAnalysis) => Fix | undefined;
}

/** The result, with the questions the editor asks of it (hover, lenses, the rewrite fix, token status). */
function resultOf(db: Database, host: Host, root: string, a: Analysed): WorkspaceResult {
  const statuses = new Map<TokenAnalysis, TokenStatus>();
  let locate: ReturnType<typeof tokenLocator> | undefined;
  const result: WorkspaceResult = {
    findings: a.findings,
    problems: onePerCause(a.problems),
    summary: { configs: a.configs.length, deploys: a.steps, tokens: a.tokens.length },
    configs: a.configs,
    deploys: a.deploys,
    tokens: a.tokens,
    hover: (file, offset) => hoverAt(result, host, root, file, offset, (o) => analyzeMinimal(host, { ...o, db })),
    rewrite: (file, offset) => {
      const t = (locate ??= tokenLocator(a.tokens))(file, offset);
      return t && a.rewriteFor(t);
    },
    lenses: (file) => lensesFor(result, file),
    tokenStatus: (t) => {
      let s = statuses.get(t);
      if (!s) statuses.set(t, (s = tokenStatus(t, a.findings)));
      return s;
    },
    files: [...a.files].sort(),
    host,
  };
  return result;
}
