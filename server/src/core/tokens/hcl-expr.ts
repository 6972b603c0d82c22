// HCL expressions: tree-sitter's expression nodes converted to HclExpr (literals, templates, collections,
// traversals, calls, for expressions, operators), each with its span. Unknown shapes become { kind: "other" }.
import type { HclNode } from "./hcl-node.js";
import type { Span } from "../source.js";
import type { HclExpr, HclObjectEntry, HclStep } from "./hcl.js";

export const span = (n: HclNode): Span => ({ start: n.startIndex, end: n.endIndex });

export function named(n: HclNode): readonly HclNode[] {
  return n.named;
}

export function stringLitValue(n: HclNode, text: string): string {
  const kids = named(n);
  const open = kids.find((k) => k.type === "quoted_template_start");
  const close = kids.find((k) => k.type === "quoted_template_end");
  const start = open ? open.endIndex : n.startIndex + 1;
  const end = close ? close.startIndex : n.endIndex;
  return end > start ? unescapeHcl(text.slice(start, end)) : "";
}

/** Unescapes an HCL quoted-string literal chunk: \n \r \t \" \\ \uNNNN \UNNNNNNNN, and $${ / %%{ to ${ / %{. */
export function unescapeHcl(s: string): string {
  if (!s.includes("\\") && !s.includes("$${") && !s.includes("%%{")) return s;
  return s.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/g, (m, esc: string | undefined) => {
    if (m === "$${") return "${";
    if (m === "%%{") return "%{";
    switch (esc![0]) {
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      case "u":
      case "U": {
        const cp = parseInt(esc!.slice(1), 16);
        return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
      }
      default:
        return esc!;
    }
  });
}

export function convertExpression(n: HclNode, text: string): HclExpr {
  if (n.type !== "expression") return convertTerm([n], text, span(n));
  const kids = n.children.filter((c) => c.type !== "comment");
  // `( expression )`
  if (kids.length === 3 && kids[0]!.type === "(" && kids[2]!.type === ")") return convertExpression(kids[1]!, text);
  return convertTerm(kids, text, span(n));
}

/** Converts a flattened term: one primary node followed by get_attr / index / splat nodes. */
function convertTerm(nodes: readonly HclNode[], text: string, whole: Span): HclExpr {
  const parts = nodes.filter((c) => c.isNamed || c.type === "(" || c.type === ")");
  if (parts.length === 0) return { kind: "other", span: whole };
  let i = 0;
  let base: HclExpr;
  if (parts[0]!.type === "(") {
    const inner = parts.find((p) => p.type === "expression");
    const close = parts.findIndex((p) => p.type === ")");
    base = inner ? convertExpression(inner, text) : { kind: "other", span: whole };
    i = close >= 0 ? close + 1 : parts.length;
  } else {
    base = convertPrimary(parts[0]!, text);
    i = 1;
  }
  const steps: HclStep[] = [];
  for (; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.type === "get_attr" || p.type === "index" || p.type === "splat") addSteps(p, text, steps);
    else return { kind: "other", span: whole };
  }
  if (steps.length === 0) return base;
  return { kind: "traversal", base, steps, span: { start: base.span.start, end: steps[steps.length - 1]!.span.end } };
}

function addSteps(p: HclNode, text: string, steps: HclStep[]): void {
  if (p.type === "get_attr") {
    const id = named(p).find((k) => k.type === "identifier");
    steps.push({ kind: "attr", name: id ? id.text : "", span: span(p) });
  } else if (p.type === "index") {
    const inner = named(p)[0];
    if (inner?.type === "new_index") {
      const ex = named(inner).find((k) => k.type === "expression");
      steps.push({
        kind: "index",
        key: ex ? convertExpression(ex, text) : { kind: "other", span: span(inner) },
        span: span(p),
      });
    } else if (inner?.type === "legacy_index") {
      const digits = inner.text.replace(/^\./, "");
      steps.push({
        kind: "index",
        key: { kind: "literal", value: Number(digits), span: { start: inner.startIndex + 1, end: inner.endIndex } },
        span: span(p),
      });
    } else steps.push({ kind: "index", key: { kind: "other", span: span(p) }, span: span(p) });
  } else if (p.type === "splat") {
    steps.push({ kind: "splat", span: span(p) });
    const sp = named(p)[0];
    if (sp) for (const k of named(sp)) addSteps(k, text, steps);
  }
}

function convertPrimary(n: HclNode, text: string): HclExpr {
  const s = span(n);
  switch (n.type) {
    case "expression":
      return convertExpression(n, text);
    case "literal_value": {
      const k = named(n)[0];
      if (!k) return { kind: "other", span: s };
      if (k.type === "string_lit") return { kind: "literal", value: stringLitValue(k, text), span: s };
      if (k.type === "numeric_lit") return { kind: "literal", value: Number(k.text), span: s };
      if (k.type === "bool_lit") return { kind: "literal", value: k.text === "true", span: s };
      if (k.type === "null_lit") return { kind: "literal", value: null, span: s };
      return { kind: "other", span: s };
    }
    case "string_lit":
      return { kind: "literal", value: stringLitValue(n, text), span: s };
    case "numeric_lit":
      return { kind: "literal", value: Number(n.text), span: s };
    case "bool_lit":
      return { kind: "literal", value: n.text === "true", span: s };
    case "null_lit":
      return { kind: "literal", value: null, span: s };
    case "template_expr":
      return convertTemplate(n, text, s);
    case "collection_value": {
      const k = named(n)[0];
      return k ? convertPrimary(k, text) : { kind: "other", span: s };
    }
    case "tuple":
      return {
        kind: "tuple",
        items: named(n)
          .filter((k) => k.type === "expression")
          .map((k) => convertExpression(k, text)),
        span: s,
      };
    case "object":
      return convertObject(n, text, s);
    case "variable_expr": {
      const id = named(n)[0];
      return { kind: "var", name: id ? id.text : n.text, span: s };
    }
    case "function_call":
      return convertCall(n, text, s);
    case "for_expr":
      return convertFor(n, text, s);
    case "conditional":
    case "operation":
      return convertOperator(n, text, s);
    default:
      return { kind: "other", span: s };
  }
}

/** `"a ${b}"`: literal parts and interpolations; a template without interpolation is a literal. */
function convertTemplate(n: HclNode, text: string, s: Span): HclExpr {
  const q = named(n)[0];
  if (!q || q.type !== "quoted_template") return { kind: "other", span: s };
  // Literal parts are taken from the source between interpolations (the grammar's literal chunks can
  // leave out whitespace next to an interpolation).
  const parts: (string | HclExpr)[] = [];
  const kids = named(q);
  const open = kids.find((k) => k.type === "quoted_template_start");
  const close = kids.find((k) => k.type === "quoted_template_end");
  let at = open ? open.endIndex : q.startIndex + 1;
  const literalUpTo = (end: number) => {
    if (end > at) parts.push(unescapeHcl(text.slice(at, end)));
  };
  for (const k of kids) {
    if (k.type !== "template_interpolation" && k.type !== "template_directive") continue;
    literalUpTo(k.startIndex);
    if (k.type === "template_interpolation") {
      const ex = named(k).find((x) => x.type === "expression");
      parts.push(ex ? convertExpression(ex, text) : { kind: "other", span: span(k) });
    } else parts.push({ kind: "other", span: span(k) });
    at = k.endIndex;
  }
  literalUpTo(close ? close.startIndex : q.endIndex);
  if (parts.every((p) => typeof p === "string")) return { kind: "literal", value: parts.join(""), span: s };
  return { kind: "template", parts, span: s };
}

/** `{ k = v, … }`, with each key as written. */
function convertObject(n: HclNode, text: string, s: Span): HclExpr {
  const entries: HclObjectEntry[] = [];
  for (const el of named(n)) {
    if (el.type !== "object_elem") continue;
    const keyNode = el.field("key");
    const valNode = el.field("val");
    if (!keyNode) continue;
    const keyExpr = convertExpression(keyNode, text);
    let key: string;
    if (keyExpr.kind === "var") key = keyExpr.name;
    else if (keyExpr.kind === "literal") key = String(keyExpr.value);
    else if (keyExpr.kind === "template") key = text.slice(keyExpr.span.start + 1, keyExpr.span.end - 1);
    else key = text.slice(keyExpr.span.start, keyExpr.span.end);
    entries.push({
      key,
      keyExpr,
      keySpan: span(keyNode),
      value: valNode
        ? convertExpression(valNode, text)
        : { kind: "other", span: { start: keyNode.endIndex, end: el.endIndex } },
      span: span(el),
    });
  }
  return { kind: "object", entries, span: s };
}

/** `f(a, b...)`. */
function convertCall(n: HclNode, text: string, s: Span): HclExpr {
  const kids = named(n);
  const id = kids.find((k) => k.type === "identifier");
  const args = kids.find((k) => k.type === "function_arguments");
  const call: HclExpr = {
    kind: "call",
    name: id ? id.text : "",
    args: args
      ? named(args)
          .filter((k) => k.type === "expression")
          .map((k) => convertExpression(k, text))
      : [],
    span: s,
  };
  if (args && named(args).some((k) => k.type === "ellipsis")) call.expand = true;
  return call;
}

/** `[for k, v in c : x if cond]` and `{for k, v in c : k => v...}`. */
function convertFor(n: HclNode, text: string, s: Span): HclExpr {
  const f = named(n)[0];
  if (!f) return { kind: "other", span: s };
  const kids = named(f);
  const intro = kids.find((k) => k.type === "for_intro");
  const cond = kids.find((k) => k.type === "for_cond");
  const exprs = kids.filter((k) => k.type === "expression");
  if (!intro) return { kind: "other", span: s };
  const ids = named(intro)
    .filter((k) => k.type === "identifier")
    .map((k) => k.text);
  const coll = named(intro).find((k) => k.type === "expression");
  const condEx = cond ? named(cond).find((k) => k.type === "expression") : undefined;
  const tuple = f.type === "for_tuple_expr";
  const valueNode = tuple ? exprs[0] : exprs[1];
  if (!coll || !valueNode) return { kind: "other", span: s };
  const group = !tuple && kids.some((k) => k.type === "ellipsis");
  return {
    ...(group ? { group } : {}),
    kind: "for",
    tuple,
    keyVar: ids.length > 1 ? ids[0] : undefined,
    valueVar: ids[ids.length - 1] ?? "",
    collection: convertExpression(coll, text),
    key: tuple ? undefined : exprs[0] ? convertExpression(exprs[0], text) : undefined,
    value: convertExpression(valueNode, text),
    cond: condEx ? convertExpression(condEx, text) : undefined,
    span: s,
  };
}

/** `a ? b : c`, `!a` / `-a`, and `a op b`. */
function convertOperator(n: HclNode, text: string, s: Span): HclExpr {
  switch (n.type) {
    case "conditional": {
      const [c, a, b] = named(n).filter((k) => k.type === "expression");
      if (!c || !a || !b) return { kind: "other", span: s };
      return {
        kind: "conditional",
        cond: convertExpression(c, text),
        then: convertExpression(a, text),
        else: convertExpression(b, text),
        span: s,
      };
    }
    case "operation": {
      const k = named(n)[0];
      if (k?.type === "unary_operation") {
        const all = k.children.filter((c) => c.type !== "comment");
        const op = all[0];
        const rest = all.slice(1);
        if (!op || op.isNamed || rest.length === 0) return { kind: "other", span: s };
        return {
          kind: "unary",
          op: op.type,
          operand: convertTerm(rest, text, { start: rest[0]!.startIndex, end: rest[rest.length - 1]!.endIndex }),
          span: s,
        };
      }
      if (!k || k.type !== "binary_operation") return { kind: "other", span: s };
      const all = k.children.filter((c) => c.type !== "comment");
      const opIndex = all.findIndex((c) => !c.isNamed && c.type !== "(" && c.type !== ")");
      if (opIndex <= 0) return { kind: "other", span: s };
      const left = all.slice(0, opIndex);
      const right = all.slice(opIndex + 1);
      if (right.length === 0) return { kind: "other", span: s };
      return {
        kind: "binary",
        op: all[opIndex]!.type,
        left: convertTerm(left, text, { start: left[0]!.startIndex, end: left[left.length - 1]!.endIndex }),
        right: convertTerm(right, text, { start: right[0]!.startIndex, end: right[right.length - 1]!.endIndex }),
        span: s,
      };
    }
    default:
      return { kind: "other", span: s };
  }
}
