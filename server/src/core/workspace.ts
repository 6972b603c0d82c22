// Whole-workspace analysis: every wrangler config, every CI deploy, every token definition; links tokens to
// the deploys they serve, runs the rules, and answers hover / code lens questions. Used by `check` and by the
// language server. Pure: file access goes through the Host; the HCL parser and the date are passed in.
import { confine, unreadable, type Host } from "./host.js";
import { RefusalLog } from "./refusals.js";
import { commandText } from "./command.js";
import { SourceFile, type Location, type Span } from "./source.js";
import { onePerCause, type Problem } from "./problems.js";
import type { Finding } from "./findings.js";
import { basename, join, relative } from "./path.js";
import { environments, readConfigFile, resolveConfig, type ConfigFile } from "./model/wrangler.js";
import { findConfig } from "./discover.js";
import { isConfigName, PROJECT_FILE } from "./files.js";
import { analyzeMinimal } from "./minimal.js";
import { ciFiles, findCiDeploys } from "./ci/index.js";
import type { CiDeploy } from "./model/ci.js";
import { findTokenDefinitions } from "./tokens/index.js";
import type { HclParser } from "./tokens/hcl.js";
import type { TokenDefinition } from "./model/token.js";
import { grantsOf, needsForOwner, tokenOwnerOf, type Need } from "./compare.js";
import { isSuppressed } from "./suppress.js";
import { RULES } from "./rules/index.js";
import { rewriteToMinimalFix } from "./rewrite.js";
import { hoverAt, lensesFor, type EditorLens } from "./editor-text.js";
import { tokenStatus, type TokenStatus } from "./token-status.js";
import type { Fix } from "./findings.js";
import type { ConfigInfo, DeployAnalysis, LinkKind, RuleContext, TokenAnalysis } from "./rules/rule.js";
import { get } from "./parse/tree.js";
import { withProjectConfig } from "./project-options.js";
import type { SeveritySetting } from "./options.js";

export type { SeveritySetting } from "./options.js";
export { withProjectConfig };

export interface WorkspaceOptions {
  /** Per-rule severity overrides ("off" disables a rule). */
  ruleSeverities?: Record<string, SeveritySetting>;
  /** Root-relative globs limiting which JSON files are read as token definitions. */
  tokenGlobs?: string[];
  /** Token definition (name, Terraform address or root-relative file) → the CI secret names it is stored under. */
  tokenSecrets?: Record<string, string[]>;
  /** Today as YYYY-MM-DD (for suggested expiry dates); the core reads no clock. */
  today?: string;
  /** Token definitions from outside the workspace files (the live token `audit` reads), linked to these CI secrets. */
  extraTokens?: { token: TokenDefinition; secrets: string[] }[];
}

export interface WorkspaceDeps {
  hcl?: HclParser;
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

/** The project config file, read from the workspace root. */
export const PROJECT_CONFIG = PROJECT_FILE;

const SKIP_DIRS = new Set(["node_modules", ".git", ".wrangler", ".terraform", ".hg", ".svn", "dist", ".next", ".output", ".scratch"]);

/** Finds the wrangler configs under root (wrangler.json / .jsonc / .toml, and wrangler.<x>.toml variants). */
export function findConfigFiles(host: Host, root: string): string[] {
  const out: string[] = [];
  let dirs = 0;
  const walk = (dir: string, depth: number) => {
    if (depth > 24 || ++dirs > 20000) return;
    for (const e of host.readDirectory(dir)) {
      if (e.isDirectory) {
        if (!SKIP_DIRS.has(e.name) && !(e.name.startsWith(".") && e.name !== ".github")) walk(join(dir, e.name), depth + 1);
      } else if (isConfigName(e.name)) out.push(join(dir, e.name));
    }
  };
  walk(root, 0);
  return out.sort();
}

export function analyzeWorkspace(given: Host, root: string, options: WorkspaceOptions = {}, deps: WorkspaceDeps = {}): WorkspaceResult {
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
  const sources = new Map<string, SourceFile>();
  const source = (file: string): SourceFile | undefined => {
    const hit = sources.get(file);
    if (hit) return hit;
    const text = host.readFile(file);
    if (text === undefined) return undefined;
    const s = new SourceFile(file, text);
    sources.set(file, s);
    return s;
  };

  // Configs.
  const configFiles = new Map<string, ConfigFile | undefined>();
  const readConfig = (path: string): ConfigFile | undefined => {
    if (configFiles.has(path)) return configFiles.get(path);
    const text = host.readFile(path);
    if (text === undefined) {
      const why = unreadable(host, path);
      if (why) {
        files.add(path);
        problems.push(why);
      }
      configFiles.set(path, undefined);
      return undefined;
    }
    const f = readConfigFile(path, text);
    configFiles.set(path, f);
    sources.set(path, f.source);
    files.add(path);
    for (const p of f.problems) problems.push({ ...p, file: path });
    return f;
  };
  for (const p of findConfigFiles(host, root)) readConfig(p);

  // CI deploys.
  const ci = findCiDeploys(host, root);
  for (const p of ci.problems) problems.push(p);
  refusals.claim(undefined, ciNames);
  const deploys: DeployAnalysis[] = [];
  const apiSteps = ci.deploys.filter((d) => !runsLocally(d.command));
  for (const d of apiSteps) {
    files.add(d.location.file);
    for (const v of d.via) files.add(v.file);
    const configPath = findConfig(host, d.workingDirectory, d.command.config, root);
    const cfgFile = configPath ? readConfig(configPath) : undefined;
    const envs = deployEnvs(d, cfgFile);
    for (const env of envs) {
      const a = cachedMinimal(host, {
        cwd: d.workingDirectory,
        path: configPath,
        env: env ?? undefined,
        command: d.command,
        accountId: d.accountId ? d.accountId.value ?? true : undefined,
        commandLocation: d.location,
        root,
        // Tokens are linked later: groups only a user-owned token needs are kept, marked, and dropped per token.
        owner: "undecided",
      });
      deploys.push(
        "error" in a
          ? { deploy: d, env, configPath, config: undefined, minimal: undefined, error: a.error, ...(a.unsupported ? { unsupported: true as const } : {}) }
          : { deploy: d, env, configPath, config: a.config, minimal: a },
      );
    }
    refusals.claim(d.location);
  }

  // Tokens.
  const found = findTokenDefinitions(host, root, deps.hcl, { jsonGlobs: opts.tokenGlobs });
  for (const p of found.problems) problems.push(p);
  for (const f of found.files) files.add(f);
  const tokens: TokenAnalysis[] = found.tokens.map((token) => linkToken(token, deploys, root, opts));
  for (const x of options.extraTokens ?? []) tokens.push(linkExtraToken(x.token, x.secrets, deploys));

  const configs: ConfigInfo[] = [...configFiles.values()].filter((f): f is ConfigFile => !!f).map(configInfo);
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
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const setting = opts.ruleSeverities?.[rule.id];
    if (setting === "off") continue;
    const severity = setting ?? rule.defaultSeverity;
    let raw: ReturnType<typeof rule.check>;
    try {
      raw = rule.check(ctx);
    } catch (err) {
      problems.push({ code: "internal-error", severity: "error", message: `rule ${rule.id} failed: ${err instanceof Error ? err.message : String(err)}`, span: { start: 0, end: 0 }, file: root });
      continue;
    }
    for (const f of raw) {
      const src = source(f.location.file);
      if (src && isSuppressed(src, f.location.span.start, rule.id)) continue;
      findings.push({ ...f, rule: rule.id, severity });
    }
  }
  findings.sort((a, b) => cmp(a.location.file, b.location.file) || a.location.span.start - b.location.span.start || cmp(a.rule, b.rule));

  // Findings about what a linked token grants also offer the rewrite to the minimal token.
  const rewrites = new Map<TokenAnalysis, Fix | undefined>();
  const rewriteFor = (t: TokenAnalysis): Fix | undefined => {
    if (!rewrites.has(t)) {
      const text = source(t.token.file)?.text;
      rewrites.set(t, text === undefined ? undefined : rewriteToMinimalFix(t, text));
    }
    return rewrites.get(t);
  };
  for (const f of findings) {
    if (!REWRITE_RULES.has(f.rule)) continue;
    const t = tokens.find((x) => x.token.file === f.location.file && f.location.span.start >= x.token.span.start && f.location.span.start <= x.token.span.end);
    const fix = t && rewriteFor(t);
    if (fix) f.fixes.push(fix);
  }

  const statuses = new Map<TokenAnalysis, TokenStatus>();
  const result: WorkspaceResult = {
    findings,
    problems: onePerCause(problems),
    summary: { configs: configs.length, deploys: apiSteps.length, tokens: tokens.length },
    configs,
    deploys,
    tokens,
    hover: (file, offset) => hoverAt(result, host, root, file, offset, (o) => cachedMinimal(host, o)),
    rewrite: (file, offset) => {
      const t = tokens.find((x) => x.token.file === file && offset >= x.token.span.start && offset <= x.token.span.end);
      return t && rewriteFor(t);
    },
    lenses: (file) => lensesFor(result, file),
    tokenStatus: (t) => {
      let s = statuses.get(t);
      if (!s) statuses.set(t, (s = tokenStatus(t, findings)));
      return s;
    },
    files: [...files].sort(),
    host,
  };
  return result;
}

/**
 * A wrangler command the catalog knows to make no API call here (`build`, `types`, `dev`, a data command without
 * --remote, a --dry-run): not a deploy, so it is neither analysed nor linked to a token.
 */
function runsLocally(c: CiDeploy["command"]): boolean {
  if (!c.entry) return false;
  if (c.dryRun && (c.kind !== "other" || c.words.join(" ") === "delete")) return c.kind !== "versions-deploy";
  return !c.remote && !c.entry.unsupportedWith?.some((f) => c.flags[f] !== undefined);
}

const REWRITE_RULES = new Set(["unneeded-group", "write-where-read-suffices", "missing-group", "all-accounts", "all-zones", "zone-groups-without-routes", "secrets-store-read-only", "token-can-create-tokens"]);

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const configInfos = new WeakMap<ConfigFile, ConfigInfo>();

/** The Workers (or Pages project) a config deploys, per env; computed once per parsed file. */
function configInfo(file: ConfigFile): ConfigInfo {
  const hit = configInfos.get(file);
  if (hit) return hit;
  const names = new Set<string>();
  for (const env of [null, ...environments(file)]) {
    const r = resolveConfig(file, env);
    if (r.scriptName) names.add(r.scriptName);
  }
  const info: ConfigInfo = { path: file.path, file, scriptNames: [...names], isPages: !!get(file.root, "pages_build_output_dir") };
  configInfos.set(file, info);
  return info;
}

// ---- memoised minimal analyses ------------------------------------------------------------------------------
// A deploy's analysis depends only on its config's text, the command, env and account, and the text of the file
// the command is written in (for reason positions). Unchanged deploys are not analysed again when another file
// changes, which keeps a keystroke in one config of a large workspace cheap.

const minimalCache = new Map<string, ReturnType<typeof analyzeMinimal>>();
const MINIMAL_CACHE_LIMIT = 20000;

const fingerprints = new Map<string, string>();

/** Two 32-bit FNV-1a variants and the length: a 64-bit-plus fingerprint of a text (remembered per text). */
function fingerprint(text: string | undefined): string {
  if (text === undefined) return "-";
  const hit = fingerprints.get(text);
  if (hit) return hit;
  const fp = computeFingerprint(text);
  if (fingerprints.size >= 5000) fingerprints.delete(fingerprints.keys().next().value!);
  fingerprints.set(text, fp);
  return fp;
}

function computeFingerprint(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 13);
  }
  return `${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}.${text.length}`;
}

function cachedMinimal(host: Host, opts: Parameters<typeof analyzeMinimal>[1] & { path?: string }): ReturnType<typeof analyzeMinimal> {
  const cmd = typeof opts.command === "object" ? opts.command.argv.join("\u0001") : opts.command ?? "deploy";
  const loc = opts.commandLocation;
  const key = [
    opts.cwd,
    opts.path ?? "",
    opts.path ? fingerprint(host.readFile(opts.path)) : "",
    opts.env ?? "",
    cmd,
    String(opts.accountId ?? ""),
    opts.resourcesExist ? "1" : "0",
    loc ? `${loc.file}:${loc.span.start}:${loc.span.end}:${fingerprint(host.readFile(loc.file))}` : "",
    opts.root ?? "",
  ].join("\u0000");
  const hit = minimalCache.get(key);
  if (hit) return hit;
  const result = analyzeMinimal(host, opts);
  if (minimalCache.size >= MINIMAL_CACHE_LIMIT) minimalCache.delete(minimalCache.keys().next().value!);
  minimalCache.set(key, result);
  return result;
}

/** The environments a deploy can target: its env, its candidates, or every env when written as an expression. */
function deployEnvs(d: CiDeploy, cfg: ConfigFile | undefined): (string | null)[] {
  if (d.env !== null) return [d.env];
  if (d.envCandidates?.length) return d.envCandidates;
  if (d.envExpression && cfg) {
    const envs = environments(cfg);
    return envs.length ? envs : [null];
  }
  return [null];
}

function normalizeSecret(s: string): string {
  return s.toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_+|_+$/g, "");
}

/** Keys under which a token can be named in the tokenSecrets setting. */
export function tokenKeys(token: TokenDefinition, root: string): string[] {
  const rel = relative(root, token.file);
  return [token.name, token.address, rel, `${rel}#${token.name}`].filter((k): k is string => !!k);
}

function linkToken(token: TokenDefinition, deploys: DeployAnalysis[], root: string, opts: WorkspaceOptions): TokenAnalysis {
  const secrets: { secret: string; via: LinkKind }[] = token.secretLinks.map((l) => ({ secret: l.secret, via: "terraform-secret" as const }));
  const settings = opts.tokenSecrets ?? {};
  // Own keys only: a token named "valueOf" or "constructor" has no settings entry.
  for (const k of tokenKeys(token, root)) for (const s of Object.hasOwn(settings, k) && Array.isArray(settings[k]) ? settings[k] : []) secrets.push({ secret: s, via: "settings" });
  if (!secrets.length) {
    // Name match: the token's name, Terraform resource name or file name spelled like a CI secret.
    const candidates = new Set([token.name, token.address?.split(".").pop(), basename(token.file).replace(/\.[^.]+$/, "")].filter((x): x is string => !!x).map(normalizeSecret));
    for (const d of deploys) {
      const s = d.deploy.token?.secret;
      if (s && candidates.has(normalizeSecret(s)) && !secrets.some((x) => x.secret === s)) secrets.push({ secret: s, via: "name-match" });
    }
  }
  const links: TokenAnalysis["links"] = [];
  for (const d of deploys) {
    const s = d.deploy.token?.secret;
    if (!s) continue;
    const hit = secrets.find((x) => x.secret === s);
    if (hit) links.push({ deploy: d, via: hit.via, secret: s });
  }
  return { token, links, grants: grantsOf(token), needs: needsForOwner(mergeNeeds(links.map((l) => l.deploy)), tokenOwnerOf(token)) };
}

/** A token from outside the workspace: linked to exactly the deploys whose secret is one of `secrets`. */
function linkExtraToken(token: TokenDefinition, secrets: string[], deploys: DeployAnalysis[]): TokenAnalysis {
  const links: TokenAnalysis["links"] = [];
  for (const d of deploys) {
    const s = d.deploy.token?.secret;
    if (s && secrets.includes(s)) links.push({ deploy: d, via: "audit", secret: s });
  }
  return { token, links, grants: grantsOf(token), needs: mergeNeeds(links.map((l) => l.deploy)) };
}

const analysisIds = new WeakMap<object, number>();
let nextAnalysisId = 1;
const mergedNeeds = new Map<string, Need[]>();

/** Needs of a set of deploys, merged by group; remembered while the deploys' analyses are the same objects. */
function mergeNeeds(deploys: DeployAnalysis[]): Need[] {
  const key = deploys
    .map((d) => {
      if (!d.minimal) return "-";
      let id = analysisIds.get(d.minimal);
      if (id === undefined) analysisIds.set(d.minimal, (id = nextAnalysisId++));
      return `${id}:${d.env ?? ""}:${d.deploy.label}:${d.deploy.location.file}:${d.deploy.location.span.start}`;
    })
    .join("|");
  const hit = mergedNeeds.get(key);
  if (hit) return hit;
  const merged = mergeNeedsUncached(deploys);
  if (mergedNeeds.size >= 5000) mergedNeeds.delete(mergedNeeds.keys().next().value!);
  mergedNeeds.set(key, merged);
  return merged;
}

function mergeNeedsUncached(deploys: DeployAnalysis[]): Need[] {
  const byGroup = new Map<string, { need: Need; api: Set<string>; causes: Set<string>; resources: Set<string>; count: number }>();
  for (const d of deploys) {
    if (!d.minimal) continue;
    const step: Location = d.deploy.location;
    for (const r of d.minimal.requirements) {
      const key = `${r.group.scope}:${r.group.name}`;
      let entry = byGroup.get(key);
      if (!entry) {
        entry = { need: { group: r.group, resources: [], causes: [], api: [] }, api: new Set(), causes: new Set(), resources: new Set(), count: 0 };
        byGroup.set(key, entry);
      }
      const { need } = entry;
      // Marked only while every deploy's requirement of this group is one only user-owned tokens have.
      if (entry.count++ === 0 && r.userTokenOnly) need.userTokenOnly = true;
      else if (!r.userTokenOnly) delete need.userTokenOnly;
      for (const res of r.resources) if (!entry.resources.has(res)) entry.resources.add(res), need.resources.push(res);
      for (const reason of r.reasons) {
        for (const a of reason.api) if (!entry.api.has(a)) entry.api.add(a), need.api.push(a);
        const loc = reason.cause.location ?? step;
        const k = `${loc.file}\u0000${loc.span.start}`;
        if (!entry.causes.has(k)) entry.causes.add(k), need.causes.push({ ...loc, message: reason.cause.why });
      }
      const k = `${step.file}\u0000${step.span.start}`;
      if (!entry.causes.has(k)) {
        entry.causes.add(k);
        need.causes.push({ ...step, message: `${d.deploy.label}: \`wrangler ${commandText(d.deploy.command.argv)}\`${d.env ? ` (env ${d.env})` : ""}` });
      }
    }
  }
  return [...byGroup.values()].map((e) => e.need);
}
