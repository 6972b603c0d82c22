// Shell lines in CI (`run:`, `script:`, wrangler-action pre/post commands) and package.json scripts: finds
// every wrangler invocation, direct or through npx/pnpm/yarn/bun/npm exec, or through `npm run <script>`
// resolved in the package.json of the working directory. Tracks `cd`, `export`, inline `VAR=x cmd` and
// redirections well enough for CI scripts; it is not a full shell.
import type { Location } from "../source.js";
import { dirname, resolve } from "../path.js";
import { tokenize, type Segment, type Word } from "./shell-tokenize.js";
import { isWranglerWord, recognize } from "./package-managers.js";
import { findPackageJson } from "./package-json.js";
import { MAX_DEPTH, type EnvMap, type ScanOptions, type ShellContext, type ShellHit, type ShellSource, type ShellState } from "./shell-types.js";

export * from "./shell-types.js";
export { tokenize, type Segment, type Word } from "./shell-tokenize.js";
export { findPackageJson, readPackageJson } from "./package-json.js";


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

