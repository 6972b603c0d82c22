// How YAML string values were written, kept so that an offset inside a decoded string (a line of a `run: |`
// block, a word of a quoted command) maps back to its exact source range. Filled by the converter in yaml.ts.
import type { Span } from "../source.js";
import type { ScalarNode } from "./tree.js";

/** How a string value was written, kept for mapping decoded offsets back to the source. */
export interface ScalarSource {
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

/**
 * How a string was written rides on its node (a non-enumerable symbol property), so it lives and dies with the
 * parse result: no table outlives a document.
 */
const SOURCE = Symbol("yaml scalar source");
type WithSource = ScalarNode & { [SOURCE]?: ScalarSource };

export function attachSource(node: ScalarNode, src: ScalarSource): void {
  Object.defineProperty(node, SOURCE, { value: src, enumerable: false });
}

function sourceOf(node: ScalarNode): ScalarSource | undefined {
  return (node as WithSource)[SOURCE];
}

export function lineIndentBefore(text: string, offset: number): number {
  let ls = offset;
  while (ls > 0 && text[ls - 1] !== "\n") ls--;
  let i = ls;
  while (text[i] === " ") i++;
  return i - ls;
}

/**
 * Maps the range [start, end) of a string value's decoded text to its source span. Falls back to the whole
 * value span when the node was not produced by `parseYaml`.
 */
export function valueSpan(node: ScalarNode, start: number, end: number): Span {
  const src = sourceOf(node);
  if (!src) return node.span;
  const map = (src.map ??= buildMap(src));
  const n = src.decoded.length;
  const s = Math.max(0, Math.min(start, n));
  const e = Math.max(s, Math.min(end, n));
  // Decoded characters past the source (a block's final line break that the file does not have) map to its end,
  // so the span ends there rather than one past it (the fuzz run found hover ranges past the end of the file).
  const last = Math.min(src.end, src.text.length);
  const from = Math.min(map[s]!, last);
  if (e === s) return { start: from, end: from };
  return { start: from, end: Math.max(from, Math.min(map[e - 1]! + 1, last)) };
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
  return src.style === "literal" ? literalMap(src) : alignedMap(src);
}

/** Literal block: decoded line k is source body line k with the block indentation removed. */
function literalMap(src: ScalarSource): number[] {
  const out: number[] = new Array(src.decoded.length + 1);
  const { text, decoded } = src;
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

/**
 * Plain, quoted and folded scalars: align decoded characters with the source greedily. Folded line breaks,
 * quote doubling and escapes make the two differ only locally.
 */
function alignedMap(src: ScalarSource): number[] {
  const out: number[] = new Array(src.decoded.length + 1);
  const { text, decoded } = src;
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
