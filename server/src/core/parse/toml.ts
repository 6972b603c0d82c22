// TOML reader: toml-eslint-parser's AST (which keeps a source range for every key and value) converted to the shared
// value tree. Tables defined in pieces, dotted keys and arrays of tables are merged into nested objects and arrays.
// Syntax errors (duplicate keys included) come back as problems; this module never throws.
import { parseTOML } from "toml-eslint-parser";
import type { AST } from "toml-eslint-parser";
import type { Span } from "../source.js";
import type { Problem } from "../problems.js";
import type { ArrayNode, Entry, Node, ObjectNode, ParsedDocument, ScalarNode } from "./tree.js";
import { bracketDepthExceeded, deepestBeyond, textProblem, tooDeep } from "./limits.js";

/**
 * Which TOML to read.
 * - "1.0" (the default): TOML 1.0. Text that only TOML 1.1 allows (newlines and a trailing comma in inline tables,
 *   `\e` and `\xHH` escapes, times without seconds) is still read, with a "toml-1.1-syntax" warning: wrangler's
 *   current TOML reader (smol-toml 1.9, see the team's dependency notes) accepts TOML 1.1, while TOML 1.0 readers
 *   reject it.
 * - "1.0-strict": TOML 1.0 only; TOML 1.1 additions are syntax errors.
 * - "1.1": TOML 1.1.
 */
export type TomlVersion = "1.0" | "1.0-strict" | "1.1";

export interface TomlOptions {
  version?: TomlVersion;
}

/** Parses a TOML document into the shared tree. Never throws. */
export function parseToml(text: string, options: TomlOptions = {}): ParsedDocument {
  const version = options.version ?? "1.0";
  const refused = textProblem(text);
  if (refused) return { root: undefined, problems: [refused] };
  const deep = bracketDepthExceeded(text);
  if (deep >= 0) return { root: undefined, problems: [tooDeep({ start: deep, end: deep + 1 })] };
  const bareCr = findBareCarriageReturn(text);
  if (bareCr >= 0) {
    return {
      root: undefined,
      problems: [
        {
          code: "toml-syntax",
          severity: "error",
          message: "TOML syntax error: a carriage return (CR) must be followed by a line feed (LF)",
          span: { start: bareCr, end: bareCr + 1 },
        },
      ],
    };
  }
  // A byte order mark is allowed at the start; it becomes a space so that every offset stays the same.
  const source = text.charCodeAt(0) === 0xfeff ? " " + text.slice(1) : text;
  const problems: Problem[] = [];
  let program: AST.TOMLProgram;
  try {
    program = parseTOML(source, { tomlVersion: version === "1.1" ? "1.1" : "1.0" });
  } catch (err) {
    const problem = syntaxProblem(text, err);
    if (version !== "1.0") return { root: undefined, problems: [problem] };
    try {
      program = parseTOML(source, { tomlVersion: "1.1" });
    } catch {
      return { root: undefined, problems: [problem] };
    }
    problems.push({
      code: "toml-1.1-syntax",
      severity: "warning",
      message: `Only TOML 1.1 allows this (${errorMessage(err)}): wrangler's current TOML reader (smol-toml) accepts it, TOML 1.0 readers do not`,
      span: problem.span,
    });
  }
  try {
    const root = new TreeBuilder(text).build(program);
    const deepNode = deepestBeyond(root);
    if (deepNode) return { root: undefined, problems: [...problems, tooDeep(deepNode.span)] };
    return { root, problems };
  } catch (err) {
    // The conversion assumes what the parser has already verified; reaching this is a bug of ours, not the file's.
    return {
      root: undefined,
      problems: [
        {
          code: "toml-syntax",
          severity: "error",
          message: `Could not read this TOML file: ${errorMessage(err)}`,
          span: { start: 0, end: Math.min(1, text.length) },
        },
      ],
    };
  }
}

/** The offset of the first CR not followed by LF (the parser would read it as a line break), or -1. */
function findBareCarriageReturn(text: string): number {
  for (let i = text.indexOf("\r"); i >= 0; i = text.indexOf("\r", i + 1)) {
    if (text.charCodeAt(i + 1) !== 10) return i;
  }
  return -1;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function syntaxProblem(text: string, err: unknown): Problem {
  const e = err as { index?: unknown; message?: unknown } | null;
  const index = e && typeof e.index === "number" ? e.index : 0;
  const span = syntaxErrorSpan(text, index, 0);
  let message = `TOML syntax error: ${errorMessage(err)}`;
  if (e && e.message === "Defining a key multiple times is invalid") {
    const written = text.slice(span.start, span.end);
    const shown = written.startsWith('"') || written.startsWith("'") ? written : `"${written}"`;
    message = `Duplicate key ${shown}: a TOML key or table can be defined only once`;
  }
  return { code: "toml-syntax", severity: "error", message, span };
}

const span = (r: readonly [number, number]): Span => ({ start: r[0], end: r[1] });

/** Objects with more entries than this get a key index; smaller ones are searched in place (cheaper). */
const INDEX_FROM = 8;

/** Builds ObjectNode/ArrayNode values; large objects get a key index, so every key is found in constant time. */
class TreeBuilder {
  private readonly index = new Map<ObjectNode, Map<string, Entry>>();
  /** Objects created only as a path to something else (by a header or a dotted key) and not yet defined by a header. */
  private readonly implicit = new Set<ObjectNode>();
  /** Objects created by dotted keys: their span grows to cover every key/value that adds to them. */
  private readonly dotted = new Set<ObjectNode>();

  constructor(private readonly text: string) {}

  build(program: AST.TOMLProgram): ObjectNode {
    const root = this.object({ start: 0, end: this.text.length });
    const top = program.body[0];
    if (!top) return root;
    for (const item of top.body) {
      if (item.type === "TOMLKeyValue") this.keyValue(root, item);
      else this.table(root, item);
    }
    return root;
  }

  private object(s: Span): ObjectNode {
    return { kind: "object", span: s, entries: [] };
  }

  private lookup(obj: ObjectNode, key: string): Entry | undefined {
    const entries = obj.entries;
    if (entries.length > INDEX_FROM) return this.index.get(obj)?.get(key);
    for (let i = 0; i < entries.length; i++) if (entries[i]!.key === key) return entries[i];
    return undefined;
  }

  private add(obj: ObjectNode, key: string, keySpan: Span, value: Node): void {
    const existing = this.lookup(obj, key);
    if (existing) {
      existing.value = value; // unreachable for files the parser accepted
      return;
    }
    const e: Entry = { key, keySpan, value };
    const entries = obj.entries;
    entries.push(e);
    if (entries.length > INDEX_FROM) {
      let keys = this.index.get(obj);
      if (!keys) {
        keys = new Map();
        for (const x of entries) keys.set(x.key, x);
        this.index.set(obj, keys);
      } else keys.set(key, e);
    }
  }

  /** The header's text span: from `[` through the closing `]` (or `]]`). */
  private headerSpan(t: AST.TOMLTable): Span {
    let i = t.key.range[1];
    const text = this.text;
    while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (text.charCodeAt(i) === 93 /* ] */) {
      i++;
      if (t.kind === "array" && text.charCodeAt(i) === 93) i++;
    }
    return { start: t.range[0], end: i };
  }

  /**
   * Walks to (creating where needed) the object that a path of key segments leads into. `created` is the span given
   * to objects this walk creates; `viaDots` marks them as dotted-key tables.
   */
  private walk(
    from: ObjectNode,
    segments: readonly (AST.TOMLBare | AST.TOMLQuoted)[],
    count: number,
    created: Span,
    viaDots: boolean,
  ): ObjectNode {
    let obj = from;
    for (let i = 0; i < count; i++) {
      const seg = segments[i]!;
      const name = keyName(seg);
      const e = this.lookup(obj, name);
      let next: ObjectNode;
      if (!e) {
        next = this.object({ start: created.start, end: created.end });
        this.implicit.add(next);
        if (viaDots) this.dotted.add(next);
        this.add(obj, name, span(seg.range), next);
      } else if (e.value.kind === "object") {
        next = e.value;
      } else if (
        e.value.kind === "array" &&
        e.value.items.length > 0 &&
        e.value.items[e.value.items.length - 1]!.kind === "object"
      ) {
        // `[fruit.physical]` after `[[fruit]]` extends the array's last table.
        next = e.value.items[e.value.items.length - 1] as ObjectNode;
      } else {
        next = this.object({ start: created.start, end: created.end }); // unreachable for accepted files
        e.value = next;
      }
      if (viaDots && this.dotted.has(next) && created.end > next.span.end) next.span.end = created.end;
      obj = next;
    }
    return obj;
  }

  private table(root: ObjectNode, t: AST.TOMLTable): void {
    const keys = t.key.keys;
    const last = keys[keys.length - 1];
    if (!last) return;
    const header = this.headerSpan(t);
    const parent = this.walk(root, keys, keys.length - 1, header, false);
    const name = keyName(last);
    const tableSpan = span(t.range);
    let target: ObjectNode;
    if (t.kind === "array") {
      target = this.object(tableSpan);
      const e = this.lookup(parent, name);
      if (e && e.value.kind === "array") {
        e.value.items.push(target);
        if (tableSpan.end > e.value.span.end) e.value.span.end = tableSpan.end;
      } else {
        const arr: ArrayNode = { kind: "array", span: { start: tableSpan.start, end: tableSpan.end }, items: [target] };
        if (e)
          e.value = arr; // unreachable for accepted files
        else this.add(parent, name, span(last.range), arr);
      }
    } else {
      const e = this.lookup(parent, name);
      if (e && e.value.kind === "object") {
        // Defined before only implicitly (`[a.b]` before `[a]`): this header is now its definition.
        target = e.value;
        if (this.implicit.has(target)) {
          this.implicit.delete(target);
          this.dotted.delete(target);
          target.span = tableSpan;
          e.keySpan = span(last.range);
        }
      } else {
        target = this.object(tableSpan);
        if (e)
          e.value = target; // unreachable for accepted files
        else this.add(parent, name, span(last.range), target);
      }
    }
    for (const kv of t.body) this.keyValue(target, kv);
  }

  private keyValue(table: ObjectNode, kv: AST.TOMLKeyValue): void {
    const keys = kv.key.keys;
    const last = keys[keys.length - 1];
    if (!last) return;
    const kvSpan = span(kv.range);
    const parent = keys.length > 1 ? this.walk(table, keys, keys.length - 1, kvSpan, true) : table;
    this.add(parent, keyName(last), span(last.range), this.value(kv.value));
  }

  private value(v: AST.TOMLContentNode): Node {
    switch (v.type) {
      case "TOMLArray":
        return { kind: "array", span: span(v.range), items: v.elements.map((el) => this.value(el)) };
      case "TOMLInlineTable": {
        const obj = this.object(span(v.range));
        for (const kv of v.body) this.keyValue(obj, kv);
        return obj;
      }
      default:
        return this.scalar(v);
    }
  }

  private scalar(v: AST.TOMLValue): ScalarNode {
    const s = span(v.range);
    switch (v.kind) {
      case "string":
        return { kind: "string", span: s, value: v.value };
      case "integer":
      case "float":
        return { kind: "number", span: s, value: v.value };
      case "boolean":
        return { kind: "boolean", span: s, value: v.value };
      default:
        return { kind: "datetime", span: s, value: this.text.slice(s.start, s.end) };
    }
  }
}

function keyName(k: AST.TOMLBare | AST.TOMLQuoted): string {
  return k.type === "TOMLBare" ? k.name : k.value;
}

/**
 * The span to report a syntax error at, given the parser's offset (and length, when it gives one): at least one
 * character wide where the text allows. At the end of the file it moves back to the last non-blank character, so
 * "unterminated" errors land on the line that is actually unfinished. A key or quoted string at the offset is
 * covered whole. Only the text next to the offset is looked at.
 */
export function syntaxErrorSpan(text: string, offset: number, length: number): Span {
  const len = text.length;
  const start = Math.max(0, Math.min(Number.isFinite(offset) ? Math.trunc(offset) : 0, len));
  if (length > 0) return { start, end: Math.min(start + length, len) };
  if (start >= len) {
    let i = len - 1;
    while (i >= 0 && isBlank(text.charCodeAt(i))) i--;
    return i < 0 ? { start: len, end: len } : { start: i, end: i + 1 };
  }
  const c = text.charCodeAt(start);
  let end = start + 1;
  if (isWordChar(c)) {
    while (end < len && isWordChar(text.charCodeAt(end))) end++;
  } else if (c === 34 /* " */ || c === 39 /* ' */) {
    while (end < len && text.charCodeAt(end) !== c && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) {
      if (c === 34 && text.charCodeAt(end) === 92 /* backslash */) end++;
      end++;
    }
    end = end < len && text.charCodeAt(end) === c ? end + 1 : Math.min(end, len);
  } else if (c >= 0xd800 && c <= 0xdbff && end < len) {
    end++; // keep a surrogate pair together
  }
  return { start, end };
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}
