// A small evaluator for the Terraform expressions token resources are written with: literals, templates,
// locals, variable defaults, `for` expressions, conditionals, operators and the common functions. Anything that
// is only known when Terraform runs (resource attributes, variables without a default, other data sources)
// evaluates to an "unknown" value that says why, never to a guess. The permission-group data sources are the
// exception: their results are the catalog's groups (tokens/data-sources.ts), marked "open" where Cloudflare's
// real list is longer than the catalog.
import type { HclBlock, HclExpr, HclStep } from "./hcl.js";
import { callFunction } from "./functions.js";
import { equal, index, prim, sortedEntries, unknown, type Value } from "./values.js";

export { prim, unknown, failure, toPlain, scopeString, type Value, type Openness } from "./values.js";

export interface EvalFile {
  path: string;
  text: string;
}

export interface Located {
  expr: HclExpr;
  file: EvalFile;
}

export interface EvalModule {
  locals: Map<string, Located>;
  variables: Map<string, Located | undefined>;
  data: Map<string, { block: HclBlock; file: EvalFile }>;
  /** Values of data sources this evaluator models (permission groups), by "type.name". */
  dataSource(type: string, name: string, ev: Evaluator): Value | undefined;
}

const MAX_DEPTH = 40;
const MAX_ITEMS = 2000;

export class Evaluator {
  private readonly localCache = new Map<string, Value>();
  private readonly dataCache = new Map<string, Value | undefined>();
  private readonly visiting = new Set<string>();
  private depth = 0;
  constructor(readonly mod: EvalModule) {}

  /** Evaluates an expression; `scope` binds `for` variables and `each` / `count`. */
  eval(loc: Located, scope: Map<string, Value> = new Map()): Value {
    if (this.depth > MAX_DEPTH) return unknown("the expression nests too deeply");
    this.depth++;
    try {
      return this.evalInner(loc.expr, loc.file, scope);
    } finally {
      this.depth--;
    }
  }

  text(loc: Located): string {
    return loc.file.text.slice(loc.expr.span.start, loc.expr.span.end).replace(/\s+/g, " ").trim();
  }

  private evalInner(e: HclExpr, file: EvalFile, scope: Map<string, Value>): Value {
    const sub = (x: HclExpr, s = scope) => this.eval({ expr: x, file }, s);
    switch (e.kind) {
      case "literal":
        return prim(e.value);
      case "template":
        return this.template(e.parts, sub);
      case "tuple":
        return { t: "list", items: e.items.map((x) => sub(x)) };
      case "object": {
        const entries = new Map<string, Value>();
        for (const en of e.entries) {
          const k = en.keyExpr.kind === "var" ? prim(en.key) : sub(en.keyExpr);
          if (k.t !== "prim" || k.v === null)
            return unknown(`the key ${this.text({ expr: en.keyExpr, file })} is not known here`);
          entries.set(String(k.v), sub(en.value));
        }
        return { t: "map", entries };
      }
      case "var":
        return this.root(e.name, scope);
      case "traversal":
        return this.traverse(e.base, e.steps, file, scope);
      case "call":
        return this.call(e, file, scope);
      case "for":
        return this.forExpr(e, file, scope);
      case "conditional": {
        const c = sub(e.cond);
        if (c.t === "prim" && typeof c.v === "boolean") return sub(c.v ? e.then : e.else);
        return c.t === "unknown"
          ? c
          : unknown(`the condition ${this.text({ expr: e.cond, file })} is not true or false`);
      }
      case "binary":
        return binary(e.op, sub(e.left), sub(e.right));
      case "unary": {
        const v = sub(e.operand);
        if (v.t !== "prim") return v.t === "unknown" ? v : unknown(`cannot apply ${e.op} here`);
        if (e.op === "!" && typeof v.v === "boolean") return prim(!v.v);
        if (e.op === "-" && typeof v.v === "number") return prim(-v.v);
        return unknown(`cannot apply ${e.op} to ${String(v.v)}`);
      }
      default:
        return unknown("this kind of expression is not read");
    }
  }

  private template(parts: (string | HclExpr)[], sub: (x: HclExpr) => Value): Value {
    let out = "";
    for (const p of parts) {
      if (typeof p === "string") {
        out += p;
        continue;
      }
      const v = sub(p);
      if (v.t === "unknown") return v;
      if (v.t !== "prim") return unknown("a template interpolates a collection");
      out += v.v === null ? "" : String(v.v);
    }
    return prim(out);
  }

  private root(name: string, scope: Map<string, Value>): Value {
    const bound = scope.get(name);
    if (bound) return bound;
    if (name === "each" || name === "count") return unknown(`${name}.* is only known per instance when Terraform runs`);
    if (name === "path" || name === "terraform" || name === "self")
      return unknown(`${name}.* is only known when Terraform runs`);
    // A bare name is a resource type; its attributes are read below.
    return unknown(`${name} is a resource or module attribute, known only when Terraform runs`);
  }

  private traverse(base: HclExpr, steps: HclStep[], file: EvalFile, scope: Map<string, Value>): Value {
    let cur: Value;
    let i = 0;
    if (
      base.kind === "var" &&
      !scope.has(base.name) &&
      (base.name === "local" || base.name === "var" || base.name === "data")
    ) {
      const r = this.named(base.name, steps);
      cur = r.value;
      i = r.used;
    } else if (base.kind === "var" && !scope.has(base.name) && steps[0]?.kind === "attr") {
      return unknown(attributeWhy(base.name, steps[0].name));
    } else cur = this.eval({ expr: base, file }, scope);
    for (; i < steps.length; i++) {
      const s = steps[i]!;
      if (s.kind === "splat") {
        const rest = steps.slice(i + 1);
        return this.splat(cur, rest, file, scope);
      }
      const key = s.kind === "attr" ? prim(s.name) : this.eval({ expr: s.key, file }, scope);
      cur = index(cur, key);
      if (cur.t === "unknown") return cur;
    }
    return cur;
  }

  private splat(cur: Value, rest: HclStep[], file: EvalFile, scope: Map<string, Value>): Value {
    if (cur.t !== "list") return cur.t === "unknown" ? cur : unknown("a splat over a value that is not a list");
    const items = cur.items.map((item) => {
      let v = item;
      for (const s of rest)
        v = index(
          v,
          s.kind === "attr" ? prim(s.name) : s.kind === "index" ? this.eval({ expr: s.key, file }, scope) : v,
        );
      return v;
    });
    return { t: "list", items, open: cur.open };
  }

  /** `local.x`, `var.x`, `data.T.N` and how many steps they consumed. */
  private named(root: string, steps: HclStep[]): { value: Value; used: number } {
    const a = steps[0];
    if (a?.kind !== "attr") return { value: unknown(`${root} without a name`), used: steps.length };
    if (root === "local") return { value: this.local(a.name), used: 1 };
    if (root === "var") {
      if (!this.mod.variables.has(a.name))
        return { value: unknown(`var.${a.name} is not declared in this module`), used: 1 };
      const d = this.mod.variables.get(a.name);
      if (!d)
        return { value: unknown(`var.${a.name} has no default: its value comes from outside this module`), used: 1 };
      const v = this.eval(d, new Map());
      // A null default means "set by the caller".
      return {
        value:
          v.t === "prim" && v.v === null
            ? unknown(`var.${a.name} defaults to null: its value comes from outside this module`)
            : v,
        used: 1,
      };
    }
    const b = steps[1];
    if (b?.kind !== "attr") return { value: unknown(`data.${a.name} without a name`), used: steps.length };
    const key = `${a.name}.${b.name}`;
    if (!this.dataCache.has(key)) this.dataCache.set(key, this.mod.dataSource(a.name, b.name, this));
    const v = this.dataCache.get(key);
    return { value: v ?? unknown(`data.${a.name}.${b.name} is read from the provider when Terraform runs`), used: 2 };
  }

  private local(name: string): Value {
    const hit = this.localCache.get(name);
    if (hit) return hit;
    const loc = this.mod.locals.get(name);
    if (!loc) return unknown(`local.${name} is not defined in this module`);
    if (this.visiting.has(name)) return unknown(`local.${name} refers to itself`);
    this.visiting.add(name);
    try {
      const v = this.eval(loc, new Map());
      this.localCache.set(name, v);
      return v;
    } finally {
      this.visiting.delete(name);
    }
  }

  private call(e: Extract<HclExpr, { kind: "call" }>, file: EvalFile, scope: Map<string, Value>): Value {
    let args = e.args.map((a) => this.eval({ expr: a, file }, scope));
    if (e.expand && args.length) {
      const last = args[args.length - 1]!;
      if (last.t !== "list")
        return last.t === "unknown" ? last : unknown(`${e.name}(…...) expands a value that is not a list`);
      args = [...args.slice(0, -1), ...last.items];
    }
    // try() and can() look at failures instead of passing them on.
    if (e.name === "try") {
      for (const a of args) {
        if (a.t !== "unknown") return a;
        if (!a.fails) return a;
      }
      return args[args.length - 1] ?? unknown("try() without arguments");
    }
    if (e.name === "can") return args[0]?.t === "unknown" ? (args[0].fails ? prim(false) : args[0]) : prim(true);
    const bad = args.find((a) => a.t === "unknown");
    if (bad) return bad;
    return callFunction(e.name, args);
  }

  private forExpr(e: Extract<HclExpr, { kind: "for" }>, file: EvalFile, scope: Map<string, Value>): Value {
    const coll = this.eval({ expr: e.collection, file }, scope);
    let pairs: [Value, Value][];
    if (coll.t === "list") pairs = coll.items.map((v, i) => [prim(i), v]);
    // Terraform iterates maps in lexical key order.
    else if (coll.t === "map") pairs = sortedEntries(coll.entries).map(([k, v]) => [prim(k), v]);
    else return coll.t === "unknown" ? coll : unknown("a for expression over a value that is not a collection");
    if (pairs.length > MAX_ITEMS) return unknown("the collection is too large to read");
    const items: Value[] = [];
    const entries = new Map<string, Value>();
    const pinned = e.cond ? pinnedNames(e.cond, e.valueVar, (x) => this.eval({ expr: x, file }, scope)) : undefined;
    for (const [k, v] of pairs) {
      const inner = new Map(scope);
      inner.set(e.valueVar, v);
      if (e.keyVar) inner.set(e.keyVar, k);
      if (e.cond) {
        const c = this.eval({ expr: e.cond, file }, inner);
        if (c.t === "unknown") return c;
        if (c.t !== "prim" || typeof c.v !== "boolean") return unknown("a for condition that is not true or false");
        if (!c.v) continue;
      }
      const value = this.eval({ expr: e.value, file }, inner);
      if (e.tuple) {
        items.push(value);
        continue;
      }
      const key = e.key ? this.eval({ expr: e.key, file }, inner) : unknown("no key");
      if (key.t !== "prim" || key.v === null)
        return key.t === "unknown" ? key : unknown("a for key that is not a string");
      const ks = String(key.v);
      if (e.group) {
        const list = entries.get(ks);
        if (list?.t === "list") list.items.push(value);
        else entries.set(ks, { t: "list", items: [value] });
      } else entries.set(ks, value);
    }
    const open = coll.open ? { ...coll.open, pinned: pinned ?? coll.open.pinned } : undefined;
    return e.tuple ? { t: "list", items, open } : { t: "map", entries, open };
  }
}

function attributeWhy(root: string, name: string): string {
  if (root === "module") return `module.${name} is another module's output, known only when Terraform runs`;
  if (root === "each" || root === "count") return `${root}.${name} is only known per instance when Terraform runs`;
  if (root === "path" || root === "terraform" || root === "self")
    return `${root}.${name} is only known when Terraform runs`;
  return `${root}.${name} is a resource: its attributes are known only when Terraform runs`;
}

function binary(op: string, l: Value, r: Value): Value {
  if (l.t === "unknown") return l;
  if (r.t === "unknown") return r;
  if (op === "==" || op === "!=") {
    if (l.t === "gid" || r.t === "gid") return unknown("a group id that is not published is compared");
    const eq = equal(l, r);
    return prim(op === "==" ? eq : !eq);
  }
  if (l.t !== "prim" || r.t !== "prim") return unknown(`${op} on a collection`);
  const a = l.v;
  const b = r.v;
  if (op === "&&" || op === "||") {
    if (typeof a !== "boolean" || typeof b !== "boolean") return unknown(`${op} needs true or false`);
    return prim(op === "&&" ? a && b : a || b);
  }
  if (typeof a !== "number" || typeof b !== "number") return unknown(`${op} needs numbers`);
  switch (op) {
    case "+":
      return prim(a + b);
    case "-":
      return prim(a - b);
    case "*":
      return prim(a * b);
    case "/":
      return prim(a / b);
    case "%":
      return prim(a % b);
    case "<":
      return prim(a < b);
    case ">":
      return prim(a > b);
    case "<=":
      return prim(a <= b);
    case ">=":
      return prim(a >= b);
    default:
      return unknown(`the operator ${op} is not modelled`);
  }
}

/**
 * Group names a `for` condition pins its variable's name to (`g.name == "X"`, `contains([...], g.name)`, joined
 * with `&&`), or undefined when the condition does not pin names.
 */
function pinnedNames(c: HclExpr, v: string, ev: (x: HclExpr) => Value): string[] | undefined {
  const isName = (x: HclExpr) =>
    x.kind === "traversal" &&
    x.base.kind === "var" &&
    x.base.name === v &&
    x.steps.length === 1 &&
    x.steps[0]!.kind === "attr" &&
    x.steps[0]!.name === "name";
  if (c.kind === "binary" && c.op === "&&") return pinnedNames(c.left, v, ev) ?? pinnedNames(c.right, v, ev);
  if (c.kind === "binary" && c.op === "==") {
    const other = isName(c.left) ? c.right : isName(c.right) ? c.left : undefined;
    const s = other ? ev(other) : undefined;
    return s?.t === "prim" && typeof s.v === "string" ? [s.v] : undefined;
  }
  if (c.kind === "call" && c.name === "contains" && c.args.length === 2 && isName(c.args[1]!)) {
    const list = ev(c.args[0]!);
    if (list.t === "list" && list.items.every((x) => x.t === "prim" && typeof x.v === "string"))
      return list.items.map((x) => String((x as { v: string }).v));
  }
  return undefined;
}
