// GitHub Actions expressions (`${{ secrets.X }}`, `vars`, `env`, `matrix`, `inputs`) evaluated as far as the
// workflow and its caller allow.
import type { Location } from "../source.js";
import { arr, get, type Node, type ScalarNode } from "../parse/tree.js";
import type { EnvMap } from "./shell-types.js";
import { resolveText, type Evaluator, type Resolved } from "./common.js";

/** The caller of a reusable workflow: its inputs and secrets, and how to evaluate them. */
export interface Caller {
  with: Map<string, { raw: string; location: Location; node: Node }>;
  secrets: "inherit" | Map<string, { raw: string; location: Location }>;
  scope: Scope;
  vars: EnvMap;
  via: Location[];
  label: string;
  depth: number;
}

/** What expressions in one job can see. */
export interface Scope {
  file: string;
  matrix?: Node;
  inputs?: Node[];
  caller?: Caller;
  /** In a local composite action: its directory (`${{ github.action_path }}`). */
  actionPath?: string;
}

export function githubEvaluator(scope: Scope): Evaluator {
  return {
    expression: (expr, raw, location, vars, depth) => evalExpression(expr, raw, location, vars, scope, depth),
    undefinedVariable: (_name, raw, location) => ({ origin: "expression", raw, location }),
  };
}

function evalExpression(
  expr: string,
  raw: string,
  location: Location,
  vars: EnvMap,
  scope: Scope,
  depth: number,
): Resolved | undefined {
  const e = expr.trim();
  let m: RegExpExecArray | null;
  if ((m = /^secrets\.([A-Za-z0-9_-]+)$/.exec(e))) {
    const name = m[1]!;
    const caller = scope.caller;
    if (caller && caller.secrets !== "inherit") {
      const passed =
        caller.secrets.get(name) ?? [...caller.secrets].find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
      if (passed)
        return resolveText(passed.raw, passed.location, caller.vars, githubEvaluator(caller.scope), depth + 1);
    }
    return { origin: "secret", secret: name, raw, location };
  }
  if ((m = /^vars\.([A-Za-z0-9_-]+)$/.exec(e))) return { origin: "variable", secret: m[1]!, raw, location };
  if ((m = /^env\.([A-Za-z0-9_-]+)$/.exec(e))) {
    const def = vars.get(m[1]!);
    if (def) {
      const rest = new Map(vars);
      rest.delete(m[1]!);
      return resolveText(def.raw, def.location, rest, githubEvaluator(scope), depth + 1);
    }
    return undefined;
  }
  if ((m = /^matrix\.([A-Za-z0-9_.-]+)$/.exec(e))) {
    const values = matrixValues(scope.matrix, m[1]!.split("."));
    if (!values || values.length === 0) return undefined;
    if (values.length === 1) return { value: values[0]!, origin: "literal", raw, location };
    return { candidates: values, origin: "expression", raw, location };
  }
  if ((m = /^(?:github\.event\.)?inputs\.([A-Za-z0-9_-]+)$/.exec(e))) {
    const name = m[1]!;
    const caller = scope.caller;
    if (caller) {
      const passed = caller.with.get(name);
      if (passed)
        return resolveText(passed.raw, passed.location, caller.vars, githubEvaluator(caller.scope), depth + 1);
    }
    for (const defs of scope.inputs ?? []) {
      const def = get(defs, name);
      const options = arr(get(def, "options"))
        .filter((o) => o.kind === "string" || o.kind === "number" || o.kind === "boolean")
        .map((o) => String((o as ScalarNode).value));
      if (options.length) return { candidates: [...new Set(options)], origin: "expression", raw, location };
      // With a caller that does not pass the input, the default applies.
      const dflt = get(def, "default");
      if (caller && dflt && dflt.kind !== "object" && dflt.kind !== "array" && dflt.value !== null) {
        return { value: String(dflt.value), origin: "literal", raw, location: { file: scope.file, span: dflt.span } };
      }
    }
    return undefined;
  }
  if ((m = /^'([^']*)'$/.exec(e))) return { value: m[1]!, origin: "literal", raw, location };
  if (/^github\.action_path$/.test(e) && scope.actionPath)
    return { value: scope.actionPath, origin: "literal", raw, location };
  return undefined;
}

/** Values `matrix.a.b` takes: from the `a` list and from `include` entries. */
function matrixValues(matrix: Node | undefined, path: string[]): string[] | undefined {
  if (!matrix || matrix.kind !== "object") return undefined;
  const out: string[] = [];
  const pick = (n: Node | undefined, rest: string[]): void => {
    let cur = n;
    for (const k of rest) cur = get(cur, k);
    if (cur && (cur.kind === "string" || cur.kind === "number" || cur.kind === "boolean")) out.push(String(cur.value));
  };
  const [head, ...rest] = path;
  if (!head) return undefined;
  const list = get(matrix, head);
  if (list && list.kind === "array") for (const it of list.items) pick(it, rest);
  else if (list && list.kind !== "object") return undefined; // an expression such as fromJSON(…)
  for (const inc of arr(get(matrix, "include"))) {
    const v = get(inc, head);
    if (v) pick(v, rest);
  }
  return [...new Set(out)];
}
