// Types shared by the shell scanner, the package.json reader and the task runners.
import type { Host } from "../host.js";
import type { Location, Span } from "../source.js";
import type { CiProblem } from "../model/ci.js";
import { relative } from "../path.js";
import type { Workspace } from "./workspaces.js";

export interface EnvVar {
  raw: string;
  location: Location;
  /** Variables visible where this one was set (its `$X` references resolve there); default: the current ones. */
  scope?: EnvMap;
}
export type EnvMap = Map<string, EnvVar>;

/** A piece of shell text and how its decoded offsets map to its file. */
export interface ShellSource {
  file: string;
  text: string;
  spanOf(start: number, end: number): Span;
  /** For text appended to a script (`npm run x -- --env y`): the location of the word in the outer source. */
  outer?(start: number): Location | undefined;
  /** For text joined from several files (GitLab scripts from included files): file and span of a range. */
  locate?(start: number, end: number): Location;
}

/** Where a range of shell text is written. */
export function locOf(src: ShellSource, start: number, end: number): Location {
  return src.locate?.(start, end) ?? { file: src.file, span: src.spanOf(start, end) };
}

/** Shared caches for one scan (each file read and parsed once). */
export interface ScanCache {
  packageJson: Map<string, PackageScripts | null>;
  /** The monorepo workspace declared in a directory (null: none), per directory (workspaces.ts). */
  workspaces?: Map<string, Workspace | null>;
}

export const MAX_DEPTH = 8;

export function newScanCache(): ScanCache {
  return { packageJson: new Map() };
}

export interface PackageScripts {
  file: string;
  scripts: Map<string, { body: string; source: ShellSource; keyLocation: Location }>;
}

/** A wrangler invocation found in shell text. */
export interface ShellHit {
  /** Words after `wrangler` (quotes removed; `${{ }}` and `$VAR` kept as written). */
  argv: string[];
  /** Where each argv word is written (in the CI file, or the package.json script). */
  argvLocations: Location[];
  /** The command text in the outermost source (the CI file). */
  location: Location;
  /** Outermost first: the CI command, then each package.json script segment down to the wrangler call. */
  via: Location[];
  cwd: string;
  /** Exported variables visible to the command (base env, `export`, inline `VAR=x`). */
  env: EnvMap;
  /** Shell variables (for `$VAR` in arguments): env plus plain assignments. */
  vars: EnvMap;
  packageManager?: string;
  wranglerVersion?: string;
}

export interface ShellContext {
  host: Host;
  cache: ScanCache;
  problems: CiProblem[];
  /** Directory the first line runs in. */
  cwd: string;
  /** The repository root: package.json lookups stop here. */
  root: string;
  env: EnvMap;
  /** Set when scanning a package.json script: the chain that led here. */
  via?: Location[];
  depth?: number;
  /** package.json scripts and script files being run (cycle guard). */
  running?: Set<string>;
  /**
   * The values a word written with CI expressions can take (`deploy-${{ matrix.env }}.sh` → each matrix
   * value), or undefined when it cannot be evaluated. Set by the CI finders.
   */
  expand?(text: string, location: Location, vars: EnvMap): string[] | undefined;
  /** True inside `$( … )`: commands there run for their output (no findings about the working directory). */
  inSubstitution?: boolean;
}

/** One simple command about to run, with everything a follower needs. */
export interface Invocation {
  src: ShellSource;
  ctx: ShellContext;
  state: ShellState;
  hits: ShellHit[];
  cmd: string;
  args: string[];
  /** Where each of args is written (a `$@` expanded in a script points at the caller's words). */
  argLocs: Location[];
  /** Raw source text of each arg when it is one word of src (for mapping `sh -c '…'` bodies). */
  argWords: ({ start: number; end: number; raw: string; text: string } | undefined)[];
  /** The whole command. */
  loc: Location;
  /** `VAR=x` written before the command. */
  inline: EnvMap;
}

export interface ScanOptions {
  /** Treat the first command of the text as the words after `wrangler` (wrangler-action `command:` lines). */
  wranglerPrefix?: boolean;
  packageManager?: string;
}

/** Mutable shell state across lines of one script. */
export interface ShellState {
  cwd: string;
  dirStack: string[];
  env: EnvMap;
  vars: EnvMap;
  /** Inside a script file: its arguments ($1 …, $@) and its directory ($0). */
  positional?: { args: string[]; locs: Location[] };
  scriptDir?: string;
}

/**
 * Reports what could not be followed on the CI line that led there (where the user reads it), naming the file it
 * happened in when that is another one (a script, a Makefile, a package.json).
 */
export function problem(
  inv: { ctx: ShellContext; loc: Location },
  code: string,
  severity: "info" | "warning",
  message: string,
): void {
  const at = inv.ctx.via?.[0] ?? inv.loc;
  const inner = inv.loc.file !== at.file ? ` (in ${relative(inv.ctx.root, inv.loc.file)})` : "";
  const text = inner && message.endsWith(".") ? message.slice(0, -1) + inner + "." : message + inner;
  inv.ctx.problems.push({ code, severity, message: text, file: at.file, span: at.span });
}
