// Limits every reader applies before and while parsing, so that time and memory stay bounded whatever a file
// holds: a size limit, a "not a text file" check, a nesting limit and, for YAML aliases, a node budget. Each limit
// that is hit becomes a problem with a range (never a silent skip, never a partial answer without a word).
import type { Problem } from "../problems.js";
import type { Span } from "../source.js";
import type { Node } from "./tree.js";

/** Files longer than this (UTF-16 code units; the disk reader's limit is the same number of bytes) are not parsed. */
export const MAX_TEXT_LENGTH = 5 * 1024 * 1024;
/** Nesting deeper than this (arrays, tables, mappings, blocks) is not read. Real configs nest about 10 deep. */
export const MAX_NESTING = 256;
/** The most values YAML aliases may expand to in one document (an alias of an alias … grows exponentially). */
export const MAX_YAML_NODES = 200_000;
/**
 * The most aliases (`*name`) one YAML document may use. The yaml package's own parse of an alias-dense file costs
 * far more than its size (938 KB of repeated alias bombs, 145,000 aliases: 1.2 s and 340 MB before any expansion);
 * real workflows use a handful (the corpus: at most 8).
 */
export const MAX_YAML_ALIASES = 10_000;
/** The most syntax problems listed for one file; the rest are counted in one more problem. */
export const MAX_PROBLEMS_PER_FILE = 100;

const MIB = 1024 * 1024;

/** The problem for a file too large to read (size in bytes on disk, or in characters of an open document). */
export function fileTooLarge(size: number): Problem {
  return {
    code: "file-too-large",
    severity: "error",
    message: `This file is too large to read (${(size / MIB).toFixed(1)} MiB; the limit is ${MAX_TEXT_LENGTH / MIB} MiB): nothing in it is analysed`,
    span: { start: 0, end: 0 },
  };
}

/** The problem for a file that holds binary data rather than text. */
export function notText(at: number): Problem {
  return {
    code: "not-text",
    severity: "error",
    message:
      "This is not a text file (it holds binary data, e.g. a NUL byte or bytes that are not UTF-8): nothing in it is analysed",
    span: { start: at, end: at + 1 },
  };
}

/** The problem for nesting past MAX_NESTING at a span; `partial`: the file is read down to that depth. */
export function tooDeep(span: Span, partial = false): Problem {
  return {
    code: "nesting-too-deep",
    severity: "error",
    message: `Nesting deeper than ${MAX_NESTING} levels: ${partial ? "what lies deeper is not read" : "nothing in this file is analysed"}`,
    span,
  };
}

/**
 * The size and text checks every reader runs first: a problem when the text must not be parsed, else undefined.
 * Binary: a NUL character, or many U+FFFD (what invalid UTF-8 decodes to) in the first 64 KiB.
 */
export function textProblem(text: string): Problem | undefined {
  if (text.length > MAX_TEXT_LENGTH) return fileTooLarge(text.length);
  const nul = text.indexOf("\u0000");
  if (nul >= 0) return notText(nul);
  const head = Math.min(text.length, 65536);
  let bad = 0;
  let first = -1;
  for (let i = text.indexOf("\ufffd"); i >= 0 && i < head; i = text.indexOf("\ufffd", i + 1)) {
    if (first < 0) first = i;
    bad++;
  }
  if (bad > 8 && bad * 100 > head) return notText(first);
  return undefined;
}

/**
 * The offset where bracket nesting (`[`, `{`, `(`) first passes `limit`, or -1. Quoted strings and `#`, `//`
 * and `/* *\/` comments are skipped, roughly as TOML, JSON(C), YAML and HCL write them; the parsers' own depth
 * checks catch what this scan cannot see.
 */
export function bracketDepthExceeded(text: string, limit = MAX_NESTING): number {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123 || c === 40) {
      if (++depth > limit) return i;
    } else if (c === 93 || c === 125 || c === 41) {
      if (depth > 0) depth--;
    } else if (c === 34 || c === 39) {
      i = skipString(text, i, c);
    } else if (c === 35 || (c === 47 && text.charCodeAt(i + 1) === 47)) {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? n : nl;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf("*/", i + 2);
      i = close < 0 ? n : close + 1;
    }
  }
  return -1;
}

/** The offset of a string's closing quote (or its line's end when it is not closed there). */
function skipString(text: string, open: number, quote: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 && quote === 34) i++;
    else if (c === quote) return i;
    else if (c === 10) return i;
  }
  return text.length;
}

/** The first node of a tree nested deeper than `limit` (dotted TOML keys nest without brackets), or undefined. */
export function deepestBeyond(root: Node | undefined, limit = MAX_NESTING): Node | undefined {
  const stack: [Node, number][] = root ? [[root, 0]] : [];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    if (d > limit) return n;
    if (n.kind === "object") for (const e of n.entries) stack.push([e.value, d + 1]);
    else if (n.kind === "array") for (const i of n.items) stack.push([i, d + 1]);
  }
  return undefined;
}

/**
 * A parse result with at most MAX_PROBLEMS_PER_FILE problems: past that, one more problem (at the first one left
 * out, with its code and the worst severity left out) says how many are not listed. A broken 400 KB flow mapping
 * gave hundreds of thousands, which nobody reads and which overflowed the stack when spread into a list.
 */
export function capProblems<T extends { problems: Problem[] }>(result: T, max = MAX_PROBLEMS_PER_FILE): T {
  if (result.problems.length <= max) return result;
  const rest = result.problems.slice(max);
  const worst = rest.some((p) => p.severity === "error")
    ? "error"
    : rest.some((p) => p.severity === "warning")
      ? "warning"
      : rest[0]!.severity;
  const more: Problem = {
    code: rest[0]!.code,
    severity: worst,
    message: `${rest.length} more problems in this file are not listed (the first ${max} are)`,
    span: rest[0]!.span,
  };
  return { ...result, problems: [...result.problems.slice(0, max), more] };
}
