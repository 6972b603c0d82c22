// `make deploy` and `just deploy`: the Makefile / justfile is read (never run); the target's prerequisites
// (dependencies) run first, then its recipe lines, each scanned like a CI line. Make variables defined in the
// file or on the command line are substituted; just parameters and `{{…}}` interpolations too where known.
import type { Location } from "../source.js";
import { dirname, join, relative, resolve } from "../path.js";
import { MAX_DEPTH, problem, type Invocation, type ShellSource } from "./shell-types.js";
import { scanInto } from "./scripts.js";
import { parseJustfile, parseMakefile, type Recipe, type RecipeFile } from "./recipe-files.js";

const MAKE_VALUED = new Set([
  "-C",
  "--directory",
  "-f",
  "--file",
  "--makefile",
  "-j",
  "--jobs",
  "-l",
  "--load-average",
  "-I",
  "--include-dir",
  "-o",
  "-W",
]);
const MAX_TARGETS = 64;
const DEPLOYISH = /deploy|publish|release|wrangler|migrat/i;

export function followMake(inv: Invocation): void {
  let dir = inv.state.cwd;
  let file: string | undefined;
  const targets: string[] = [];
  const overrides = new Map<string, string>();
  for (let i = 0; i < inv.args.length; i++) {
    const a = inv.args[i]!;
    const eq = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(a);
    if (eq) overrides.set(eq[1]!, eq[2]!);
    else if (a === "-C" || a === "--directory") dir = resolve(dir, inv.args[++i] ?? ".");
    else if (a.startsWith("--directory=")) dir = resolve(dir, a.slice(12));
    else if (a === "-f" || a === "--file" || a === "--makefile") file = inv.args[++i];
    else if (a.startsWith("-")) i += MAKE_VALUED.has(a) ? 1 : 0;
    else targets.push(a);
  }
  const path = file
    ? resolve(dir, file)
    : ["GNUmakefile", "makefile", "Makefile"].map((n) => join(dir, n)).find((p) => inv.ctx.host.fileExists(p));
  const text = path ? inv.ctx.host.readFile(path) : undefined;
  if (!path || text === undefined) {
    problem(
      inv,
      "ci-script-not-found",
      "info",
      `No Makefile found for \`make ${inv.args.join(" ")}\` (in ${relative(inv.ctx.root, dir)}); what it runs is not analysed.`,
    );
    return;
  }
  const mf = parseMakefile(path, text, overrides);
  const wanted = targets.length ? targets : mf.first ? [mf.first] : [];
  runTargets(inv, mf, wanted, dir, "make");
}

export function followJust(inv: Invocation): void {
  let file: string | undefined;
  let wd: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < inv.args.length; i++) {
    const a = inv.args[i]!;
    if (a === "-f" || a === "--justfile") file = inv.args[++i];
    else if (a === "-d" || a === "--working-directory") wd = inv.args[++i];
    else if (a === "--set") i += 2;
    else if (a.startsWith("-") && rest.length === 0) continue;
    else rest.push(a);
  }
  const path = file ? resolve(inv.state.cwd, file) : findUp(inv, ["justfile", "Justfile", ".justfile", "JUSTFILE"]);
  const text = path ? inv.ctx.host.readFile(path) : undefined;
  if (!path || text === undefined) {
    problem(
      inv,
      "ci-script-not-found",
      "info",
      `No justfile found for \`just ${inv.args.join(" ")}\` (from ${relative(inv.ctx.root, inv.state.cwd)}); what it runs is not analysed.`,
    );
    return;
  }
  const jf = parseJustfile(path, text);
  // `just a b`: b is a's argument when a takes parameters, else the next recipe.
  const wanted: string[] = [];
  const args = new Map<string, string[]>();
  for (let i = 0; i < rest.length;) {
    const name = jf.aliases.get(rest[i]!) ?? rest[i]!;
    const r = jf.recipes.get(name);
    const n = r ? (r.variadic ? rest.length - i - 1 : Math.min(r.params.length, rest.length - i - 1)) : 0;
    args.set(name, rest.slice(i + 1, i + 1 + n));
    wanted.push(name);
    i += 1 + n;
  }
  if (!wanted.length && jf.first) wanted.push(jf.first);
  runTargets(inv, jf, wanted, wd ? resolve(inv.state.cwd, wd) : dirname(path), "just", args);
}

function findUp(inv: Invocation, names: string[]): string | undefined {
  let d = inv.state.cwd;
  for (let n = 0; n < 32; n++) {
    for (const name of names) if (inv.ctx.host.fileExists(join(d, name))) return join(d, name);
    if (d === inv.ctx.root || d === "/") return undefined;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
  return undefined;
}

/** Each target once: prerequisites first, then its recipe, then (just) the dependencies after `&&`. */
function runTargets(
  inv: Invocation,
  f: RecipeFile,
  wanted: string[],
  cwd: string,
  tool: "make" | "just",
  args = new Map<string, string[]>(),
): void {
  const done = new Set<string>();
  const running = inv.ctx.running ?? new Set<string>();
  const run = (name: string, chain: Location[], depth: number, callArgs: string[]): void => {
    if (done.has(name) || done.size > MAX_TARGETS) return;
    done.add(name);
    const key = `${f.file}#${name}`;
    if (running.has(key) || (inv.ctx.depth ?? 0) >= MAX_DEPTH) {
      problem(
        inv,
        "ci-script-cycle",
        "warning",
        `${tool === "make" ? "Target" : "Recipe"} \`${name}\` runs itself (directly or through other targets); not followed further.`,
      );
      return;
    }
    const r = f.recipes.get(name);
    if (!r) {
      if (depth === 0 || DEPLOYISH.test(name)) {
        problem(
          inv,
          "ci-script-not-found",
          "info",
          `${tool === "make" ? "Target" : "Recipe"} \`${name}\` is not defined in ${relative(inv.ctx.root, f.file)}; what it runs is not analysed.`,
        );
      }
      return;
    }
    const here = [...chain, r.location];
    for (const d of r.deps) run(d, here, depth + 1, r.argsFor?.(d, callArgs) ?? []);
    if (r.dynamic)
      problem(
        { ctx: inv.ctx, loc: r.location },
        "ci-dynamic-command",
        "info",
        `Not followed: parts of \`${name}\` are computed when it runs (${r.dynamic}); commands there are not analysed.`,
      );
    const dir =
      r.workingDirectory === undefined
        ? cwd
        : r.workingDirectory === ""
          ? inv.state.cwd
          : resolve(dirname(f.file), r.workingDirectory);
    runRecipe({ ...inv, ctx: { ...inv.ctx, running: new Set(running).add(key) } }, r, callArgs, here, dir);
    for (const d of r.after) run(d, here, depth + 1, r.argsFor?.(d, callArgs) ?? []);
  };
  for (const w of wanted) run(w, [], 0, args.get(w) ?? []);
}

function runRecipe(inv: Invocation, r: Recipe, args: string[], chain: Location[], cwd: string): void {
  const env = new Map(inv.state.env);
  for (const [k, v] of inv.inline) env.set(k, v);
  const ctx = {
    ...inv.ctx,
    via: [...(inv.ctx.via ?? []), inv.loc, ...chain.slice(0, -1)],
    depth: (inv.ctx.depth ?? 0) + 1,
    inSubstitution: false,
  };
  const rendered = r.render ? r.lines.map((l) => r.render!(l, args)) : r.lines;
  const scripts = r.oneShell ? [rendered] : rendered.map((l) => [l]);
  for (const lines of scripts) {
    if (!lines.length) continue;
    let text = "";
    const parts: { at: number; line: (typeof lines)[number] }[] = [];
    for (const l of lines) {
      parts.push({ at: text.length, line: l });
      text += l.text + "\n";
    }
    const src: ShellSource = {
      file: r.location.file,
      text,
      spanOf: (s, e) => {
        let k = 0;
        for (let i = 0; i < parts.length; i++) if (parts[i]!.at <= s) k = i;
        const p = parts[k]!;
        if (!p.line.exact) return p.line.span;
        const a = p.line.span.start + Math.min(s - p.at, p.line.text.length);
        return { start: a, end: Math.max(a, p.line.span.start + Math.min(e - p.at, p.line.text.length)) };
      },
    };
    scanInto(src, ctx, {}, { cwd, dirStack: [], env: new Map(env), vars: new Map(env) }, inv.hits);
  }
}
