// One value tree for TOML, JSON/JSONC and (later) YAML documents, with a span for every key and value.
import type { Span } from "../source.js";
import type { Problem } from "../problems.js";

export type Node = ObjectNode | ArrayNode | ScalarNode;

export interface ObjectNode {
  kind: "object";
  /** The whole object; for a TOML table this is its header line through its last key/value. */
  span: Span;
  /** Entries in source order; a key appears once (TOML tables defined in pieces are merged). */
  entries: Entry[];
}

export interface Entry {
  key: string;
  /** The key as written (for a dotted TOML key or table header: the last key segment's span). */
  keySpan: Span;
  value: Node;
}

export interface ArrayNode {
  kind: "array";
  span: Span;
  items: Node[];
}

export interface ScalarNode {
  kind: "string" | "number" | "boolean" | "null" | "datetime";
  span: Span;
  value: string | number | boolean | null;
}

export interface ParsedDocument {
  /** Undefined only when nothing usable could be read; partial trees are returned when the parser recovers. */
  root: ObjectNode | undefined;
  problems: Problem[];
}

/** Looks up a key in an object node. */
export function get(node: Node | undefined, key: string): Node | undefined {
  if (!node || node.kind !== "object") return undefined;
  for (const e of node.entries) if (e.key === key) return e.value;
  return undefined;
}

/** Looks up a key and returns its entry (for the key's span). */
export function entry(node: Node | undefined, key: string): Entry | undefined {
  if (!node || node.kind !== "object") return undefined;
  return node.entries.find((e) => e.key === key);
}

export function str(node: Node | undefined): string | undefined {
  return node && node.kind === "string" ? (node.value as string) : undefined;
}

export function bool(node: Node | undefined): boolean | undefined {
  return node && node.kind === "boolean" ? (node.value as boolean) : undefined;
}

export function arr(node: Node | undefined): Node[] {
  return node && node.kind === "array" ? node.items : [];
}

/** Plain JavaScript value of a node (spans dropped). */
export function toJS(node: Node | undefined): unknown {
  if (!node) return undefined;
  switch (node.kind) {
    case "object":
      return Object.fromEntries(node.entries.map((e) => [e.key, toJS(e.value)]));
    case "array":
      return node.items.map(toJS);
    default:
      return node.value;
  }
}
