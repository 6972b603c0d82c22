// package.json scripts named on a shell line (`npm run deploy`, `pnpm deploy`, `yarn wrangler …`): the script's
// body (with its pre/post scripts where the package manager runs them) is scanned as shell in the package's
// directory, the command line's arguments appended; a name that is no script may be a bin run as a command.
import type { Location } from "../source.js";
import { dirname, relative } from "../path.js";
import { isWranglerWord } from "./package-managers.js";
import { findPackageJson } from "./package-json.js";
import {
  MAX_DEPTH,
  problem,
  type Invocation,
  type PackageScripts,
  type ShellContext,
  type ShellSource,
} from "./shell-types.js";
import { dispatch, makeHit, scanShell } from "./scripts.js";

export interface ScriptRun {
  name: string;
  args: string[];
  argLocs: Location[];
  pm: string;
  preAndPost: boolean;
  cwd: string;
  binFallback: boolean;
}

type ScriptInvocation = Pick<Invocation, "ctx" | "state" | "hits" | "loc" | "inline">;

/** Runs a package.json script (with its pre/post scripts where the package manager runs them). */
export function runScript(inv: ScriptInvocation, run: ScriptRun): void {
  const { ctx, state, hits, loc, inline } = inv;
  const { name, args, argLocs, pm, preAndPost, cwd } = run;
  const pkg = findPackageJson(ctx, cwd);
  if (!pkg || !pkg.scripts.get(name)) {
    runMissingScript(inv, run, pkg);
    return;
  }
  const depth = ctx.depth ?? 0;
  const key = `${pkg.file}#${name}`;
  const running = ctx.running ?? new Set<string>();
  if (running.has(key) || depth >= MAX_DEPTH) {
    problem(
      inv,
      "ci-script-cycle",
      "warning",
      `Script "${name}" in ${relative(ctx.root, pkg.file)} calls itself (directly or through other scripts); not followed further.`,
    );
    return;
  }
  const pkgDir = dirname(pkg.file);
  const childRunning = new Set(running).add(key);
  const runOne = (scriptName: string, extra: string[]): void => {
    const s = pkg.scripts.get(scriptName);
    if (!s) return;
    const source = scriptSource(s.body, s.source, extra, extra === args ? argLocs : [], loc);
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
  if (preAndPost) runOne("pre" + name, []);
  runOne(name, args);
  if (preAndPost) runOne("post" + name, []);
}

/** No such script: `pnpm wrangler …` runs the bin, `pnpm turbo deploy` runs a bin as a command, else reported. */
function runMissingScript(inv: ScriptInvocation, run: ScriptRun, pkg: PackageScripts | undefined): void {
  const depthOf = (c: ShellContext): number => c.depth ?? 0;
  const { ctx, state, hits, loc, inline } = inv;
  const { name, args, argLocs, pm, cwd, binFallback } = run;
  // `pnpm wrangler deploy`, `yarn wrangler deploy`, `bun run wrangler …`: no such script runs the bin.
  const w = isWranglerWord(name);
  if (w && binFallback) {
    hits.push(makeHit(ctx, { ...state, cwd }, args, argLocs, loc, inline, pm, w.version));
    return;
  }
  if (binFallback && depthOf(ctx) < MAX_DEPTH) {
    // `pnpm turbo deploy`, `yarn run-s …`, `pnpm run-wrangler-deploy`: a bin, run as a command.
    const before = hits.length + ctx.problems.length;
    dispatch({
      ...inv,
      src: { file: loc.file, text: "", spanOf: () => loc.span },
      state: { ...state, cwd },
      cmd: name,
      args,
      argLocs,
      argWords: args.map(() => undefined),
      ctx: { ...ctx, depth: depthOf(ctx) + 1 },
    } as Invocation);
    if (hits.length + ctx.problems.length > before || !/deploy|publish|release|wrangler/i.test(name)) return;
  }
  if (/deploy|publish|release|wrangler/i.test(name)) {
    problem(
      inv,
      "ci-script-not-found",
      "info",
      pkg
        ? `Script "${name}" is not defined in ${relative(ctx.root, pkg.file)}.`
        : `No package.json found for \`${pm} run ${name}\` (from ${relative(ctx.root, cwd)}).`,
    );
  }
}

/** A script body with `extra` arguments appended (quoted); the arguments map to `argLocs`, else to `loc`. */
function scriptSource(
  body: string,
  bodySource: ShellSource,
  extra: string[],
  argLocs: Location[],
  loc: Location,
): ShellSource {
  const bodyLen = body.length;
  let appended = "";
  const starts: number[] = [];
  for (const a of extra) {
    appended += " ";
    starts.push(bodyLen + appended.length);
    appended += shellQuote(a);
  }
  return {
    file: bodySource.file,
    text: body + appended,
    spanOf: (a, b) => bodySource.spanOf(Math.min(a, bodyLen), Math.min(b, bodyLen)),
    outer: (start) => {
      if (start < bodyLen) return undefined;
      let k = -1;
      for (let j = 0; j < starts.length; j++) if (starts[j]! <= start) k = j;
      return k >= 0 ? (argLocs[k] ?? loc) : loc;
    },
  };
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./${}-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
