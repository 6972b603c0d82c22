// HCL (Terraform) reading: tree-sitter's concrete tree (parsed in hcl-parser.ts) converted to a small syntax tree
// of blocks, attributes and expressions, each with its span. Parsing never throws; tree errors (ERROR and MISSING
// nodes) become "hcl-syntax" problems and the readable rest is still returned.
import type { Node as TsNode } from "web-tree-sitter";
import type { Problem } from "../problems.js";
import type { Span } from "../source.js";

export interface HclBody {
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

export interface HclAttribute {
  name: string;
  nameSpan: Span;
  value: HclExpr;
  /** `name = value`. */
  span: Span;
}

export interface HclBlock {
  type: string;
  typeSpan: Span;
  labels: { value: string; span: Span }[];
  body: HclBody;
  /** From the block type through the closing brace. */
  span: Span;
}

export type HclStep =
  | { kind: "attr"; name: string; span: Span }
  | { kind: "index"; key: HclExpr; span: Span }
  | { kind: "splat"; span: Span };

export interface HclObjectEntry {
  /** The key's value: a bare identifier or a literal string; for a template key, its source between the quotes. */
  key: string;
  keyExpr: HclExpr;
  keySpan: Span;
  value: HclExpr;
  /** `key = value`. */
  span: Span;
}

export type HclExpr =
  | { kind: "literal"; value: string | number | boolean | null; span: Span }
  /** A quoted template with interpolations; literal parts are unescaped strings. */
  | { kind: "template"; parts: (string | HclExpr)[]; span: Span }
  | { kind: "tuple"; items: HclExpr[]; span: Span }
  | { kind: "object"; entries: HclObjectEntry[]; span: Span }
  | { kind: "var"; name: string; span: Span }
  /** Postfix attribute access, index or splat applied to an expression: `data.x.y["k"]`, `one(...).id`. */
  | { kind: "traversal"; base: HclExpr; steps: HclStep[]; span: Span }
  /** `expand`: the last argument is followed by `...` (its elements are passed as separate arguments). */
  | { kind: "call"; name: string; args: HclExpr[]; expand?: boolean; span: Span }
  /** `group`: an object `for` whose value is followed by `...` (values with the same key are grouped into a list). */
  | { kind: "for"; tuple: boolean; keyVar?: string; valueVar: string; collection: HclExpr; key?: HclExpr; value: HclExpr; cond?: HclExpr; group?: boolean; span: Span }
  | { kind: "binary"; op: string; left: HclExpr; right: HclExpr; span: Span }
  | { kind: "unary"; op: string; operand: HclExpr; span: Span }
  | { kind: "conditional"; cond: HclExpr; then: HclExpr; else: HclExpr; span: Span }
  /** Anything this reader does not model (heredocs, splat-free oddities, broken input). */
  | { kind: "other"; span: Span };

export interface HclFile {
  body: HclBody;
  problems: Problem[];
}

export interface HclParser {
  /** Parses HCL text. Never throws. */
  parse(text: string): HclFile;
}

const span = (n: TsNode): Span => ({ start: n.startIndex, end: n.endIndex });

function named(n: TsNode): TsNode[] {
  return n.namedChildren.filter((c): c is TsNode => !!c && c.type !== "comment");
}

export function convertTop(root: TsNode, text: string): HclBody {
  const body: HclBody = { attributes: [], blocks: [] };
  collectBody(root, text, body);
  return body;
}

/** Gathers attributes and blocks from a body node, looking through ERROR nodes so recovered parts are kept. */
function collectBody(n: TsNode, text: string, out: HclBody): void {
  for (const c of named(n)) {
    switch (c.type) {
      case "attribute": {
        const a = convertAttribute(c, text);
        if (a) out.attributes.push(a);
        break;
      }
      case "block": {
        const b = convertBlock(c, text);
        if (b) out.blocks.push(b);
        break;
      }
      case "body":
      case "ERROR":
        collectBody(c, text, out);
        break;
      default:
        break;
    }
  }
}

function convertAttribute(n: TsNode, text: string): HclAttribute | undefined {
  const kids = named(n);
  const id = kids.find((k) => k.type === "identifier");
  const ex = kids.find((k) => k.type === "expression");
  if (!id) return undefined;
  return {
    name: id.text,
    nameSpan: span(id),
    value: ex ? convertExpression(ex, text) : { kind: "other", span: { start: id.endIndex, end: n.endIndex } },
    span: span(n),
  };
}

function convertBlock(n: TsNode, text: string): HclBlock | undefined {
  const kids = named(n);
  const id = kids[0];
  if (!id || id.type !== "identifier") return undefined;
  const labels: { value: string; span: Span }[] = [];
  const body: HclBody = { attributes: [], blocks: [] };
  for (const k of kids.slice(1)) {
    if (k.type === "string_lit") labels.push({ value: stringLitValue(k, text), span: span(k) });
    else if (k.type === "identifier") labels.push({ value: k.text, span: span(k) });
    else if (k.type === "body" || k.type === "ERROR") collectBody(k, text, body);
  }
  return { type: id.text, typeSpan: span(id), labels, body, span: span(n) };
}

function stringLitValue(n: TsNode, text: string): string {
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
      case "n": return "\n";
      case "r": return "\r";
      case "t": return "\t";
      case "u":
      case "U": {
        const cp = parseInt(esc!.slice(1), 16);
        return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
      }
      default: return esc!;
    }
  });
}

function convertExpression(n: TsNode, text: string): HclExpr {
  if (n.type !== "expression") return convertTerm([n], text, span(n));
  const kids = n.children.filter((c): c is TsNode => !!c && c.type !== "comment");
  // `( expression )`
  if (kids.length === 3 && kids[0]!.type === "(" && kids[2]!.type === ")") return convertExpression(kids[1]!, text);
  return convertTerm(kids, text, span(n));
}

/** Converts a flattened term: one primary node followed by get_attr / index / splat nodes. */
function convertTerm(nodes: TsNode[], text: string, whole: Span): HclExpr {
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

function addSteps(p: TsNode, text: string, steps: HclStep[]): void {
  if (p.type === "get_attr") {
    const id = named(p).find((k) => k.type === "identifier");
    steps.push({ kind: "attr", name: id ? id.text : "", span: span(p) });
  } else if (p.type === "index") {
    const inner = named(p)[0];
    if (inner?.type === "new_index") {
      const ex = named(inner).find((k) => k.type === "expression");
      steps.push({ kind: "index", key: ex ? convertExpression(ex, text) : { kind: "other", span: span(inner) }, span: span(p) });
    } else if (inner?.type === "legacy_index") {
      const digits = inner.text.replace(/^\./, "");
      steps.push({ kind: "index", key: { kind: "literal", value: Number(digits), span: { start: inner.startIndex + 1, end: inner.endIndex } }, span: span(p) });
    } else steps.push({ kind: "index", key: { kind: "other", span: span(p) }, span: span(p) });
  } else if (p.type === "splat") {
    steps.push({ kind: "splat", span: span(p) });
    const sp = named(p)[0];
    if (sp) for (const k of named(sp)) addSteps(k, text, steps);
  }
}

function convertPrimary(n: TsNode, text: string): HclExpr {
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
    case "template_expr": {
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
    case "collection_value": {
      const k = named(n)[0];
      return k ? convertPrimary(k, text) : { kind: "other", span: s };
    }
    case "tuple":
      return { kind: "tuple", items: named(n).filter((k) => k.type === "expression").map((k) => convertExpression(k, text)), span: s };
    case "object": {
      const entries: HclObjectEntry[] = [];
      for (const el of named(n)) {
        if (el.type !== "object_elem") continue;
        const keyNode = el.childForFieldName("key");
        const valNode = el.childForFieldName("val");
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
          value: valNode ? convertExpression(valNode, text) : { kind: "other", span: { start: keyNode.endIndex, end: el.endIndex } },
          span: span(el),
        });
      }
      return { kind: "object", entries, span: s };
    }
    case "variable_expr": {
      const id = named(n)[0];
      return { kind: "var", name: id ? id.text : n.text, span: s };
    }
    case "function_call": {
      const kids = named(n);
      const id = kids.find((k) => k.type === "identifier");
      const args = kids.find((k) => k.type === "function_arguments");
      const call: HclExpr = {
        kind: "call",
        name: id ? id.text : "",
        args: args ? named(args).filter((k) => k.type === "expression").map((k) => convertExpression(k, text)) : [],
        span: s,
      };
      if (args && named(args).some((k) => k.type === "ellipsis")) call.expand = true;
      return call;
    }
    case "for_expr": {
      const f = named(n)[0];
      if (!f) return { kind: "other", span: s };
      const kids = named(f);
      const intro = kids.find((k) => k.type === "for_intro");
      const cond = kids.find((k) => k.type === "for_cond");
      const exprs = kids.filter((k) => k.type === "expression");
      if (!intro) return { kind: "other", span: s };
      const ids = named(intro).filter((k) => k.type === "identifier").map((k) => k.text);
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
    case "conditional":
    case "operation":
      return convertOperator(n, text, s);
    default:
      return { kind: "other", span: s };
  }
}

/** `a ? b : c`, `!a` / `-a`, and `a op b`. */
function convertOperator(n: TsNode, text: string, s: Span): HclExpr {
  switch (n.type) {
    case "conditional": {
      const [c, a, b] = named(n).filter((k) => k.type === "expression");
      if (!c || !a || !b) return { kind: "other", span: s };
      return { kind: "conditional", cond: convertExpression(c, text), then: convertExpression(a, text), else: convertExpression(b, text), span: s };
    }
    case "operation": {
      const k = named(n)[0];
      if (k?.type === "unary_operation") {
        const all = k.children.filter((c): c is TsNode => !!c && c.type !== "comment");
        const op = all[0];
        const rest = all.slice(1);
        if (!op || op.isNamed || rest.length === 0) return { kind: "other", span: s };
        return { kind: "unary", op: op.type, operand: convertTerm(rest, text, { start: rest[0]!.startIndex, end: rest[rest.length - 1]!.endIndex }), span: s };
      }
      if (!k || k.type !== "binary_operation") return { kind: "other", span: s };
      const all = k.children.filter((c): c is TsNode => !!c && c.type !== "comment");
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

/** The expression as a dotted path when it is a plain traversal of names and literal indexes: data.x.y["k"]. */
export function traversalPath(e: HclExpr): (string | number)[] | undefined {
  if (e.kind === "var") return [e.name];
  if (e.kind !== "traversal") return undefined;
  const base = traversalPath(e.base);
  if (!base) return undefined;
  const out = [...base];
  for (const s of e.steps) {
    if (s.kind === "attr") out.push(s.name);
    else if (s.kind === "index" && s.key.kind === "literal" && (typeof s.key.value === "string" || typeof s.key.value === "number")) out.push(s.key.value);
    else return undefined;
  }
  return out;
}
