// HCL (Terraform) reading: tree-sitter's concrete tree (parsed in hcl-parser.ts) converted to a small syntax tree
// of blocks, attributes and expressions, each with its span. Parsing never throws; tree errors (ERROR and MISSING
// nodes) become "hcl-syntax" problems and the readable rest is still returned.
import type { Node as TsNode } from "web-tree-sitter";
import { copyNode, NodeTable, type HclNode } from "./hcl-node.js";
import type { Problem } from "../problems.js";
import type { Span } from "../source.js";
import { convertExpression, named, span, stringLitValue } from "./hcl-expr.js";

export { unescapeHcl } from "./hcl-expr.js";

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
  | {
      kind: "for";
      tuple: boolean;
      keyVar?: string;
      valueVar: string;
      collection: HclExpr;
      key?: HclExpr;
      value: HclExpr;
      cond?: HclExpr;
      group?: boolean;
      span: Span;
    }
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

export function convertTop(root: TsNode, text: string): HclBody {
  const items: TsNode[] = [];
  for (const c of root.namedChildren) {
    if (c?.type === "body") {
      for (const i of c.namedChildren) if (i) items.push(i);
    } else if (c) items.push(c);
  }
  return convertItems(items, text);
}

/**
 * Top-level attribute and block nodes converted one by one (the error recovery keeps a clean prefix of a tree);
 * each is copied out of the tree (hcl-node.ts) and converted, and its copy dropped before the next.
 */
export function convertItems(nodes: readonly TsNode[], text: string): HclBody {
  const body: HclBody = { attributes: [], blocks: [] };
  if (!nodes[0]) return body;
  const table = new NodeTable(text, nodes[0].tree.language);
  const cursor = nodes[0].walk();
  try {
    for (const c of nodes) collectItem(copyNode(c, cursor, table), text, body);
  } finally {
    cursor.delete();
  }
  return body;
}

/** Gathers attributes and blocks from a body node, looking through ERROR nodes so recovered parts are kept. */
function collectBody(n: HclNode, text: string, out: HclBody): void {
  for (const c of named(n)) collectItem(c, text, out);
}

function collectItem(c: HclNode, text: string, out: HclBody): void {
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

function convertAttribute(n: HclNode, text: string): HclAttribute | undefined {
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

function convertBlock(n: HclNode, text: string): HclBlock | undefined {
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

/** The expression as a dotted path when it is a plain traversal of names and literal indexes: data.x.y["k"]. */
export function traversalPath(e: HclExpr): (string | number)[] | undefined {
  if (e.kind === "var") return [e.name];
  if (e.kind !== "traversal") return undefined;
  const base = traversalPath(e.base);
  if (!base) return undefined;
  const out = [...base];
  for (const s of e.steps) {
    if (s.kind === "attr") out.push(s.name);
    else if (
      s.kind === "index" &&
      s.key.kind === "literal" &&
      (typeof s.key.value === "string" || typeof s.key.value === "number")
    )
      out.push(s.key.value);
    else return undefined;
  }
  return out;
}
