// Shell lines in CI (`run:`, `script:`, wrangler-action pre/post commands) and package.json scripts: finds
// every wrangler invocation, direct or through npx/pnpm/yarn/bun/npm exec, or through `npm run <script>`
// resolved in the package.json of the working directory. Tracks `cd`, `export`, inline `VAR=x cmd` and
// redirections well enough for CI scripts; it is not a full shell. package.json scripts run in run-script.ts.
import type { Location } from "../source.js";
import { relative, resolve } from "../path.js";
import { tokenize, type Segment, type Word } from "./shell-tokenize.js";
import { recognize } from "./package-managers.js";
import {
  MAX_DEPTH,
  locOf,
  problem,
  type EnvMap,
  type Invocation,
  type ScanOptions,
  type ShellContext,
  type ShellHit,
  type ShellSource,
  type ShellState,
} from "./shell-types.js";
import { expandLocal, expandPositional, positionalValues, spreadArgs } from "./shell-expand.js";
import { followShellFile } from "./shell-files.js";
import { followMonorepo } from "./monorepo.js";
import { runScript } from "./run-script.js";

export * from "./shell-types.js";
export { tokenize, type Segment, type Word } from "./shell-tokenize.js";
export { findPackageJson, readPackageJson } from "./package-json.js";
export { runScript, type ScriptRun } from "./run-script.js";

/** Scans shell text for wrangler invocations. */
export function scanShell(src: ShellSource, ctx: ShellContext, opts: ScanOptions = {}): ShellHit[] {
  const state: ShellState = { cwd: ctx.cwd, dirStack: [], env: new Map(ctx.env), vars: new Map(ctx.env) };
  const hits: ShellHit[] = [];
  scanInto(src, ctx, opts, state, hits);
  return hits;
}

export function scanInto(
  src: ShellSource,
  ctx: ShellContext,
  opts: ScanOptions,
  state: ShellState,
  hits: ShellHit[],
): void {
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
          ...(src.locate ? { locate: (s: number, e: number) => src.locate!(sub.start + s, sub.start + e) } : {}),
        };
        scanInto(
          inner,
          { ...ctx, depth: depth + 1, inSubstitution: true },
          {},
          { ...state, env: new Map(state.env), vars: new Map(state.vars), dirStack: [...state.dirStack] },
          hits,
        );
      }
    }
    if (seg.words.length === 0) continue;
    if (first && opts.wranglerPrefix) {
      first = false;
      if (seg.words.length) {
        const loc = segLocation(src, seg);
        const ws = seg.words.filter((w) => !w.redirect);
        hits.push(
          makeHit(
            ctx,
            state,
            ws.map((w) => w.text),
            ws.map((w) => wordLocation(src, w)),
            loc,
            new Map(),
            opts.packageManager,
          ),
        );
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
  return locOf(src, start, end);
}

function wordLocation(src: ShellSource, w: Word): Location {
  return src.outer?.(w.start) ?? locOf(src, w.start, w.end);
}

export function makeHit(
  ctx: ShellContext,
  state: ShellState,
  argv: string[],
  argvLocations: Location[],
  loc: Location,
  inline: EnvMap,
  pm?: string,
  version?: string,
): ShellHit {
  const env = new Map(state.env);
  const vars = new Map(state.vars);
  for (const [k, v] of inline) {
    env.set(k, v);
    vars.set(k, v);
  }
  const via = [...(ctx.via ?? []), loc];
  return {
    argv,
    argvLocations,
    location: via[0]!,
    via,
    cwd: state.cwd,
    env,
    vars,
    packageManager: pm,
    wranglerVersion: version,
  };
}

const KEYWORDS = new Set([
  "then",
  "do",
  "else",
  "if",
  "elif",
  "while",
  "until",
  "!",
  "{",
  "}",
  "time",
  "exec",
  "command",
  "sudo",
  "nohup",
  "fi",
  "done",
]);

function handleSegment(src: ShellSource, seg: Segment, ctx: ShellContext, state: ShellState, hits: ShellHit[]): void {
  let words = seg.words.filter((w) => !w.redirect);
  // Leading keywords and wrappers.
  let i = 0;
  let inline: EnvMap = new Map();
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
      inline.set(m[1]!, { raw: w.text.slice(m[1]!.length + 1), location: locOf(src, w.start, w.end) });
      i++;
      continue;
    }
    break;
  }
  inline = positionalValues(inline, state);
  words = words.slice(i);
  if (words.length === 0) {
    // Plain assignments set shell variables for later lines.
    for (const [k, v] of inline) state.vars.set(k, v);
    return;
  }
  const cmd = expandPositional(words[0]!.text, state);
  const rest = words.slice(1);
  const loc: Location = locOf(src, words[0]!.start, words[words.length - 1]!.end);
  if (builtin(src, cmd, rest, ctx, state, loc)) return;
  const spread = spreadArgs(
    rest.map((w) => w.text),
    rest.map((w) => wordLocation(src, w)),
    state,
  );
  const argWords =
    spread.texts.length === rest.length
      ? rest.map((w) => ({ start: w.start, end: w.end, raw: w.raw, text: w.text }))
      : spread.texts.map(() => undefined);
  dispatch({ src, ctx, state, hits, cmd, args: spread.texts, argLocs: spread.locs, argWords, loc, inline });
}

/** `export`, `unset`, `cd`, `pushd`, `popd`: change the shell state. */
function builtin(
  src: ShellSource,
  cmd: string,
  rest: Word[],
  ctx: ShellContext,
  state: ShellState,
  loc: Location,
): boolean {
  const texts = rest.map((w) => w.text);
  if (cmd === "export" || cmd === "declare" || cmd === "typeset" || cmd === "readonly") {
    for (const w of rest) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(w.raw);
      if (!m) continue;
      const v = {
        raw: expandPositional(w.text.slice(m[1]!.length + 1), state),
        location: locOf(src, w.start, w.end),
        scope: new Map(state.vars),
      };
      state.env.set(m[1]!, v);
      state.vars.set(m[1]!, v);
    }
    return true;
  }
  if (cmd === "unset") {
    for (const t of texts) {
      state.env.delete(t);
      state.vars.delete(t);
    }
    return true;
  }
  if (cmd === "cd" || cmd === "pushd") {
    const target = texts.find((t) => !t.startsWith("-"));
    if (cmd === "pushd") state.dirStack.push(state.cwd);
    if (target === undefined || target === "~") return true;
    const dir = expandLocal(expandPositional(target, state), state, ctx);
    if (dir !== undefined) state.cwd = resolve(state.cwd, dir);
    else if (!ctx.inSubstitution) {
      problem(
        { ctx, loc },
        "ci-working-directory-unknown",
        "info",
        `\`${cmd} ${target}\` goes to a directory known only when the job runs; later commands are assumed to run in ${relative(ctx.root, state.cwd)}.`,
      );
    }
    return true;
  }
  if (cmd === "popd") {
    const prev = state.dirStack.pop();
    if (prev) state.cwd = prev;
    return true;
  }
  return false;
}

/** Runs one command: wrangler itself, a package manager, a task runner, or a script file. */
export function dispatch(inv: Invocation): void {
  const { cmd, args, ctx, state, hits, loc, inline } = inv;
  const found = recognize(cmd, args);
  const suffixLocs = (k: number): Location[] => inv.argLocs.slice(inv.argLocs.length - k);
  if (found?.kind === "wrangler") {
    hits.push(makeHit(ctx, state, found.argv, suffixLocs(found.argv.length), loc, inline, found.pm, found.version));
    return;
  }
  if (found?.kind === "monorepo") {
    followMonorepo(inv, found);
    return;
  }
  if (found?.kind === "script") {
    const cwd = found.dir ? resolve(state.cwd, found.dir) : state.cwd;
    const names = scriptNames(inv, found.name);
    for (const name of names ?? [])
      runScript(inv, {
        name,
        args: found.args,
        argLocs: suffixLocs(found.args.length),
        pm: found.pm,
        preAndPost: found.preAndPost,
        cwd,
        binFallback: found.binFallback,
      });
    return;
  }
  followShellFile(inv);
}

/** `npm run deploy:${{ matrix.env }}`: every script name the expression can give; reported when unknown. */
function scriptNames(inv: Invocation, name: string): string[] | undefined {
  if (!name.includes("$")) return [name];
  const names =
    expandLocal(name, inv.state, inv.ctx) !== undefined
      ? [expandLocal(name, inv.state, inv.ctx)!]
      : inv.ctx.expand?.(name, inv.loc, inv.state.vars);
  if (names && !names.some((n) => n.includes("$"))) return names;
  problem(
    inv,
    "ci-dynamic-command",
    "info",
    `Not followed: the script name \`${name}\` is known only when the job runs; the commands it runs are not analysed.`,
  );
  return undefined;
}
