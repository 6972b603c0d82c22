// The workspace's wrangler configs and the analysis of each CI deploy against its config, per environment. Both
// are kept in the workspace database: a config reading per path, a deploy's analysis per step and env with the
// reads it made (its config, the file the command is written in, discovery), so a keystroke in one config of a
// large workspace re-analyses only the deploys that read it.
import { unreadable, type Host } from "./host.js";
import type { Database } from "./db.js";
import type { Problem } from "./problems.js";
import { join } from "./path.js";
import { environments, resolveConfig, type ConfigFile } from "./model/wrangler.js";
import { isConfigName } from "./files.js";
import { findConfig } from "./discover.js";
import { analyzeMinimal } from "./minimal.js";
import type { CiDeploy } from "./model/ci.js";
import type { ConfigInfo, DeployAnalysis } from "./rules/rule.js";
import { get } from "./parse/tree.js";

const SKIP_DIRS = new Set([
  "node_modules",
  ".git",
  ".wrangler",
  ".terraform",
  ".hg",
  ".svn",
  "dist",
  ".next",
  ".output",
  ".scratch",
]);

/** Finds the wrangler configs under root (wrangler.json / .jsonc / .toml, and wrangler.<x>.toml variants). */
export function findConfigFiles(host: Host, root: string): string[] {
  const out: string[] = [];
  let dirs = 0;
  const walk = (dir: string, depth: number) => {
    if (depth > 24 || ++dirs > 20000) return;
    for (const e of host.readDirectory(dir)) {
      if (e.isDirectory) {
        if (!SKIP_DIRS.has(e.name) && !(e.name.startsWith(".") && e.name !== ".github"))
          walk(join(dir, e.name), depth + 1);
      } else if (isConfigName(e.name)) out.push(join(dir, e.name));
    }
  };
  walk(root, 0);
  return out.sort();
}

/** The configs an analysis read, each once, with the problems and files to report. */
export class ConfigReader {
  readonly files = new Map<string, ConfigFile | undefined>();

  constructor(
    private readonly host: Host,
    private readonly db: Database,
    private readonly problems: (Problem & { file: string })[],
    private readonly read: Set<string>,
  ) {}

  get(path: string): ConfigFile | undefined {
    if (this.files.has(path)) return this.files.get(path);
    const text = this.host.readFile(path);
    if (text === undefined) {
      const why = unreadable(this.host, path);
      if (why) {
        this.read.add(path);
        this.problems.push(why);
      }
      this.files.set(path, undefined);
      return undefined;
    }
    const f = this.db.configFile(path, text);
    this.files.set(path, f);
    this.read.add(path);
    for (const p of f.problems) this.problems.push({ ...p, file: path });
    return f;
  }

  /** What each config read deploys (one object per reading, so what is derived from it is reused). */
  infos(): ConfigInfo[] {
    return [...this.files.values()]
      .filter((f): f is ConfigFile => !!f)
      .map((f) => this.db.memo("config-info", f.path, [f], () => configInfo(f)));
  }
}

/** The Workers (or Pages project) a config deploys, per env. */
function configInfo(file: ConfigFile): ConfigInfo {
  const names = new Set<string>();
  for (const env of [null, ...environments(file)]) {
    const r = resolveConfig(file, env);
    if (r.scriptName) names.add(r.scriptName);
  }
  return { path: file.path, file, scriptNames: [...names], isPages: !!get(file.root, "pages_build_output_dir") };
}

/**
 * A wrangler command the catalog knows to make no API call here (`build`, `types`, `dev`, a data command without
 * --remote, a --dry-run): not a deploy, so it is neither analysed nor linked to a token.
 */
export function runsLocally(c: CiDeploy["command"]): boolean {
  if (!c.entry) return false;
  if (c.dryRun && (c.kind !== "other" || c.words.join(" ") === "delete")) return c.kind !== "versions-deploy";
  return !c.remote && !c.entry.unsupportedWith?.some((f) => c.flags[f] !== undefined);
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

/** The analyses of one CI step: one per environment it can target. */
export function analyzeDeploy(
  host: Host,
  db: Database,
  configs: ConfigReader,
  d: CiDeploy,
  root: string,
): DeployAnalysis[] {
  const step = `${root}\u0000${d.location.file}\u0000${d.location.span.start}`;
  const configPath = db.tracked("deploy-config", step, host, [d], (h) =>
    findConfig(h, d.workingDirectory, d.command.config, root),
  );
  const cfgFile = configPath ? configs.get(configPath) : undefined;
  return deployEnvs(d, cfgFile).map((env) => {
    const key = `${step}\u0000${env ?? ""}\u0000${configPath ?? ""}`;
    // The CI step itself (the same object while its workflow's scan is reused) and every read the analysis made.
    return db.tracked("deploy-analysis", key, host, [d, configPath], (h): DeployAnalysis => {
      const a = analyzeMinimal(h, {
        cwd: d.workingDirectory,
        path: configPath,
        env: env ?? undefined,
        command: d.command,
        accountId: d.accountId ? (d.accountId.value ?? true) : undefined,
        commandLocation: d.location,
        root,
        // Tokens are linked later: groups only a user-owned token needs are kept, marked, and dropped per token.
        owner: "undecided",
        db,
      });
      return "error" in a
        ? {
            deploy: d,
            env,
            configPath,
            config: undefined,
            minimal: undefined,
            error: a.error,
            ...(a.unsupported ? { unsupported: true as const } : {}),
          }
        : { deploy: d, env, configPath, config: a.config, minimal: a };
    });
  });
}
