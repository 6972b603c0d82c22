// Reading Makefiles and justfiles into targets/recipes: prerequisites, recipe lines (with where each is
// written) and the variables substituted into them. Never throws; what cannot be read statically (make
// functions such as $(shell …), `!=` assignments, backtick values) is marked so the caller can say so.
import type { Location, Span } from "../source.js";

export interface RecipeLine {
  text: string;
  span: Span;
  /** True when text is exactly the source at span (offsets map one to one). */
  exact: boolean;
}

export interface Recipe {
  name: string;
  location: Location;
  deps: string[];
  /** just: dependencies after `&&`, run after the body. */
  after: string[];
  lines: RecipeLine[];
  /** All lines run in one shell (.ONESHELL, a just #! recipe). */
  oneShell: boolean;
  params: string[];
  variadic: boolean;
  /** just: fills `{{ … }}` in a line from the arguments given on the command line. */
  render?(line: RecipeLine, args: string[]): RecipeLine;
  /** just: the arguments a dependency is called with (`deploy env: (migrate env)`). */
  argsFor?(dep: string, args: string[]): string[];
  /** just: `[working-directory: 'x']` (relative to the justfile), or "" for `[no-cd]`. */
  workingDirectory?: string;
  /** Why parts of the recipe cannot be read, when they cannot. */
  dynamic?: string;
}

export interface RecipeFile {
  file: string;
  recipes: Map<string, Recipe>;
  first?: string;
  aliases: Map<string, string>;
}

interface Line {
  text: string;
  start: number;
  end: number;
}

function physicalLines(text: string): Line[] {
  const out: Line[] = [];
  let s = 0;
  for (;;) {
    const e = text.indexOf("\n", s);
    const end = e < 0 ? text.length : e;
    out.push({
      text: text.slice(s, end).replace(/\r$/, ""),
      start: s,
      end: s + text.slice(s, end).replace(/\r$/, "").length,
    });
    if (e < 0) return out;
    s = e + 1;
  }
}

/** Lines ending in `\` joined with the next (the backslash-newline kept, as the shell reads it). */
function logicalLines(text: string): Line[] {
  const out: Line[] = [];
  const phys = physicalLines(text);
  for (let i = 0; i < phys.length; i++) {
    const first = phys[i]!;
    let end = first.end;
    while (/\\$/.test(text.slice(first.start, end)) && i + 1 < phys.length) end = phys[++i]!.end;
    out.push({ text: text.slice(first.start, end), start: first.start, end });
  }
  return out;
}

const MAKE_ASSIGN = /^(?:(?:export|override)\s+)*([A-Za-z_][A-Za-z0-9_.-]*)\s*(::?=|:::=|\?=|\+=|!=|=)\s*(.*)$/s;
const MAKE_RULE = /^([^:=#\s][^:=#]*?)\s*(::?)(?!=)\s*(.*)$/s;

export function parseMakefile(file: string, text: string, overrides: Map<string, string>): RecipeFile {
  const vars = new Map<string, string | null>();
  const recipes = new Map<string, Recipe>();
  let first: string | undefined;
  let current: Recipe[] = [];
  let oneShell = false;
  for (const l of logicalLines(text)) {
    if (l.text.startsWith("\t")) {
      for (const r of current) r.lines.push({ text: l.text, span: { start: l.start, end: l.end }, exact: true });
      continue;
    }
    const t = l.text.replace(/(^|\s)#.*$/s, "").trim();
    if (!t) continue;
    if (/^(ifeq|ifneq|ifdef|ifndef|else|endif|include|-include|sinclude|define|endef|vpath|unexport)\b/.test(t))
      continue;
    const a = MAKE_ASSIGN.exec(t);
    if (a && !MAKE_RULE.exec(t)?.[1]?.includes(" ")) {
      const [, name, op, value] = a;
      if (op === "!=") vars.set(name!, null);
      else if (op === "?=") {
        if (!vars.has(name!)) vars.set(name!, value!.trim());
      } else if (op === "+=") vars.set(name!, `${vars.get(name!) ?? ""} ${value!.trim()}`.trim());
      else vars.set(name!, value!.trim());
      current = [];
      continue;
    }
    const m = MAKE_RULE.exec(t);
    if (!m) continue;
    const names = m[1]!.split(/\s+/).filter(Boolean);
    const [prereq, inline] = splitOnce(m[3]!, ";");
    if (/^\s*[A-Za-z_][A-Za-z0-9_]*\s*[:+?]?=/.test(prereq)) {
      current = []; // a target-specific variable
      continue;
    }
    if (names.includes(".ONESHELL")) oneShell = true;
    current = [];
    for (const name of names) {
      if (name.startsWith(".") || name.includes("%")) continue;
      const r = recipes.get(name) ?? {
        name,
        location: { file, span: { start: l.start, end: l.start + m[1]!.length } },
        deps: [],
        after: [],
        lines: [],
        oneShell: false,
        params: [],
        variadic: false,
      };
      r.deps.push(...prereq.replace("|", " ").split(/\s+/).filter(Boolean));
      if (inline !== undefined && inline.trim())
        r.lines.push({ text: inline.trim(), span: { start: l.start, end: l.end }, exact: false });
      recipes.set(name, r);
      current.push(r);
      first ??= name;
    }
  }
  for (const r of recipes.values()) {
    r.oneShell = oneShell;
    r.deps = r.deps
      .map((d) => makeExpand(d, vars, overrides, r).text)
      .flatMap((d) => d.split(/\s+/))
      .filter(Boolean);
    r.lines = r.lines.map((ln) => makeLine(ln, vars, overrides, r));
  }
  return { file, recipes, first, aliases: new Map() };
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

/** A recipe line without its tab and `@`/`-`/`+` prefixes, variables substituted. */
function makeLine(
  ln: RecipeLine,
  vars: Map<string, string | null>,
  overrides: Map<string, string>,
  r: Recipe,
): RecipeLine {
  const m = /^\t?[ \t]*[@+-]*[ \t]*/.exec(ln.text)!;
  const body = ln.text.slice(m[0].length);
  const x = makeExpand(body, vars, overrides, r);
  const span = { start: ln.span.start + m[0].length, end: ln.span.end };
  return { text: x.text, span, exact: ln.exact && x.text === body };
}

function makeExpand(
  text: string,
  vars: Map<string, string | null>,
  overrides: Map<string, string>,
  r: Recipe,
  depth = 0,
): { text: string } {
  const out = text.replace(
    /\$\$|\$[@<^]|\$\(([^()]*)\)|\$\{([^{}]*)\}/g,
    (m, p: string | undefined, b: string | undefined) => {
      if (m === "$$") return "$";
      if (m === "$@") return r.name;
      if (m === "$<") return r.deps[0] ?? "";
      if (m === "$^") return r.deps.join(" ");
      const name = (p ?? b)!.trim();
      if (name === "MAKE") return "make";
      if (/\s/.test(name) || name.includes(",")) {
        r.dynamic ??= `make function $(${name.split(/\s/)[0]} …)`;
        return "${{ make }}";
      }
      const v = overrides.get(name) ?? vars.get(name);
      if (v === null) {
        r.dynamic ??= `${name} is set by a shell command`;
        return "${{ make }}";
      }
      if (v === undefined) return `\${${name}}`; // from the environment, as the shell sees it
      return depth < 8 ? makeExpand(v, vars, overrides, r, depth + 1).text : v;
    },
  );
  return { text: out };
}

// ---- just ------------------------------------------------------------------------------------------------

const JUST_RECIPE =
  /^(@)?([A-Za-z_][A-Za-z0-9_-]*)((?:\s+[+*$]*[A-Za-z_][\w-]*(?:\s*=\s*(?:'[^']*'|"[^"]*"|[^\s:]+))?)*)\s*:(?!=)(.*)$/;
const JUST_ASSIGN = /^(?:export\s+)?([A-Za-z_][\w-]*)\s*:=\s*(.*)$/;

export function parseJustfile(file: string, text: string): RecipeFile {
  const vars = new Map<string, string | null>();
  const recipes = new Map<string, Recipe>();
  const aliases = new Map<string, string>();
  let first: string | undefined;
  let wd: string | undefined;
  const lines = physicalLines(text);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.text.startsWith("[")) {
      const w = /working-directory\s*(?::\s*|\(\s*)(?:'([^']*)'|"([^"]*)")/.exec(l.text);
      if (w) wd = (w[1] ?? w[2])!;
      else if (/\bno-cd\b/.test(l.text)) wd = "";
      continue;
    }
    if (/^\s/.test(l.text) || !l.text.trim() || l.text.startsWith("#")) continue;
    const al = /^alias\s+([\w-]+)\s*:=\s*([\w-]+)/.exec(l.text);
    if (al) {
      aliases.set(al[1]!, al[2]!);
      continue;
    }
    if (/^(set|import|mod)\b/.test(l.text)) continue;
    const a = JUST_ASSIGN.exec(l.text);
    if (a) {
      vars.set(a[1]!, literal(a[2]!.trim()));
      continue;
    }
    const m = JUST_RECIPE.exec(l.text);
    if (!m) continue;
    const name = m[2]!;
    const params = [...m[3]!.matchAll(/([+*]?)\$?([A-Za-z_][\w-]*)(?:\s*=\s*('[^']*'|"[^"]*"|[^\s:]+))?/g)];
    const [before, after] = splitOnce(m[4]!.replace(/#.*$/, ""), "&&");
    const r: Recipe = {
      name,
      location: { file, span: { start: l.start, end: l.start + (m[1] ?? "").length + name.length } },
      deps: justDeps(before).map((d) => d.name),
      after: justDeps(after ?? "").map((d) => d.name),
      lines: [],
      oneShell: false,
      params: params.map((p) => p[2]!),
      variadic: params.some((p) => p[1] !== ""),
    };
    const defaults = new Map(params.filter((p) => p[3] !== undefined).map((p) => [p[2]!, literal(p[3]!)]));
    const body: Line[] = [];
    while (
      i + 1 < lines.length &&
      (/^\s+\S/.test(lines[i + 1]!.text) || (!lines[i + 1]!.text.trim() && /^\s+\S/.test(lines[i + 2]?.text ?? "")))
    )
      body.push(lines[++i]!);
    r.oneShell = body[0]?.text.trim().startsWith("#!") ?? false;
    if (r.oneShell && !/\b(ba|z|da|k)?sh\b/.test(body[0]!.text)) r.dynamic = `a ${body[0]!.text.trim()} recipe`;
    r.lines = body
      .filter((b) => b.text.trim())
      .map((b) => ({ text: b.text, span: { start: b.start, end: b.end }, exact: true }));
    r.render = (ln, args) => justLine(ln, r, args, defaults, vars);
    const calls = new Map([...justDeps(before), ...justDeps(after ?? "")].map((d) => [d.name, d.args]));
    r.argsFor = (dep, args) =>
      (calls.get(dep) ?? []).map((x) => literal(x) ?? valueOf(x, r, args, defaults, vars) ?? "${{ just }}");
    if (wd !== undefined) r.workingDirectory = wd;
    wd = undefined;
    recipes.set(name, r);
    first ??= name;
  }
  return { file, recipes, first, aliases };
}

function literal(v: string): string | null {
  const q = /^'([^']*)'$|^"([^"]*)"$/.exec(v);
  return q ? (q[1] ?? q[2])! : null;
}

function justDeps(s: string): { name: string; args: string[] }[] {
  return [...s.matchAll(/\(\s*([\w-]+)([^)]*)\)|([\w-]+)/g)].map((m) => ({
    name: (m[1] ?? m[3])!,
    args: [...(m[2] ?? "").matchAll(/'[^']*'|"[^"]*"|[^\s]+/g)].map((a) => a[0]),
  }));
}

function valueOf(
  expr: string,
  r: Recipe,
  args: string[],
  defaults: Map<string, string | null>,
  vars: Map<string, string | null>,
): string | undefined {
  const i = r.params.indexOf(expr);
  return (i >= 0 ? (args[i] ?? defaults.get(expr)) : vars.get(expr)) ?? undefined;
}

/** A just body line: indentation and `@`/`-` removed, `{{ name }}` filled in from arguments, defaults, variables. */
function justLine(
  ln: RecipeLine,
  r: Recipe,
  args: string[],
  defaults: Map<string, string | null>,
  vars: Map<string, string | null>,
): RecipeLine {
  const m = /^[ \t]*[@-]*/.exec(ln.text)!;
  const body = ln.text.slice(m[0].length);
  const text = body
    .replace(/\{\{\{\{/g, "{{")
    .replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_x, expr: string) => valueOf(expr, r, args, defaults, vars) ?? "${{ just }}");
  return { text, span: { start: ln.span.start + m[0].length, end: ln.span.end }, exact: text === body };
}
