// The HCL parser over web-tree-sitter: one parse of the file, and when it has errors, a recovery that parses each
// top-level block on its own (tree-sitter's recovery can swallow the blocks after a mistake). Every piece is parsed
// as a range of the same text, so the recovery costs about one more pass, whatever the number of blocks. The size,
// binary and nesting limits of parse/limits.ts apply before any parsing. The core never reads files or loads
// modules with I/O: the caller passes the web-tree-sitter module itself (its runtime has a file-system fallback the
// core must not reach) and the bytes of its runtime .wasm and of the grammar .wasm (tree-sitter-terraform.wasm).
import type { Node as TsNode } from "web-tree-sitter";
import type { Problem } from "../problems.js";
import type { Span } from "../source.js";
import { bracketDepthExceeded, textProblem, tooDeep } from "../parse/limits.js";
import { convertItems, convertTop, type HclBody, type HclFile, type HclParser } from "./hcl.js";

/** The web-tree-sitter module, loaded by the adapter (see server/src/node/hcl-wasm.ts). */
export type TreeSitterModule = typeof import("web-tree-sitter");

/**
 * Initialises web-tree-sitter once with the given runtime wasm bytes (or its own lookup when omitted) and loads
 * the grammar. Rejects only when the wasm cannot be instantiated (a packaging bug the caller reports).
 */
export async function createHclParser(
  treeSitter: TreeSitterModule,
  wasm: { runtime: Uint8Array; language: Uint8Array },
): Promise<HclParser> {
  const { Language, Parser } = treeSitter;
  await initRuntime(Parser, wasm.runtime);
  const language = await Language.load(wasm.language);
  const parser = new Parser();
  parser.setLanguage(language);
  /** Parses the text, or only a range of it (offsets stay the whole text's). */
  const parseOnce = (text: string, range?: TsRange): HclFile => {
    const tree = range
      ? parser.parse(reader(text, range.endIndex), null, { includedRanges: [range] })
      : parser.parse(reader(text));
    if (!tree)
      return {
        body: { attributes: [], blocks: [] },
        problems: [syntaxProblem("Could not parse this file as HCL", { start: 0, end: 0 })],
      };
    try {
      const problems: Problem[] = [];
      collectErrors(tree.rootNode, text, problems);
      return { body: convertTop(tree.rootNode, text), problems };
    } finally {
      tree.delete();
    }
  };
  /**
   * One parse of the whole text; with errors, its clean top-level items are kept and only the chunks around the
   * mistakes are parsed again one by one (a truncated or mistyped 1 MB file costs about one pass, not two).
   */
  const parseRecovering = (text: string): HclFile => {
    if (text.length >= BY_CHUNKS_FROM) {
      const chunks = topLevelChunks(text);
      if (chunks.length >= 2) return parseByChunks(parseOnce, text, chunks);
    }
    const tree = parser.parse(reader(text));
    if (!tree) return parseOnce(text);
    try {
      const chunks = tree.rootNode.hasError ? topLevelChunks(text) : [];
      const kept = chunks.length >= 2 ? keptItems(tree.rootNode, chunks) : undefined;
      if (!kept) {
        const problems: Problem[] = [];
        collectErrors(tree.rootNode, text, problems);
        return { body: convertTop(tree.rootNode, text), problems };
      }
      return recover(
        parseOnce,
        text,
        kept.again.map((k) => chunks[k]!),
        kept.nodes,
      );
    } finally {
      tree.delete();
    }
  };
  return {
    parse(text: string): HclFile {
      const refused = textProblem(text);
      if (refused) return { body: { attributes: [], blocks: [] }, problems: [refused] };
      const deep = bracketDepthExceeded(text);
      if (deep >= 0)
        return { body: { attributes: [], blocks: [] }, problems: [tooDeep({ start: deep, end: deep + 1 })] };
      try {
        return parseRecovering(text);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        return {
          body: { attributes: [], blocks: [] },
          problems: [syntaxProblem(`Could not parse this file as HCL: ${message}`, { start: 0, end: 0 })],
        };
      }
    },
  };
}

/** The kept items of the whole parse and the chunks parsed again (`parseOnce` each), in the order of the text. */
function recover(
  parseOnce: (text: string, range: TsRange) => HclFile,
  text: string,
  chunks: readonly TsRange[],
  kept: readonly TsNode[],
): HclFile {
  const pieces: { at: number; body: HclBody; problems: Problem[] }[] = [
    ...kept.map((n) => ({ at: n.startIndex, body: convertItems([n], text), problems: [] })),
    ...chunks.map((c) => ({ at: c.startIndex, ...parseOnce(text, c) })),
  ].sort((a, b) => a.at - b.at);
  const body: HclBody = { attributes: [], blocks: [] };
  const problems: Problem[] = [];
  for (const piece of pieces) {
    for (const a of piece.body.attributes) body.attributes.push(a);
    for (const b of piece.body.blocks) body.blocks.push(b);
    for (const p of piece.problems) if (problems.length < MAX_SYNTAX_PROBLEMS) problems.push(p);
  }
  return { body, problems };
}

/**
 * From this size on, a file is parsed chunk by chunk first: tree-sitter's recovery from a mistake early in a large
 * file (a quote cut in the first block shifts every string after it) took seconds and hundreds of MB for the whole
 * text. Chunks are what the recovery reads anyway; a clean file reads the same either way.
 */
const BY_CHUNKS_FROM = 256 * 1024;
/** How many following chunks a chunk with an error is joined with to mend a split that was not a block's start. */
const MAX_JOIN = 4;

/**
 * Each chunk parsed alone. A split inside a heredoc or block comment (a line in it that looks like a block) gives
 * errors on both sides: a chunk with an error is joined with the next ones (up to MAX_JOIN) and the first join that
 * parses clean is taken; else the chunk's own errors stand. The joins parse at most the text's length once more.
 */
function parseByChunks(
  parseOnce: (text: string, range: TsRange) => HclFile,
  text: string,
  chunks: readonly TsRange[],
): HclFile {
  const body: HclBody = { attributes: [], blocks: [] };
  const problems: Problem[] = [];
  let budget = text.length;
  for (let k = 0; k < chunks.length;) {
    let piece = parseOnce(text, chunks[k]!);
    let next = k + 1;
    for (let m = k + 1; piece.problems.length && m < Math.min(chunks.length, k + 1 + MAX_JOIN); m++) {
      const range = { ...chunks[k]!, endIndex: chunks[m]!.endIndex, endPosition: chunks[m]!.endPosition };
      budget -= range.endIndex - range.startIndex;
      if (budget < 0) break;
      const joined = parseOnce(text, range);
      if (!joined.problems.length) {
        piece = joined;
        next = m + 1;
      }
    }
    for (const a of piece.body.attributes) body.attributes.push(a);
    for (const b of piece.body.blocks) body.blocks.push(b);
    for (const p of piece.problems) if (problems.length < MAX_SYNTAX_PROBLEMS) problems.push(p);
    k = next;
  }
  return { body, problems };
}

/** A tree-sitter range: offsets with their rows and columns (counted as tree-sitter does, from "\n"). */
interface TsRange {
  startIndex: number;
  endIndex: number;
  startPosition: { row: number; column: number };
  endPosition: { row: number; column: number };
}

/** The text for tree-sitter from an offset on: a bounded piece (web-tree-sitter's own string input hands over the whole rest each time). */
const reader =
  (text: string, end = text.length) =>
  (index: number): string =>
    index >= end ? "" : text.slice(index, Math.min(end, index + 8192));

const TOP_LEVEL = /^(?:resource|data|locals|variable|output|module|provider|terraform|moved|import|check|removed)\b/gm;

/** Pieces of a file that each start with a top-level block keyword at the start of a line (one pass over the text). */
function topLevelChunks(text: string): TsRange[] {
  const starts: number[] = [];
  for (const m of text.matchAll(TOP_LEVEL)) starts.push(m.index!);
  if (starts.length === 0) return [];
  if (starts[0] !== 0) starts.unshift(0);
  starts.push(text.length);
  const points: { row: number; column: number }[] = [];
  let row = 0;
  let from = 0;
  for (const at of starts) {
    for (let i = text.indexOf("\n", from); i >= 0 && i < at; i = text.indexOf("\n", i + 1)) row++;
    from = at;
    points.push({ row, column: at - (text.lastIndexOf("\n", at - 1) + 1) });
  }
  const out: TsRange[] = [];
  for (let i = 0; i + 1 < starts.length; i++)
    out.push({
      startIndex: starts[i]!,
      endIndex: starts[i + 1]!,
      startPosition: points[i]!,
      endPosition: points[i + 1]!,
    });
  return out;
}

/**
 * What a tree with errors can keep: its top-level attributes and blocks that are clean (tree-sitter's recovery
 * wraps what a mistake spoils in ERROR nodes or in the item with the mistake; a clean item directly in the file's
 * body parsed as it would alone, and may span several chunks, a heredoc's line that looks like a block say), and
 * the chunks to parse again one by one: those holding an item with a mistake or an ERROR, grown until no kept item
 * reaches into one. Undefined when no item has a mistake (the errors lie between items).
 */
function keptItems(root: TsNode, chunks: readonly TsRange[]): { nodes: TsNode[]; again: number[] } | undefined {
  const items = root.namedChildren
    .flatMap((c) => (c?.type === "body" ? c.namedChildren : [c]))
    .filter((c): c is TsNode => !!c && c.type !== "comment");
  const chunkAt = (offset: number): number => {
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (chunks[mid]!.startIndex <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const chunksOf = (n: TsNode): number[] => {
    const out: number[] = [];
    for (let k = chunkAt(n.startIndex); k <= chunkAt(Math.max(n.startIndex, n.endIndex - 1)); k++) out.push(k);
    return out;
  };
  const clean = (n: TsNode): boolean => (n.type === "block" || n.type === "attribute") && !n.hasError;
  const again = new Set<number>();
  for (const item of items) if (!clean(item)) for (const k of chunksOf(item)) again.add(k);
  if (again.size === 0) return undefined;
  let nodes = items.filter(clean);
  for (let size = -1; size !== again.size;) {
    size = again.size;
    nodes = nodes.filter((n) => {
      const ks = chunksOf(n);
      if (!ks.some((k) => again.has(k))) return true;
      for (const k of ks) again.add(k);
      return false;
    });
  }
  return { nodes, again: [...again].sort((a, b) => a - b) };
}

let runtimeReady: Promise<void> | undefined;

function initRuntime(Parser: TreeSitterModule["Parser"], runtime: Uint8Array): Promise<void> {
  // web-tree-sitter keeps one module instance per process; init runs once.
  return (runtimeReady ??= Parser.init({ wasmBinary: runtime }).catch((err: unknown) => {
    runtimeReady = undefined;
    throw err;
  }));
}

function syntaxProblem(message: string, span: Span): Problem {
  return { code: "hcl-syntax", severity: "error", message, span };
}

const MAX_SYNTAX_PROBLEMS = 20;

function collectErrors(node: TsNode, text: string, out: Problem[]): void {
  if (out.length >= MAX_SYNTAX_PROBLEMS) return;
  if (!node.hasError && !node.isMissing) return;
  if (node.isMissing) {
    // Zero-width: point at the last character before it, where the missing token should have followed.
    let at = Math.min(node.startIndex, text.length);
    while (at > 0 && /\s/.test(text[at - 1]!)) at--;
    out.push(
      syntaxProblem(
        `HCL syntax error: missing ${describeType(node.type)}`,
        at > 0 ? { start: at - 1, end: at } : widen(at, at, text),
      ),
    );
    return;
  }
  if (node.type === "ERROR") {
    const snippet = text
      .slice(node.startIndex, Math.min(node.endIndex, node.startIndex + 40))
      .split(/\r?\n/)[0]!
      .trim();
    out.push(
      syntaxProblem(
        `HCL syntax error: unexpected ${snippet ? `"${snippet}"` : "input"}`,
        widen(node.startIndex, node.endIndex, text),
      ),
    );
    // Errors nested in an ERROR node are part of the same mistake.
    return;
  }
  for (const child of node.children) {
    if (child) collectErrors(child, text, out);
  }
}

function describeType(type: string): string {
  switch (type) {
    case "block_end":
    case "object_end":
    case "}":
      return '"}"';
    case "tuple_end":
    case "]":
      return '"]"';
    case "quoted_template_end":
      return "closing quote";
    default:
      return type.length <= 3 ? `"${type}"` : type.replace(/_/g, " ");
  }
}

/** A zero-width span grows to the character at (or before) it so editors can show it. */
function widen(start: number, end: number, text: string): Span {
  if (end > start) return { start, end };
  if (start < text.length) return { start, end: start + 1 };
  return { start: Math.max(0, text.length - 1), end: text.length };
}
