// Terraform's built-in functions that token modules use, over the evaluator's values (tokens/evaluate.ts). A
// function not listed here evaluates to "unknown" with its name, never to a guess. Arguments are known values
// (the evaluator stops at the first unknown argument).
import { equal, failure, prim, sortedEntries, toPlain, unknown, type Value } from "./values.js";

type Fn = (args: Value[]) => Value;

const str = (v: Value | undefined): string | undefined =>
  v?.t === "prim" && typeof v.v === "string"
    ? v.v
    : v?.t === "prim" && typeof v.v === "number"
      ? String(v.v)
      : undefined;
const list = (v: Value | undefined): Value[] | undefined => (v?.t === "list" ? v.items : undefined);

function strFn(f: (...s: string[]) => Value | string | boolean, arity: number): Fn {
  return (args) => {
    const ss = args.slice(0, arity).map(str);
    if (ss.length < arity || ss.some((s) => s === undefined))
      return unknown("a string function got something that is not a string");
    const r = f(...(ss as string[]));
    return typeof r === "object" ? r : prim(r);
  };
}

/** A Terraform regex as a JavaScript one; undefined for syntax JavaScript does not share. */
function regex(pattern: string): RegExp | undefined {
  if (/\(\?[a-zA-Z]|\\[pPzAQE]|\[\[:/.test(pattern)) return undefined;
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}

const identity: Fn = (a) => a[0] ?? unknown("missing argument");

const FUNCTIONS: Record<string, Fn> = {
  sensitive: identity,
  nonsensitive: identity,
  tostring: (a) =>
    a[0]?.t === "prim" ? prim(a[0].v === null ? null : String(a[0].v)) : unknown("tostring() of a collection"),
  tolist: identity,
  tomap: identity,
  toset: (a) => {
    const xs = list(a[0]);
    if (!xs || a[0]?.t !== "list") return identity(a);
    const out: Value[] = [];
    for (const x of xs) if (!out.some((o) => equal(o, x))) out.push(x);
    return { t: "list", items: out, open: a[0].open };
  },
  jsonencode: (a) => {
    const p = a[0] ? toPlain(a[0]) : undefined;
    return p === undefined ? unknown("jsonencode() of a value not known here") : prim(JSON.stringify(p));
  },
  values: (a) =>
    a[0]?.t === "map"
      ? { t: "list", items: sortedEntries(a[0].entries).map(([, v]) => v), open: a[0].open }
      : unknown("values() of something that is not a map"),
  keys: (a) =>
    a[0]?.t === "map"
      ? { t: "list", items: [...a[0].entries.keys()].sort().map(prim), open: a[0].open }
      : unknown("keys() of something that is not a map"),
  concat: (a) => {
    if (!a.every((x) => x.t === "list")) return unknown("concat() of something that is not a list");
    const ls = a as Extract<Value, { t: "list" }>[];
    return { t: "list", items: ls.flatMap((x) => x.items), open: ls.find((x) => x.open)?.open };
  },
  flatten: (a) => {
    const flat = (v: Value): Value[] => (v.t === "list" ? v.items.flatMap(flat) : [v]);
    if (a[0]?.t !== "list") return unknown("flatten() of something that is not a list");
    const open =
      a[0].open ?? a[0].items.find((x): x is Extract<Value, { t: "list" }> => x.t === "list" && !!x.open)?.open;
    return { t: "list", items: flat(a[0]), open };
  },
  merge: (a) => {
    const entries = new Map<string, Value>();
    let open: Extract<Value, { t: "map" }>["open"];
    for (const m of a) {
      if (m.t === "prim" && m.v === null) continue;
      if (m.t !== "map") return unknown("merge() of something that is not a map");
      for (const [k, v] of m.entries) entries.set(k, v);
      open ??= m.open;
    }
    return { t: "map", entries, open };
  },
  distinct: (a) => FUNCTIONS.toset!(a),
  one: (a) => {
    const l = a[0];
    if (l?.t !== "list") return unknown("one() of something that is not a list");
    if (l.open && !l.open.pinned)
      return unknown(`one() over ${l.open.what} depends on Cloudflare's list, not only the groups known here`);
    if (l.items.length > 1) return failure("one() of a list with more than one element fails in Terraform");
    return (
      l.items[0] ??
      (l.open ? unknown(`no group named ${l.open.pinned!.map((n) => `"${n}"`).join(", ")} is known here`) : prim(null))
    );
  },
  lookup: (a) => {
    const m = a[0];
    const k = str(a[1]);
    if (m?.t !== "map" || k === undefined) return unknown("lookup() arguments not known here");
    return (
      m.entries.get(k) ??
      a[2] ??
      (m.open ? unknown(`"${k}" is not a permission group known here`) : failure(`no key "${k}"`))
    );
  },
  element: (a) => {
    const xs = list(a[0]);
    const i = a[1]?.t === "prim" && typeof a[1].v === "number" ? a[1].v : undefined;
    if (!xs || i === undefined || xs.length === 0 || (a[0]?.t === "list" && a[0].open && !a[0].open.pinned))
      return unknown("element() arguments not known here");
    return xs[i % xs.length]!;
  },
  length: (a) => {
    const v = a[0];
    if (v?.t === "list" && !v.open) return prim(v.items.length);
    if (v?.t === "map" && !v.open) return prim(v.entries.size);
    if (v?.t === "prim" && typeof v.v === "string") return prim(v.v.length);
    return unknown("length() of a value not known here");
  },
  contains: (a) => {
    const xs = list(a[0]);
    if (!xs || !a[1]) return unknown("contains() of something that is not a list");
    return prim(xs.some((x) => equal(x, a[1]!)));
  },
  coalesce: (a) =>
    a.find((x) => !(x.t === "prim" && (x.v === null || x.v === ""))) ?? unknown("coalesce() of empty values"),
  compact: (a) =>
    a[0]?.t === "list"
      ? {
          t: "list",
          items: a[0].items.filter((x) => !(x.t === "prim" && (x.v === null || x.v === ""))),
          open: a[0].open,
        }
      : unknown("compact() of something that is not a list"),
  join: (a) => {
    const sep = str(a[0]);
    const parts = a
      .slice(1)
      .flatMap((x) => list(x) ?? [])
      .map(str);
    return sep === undefined || parts.some((p) => p === undefined)
      ? unknown("join() of values not known here")
      : prim(parts.join(sep));
  },
  split: strFn((sep, s) => ({ t: "list", items: s.split(sep).map(prim) }), 2),
  format: (a) => {
    const f = str(a[0]);
    if (f === undefined) return unknown("format() without a format string");
    let i = 1;
    let failed = false;
    const out = f.replace(/%%|%[sdv]/g, (m) => {
      if (m === "%%") return "%";
      const s = str(a[i++]);
      if (s === undefined) failed = true;
      return s ?? "";
    });
    return failed ? unknown("format() of values not known here") : prim(out);
  },
  lower: strFn((s) => s.toLowerCase(), 1),
  upper: strFn((s) => s.toUpperCase(), 1),
  trimspace: strFn((s) => s.trim(), 1),
  title: strFn((s) => s.replace(/\b\w/g, (c) => c.toUpperCase()), 1),
  strcontains: strFn((s, sub) => s.includes(sub), 2),
  startswith: strFn((s, p) => s.startsWith(p), 2),
  endswith: strFn((s, p) => s.endsWith(p), 2),
  urlencode: strFn((s) => encodeURIComponent(s).replace(/%20/g, "+"), 1),
  replace: strFn((s, from, to) => {
    if (from.length > 1 && from.startsWith("/") && from.endsWith("/")) {
      const re = regex(from.slice(1, -1));
      return re
        ? s.replace(new RegExp(re.source, "g"), to.replace(/\$\{(\d+)\}/g, "$$$1"))
        : unknown("a regular expression JavaScript does not read the same way");
    }
    return s.split(from).join(to);
  }, 3),
  regex: strFn((pattern, s) => {
    const re = regex(pattern);
    if (!re) return unknown("a regular expression JavaScript does not read the same way");
    const m = re.exec(s);
    // Terraform's regex() fails without a match; can(regex(…)) turns that into false.
    return m ? prim(m[0]) : failure(`no match for ${pattern}`);
  }, 2),
};

/** Calls one function on known arguments. */
export function callFunction(name: string, args: Value[]): Value {
  const f = FUNCTIONS[name];
  if (!f) return unknown(`the function ${name}() is not evaluated here`);
  return f(args);
}
