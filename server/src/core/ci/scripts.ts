// Shell lines in CI (`run:`, `script:`, wrangler-action pre/post commands) and package.json scripts: finds
// every wrangler invocation, direct or through npx/pnpm/yarn/bun/npm exec, or through `npm run <script>`
// resolved in the package.json of the working directory. Tracks `cd`, `export`, inline `VAR=x cmd` and
// redirections well enough for CI scripts; it is not a full shell.
import type { Host } from "../host.js";
import type { Location, Span } from "../source.js";
import type { CiProblem } from "../model/ci.js";
import { dirname, join, resolve } from "../path.js";
import { parseJsonc } from "../parse/jsonc.js";
import { get, type ScalarNode } from "../parse/tree.js";

/** A variable visible to a command, with where it was set. */
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
}

/** Shared caches for one scan (each file read and parsed once). */
export interface ScanCache {
  packageJson: Map<string, PackageScripts | null>;
}

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
  /** package.json scripts being run (cycle guard). */
  running?: Set<string>;
}

export interface ScanOptions {
  /** Treat the first command of the text as the words after `wrangler` (wrangler-action `command:` lines). */
  wranglerPrefix?: boolean;
  packageManager?: string;
}

/** Mutable shell state across lines of one script. */
interface ShellState {
  cwd: string;
  dirStack: string[];
  env: EnvMap;
  vars: EnvMap;
}

const MAX_DEPTH = 8;

/** Scans shell text for wrangler invocations. */
export function scanShell(src: ShellSource, ctx: ShellContext, opts: ScanOptions = {}): ShellHit[] {
  const state: ShellState = { cwd: ctx.cwd, dirStack: [], env: new Map(ctx.env), vars: new Map(ctx.env) };
  const hits: ShellHit[] = [];
  scanInto(src, ctx, opts, state, hits);
  return hits;
}

function scanInto(src: ShellSource, ctx: ShellContext, opts: ScanOptions, state: ShellState, hits: ShellHit[]): void {
  const { segments } = tokenize(src.text);
  const depth = ctx.depth ?? 0;
  let first = true;
  for (const seg of segments) {
    // Commands inside $( … ) and backticks run first.
    if (seg.substitutions && depth < MAX_DEPTH) {
      for (const sub of seg.substitutions) {
        const inner: ShellSource = {
          file: src.file,
          text: src.text.slice(sub.start, sub.end),
          spanOf: (s, e) => src.spanOf(sub.start + s, sub.start + e),
        };
        scanInto(inner, { ...ctx, depth: depth + 1 }, {}, { ...state, env: new Map(state.env), vars: new Map(state.vars), dirStack: [...state.dirStack] }, hits);
      }
    }
    if (seg.words.length === 0) continue;
    if (first && opts.wranglerPrefix) {
      first = false;
      if (seg.words.length) {
        const loc = segLocation(src, seg);
        const ws = seg.words.filter((w) => !w.redirect);
        hits.push(makeHit(ctx, state, ws.map((w) => w.text), ws.map((w) => wordLocation(src, w)), loc, new Map(), opts.packageManager));
      }
      continue;
    }
    first = false;
    handleSegment(src, seg, ctx, state, hits);
  }
}

function segLocation(src: ShellSource, seg: Segment): Location {
  const ws = seg.words.some((w) => !w.redirect) ? seg.words.filter((w) => !w.redirect) : seg.words;
  const start = ws[0]!.start;
  const end = ws[ws.length - 1]!.end;
  return { file: src.file, span: src.spanOf(start, end) };
}

function wordLocation(src: ShellSource, w: Word): Location {
  return src.outer?.(w.start) ?? { file: src.file, span: src.spanOf(w.start, w.end) };
}

function makeHit(ctx: ShellContext, state: ShellState, argv: string[], argvLocations: Location[], loc: Location, inline: EnvMap, pm?: string, version?: string): ShellHit {
  const env = new Map(state.env);
  const vars = new Map(state.vars);
  for (const [k, v] of inline) {
    env.set(k, v);
    vars.set(k, v);
  }
  const via = [...(ctx.via ?? []), loc];
  return { argv, argvLocations, location: via[0]!, via, cwd: state.cwd, env, vars, packageManager: pm, wranglerVersion: version };
}

const KEYWORDS = new Set(["then", "do", "else", "if", "elif", "while", "until", "!", "{", "}", "time", "exec", "command", "sudo", "nohup", "fi", "done"]);

function handleSegment(src: ShellSource, seg: Segment, ctx: ShellContext, state: ShellState, hits: ShellHit[]): void {
  let words = seg.words.filter((w) => !w.redirect);
  // Leading keywords and wrappers.
  let i = 0;
  const inline: EnvMap = new Map();
  for (;;) {
    const w = words[i];
    if (!w) break;
    if (KEYWORDS.has(w.text) && !w.quoted) {
      i++;
      continue;
    }
    if (w.text === "env" && !w.quoted) {
      i++;
      while (words[i] && words[i]!.text.startsWith("-")) i++;
      continue;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(w.raw);
    if (m) {
      inline.set(m[1]!, { raw: unquote(w.text.slice(m[1]!.length + 1)), location: { file: src.file, span: src.spanOf(w.start, w.end) } });
      i++;
      continue;
    }
    break;
  }
  words = words.slice(i);
  if (words.length === 0) {
    // Plain assignments set shell variables for later lines.
    for (const [k, v] of inline) state.vars.set(k, v);
    return;
  }
  const cmd = words[0]!.text;
  const rest = words.slice(1);
  const loc: Location = { file: src.file, span: src.spanOf(words[0]!.start, words[words.length - 1]!.end) };
  const texts = rest.map((w) => w.text);

  if (cmd === "export" || cmd === "declare" || cmd === "typeset" || cmd === "readonly") {
    for (const w of rest) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(w.raw);
      if (!m) continue;
      const v = { raw: unquote(w.text.slice(m[1]!.length + 1)), location: { file: src.file, span: src.spanOf(w.start, w.end) }, scope: new Map(state.vars) };
      state.env.set(m[1]!, v);
      state.vars.set(m[1]!, v);
    }
    return;
  }
  if (cmd === "unset") {
    for (const t of texts) {
      state.env.delete(t);
      state.vars.delete(t);
    }
    return;
  }
  if (cmd === "cd" || cmd === "pushd") {
    const target = texts.find((t) => !t.startsWith("-"));
    if (cmd === "pushd") state.dirStack.push(state.cwd);
    if (target !== undefined && !target.includes("$") && target !== "~") state.cwd = resolve(state.cwd, target);
    return;
  }
  if (cmd === "popd") {
    const prev = state.dirStack.pop();
    if (prev) state.cwd = prev;
    return;
  }
  const found = recognize(cmd, texts);
  if (!found) return;
  const suffixLocs = (k: number): Location[] => rest.slice(rest.length - k).map((w) => wordLocation(src, w));
  if (found.kind === "wrangler") {
    hits.push(makeHit(ctx, state, found.argv, suffixLocs(found.argv.length), loc, inline, found.pm, found.version));
    return;
  }
  if (found.kind === "monorepo") {
    if (/deploy|publish|release|wrangler/i.test(found.detail)) {
      ctx.problems.push({
        code: "ci-unresolved-runner",
        severity: "info",
        message: `Not followed: \`${cmd} ${texts.join(" ")}\` runs ${found.detail} across workspace packages; the wrangler commands it runs are not analysed.`,
        file: src.file,
        span: loc.span,
      });
    }
    return;
  }
  // found.kind === "script"
  const cwd = found.dir ? resolve(state.cwd, found.dir) : state.cwd;
  runScript(found.name, found.args, suffixLocs(found.args.length), found.pm, found.preAndPost, cwd, loc, ctx, state, inline, hits, found.binFallback);
}

type Recognized =
  | { kind: "wrangler"; argv: string[]; pm?: string; version?: string }
  | { kind: "script"; name: string; args: string[]; pm: string; dir?: string; preAndPost: boolean; binFallback: boolean }
  | { kind: "monorepo"; detail: string };

function isWranglerWord(w: string | undefined): { version?: string } | undefined {
  if (!w) return undefined;
  const m = /^(?:wrangler|@cloudflare\/wrangler)(?:@(.+))?$/.exec(w);
  if (m) return { version: m[1] };
  if (/(^|\/)node_modules\/\.bin\/wrangler$/.test(w) || /(^|\/)wrangler\/bin\/wrangler\.js$/.test(w)) return {};
  return undefined;
}

const PNPM_BUILTINS = new Set(["install", "i", "add", "remove", "rm", "uninstall", "un", "update", "up", "upgrade", "link", "ln", "unlink", "import", "rebuild", "rb", "prune", "fetch", "store", "publish", "pack", "audit", "outdated", "list", "ls", "why", "env", "setup", "init", "config", "c", "patch", "patch-commit", "deploy", "create", "root", "bin", "licenses", "server", "doctor", "self-update", "dedupe", "approve-builds", "ignored-builds", "cat-file", "cat-index", "find-hash", "catalog"]);
const YARN_BUILTINS = new Set(["install", "add", "remove", "upgrade", "up", "init", "info", "why", "config", "cache", "global", "link", "unlink", "pack", "publish", "set", "version", "bin", "npm", "plugin", "node", "workspaces", "constraints", "dedupe", "explain", "login", "logout", "owner", "tag", "team", "licenses", "import", "outdated", "audit", "autoclean", "check", "generate-lock-entry", "policies", "upgrade-interactive"]);
const BUN_BUILTINS = new Set(["install", "i", "add", "a", "remove", "rm", "update", "build", "test", "init", "create", "pm", "link", "unlink", "upgrade", "outdated", "publish", "patch", "audit", "info", "repl"]);

function recognize(cmd: string, args: string[]): Recognized | undefined {
  const w = isWranglerWord(cmd);
  if (w && cmd !== "@cloudflare/wrangler") return { kind: "wrangler", argv: args, version: w.version };
  switch (cmd) {
    case "npx":
      return afterOptions(args, new Set(["-p", "--package", "-c", "--call"]), "npm");
    case "bunx": {
      const a = args.filter((x) => x !== "--bun");
      return afterOptions(a, new Set(["-p", "--package"]), "bun");
    }
    case "npm":
      return recognizeNpm(args);
    case "pnpm":
      return recognizePnpm(args);
    case "yarn":
      return recognizeYarn(args);
    case "bun":
      return recognizeBun(args);
    case "turbo":
    case "nx":
    case "lerna":
      return { kind: "monorepo", detail: `${cmd} ${args.join(" ")}` };
    default:
      return undefined;
  }
}

/** `npx -y wrangler@3 deploy`: skips options, then expects wrangler. */
function afterOptions(args: string[], valued: Set<string>, pm: string): Recognized | undefined {
  let i = 0;
  while (i < args.length && args[i]!.startsWith("-")) {
    if (args[i] === "--") {
      i++;
      break;
    }
    if (valued.has(args[i]!)) i++;
    i++;
  }
  const w = isWranglerWord(args[i]);
  if (w) return { kind: "wrangler", argv: args.slice(i + 1), pm, version: w.version };
  const head = args[i];
  if (head && /^(turbo|nx|lerna)(@|$)/.test(head)) return { kind: "monorepo", detail: args.slice(i).join(" ") };
  return undefined;
}

function splitDashDash(args: string[]): string[] {
  return args[0] === "--" ? args.slice(1) : args;
}

function recognizeNpm(args: string[]): Recognized | undefined {
  let dir: string | undefined;
  let workspace = false;
  let i = 0;
  const opts = (): void => {
    while (i < args.length && args[i]!.startsWith("-")) {
      const a = args[i]!;
      if (a === "--prefix" || a === "-C") {
        dir = args[i + 1];
        i += 2;
      } else if (a.startsWith("--prefix=")) {
        dir = a.slice(9);
        i++;
      } else if (a === "-w" || a === "--workspace") {
        workspace = true;
        i += 2;
      } else if (a.startsWith("--workspace") || a === "-ws") {
        workspace = true;
        i++;
      } else i++;
    }
  };
  opts();
  const sub = args[i++];
  if (sub === "exec" || sub === "x") {
    const r = afterOptions(args.slice(i), new Set(["-p", "--package", "-c", "--call", "-w", "--workspace"]), "npm");
    return r;
  }
  if (sub === "run" || sub === "run-script" || sub === "rum" || sub === "urn") {
    opts();
    const name = args[i++];
    if (!name) return undefined;
    const restArgs = args.slice(i);
    const dd = restArgs.indexOf("--");
    // npm passes only what follows `--` to the script; its own options before that are dropped.
    const extra = dd >= 0 ? restArgs.slice(dd + 1) : [];
    if (workspace || restArgs.slice(0, dd >= 0 ? dd : restArgs.length).some((a) => a.startsWith("--workspace") || a === "-w" || a === "-ws")) {
      return { kind: "monorepo", detail: `npm run ${name} (workspaces)` };
    }
    return { kind: "script", name, args: extra, pm: "npm", dir, preAndPost: true, binFallback: false };
  }
  if (sub === "start" || sub === "test" || sub === "t" || sub === "stop" || sub === "restart") {
    const restArgs = args.slice(i);
    const dd = restArgs.indexOf("--");
    const name = sub === "t" ? "test" : sub;
    return { kind: "script", name, args: dd >= 0 ? restArgs.slice(dd + 1) : [], pm: "npm", dir, preAndPost: true, binFallback: false };
  }
  return undefined;
}

function recognizePnpm(args: string[]): Recognized | undefined {
  let dir: string | undefined;
  let filtered: string | undefined;
  let i = 0;
  while (i < args.length && args[i]!.startsWith("-")) {
    const a = args[i]!;
    if (a === "-C" || a === "--dir") {
      dir = args[i + 1];
      i += 2;
    } else if (a.startsWith("--dir=")) {
      dir = a.slice(6);
      i++;
    } else if (a === "--filter" || a === "-F") {
      filtered = args[i + 1];
      i += 2;
    } else if (a.startsWith("--filter=")) {
      filtered = a.slice(9);
      i++;
    } else if (a === "-r" || a === "--recursive") {
      filtered = "*";
      i++;
    } else i++;
  }
  const sub = args[i++];
  if (!sub) return undefined;
  if (sub === "exec" || sub === "dlx" || sub === "x") {
    const r = afterOptions(args.slice(i), new Set(["--package", "-c"]), "pnpm");
    if (r && r.kind === "wrangler" && filtered !== undefined) return { kind: "monorepo", detail: `wrangler in packages matching ${filtered}` };
    return r;
  }
  let name = sub;
  let explicitRun = false;
  if (sub === "run" || sub === "run-script") {
    while (i < args.length && args[i]!.startsWith("-") && args[i] !== "--") i++;
    name = args[i++] ?? "";
    explicitRun = true;
    if (!name) return undefined;
  } else if (sub === "start" || sub === "test" || sub === "t") {
    name = sub === "t" ? "test" : sub;
  } else if (PNPM_BUILTINS.has(sub)) return undefined;
  if (filtered !== undefined) return { kind: "monorepo", detail: `script "${name}" in packages matching ${filtered}` };
  void explicitRun;
  return { kind: "script", name, args: splitDashDash(args.slice(i)), pm: "pnpm", dir, preAndPost: false, binFallback: true };
}

function recognizeYarn(args: string[]): Recognized | undefined {
  let dir: string | undefined;
  let i = 0;
  while (i < args.length && args[i]!.startsWith("-")) {
    const a = args[i]!;
    if (a === "--cwd") {
      dir = args[i + 1];
      i += 2;
    } else if (a.startsWith("--cwd=")) {
      dir = a.slice(6);
      i++;
    } else i++;
  }
  const sub = args[i++];
  if (!sub) return undefined;
  if (sub === "dlx" || sub === "exec") {
    return afterOptions(args.slice(i), new Set(["-p", "--package"]), "yarn");
  }
  if (sub === "workspace" || sub === "workspaces") return { kind: "monorepo", detail: args.slice(i - 1).join(" ") };
  let name = sub;
  if (sub === "run") {
    while (i < args.length && args[i]!.startsWith("-") && args[i] !== "--") i++;
    name = args[i++] ?? "";
    if (!name) return undefined;
  } else if (YARN_BUILTINS.has(sub)) return undefined;
  return { kind: "script", name, args: splitDashDash(args.slice(i)), pm: "yarn", dir, preAndPost: true, binFallback: true };
}

function recognizeBun(args: string[]): Recognized | undefined {
  let dir: string | undefined;
  let i = 0;
  const opts = (): void => {
    while (i < args.length && args[i]!.startsWith("-") && args[i] !== "--") {
      const a = args[i]!;
      if (a === "--cwd") {
        dir = args[i + 1];
        i += 2;
      } else if (a.startsWith("--cwd=")) {
        dir = a.slice(6);
        i++;
      } else if (a === "--filter" || a === "-F") {
        return;
      } else i++;
    }
  };
  opts();
  if (args[i] === "--filter" || args[i] === "-F") return { kind: "monorepo", detail: args.join(" ") };
  const sub = args[i++];
  if (!sub) return undefined;
  if (sub === "x") return afterOptions(args.slice(i), new Set(["-p", "--package"]), "bun");
  let name = sub;
  if (sub === "run") {
    opts();
    if (args[i] === "--filter" || args[i] === "-F") return { kind: "monorepo", detail: args.join(" ") };
    name = args[i++] ?? "";
    if (!name) return undefined;
  } else if (BUN_BUILTINS.has(sub)) return undefined;
  return { kind: "script", name, args: splitDashDash(args.slice(i)), pm: "bun", dir, preAndPost: false, binFallback: true };
}

function runScript(
  name: string,
  args: string[],
  argLocs: Location[],
  pm: string,
  preAndPost: boolean,
  cwd: string,
  loc: Location,
  ctx: ShellContext,
  state: ShellState,
  inline: EnvMap,
  hits: ShellHit[],
  binFallback: boolean,
): void {
  const pkg = findPackageJson(ctx, cwd);
  const script = pkg?.scripts.get(name);
  if (!pkg || !script) {
    // `pnpm wrangler deploy`, `yarn wrangler deploy`, `bun run wrangler …`: no such script runs the bin.
    const w = isWranglerWord(name);
    if (w && binFallback) {
      hits.push(makeHit(ctx, { ...state, cwd }, args, argLocs, loc, inline, pm, w.version));
      return;
    }
    if (/^(turbo|nx|lerna)$/.test(name) && binFallback) {
      if (/deploy|publish|release|wrangler/i.test(args.join(" "))) {
        ctx.problems.push({
          code: "ci-unresolved-runner",
          severity: "info",
          message: `Not followed: \`${name} ${args.join(" ")}\` runs tasks across workspace packages; the wrangler commands it runs are not analysed.`,
          file: loc.file,
          span: loc.span,
        });
      }
      return;
    }
    if (/deploy|publish|release|wrangler/i.test(name)) {
      ctx.problems.push({
        code: "ci-script-not-found",
        severity: "info",
        message: pkg ? `Script "${name}" is not defined in ${pkg.file}.` : `No package.json found for \`${pm} run ${name}\` (from ${cwd}).`,
        file: loc.file,
        span: loc.span,
      });
    }
    return;
  }
  const depth = ctx.depth ?? 0;
  const key = `${pkg.file}#${name}`;
  const running = ctx.running ?? new Set<string>();
  if (running.has(key) || depth >= MAX_DEPTH) {
    ctx.problems.push({
      code: "ci-script-cycle",
      severity: "warning",
      message: `Script "${name}" in ${pkg.file} calls itself (directly or through other scripts); not followed further.`,
      file: loc.file,
      span: loc.span,
    });
    return;
  }
  const pkgDir = dirname(pkg.file);
  const childRunning = new Set(running).add(key);
  const run = (scriptName: string, extra: string[]): void => {
    const s = pkg.scripts.get(scriptName);
    if (!s) return;
    const bodyLen = s.body.length;
    let appended = "";
    const starts: number[] = [];
    for (const a of extra) {
      appended += " ";
      starts.push(bodyLen + appended.length);
      appended += shellQuote(a);
    }
    const source: ShellSource = {
      file: s.source.file,
      text: s.body + appended,
      spanOf: (a, b) => s.source.spanOf(Math.min(a, bodyLen), Math.min(b, bodyLen)),
      outer: (start) => {
        if (start < bodyLen) return undefined;
        let k = -1;
        for (let j = 0; j < starts.length; j++) if (starts[j]! <= start) k = j;
        return k >= 0 && extra === args ? argLocs[k] ?? loc : loc;
      },
    };
    const env = new Map(state.env);
    for (const [k, v] of inline) env.set(k, v);
    const childCtx: ShellContext = {
      ...ctx,
      cwd: pkgDir,
      env,
      via: [...(ctx.via ?? []), loc],
      depth: depth + 1,
      running: new Set(childRunning).add(`${pkg.file}#${scriptName}`),
    };
    const found = scanShell(source, childCtx);
    for (const h of found) if (!h.packageManager) h.packageManager = pm;
    hits.push(...found);
  };
  if (preAndPost) run("pre" + name, []);
  run(name, args);
  if (preAndPost) run("post" + name, []);
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./${}-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function unquote(s: string): string {
  return s;
}

/** The nearest package.json at or above `dir` (not above the repository root). */
export function findPackageJson(ctx: ShellContext, dir: string): PackageScripts | undefined {
  let d = dir;
  for (let n = 0; n < 32; n++) {
    const p = join(d, "package.json");
    const pkg = readPackageJson(ctx.host, ctx.cache, p);
    if (pkg) return pkg;
    if (d === ctx.root || d === "/" || d === ".") break;
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return undefined;
}

export function readPackageJson(host: Host, cache: ScanCache, path: string): PackageScripts | undefined {
  if (cache.packageJson.has(path)) return cache.packageJson.get(path) ?? undefined;
  const text = host.readFile(path);
  if (text === undefined) {
    cache.packageJson.set(path, null);
    return undefined;
  }
  const doc = parseJsonc(text);
  const scripts = new Map<string, { body: string; source: ShellSource; keyLocation: Location }>();
  const node = get(doc.root, "scripts");
  if (node && node.kind === "object") {
    for (const e of node.entries) {
      if (e.value.kind !== "string") continue;
      const v = e.value;
      scripts.set(e.key, {
        body: v.value as string,
        source: { file: path, text: v.value as string, spanOf: jsonStringMapper(text, v) },
        keyLocation: { file: path, span: e.keySpan },
      });
    }
  }
  const pkg: PackageScripts = { file: path, scripts };
  cache.packageJson.set(path, pkg);
  return pkg;
}

/** Maps decoded offsets of a JSON string value to the source (handles escapes). */
function jsonStringMapper(text: string, node: ScalarNode): (s: number, e: number) => Span {
  let map: number[] | undefined;
  const build = (): number[] => {
    const decoded = node.value as string;
    const out: number[] = [];
    let p = node.span.start;
    if (text[p] === '"') p++;
    const end = text[node.span.end - 1] === '"' ? node.span.end - 1 : node.span.end;
    for (let i = 0; i < decoded.length; i++) {
      out.push(Math.min(p, end));
      if (text[p] === "\\") {
        if (text[p + 1] === "u") p += 6;
        else p += 2;
        // a surrogate pair from one \u escape decodes to two code units
        if (i + 1 < decoded.length && /[\uD800-\uDBFF]/.test(decoded[i]!) && text[p] !== "\\") {
          out.push(Math.min(p, end));
          i++;
        }
      } else p++;
    }
    out.push(Math.min(p, end));
    return out;
  };
  return (s, e) => {
    map ??= build();
    const n = map.length - 1;
    const a = Math.max(0, Math.min(s, n));
    const b = Math.max(a, Math.min(e, n));
    return { start: map[a]!, end: b > a ? map[b - 1]! + (text[map[b - 1]!] === "\\" ? 2 : 1) : map[a]! };
  };
}

// ---------------------------------------------------------------------------------------------------------
// Tokenizer

export interface Word {
  /** Value with quotes removed and escapes applied; `$…`, `${{ … }}` and `$( … )` kept as written. */
  text: string;
  /** Source text of the word. */
  raw: string;
  start: number;
  end: number;
  quoted: boolean;
  redirect?: boolean;
}

export interface Segment {
  words: Word[];
  /** `$( … )` and backtick bodies inside this command (decoded offsets). */
  substitutions?: { start: number; end: number }[];
}

interface Tokens {
  segments: Segment[];
}

/** Splits shell text into simple commands (on newlines, `;`, `&&`, `||`, `|`, `&`, parentheses). */
export function tokenize(text: string): Tokens {
  const segments: Segment[] = [];
  let substitutions: { start: number; end: number }[] = [];
  let words: Word[] = [];
  let heredocs: { delim: string; strip: boolean }[] = [];
  let expectHeredocDelim: boolean | undefined;
  let skipNextWord = false;
  const n = text.length;
  let i = 0;

  const endSegment = (): void => {
    const subs = substitutions.filter((x) => x.end <= n && x.end > x.start);
    if (words.length) segments.push(subs.length ? { words, substitutions: subs } : { words });
    else if (subs.length) segments.push({ words: [], substitutions: subs });
    words = [];
    substitutions = [];
  };
  const pushWord = (w: Word): void => {
    if (expectHeredocDelim !== undefined) {
      heredocs.push({ delim: w.text, strip: expectHeredocDelim });
      expectHeredocDelim = undefined;
      return;
    }
    if (skipNextWord) {
      skipNextWord = false;
      words.push({ ...w, redirect: true });
      return;
    }
    words.push(w);
  };
  const skipHeredocBodies = (): void => {
    // i is just after a newline.
    for (const h of heredocs) {
      while (i < n) {
        let e = text.indexOf("\n", i);
        if (e < 0) e = n;
        let line = text.slice(i, e).replace(/\r$/, "");
        if (h.strip) line = line.replace(/^\t+/, "");
        i = e + 1;
        if (line.trim() === h.delim) break;
      }
    }
    heredocs = [];
  };

  while (i < n) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "\\" && (text[i + 1] === "\n" || (text[i + 1] === "\r" && text[i + 2] === "\n"))) {
      i += text[i + 1] === "\n" ? 2 : 3;
      continue;
    }
    if (c === "\n") {
      endSegment();
      i++;
      if (heredocs.length) skipHeredocBodies();
      continue;
    }
    if (c === "#") {
      while (i < n && text[i] !== "\n") i++;
      continue;
    }
    if (c === ";" || c === "|" || c === "(" || c === ")") {
      endSegment();
      i++;
      if ((c === ";" || c === "|") && text[i] === c) i++;
      if (c === "|" && text[i] === "&") i++;
      continue;
    }
    if (c === "&") {
      if (text[i + 1] === ">") {
        // &> file
        i += 2;
        if (text[i] === ">") i++;
        skipNextWord = true;
        continue;
      }
      endSegment();
      i++;
      if (text[i] === "&") i++;
      continue;
    }
    if (c === ">" || c === "<") {
      i = readRedirect(text, i, (kind) => {
        if (kind === "heredoc") expectHeredocDelim = false;
        else if (kind === "heredoc-strip") expectHeredocDelim = true;
        else if (kind === "target") skipNextWord = true;
      });
      continue;
    }
    // A word.
    const start = i;
    let value = "";
    let quoted = false;
    while (i < n) {
      const d = text[i]!;
      if (d === " " || d === "\t" || d === "\n" || d === "\r" || d === ";" || d === "&" || d === "|" || d === "(" || d === ")") break;
      if ((d === ">" || d === "<") ) {
        // `2>file`: digits before a redirect are the fd, not a word.
        if (/^\d+$/.test(value) && !quoted) value = "";
        break;
      }
      if (d === "\\") {
        if (text[i + 1] === "\n") {
          i += 2;
          continue;
        }
        if (i + 1 < n) value += text[i + 1];
        i += 2;
        continue;
      }
      if (d === "'") {
        quoted = true;
        const e = text.indexOf("'", i + 1);
        const stop = e < 0 ? n : e;
        value += text.slice(i + 1, stop);
        i = stop + 1;
        continue;
      }
      if (d === '"') {
        quoted = true;
        i++;
        while (i < n && text[i] !== '"') {
          if (text[i] === "\\" && i + 1 < n && '"\\$`\n'.includes(text[i + 1]!)) {
            if (text[i + 1] !== "\n") value += text[i + 1];
            i += 2;
            continue;
          }
          if (text[i] === "$" && text[i + 1] === "(") {
            const e = matchParen(text, i + 1);
            substitutions.push({ start: i + 2, end: Math.max(i + 2, e - 1) });
            value += text.slice(i, e);
            i = e;
            continue;
          }
          if (text[i] === "$" && text[i + 1] === "{") {
            const e = matchBrace(text, i + 1);
            value += text.slice(i, e);
            i = e;
            continue;
          }
          value += text[i];
          i++;
        }
        i++;
        continue;
      }
      if (d === "`") {
        const e = text.indexOf("`", i + 1);
        const stop = e < 0 ? n : e;
        substitutions.push({ start: i + 1, end: stop });
        value += text.slice(i, stop + 1);
        i = stop + 1;
        continue;
      }
      if (d === "$" && text[i + 1] === "(") {
        const e = matchParen(text, i + 1);
        substitutions.push({ start: i + 2, end: Math.max(i + 2, e - 1) });
        value += text.slice(i, e);
        i = e;
        continue;
      }
      if (d === "$" && text[i + 1] === "{") {
        const e = matchBrace(text, i + 1);
        value += text.slice(i, e);
        i = e;
        continue;
      }
      value += d;
      i++;
    }
    if (i > start) {
      const raw = text.slice(start, i);
      if (value === "" && !quoted && /^\d+$/.test(raw)) continue; // fd number before a redirect
      pushWord({ text: value, raw, start, end: i, quoted });
    } else i++;
  }
  endSegment();
  return { segments };
}

function readRedirect(text: string, i: number, on: (kind: "heredoc" | "heredoc-strip" | "target" | "none") => void): number {
  const c = text[i]!;
  if (c === "<" && text[i + 1] === "<") {
    if (text[i + 2] === "<") {
      on("target"); // here-string: its word is data
      return i + 3;
    }
    if (text[i + 2] === "-") {
      on("heredoc-strip");
      return i + 3;
    }
    on("heredoc");
    return i + 2;
  }
  let j = i + 1;
  if (text[j] === ">" || text[j] === "|") j++;
  if (text[j] === "&") {
    // >&2, 2>&1
    j++;
    while (j < text.length && /[0-9-]/.test(text[j]!)) j++;
    on("none");
    return j;
  }
  on("target");
  return j;
}

/** Index just after the `)` matching the `(` at i (quotes and nesting respected). */
function matchParen(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === "\\") {
      j++;
      continue;
    }
    if (c === "'") {
      const e = text.indexOf("'", j + 1);
      if (e < 0) return text.length;
      j = e;
      continue;
    }
    if (c === "(") depth++;
    else if (c === ")") {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return text.length;
}

/** Index just after the `}` closing `${…}` or `${{ … }}` starting with the `{` at i. */
function matchBrace(text: string, i: number): number {
  if (text[i + 1] === "{") {
    const e = text.indexOf("}}", i + 2);
    return e < 0 ? text.length : e + 2;
  }
  const e = text.indexOf("}", i + 1);
  return e < 0 ? text.length : e + 1;
}
