// Expansions the scanner can do without running anything: a script's own arguments ($1, ${1:-x}, "$@"),
// its directory ($(dirname "$0"), ${BASH_SOURCE%/*}, $(cd "$(dirname "$0")" && pwd)), $PWD, and shell
// variables set to literal text earlier in the same script.
import type { Location } from "../source.js";
import { resolve } from "../path.js";
import type { EnvMap, ShellContext, ShellState } from "./shell-types.js";

const SELF = String.raw`"?\$(?:0|\{0\}|\{BASH_SOURCE(?:\[0\])?\}|BASH_SOURCE(?:\[0\])?)"?`;
const CD_PWD = new RegExp(
  String.raw`\$\(\s*cd\s+"?\$\(\s*dirname\s+${SELF}\s*\)"?\s*(?:[0-9&]?>\s*/dev/null\s*)?(?:&&|;)\s*pwd(?:\s+-P)?\s*\)`,
  "g",
);
const DIRNAME = new RegExp(String.raw`\$\(\s*dirname\s+${SELF}\s*\)`, "g");
const STRIP = /\$\{(?:0|BASH_SOURCE(?:\[0\])?)%\/\*\}/g;
const REALPATH = /\$\(\s*(?:realpath|readlink\s+-f)\s+"?([^"()]*?)"?\s*\)/g;
const CD_ANY = /\$\(\s*cd\s+"?([^"()]*?)"?\s*(?:[0-9&]?>\s*\/dev\/null\s*)?(?:&&|;)\s*pwd(?:\s+-P)?\s*\)/g;

/** Replaces the script-directory idioms and $PWD with what they stand for; other text is kept. */
export function expandDirs(text: string, state: ShellState, root: string): string {
  let t = text;
  if (state.scriptDir)
    t = t.replace(CD_PWD, state.scriptDir).replace(DIRNAME, state.scriptDir).replace(STRIP, state.scriptDir);
  return t
    .replace(/\$\(\s*pwd\s*\)|\$\{PWD\}|\$PWD\b/g, state.cwd)
    .replace(
      /\$\{\{\s*github\.workspace\s*\}\}|\$\{GITHUB_WORKSPACE\}|\$GITHUB_WORKSPACE\b|\$\{CI_PROJECT_DIR\}|\$CI_PROJECT_DIR\b/g,
      root,
    );
}

/** Text with script directories, $PWD and literal shell variables substituted; undefined when something stays unknown. */
export function expandLocal(
  text: string,
  state: ShellState,
  ctx: Pick<ShellContext, "root">,
  depth = 0,
): string | undefined {
  let failed = false;
  // `$(cd "$X/../.." && pwd)`: the directory, when X is known.
  const dir = (_m: string, inner: string): string => {
    const d = depth > 6 ? undefined : expandLocal(inner, state, ctx, depth + 1);
    if (d === undefined) failed = true;
    return d === undefined ? "" : resolve(state.cwd, d);
  };
  const t = expandDirs(text, state, ctx.root).replace(REALPATH, dir).replace(CD_ANY, dir);
  if (failed) return undefined;
  if (!t.includes("$")) return t;
  if (depth > 6) return undefined;
  let unknown = false;
  const out = t.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_m, a: string | undefined, b: string | undefined) => {
      const def = state.vars.get((a ?? b)!);
      const v = def ? expandLocal(def.raw, state, ctx, depth + 1) : undefined;
      if (v === undefined) unknown = true;
      return v ?? "";
    },
  );
  return unknown || out.includes("$") ? undefined : out;
}

/** Substitutes a script's arguments into text (`${1:-staging}` → the first argument, or staging). */
export function expandPositional(text: string, state: ShellState): string {
  const pos = state.positional;
  if (!pos || !text.includes("$")) return text;
  return text.replace(
    /\$\{(\d)(?:(:?[-=])([^}]*))?\}|\$(\d)|\$\{?[@*]\}?/g,
    (m, n1: string | undefined, op: string | undefined, dflt: string | undefined, n2: string | undefined) => {
      const n = n1 ?? n2;
      if (n === undefined) return pos.args.join(" ");
      if (n === "0") return m;
      const v = pos.args[Number(n) - 1];
      if (op === undefined) return v ?? "";
      return v === undefined || (op.startsWith(":") && v === "") ? (dflt ?? "") : v;
    },
  );
}

/** The argument words of a command with a script's `"$@"` spread into the caller's words. */
export function spreadArgs(
  texts: string[],
  locs: Location[],
  state: ShellState,
): { texts: string[]; locs: Location[] } {
  const pos = state.positional;
  if (!pos) return { texts, locs };
  const t: string[] = [];
  const l: Location[] = [];
  texts.forEach((x, i) => {
    if (/^\$(?:@|\*|\{@\}|\{\*\})$/.test(x)) {
      t.push(...pos.args);
      l.push(...pos.locs);
    } else {
      t.push(expandPositional(x, state));
      l.push(locs[i]!);
    }
  });
  return { texts: t, locs: l };
}

/** Values of inline/assigned variables with a script's arguments substituted. */
export function positionalValues(vars: EnvMap, state: ShellState): EnvMap {
  if (!state.positional) return vars;
  const out: EnvMap = new Map();
  for (const [k, v] of vars) out.set(k, { ...v, raw: expandPositional(v.raw, state) });
  return out;
}
