// YAML (GitHub Actions workflows, .gitlab-ci.yml) into the shared value tree, with spans for keys and values.
// Anchors, aliases and `<<` merge keys are resolved. String values remember how they were written so that an
// offset inside the decoded string (a line of a `run: |` block, a word of a quoted command) maps back to its
// exact source range: see `valueSpan` and `valueLineSpan`.
import { parseDocument, isAlias, isMap, isScalar, isSeq, Scalar } from "yaml";
import type { Document, Node as YNode } from "yaml";
import type { Span } from "../source.js";
import type { Problem } from "../problems.js";
import type { ArrayNode, Entry, Node, ObjectNode, ParsedDocument, ScalarNode } from "./tree.js";

/** How a string value was written, kept for mapping decoded offsets back to the source. */
interface ScalarSource {
  text: string;
  style: "plain" | "single" | "double" | "literal" | "folded";
  /** Start of the scalar in the source (for block scalars: the first character of the body). */
  start: number;
  /** End of the scalar's source text. */
  end: number;
  /** Block scalars: the indentation of the body. */
  indent?: number;
  decoded: string;
  map?: number[];
}

const sources = new WeakMap<ScalarNode, ScalarSource>();

const MAX_ALIAS_DEPTH = 50;

const yamlCache = new Map<string, ParsedDocument>();
const YAML_CACHE_LIMIT = 2000;

/**
 * Parses YAML text. Never throws: syntax errors become "yaml-syntax" problems with ranges. Results are cached by text (callers must not mutate them), so the language
 * server re-reads an unchanged workflow for free.
 */
export function parseYaml(text: string): ParsedDocument {
  const hit = yamlCache.get(text);
  if (hit) return hit;
  const result = parseYamlUncached(text);
  if (yamlCache.size >= YAML_CACHE_LIMIT) yamlCache.delete(yamlCache.keys().next().value!);
  yamlCache.set(text, result);
  return result;
}

function parseYamlUncached(text: string): ParsedDocument {
  const problems: Problem[] = [];
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false, strict: false });
  } catch (e) {
    problems.push({ code: "yaml-syntax", severity: "error", message: String((e as Error)?.message ?? e), span: { start: 0, end: 0 } });
    return { root: undefined, problems };
  }
  for (const err of doc.errors) {
    problems.push({ code: "yaml-syntax", severity: "error", message: firstLine(err.message), span: { start: err.pos[0], end: Math.max(err.pos[0], err.pos[1]) } });
  }
  for (const w of doc.warnings) {
    // Custom tags such as GitLab's `!reference` are normal in CI files; the value is still read as a sequence.
    if (w.code === "TAG_RESOLVE_FAILED") continue;
    problems.push({ code: "yaml-syntax", severity: "warning", message: firstLine(w.message), span: { start: w.pos[0], end: Math.max(w.pos[0], w.pos[1]) } });
  }
  let root: ObjectNode | undefined;
  try {
    const converter = new Converter(doc, text, problems);
    const node = converter.convert(doc.contents as YNode | null, 0);
    if (node && node.kind === "object") root = node;
    else if (!node || (node.kind === "null" && text.trim() === "")) root = { kind: "object", span: { start: 0, end: text.length }, entries: [] };
    else if (text.trim() !== "" && doc.errors.length === 0) {
      problems.push({ code: "yaml-not-mapping", severity: "warning", message: "The document is not a mapping of keys to values.", span: node.span });
    }
  } catch (e) {
    problems.push({ code: "yaml-syntax", severity: "error", message: String((e as Error)?.message ?? e), span: { start: 0, end: 0 } });
  }
  return { root, problems };
}

function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i < 0 ? s : s.slice(0, i);
}

class Converter {
  constructor(private readonly doc: Document.Parsed, private readonly text: string, private readonly problems: Problem[]) {}

  private span(n: { range?: [number, number, number] | null }): Span {
    const r = n.range;
    if (!r) return { start: 0, end: 0 };
    return { start: r[0], end: r[1] };
  }

  convert(n: YNode | null | undefined, depth: number): Node | undefined {
    if (n == null) return undefined;
    if (depth > MAX_ALIAS_DEPTH) return undefined;
    if (isAlias(n)) {
      let target: unknown;
      try {
        target = n.resolve(this.doc);
      } catch {
        target = undefined;
      }
      const resolved = this.convert(target as YNode | undefined, depth + 1);
      if (!resolved && target === undefined) {
        this.problems.push({ code: "yaml-syntax", severity: "error", message: `Unknown alias *${n.source}.`, span: this.span(n) });
      }
      return resolved ?? { kind: "null", span: this.span(n), value: null };
    }
    if (isMap(n)) {
      const entries: Entry[] = [];
      const merged: Entry[] = [];
      for (const pair of n.items) {
        const keyNode = pair.key as YNode | null;
        const key = keyText(keyNode);
        const keySpan = keyNode && (keyNode as { range?: [number, number, number] }).range ? this.span(keyNode as never) : { start: 0, end: 0 };
        if (key === "<<" && pair.value) {
          // Merge keys: entries of the referenced mapping(s) come first; explicit keys win.
          const v = pair.value as YNode;
          const sourcesList = isSeq(v) ? (v.items as YNode[]) : [v];
          for (const s of sourcesList) {
            const m = this.convert(s, depth + 1);
            if (m && m.kind === "object") for (const e of m.entries) merged.push(e);
          }
          continue;
        }
        const value = this.convert(pair.value as YNode | null, depth + 1) ?? {
          kind: "null",
          span: { start: keySpan.end, end: keySpan.end },
          value: null,
        };
        const prev = entries.findIndex((e) => e.key === key);
        if (prev >= 0) entries.splice(prev, 1);
        entries.push({ key, keySpan, value });
      }
      for (const m of merged) if (!entries.some((e) => e.key === m.key)) entries.unshift(m);
      return { kind: "object", span: this.span(n), entries };
    }
    if (isSeq(n)) {
      const items: Node[] = [];
      for (const it of n.items) {
        const c = this.convert(it as YNode, depth + 1);
        if (c) items.push(c);
      }
      return { kind: "array", span: this.span(n), items } satisfies ArrayNode;
    }
    if (isScalar(n)) return this.scalar(n);
    return undefined;
  }

  private scalar(n: Scalar): ScalarNode {
    const span = this.span(n);
    const v = n.value;
    if (v === null || v === undefined) return { kind: "null", span, value: null };
    if (typeof v === "boolean") return { kind: "boolean", span, value: v };
    if (typeof v === "number") return { kind: "number", span, value: v };
    if (typeof v === "bigint") return { kind: "number", span, value: Number(v) };
    if (v instanceof Date) return { kind: "datetime", span, value: (n.source as string | undefined) ?? v.toISOString() };
    const s = typeof v === "string" ? v : String(v);
    const node: ScalarNode = { kind: "string", span, value: s };
    const src = this.scalarSource(n, s);
    if (src) sources.set(node, src);
    return node;
  }

  private scalarSource(n: Scalar, decoded: string): ScalarSource | undefined {
    const r = n.range;
    if (!r) return undefined;
    const tok = n.srcToken as { type?: string; offset?: number; props?: { type: string; offset: number; source: string }[]; source?: string } | undefined;
    switch (n.type) {
      case Scalar.BLOCK_LITERAL:
      case Scalar.BLOCK_FOLDED: {
        let bodyStart = r[0];
        let explicitIndent: number | undefined;
        if (tok && tok.props) {
          for (const p of tok.props) {
            if (p.type === "newline") bodyStart = p.offset + p.source.length;
            if (p.type === "block-scalar-header") {
              const m = /[1-9]/.exec(p.source);
              if (m) explicitIndent = Number(m[0]);
            }
          }
        } else {
          const nl = this.text.indexOf("\n", r[0]);
          bodyStart = nl < 0 ? r[1] : nl + 1;
        }
        const end = Math.max(bodyStart, r[1]);
        let indent = 0;
        if (explicitIndent !== undefined) {
          indent = lineIndentBefore(this.text, r[0]) + explicitIndent;
        } else {
          const body = this.text.slice(bodyStart, end);
          const m = /^( *)[^ \r\n]/m.exec(body);
          indent = m ? m[1]!.length : 0;
        }
        return { text: this.text, style: n.type === Scalar.BLOCK_LITERAL ? "literal" : "folded", start: bodyStart, end, indent, decoded };
      }
      case Scalar.QUOTE_SINGLE:
        return { text: this.text, style: "single", start: r[0] + 1, end: Math.max(r[0] + 1, r[1] - 1), decoded };
      case Scalar.QUOTE_DOUBLE:
        return { text: this.text, style: "double", start: r[0] + 1, end: Math.max(r[0] + 1, r[1] - 1), decoded };
      default:
        return { text: this.text, style: "plain", start: r[0], end: r[1], decoded };
    }
  }
}

function keyText(k: YNode | null | undefined): string {
  if (k == null) return "";
  if (isScalar(k)) return k.value === null || k.value === undefined ? "" : String(k.value);
  try {
    return String((k as { toString(): string }).toString());
  } catch {
    return "";
  }
}

function lineIndentBefore(text: string, offset: number): number {
  let ls = offset;
  while (ls > 0 && text[ls - 1] !== "\n") ls--;
  let i = ls;
  while (text[i] === " ") i++;
  return i - ls;
}

/** True when the node is a string parsed by `parseYaml` (so its decoded offsets can be mapped back). */
export function hasSourceMap(node: ScalarNode): boolean {
  return sources.has(node);
}

/** How a string value was written: "plain", "single", "double", "literal" (`|`) or "folded" (`>`). */
export function scalarStyle(node: ScalarNode): ScalarSource["style"] | undefined {
  return sources.get(node)?.style;
}

/**
 * Maps the range [start, end) of a string value's decoded text to its source span. Falls back to the whole
 * value span when the node was not produced by `parseYaml`.
 */
export function valueSpan(node: ScalarNode, start: number, end: number): Span {
  const src = sources.get(node);
  if (!src) return node.span;
  const map = (src.map ??= buildMap(src));
  const n = src.decoded.length;
  const s = Math.max(0, Math.min(start, n));
  const e = Math.max(s, Math.min(end, n));
  if (e === s) return { start: map[s]!, end: map[s]! };
  return { start: map[s]!, end: map[e - 1]! + 1 };
}

/** The source span of line `line` (0-based, split on "\n") of a string value, without its line break. */
export function valueLineSpan(node: ScalarNode, line: number): Span | undefined {
  const text = typeof node.value === "string" ? node.value : "";
  let start = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) return undefined;
    start = nl + 1;
  }
  let end = text.indexOf("\n", start);
  if (end < 0) end = text.length;
  return valueSpan(node, start, end);
}

/** Offset in the source of each decoded character (plus one past the end). */
function buildMap(src: ScalarSource): number[] {
  const out: number[] = new Array(src.decoded.length + 1);
  const { text, decoded } = src;
  if (src.style === "literal") {
    // Literal block: decoded line k is source body line k with the block indentation removed.
    let p = src.start;
    let di = 0;
    while (di < decoded.length) {
      // p is at the start of a source line.
      let lineEnd = text.indexOf("\n", p);
      if (lineEnd < 0 || lineEnd > src.end) lineEnd = src.end;
      let contentStart = p;
      let k = 0;
      while (k < (src.indent ?? 0) && text[contentStart] === " " && contentStart < lineEnd) {
        contentStart++;
        k++;
      }
      let q = contentStart;
      while (di < decoded.length && decoded[di] !== "\n") {
        out[di++] = Math.min(q, Math.max(lineEnd, contentStart));
        if (q < lineEnd) q++;
      }
      if (di < decoded.length) {
        // the decoded line break
        out[di++] = lineEnd > contentStart && text[lineEnd - 1] === "\r" ? lineEnd - 1 : lineEnd;
      }
      if (lineEnd >= src.end) {
        while (di < decoded.length) out[di++] = src.end;
        break;
      }
      p = lineEnd + 1;
    }
    out[decoded.length] = decoded.length ? Math.min(out[decoded.length - 1]! + 1, src.end) : src.start;
    return out;
  }
  // Plain, quoted and folded scalars: align decoded characters with the source greedily. Folded line breaks,
  // quote doubling and escapes make the two differ only locally.
  let p = src.start;
  const end = src.end;
  for (let di = 0; di < decoded.length; di++) {
    const c = decoded[di]!;
    if (p >= end) {
      out[di] = end;
      continue;
    }
    if (c === " " || c === "\t") {
      const s = text[p]!;
      if (s === " " || s === "\t" || s === "\n" || s === "\r") {
        out[di] = p;
        p++;
        if (s === "\r" && text[p] === "\n") p++;
        continue;
      }
    }
    let found = -1;
    const limit = Math.min(end, p + 64);
    for (let q = p; q < limit; q++) {
      const s = text[q]!;
      if (s === c) {
        found = q;
        break;
      }
      if (c === "\n" && s === "\\" && src.style === "double" && text[q + 1] === "n") {
        found = q;
        break;
      }
      // Only skip what folding, indentation, quote doubling and escapes can add.
      if (!(s === " " || s === "\t" || s === "\n" || s === "\r" || s === "\\" || s === "'" || s === '"')) {
        if (src.style !== "double") break;
      }
    }
    if (found < 0) {
      out[di] = p;
      p++;
    } else {
      out[di] = found;
      p = found + 1;
      if (c === "\n" && text[found] === "\\") p = found + 2;
    }
  }
  out[decoded.length] = decoded.length ? Math.min(Math.max(out[decoded.length - 1]! + 1, 0), end) : src.start;
  return out;
}
