// The `minimal` analysis: from a config (or directory), an environment and a wrangler command to the exact
// token the command needs, with the reasons for each group. Shared by the CLI, the language server and tests.
import type { Host } from "./host.js";
import type { Database } from "./db.js";
import { SourceFile, type Location } from "./source.js";
import type { Problem } from "./problems.js";
import { findConfig } from "./discover.js";
import { basename, dirname, join, relative, resolve } from "./path.js";
import { commandText, parseWranglerCommand, type WranglerCommand } from "./command.js";
import { readConfigFile, resolveConfig, type ResolvedConfig } from "./model/wrangler.js";
import { str } from "./parse/tree.js";
import { predictCalls, type Prediction } from "./permissions/calls.js";
import { computeRequirements, type Requirement } from "./permissions/require.js";
import { createTokenBody, type CreateTokenBody } from "./permissions/spec.js";
import type { Owner } from "./permissions/fallback.js";
import { ACCOUNT_ID_SOURCES, accountLookupNote, looksAccountUp, tokenOwner } from "./account-lookup.js";

export interface MinimalOptions {
  /** Directory relative paths are resolved against (the CLI's cwd). */
  cwd: string;
  /** A config file or a directory to discover one from; default cwd. */
  path?: string;
  /** Environment; default none (top level), or the command's own --env. */
  env?: string;
  /** The wrangler command without "wrangler"; default "deploy". */
  command?: string | WranglerCommand;
  /** Account id known from outside the config (CI, --account-id); `true` when set but its value is unknown. */
  accountId?: string | true;
  /** Assume the Worker and its resources already exist (no creation by automatic provisioning). */
  resourcesExist?: boolean;
  /** Where the command is written (a CI step), used as the cause of command-level reasons. */
  commandLocation?: Location;
  /** Upward searches (config discovery, build redirects) stop here (a workspace root). */
  root?: string;
  /**
   * Who will own the token (default "account"). "undecided" (the workspace, before tokens are linked): groups
   * only a user-owned token needs are kept and marked `userTokenOnly`.
   */
  owner?: Owner | "undecided";
  /** The workspace database: config readings and sources are taken from it (one per path) when given. */
  db?: Database;
}

export interface MinimalReasonJson {
  file: string;
  line: number;
  column: number;
  key: string;
  why: string;
  api: string[];
}

export interface MinimalRequirementJson {
  group: string;
  id: string;
  scope: "account" | "zone" | "user" | "r2-bucket";
  resources: string[];
  confidence: "high" | "medium" | "low";
  reasons: MinimalReasonJson[];
}

/** The stable JSON contract of `wrangler-token-lint minimal --format json` (schemaVersion 1). */
export interface MinimalResult {
  schemaVersion: 1;
  config: string | null;
  env: string | null;
  command: string;
  scriptName: string | null;
  accountId: string | null;
  /** Who owns the token: "account" (POST /accounts/{account_id}/tokens) or "user" (POST /user/tokens). */
  owner: Owner;
  requirements: MinimalRequirementJson[];
  notes: string[];
  token: CreateTokenBody;
}

export interface MinimalAnalysis {
  /** The JSON contract; built on first use (the workspace analysis and the editor mostly need only the rest). */
  readonly result: MinimalResult;
  /** The Worker (or Pages project) name as deployed, when known. */
  scriptName: string | null;
  /** The account id from the config or from outside it (CI, --account-id), when known. */
  accountId: string | null;
  /** The same requirements with their catalog entries and spans, for renderers and the language server. */
  requirements: Requirement[];
  /** The owner asked for; undefined when undecided. */
  owner: Owner | undefined;
  config: ResolvedConfig | undefined;
  problems: { file: string; problem: Problem }[];
}

/** Commands that follow a build tool's `.wrangler/deploy/config.json` redirect (team research: wrangler.md §1.2). */
const REDIRECT_COMMANDS = new Set(["deploy", "versions-upload", "versions-deploy", "triggers-deploy"]);

function findRedirect(host: Host, dir: string, stopAt: string | undefined): string | undefined {
  for (let d = dir, i = 0; i < 64; i++) {
    const p = join(d, ".wrangler/deploy/config.json");
    if (host.fileExists(p)) return p;
    if (d === stopAt) return undefined;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
  return undefined;
}

/** Commands that can run without a wrangler config. */
const CONFIG_OPTIONAL = new Set([
  "pages-deploy",
  "pages-project-create",
  "kv-key-put",
  "kv-bulk-put",
  "r2-object-put",
  "secrets-store-secret-create",
  "d1-execute",
  "d1-migrations-apply",
]);

/** The config a PATH names: the file itself, or the one discovered from a directory (searched upward). */
function locateConfig(
  host: Host,
  opts: MinimalOptions,
  command: WranglerCommand,
): { configPath: string | undefined; target: string } | { error: string } {
  const target = resolve(opts.cwd, opts.path ?? ".");
  if (host.fileExists(target)) return { configPath: target, target };
  if (!isDirectory(host, target, opts.cwd) && !command.config) {
    // Echo the path as given (an absolute path stays absolute).
    return { error: `${opts.path ?? "."}: no such file or directory` };
  }
  return { configPath: findConfig(host, target, command.config, opts.root), target };
}

/** A directory, even an empty one (its parent lists it), or the working directory itself. */
function isDirectory(host: Host, path: string, cwd: string): boolean {
  if (path === resolve(cwd, ".") || host.readDirectory(path).length > 0) return true;
  const parent = dirname(path);
  return parent !== path && host.readDirectory(parent).some((e) => e.isDirectory && e.name === basename(path));
}

/** Why no token was computed; `unsupported` when the command is not one the tool can answer (see commands.ts). */
export interface MinimalError {
  error: string;
  unsupported?: true;
}

/** Reads and resolves the config (none is fine for commands that need none); an error when it cannot be used. */
function readMinimalConfig(
  host: Host,
  opts: MinimalOptions,
  configPath: string | undefined,
  envName: string | null,
  command: WranglerCommand,
): { cfg: ResolvedConfig | undefined; problems: { file: string; problem: Problem }[] } | MinimalError {
  let cfg: ResolvedConfig | undefined;
  const problems: { file: string; problem: Problem }[] = [];
  if (configPath) {
    const text = host.readFile(configPath);
    if (text === undefined)
      return {
        error: `${relative(opts.cwd, configPath)}: ${host.readFailure?.(configPath)?.message ?? "cannot read the file"}`,
      };
    const file = opts.db ? opts.db.configFile(configPath, text) : readConfigFile(configPath, text);
    for (const p of file.problems) problems.push({ file: configPath, problem: p });
    if (!file.root) {
      const first = file.problems[0];
      const lc = first ? file.source.lineColumn(first.span.start) : { line: 1, column: 1 };
      return {
        error: `${relative(opts.cwd, configPath)}:${lc.line}:${lc.column}: ${first?.message ?? "cannot parse the config"}`,
      };
    }
    cfg = resolveConfig(file, envName);
    for (const p of cfg.problems) problems.push({ file: configPath, problem: p });
    const fatal = cfg.problems.find((p) => p.code === "unknown-env" && p.severity === "error");
    if (fatal) return { error: fatal.message };
  } else if (!CONFIG_OPTIONAL.has(command.kind) && command.kind !== "other") {
    return {
      error: `No wrangler config (wrangler.json, wrangler.jsonc or wrangler.toml) found from ${opts.path ?? "."}`,
    };
  }
  return { cfg, problems };
}

/** The notes of a minimal token: the prediction's and the requirements', then the owner, redirect and placeholders. */
function minimalNotes(
  prediction: Prediction,
  computed: ReturnType<typeof computeRequirements>,
  where: {
    owner: Owner | undefined;
    accountId: string | undefined;
    redirect: string | undefined;
    cwd: string;
    configPath: string | undefined;
  },
): string[] {
  const { owner, accountId, redirect } = where;
  const notes = [...prediction.notes, ...computed.notes];
  if (looksAccountUp(prediction.calls)) notes.push(accountLookupNote(owner));
  if (owner === "account" && computed.requirements.some((r) => r.group.scope === "user")) {
    notes.push(
      "This command needs a user-level group, which an account-owned token cannot hold: create a user-owned token (--owner user).",
    );
  }
  if (redirect) {
    notes.push(
      `${relative(where.cwd, redirect)} redirects wrangler to a config generated by a build tool (for example the Vite plugin); this analysis read the user config ${relative(where.cwd, where.configPath!)}, so bindings the build adds are not seen.`,
    );
  }
  if (!accountId && computed.requirements.some((r) => r.group.scope !== "user")) {
    notes.push(
      `The token names the placeholder <ACCOUNT_ID>: replace it with your account id (or give it: ${ACCOUNT_ID_SOURCES}).`,
    );
  }
  const zonePlaceholders = computed.requirements.flatMap((r) => r.resources).filter((k) => k.includes("<ZONE_ID:"));
  if (zonePlaceholders.length)
    notes.push(
      "Zone resources name <ZONE_ID:zone-name> placeholders: replace them with the zones' ids (or set zone_id on the routes).",
    );
  return notes;
}

export function analyzeMinimal(host: Host, opts: MinimalOptions): MinimalAnalysis | MinimalError {
  const command = typeof opts.command === "object" ? opts.command : parseWranglerCommand(opts.command ?? "deploy");
  const located = locateConfig(host, opts, command);
  if ("error" in located) return located;
  const { configPath, target } = located;
  const envName = opts.env ?? command.env ?? null;
  const read = readMinimalConfig(host, opts, configPath, envName, command);
  if ("error" in read) return read;
  const { cfg, problems } = read;

  const redirect =
    REDIRECT_COMMANDS.has(command.kind) && !command.config && configPath
      ? findRedirect(host, target, opts.root)
      : undefined;

  const configAccount = str(cfg?.get("account_id")?.node) || undefined;
  const accountId = configAccount ?? (typeof opts.accountId === "string" ? opts.accountId : undefined);
  const prediction = predictCalls(cfg, {
    command,
    accountKnown: !!accountId || opts.accountId === true,
    commandLocation: opts.commandLocation,
  });
  if (prediction.unsupported) return { error: prediction.unsupported, unsupported: true };
  if (prediction.errors.length) return { error: prediction.errors.join(" ") };
  const owner: Owner | undefined = opts.owner === "undecided" ? undefined : (opts.owner ?? "account");
  const computed = computeRequirements(prediction.calls, { accountId, resourcesExist: opts.resourcesExist, owner });
  const notes = minimalNotes(prediction, computed, { owner, accountId, redirect, cwd: opts.cwd, configPath });

  const scriptName = cfg?.scriptName ?? null;
  const projectFlag = typeof command.flags["project-name"] === "string" ? command.flags["project-name"] : undefined;
  const tokenName =
    `${scriptName ?? projectFlag ?? command.positionals[0] ?? "wrangler"}${envName && !scriptName ? `-${envName}` : ""} ${command.kind}`.trim();
  const rel = new Map<string, string>();
  const relativeFile = (f: string) => rel.get(f) ?? (rel.set(f, relative(opts.cwd, f)), rel.get(f)!);
  const toJsonReason = (r: Requirement["reasons"][number]): MinimalReasonJson => {
    const loc = r.cause.location;
    const src =
      loc && loc.file === cfg?.file.path ? cfg.file.source : loc ? sourceOf(host, loc.file, opts.db) : undefined;
    const lc = loc && src ? src.lineColumn(loc.span.start) : { line: 1, column: 1 };
    return {
      file: loc ? relativeFile(loc.file) : "(command line)",
      line: lc.line,
      column: lc.column,
      key: r.cause.key,
      why: r.cause.why,
      api: r.api,
    };
  };
  const build = (): MinimalResult => ({
    schemaVersion: 1,
    config: configPath ? relative(opts.cwd, configPath) : null,
    env: envName,
    command: commandText(command.argv) || "deploy",
    scriptName,
    accountId: accountId ?? null,
    owner: tokenOwner(owner, computed.requirements),
    requirements: computed.requirements.map((r) => ({
      group: r.group.name,
      id: r.group.id,
      scope: r.group.scope,
      resources: r.resources,
      confidence: r.confidence,
      reasons: r.reasons.map(toJsonReason),
    })),
    notes,
    token: createTokenBody(tokenName, computed.requirements),
  });
  let result: MinimalResult | undefined;
  return {
    get result() {
      return (result ??= build());
    },
    scriptName,
    accountId: accountId ?? null,
    requirements: computed.requirements,
    owner,
    config: cfg,
    problems,
  };
}

function sourceOf(host: Host, file: string, db: Database | undefined): SourceFile | undefined {
  const text = host.readFile(file);
  if (text === undefined) return undefined;
  return db ? db.source(file, text) : new SourceFile(file, text);
}
