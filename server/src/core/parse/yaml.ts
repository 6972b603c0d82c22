// YAML (GitHub Actions workflows, .gitlab-ci.yml) into the shared value tree, with spans for keys and values.
// Anchors, aliases and `<<` merge keys are resolved (within a node budget). String values remember how they were
// written so that an offset inside the decoded string maps back to its exact source range: see yaml-spans.ts.
import { CST, parseDocument, isAlias, isMap, isScalar, isSeq, Scalar, visit } from "yaml";
import type { Document, Node as YNode } from "yaml";
import type { Span } from "../source.js";
import type { Problem } from "../problems.js";
import type { ArrayNode, Entry, Node, ObjectNode, ParsedDocument, ScalarNode } from "./tree.js";
import { attachSource, lineIndentBefore, type ScalarSource } from "./yaml-spans.js";
import { aliasOverLimit } from "./yaml-aliases.js";
import { MAX_NESTING, MAX_YAML_NODES, bracketDepthExceeded, textProblem, tooDeep, capProblems } from "./limits.js";

/**
 * Parses YAML text. Never throws: syntax errors become "yaml-syntax" problems with ranges. Not cached here: a
 * workflow's scan (which parses it) is kept in the workspace database (db.ts).
 */
export function parseYaml(text: string): ParsedDocument {
  return capProblems(readYaml(text));
}

function readYaml(text: string): ParsedDocument {
  const refused = textProblem(text);
  if (refused) return { root: undefined, problems: [refused] };
  const deep = bracketDepthExceeded(text);
  if (deep >= 0) return { root: undefined, problems: [tooDeep({ start: deep, end: deep + 1 })] };
  const flood = aliasOverLimit(text);
  if (flood) return { root: undefined, problems: [flood] };
  const problems: Problem[] = [];
  let doc: Document.Parsed;
  try {
    // The yaml package makes an Error (with a stack trace) per syntax error; a broken 400 KB flow mapping has
    // hundreds of thousands, and capturing their stacks took most of the parse. Messages and ranges are all we read.
    const stackLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false, prettyErrors: false, strict: false });
    } finally {
      Error.stackTraceLimit = stackLimit;
    }
  } catch (e) {
    problems.push({
      code: "yaml-syntax",
      severity: "error",
      message: String((e as Error)?.message ?? e),
      span: { start: 0, end: 0 },
    });
    return { root: undefined, problems };
  }
  for (const err of doc.errors) {
    const span = clampSpan(text, err.pos[0], err.pos[1]);
    // The yaml package turns a stack overflow on deep nesting (e.g. `- - - …` block sequences) into an error.
    if (/call stack/i.test(err.message)) problems.push(tooDeep(span, true));
    else problems.push({ code: "yaml-syntax", severity: "error", message: firstLine(err.message), span });
  }
  for (const w of doc.warnings) {
    // Custom tags such as GitLab's `!reference` are normal in CI files; the value is still read as a sequence.
    if (w.code === "TAG_RESOLVE_FAILED") continue;
    problems.push({
      code: "yaml-syntax",
      severity: "warning",
      message: firstLine(w.message),
      span: clampSpan(text, w.pos[0], w.pos[1]),
    });
  }
  let root: ObjectNode | undefined;
  try {
    const converter = new Converter(
      doc,
      text,
      problems,
      problems.some((p) => p.code === "nesting-too-deep"),
    );
    const node = converter.convert(doc.contents as YNode | null, 0);
    if (node && node.kind === "object") root = node;
    else if (!node || (node.kind === "null" && text.trim() === ""))
      root = { kind: "object", span: { start: 0, end: text.length }, entries: [] };
    else if (text.trim() !== "" && doc.errors.length === 0) {
      problems.push({
        code: "yaml-not-mapping",
        severity: "warning",
        message: "The document is not a mapping of keys to values.",
        span: node.span,
      });
    }
  } catch (e) {
    problems.push({
      code: "yaml-syntax",
      severity: "error",
      message: String((e as Error)?.message ?? e),
      span: { start: 0, end: 0 },
    });
  }
  return { root, problems };
}

/** A problem range inside the text: the yaml package reports "unexpected end" one past the last character. */
function clampSpan(text: string, start: number, end: number): Span {
  const s = Math.max(0, Math.min(start, text.length));
  return { start: s, end: Math.max(s, Math.min(end, text.length)) };
}

function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i < 0 ? s : s.slice(0, i);
}

class Converter {
  /** Values made so far, aliases counted at their expanded size (the budget against alias bombs). */
  private nodes = 0;
  private budgetReported = false;
  /** Each anchored node converted once; an alias reuses it (with its expanded size). */
  private readonly anchored = new Map<YNode, { node: Node | undefined; size: number } | "pending">();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly text: string,
    private readonly problems: Problem[],
    /** The parser already said the document nests too deep: one problem per cause. */
    private tooDeepReported: boolean,
  ) {}

  private span(n: { range?: [number, number, number] | null }): Span {
    const r = n.range;
    if (!r) return { start: 0, end: 0 };
    return { start: r[0], end: r[1] };
  }

  convert(n: YNode | null | undefined, depth: number): Node | undefined {
    if (n == null) return undefined;
    if (depth > MAX_NESTING) {
      if (!this.tooDeepReported) this.problems.push(tooDeep(this.span(n), true));
      this.tooDeepReported = true;
      return undefined;
    }
    if (isAlias(n)) return this.alias(n, depth);
    if ((n as { anchor?: string }).anchor) return this.anchoredNode(n, depth);
    return this.plain(n, depth);
  }

  private plain(n: YNode, depth: number): Node | undefined {
    if (++this.nodes > MAX_YAML_NODES) return this.overBudget(n);
    if (isMap(n)) return this.map(n, depth);
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

  /** An anchored node is converted once; each alias of it reuses the result and counts its size again. */
  private anchoredNode(n: YNode, depth: number): Node | undefined {
    const done = this.anchored.get(n);
    if (done === "pending") return undefined; // an alias inside its own anchor: reported by alias()
    if (done) {
      if ((this.nodes += done.size) > MAX_YAML_NODES) return this.overBudget(n);
      return done.node;
    }
    this.anchored.set(n, "pending");
    const before = this.nodes;
    const node = this.plain(n, depth);
    this.anchored.set(n, { node, size: this.nodes - before });
    return node;
  }

  /**
   * Each alias's target (the last node with its anchor before it, in document order), found in one walk of the
   * document on the first alias. The yaml package's own `resolve` walks the whole document for every alias:
   * quadratic, so that a 29 KB file of repeated `a: &a [*a, *a, *a]` took 27 s (found by the fuzz run).
   */
  private targets: Map<YNode, YNode | undefined> | undefined;

  private targetOf(n: YNode & { source: string; resolve(doc: Document.Parsed): unknown }): YNode | undefined {
    if (!this.targets) {
      const targets = new Map<YNode, YNode | undefined>();
      const latest = new Map<string, YNode>();
      try {
        visit(this.doc, {
          Node: (_key, node) => {
            if (isAlias(node)) targets.set(node, latest.get(node.source));
            else if ((node as { anchor?: string }).anchor) latest.set((node as { anchor: string }).anchor, node);
          },
        });
      } catch {
        // Too deep to walk: each alias is then resolved by the yaml package (below).
      }
      this.targets = targets;
    }
    if (this.targets.has(n)) return this.targets.get(n);
    try {
      return n.resolve(this.doc) as YNode | undefined;
    } catch {
      return undefined;
    }
  }

  private alias(
    n: YNode & { source: string; resolve(doc: Document.Parsed): unknown },
    depth: number,
  ): Node | undefined {
    const target = this.targetOf(n);
    if (target === undefined) {
      this.problems.push({
        code: "yaml-syntax",
        severity: "error",
        message: `Unknown alias *${n.source}.`,
        span: this.span(n),
      });
      return { kind: "null", span: this.span(n), value: null };
    }
    if (this.anchored.get(target) === "pending") {
      this.problems.push({
        code: "yaml-syntax",
        severity: "error",
        message: `Alias *${n.source} refers to the node it is inside: it is read as null.`,
        span: this.span(n),
      });
      return { kind: "null", span: this.span(n), value: null };
    }
    return this.convert(target, depth + 1) ?? { kind: "null", span: this.span(n), value: null };
  }

  private overBudget(n: YNode): Node {
    if (!this.budgetReported) {
      this.problems.push({
        code: "yaml-too-many-values",
        severity: "error",
        message: `Anchors and aliases expand this document to more than ${MAX_YAML_NODES} values: the rest is not read`,
        span: this.span(n),
      });
    }
    this.budgetReported = true;
    return { kind: "null", span: this.span(n), value: null };
  }

  private map(n: YNode & { items: { key: unknown; value: unknown }[] }, depth: number): ObjectNode {
    const entries: Entry[] = [];
    const merged: Entry[] = [];
    const at = new Map<string, number>();
    let repeated = false;
    for (const pair of n.items) {
      const keyNode = pair.key as YNode | null;
      const key = keyText(keyNode, this.text);
      const keySpan =
        keyNode && (keyNode as { range?: [number, number, number] }).range
          ? this.span(keyNode as never)
          : { start: 0, end: 0 };
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
      // A repeated key: the last one wins and takes the last place.
      const prev = at.get(key);
      if (prev !== undefined) {
        entries[prev] = undefined as never;
        repeated = true;
      }
      at.set(key, entries.length);
      entries.push({ key, keySpan, value });
    }
    const own = repeated ? entries.filter((e) => e !== undefined) : entries;
    if (merged.length === 0) return { kind: "object", span: this.span(n), entries: own };
    const mergedKeys = new Set<string>();
    const front: Entry[] = [];
    for (const m of merged) {
      if (at.has(m.key) || mergedKeys.has(m.key)) continue;
      mergedKeys.add(m.key);
      front.push(m);
    }
    // As before: merged entries are put in front, later merge sources first.
    return { kind: "object", span: this.span(n), entries: [...front.reverse(), ...own] };
  }

  private scalar(n: Scalar): ScalarNode {
    const span = this.span(n);
    const v = n.value;
    if (v === null || v === undefined) return { kind: "null", span, value: null };
    if (typeof v === "boolean") return { kind: "boolean", span, value: v };
    if (typeof v === "number") return { kind: "number", span, value: v };
    if (typeof v === "bigint") return { kind: "number", span, value: Number(v) };
    if (v instanceof Date)
      return { kind: "datetime", span, value: (n.source as string | undefined) ?? v.toISOString() };
    const s = typeof v === "string" ? v : String(v);
    const node: ScalarNode = { kind: "string", span, value: s };
    const src = this.scalarSource(n, s);
    if (src) attachSource(node, src);
    return node;
  }

  private scalarSource(n: Scalar, decoded: string): ScalarSource | undefined {
    const r = n.range;
    if (!r) return undefined;
    switch (n.type) {
      case Scalar.BLOCK_LITERAL:
      case Scalar.BLOCK_FOLDED: {
        const { bodyStart, explicitIndent } = blockHeader(this.text, r[0]);
        const end = Math.max(bodyStart, r[1]);
        let indent = 0;
        if (explicitIndent !== undefined) {
          indent = lineIndentBefore(this.text, r[0]) + explicitIndent;
        } else {
          const body = this.text.slice(bodyStart, end);
          const m = /^( *)[^ \r\n]/m.exec(body);
          indent = m ? m[1]!.length : 0;
        }
        return {
          text: this.text,
          style: n.type === Scalar.BLOCK_LITERAL ? "literal" : "folded",
          start: bodyStart,
          end,
          indent,
          decoded,
        };
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

/**
 * Where a block scalar's body starts and its explicit indentation (`|2`), read from the header line at `start`
 * as the yaml lexer splits it: the header (up to white space or `#`), spaces, the rest of the line as one token,
 * the line break. The body starts after that line break, unless the rest of the line is a token that ends the
 * block scalar (then it has no body: it starts at the header). Read from the text rather than from the parser's
 * tokens, so that the parse does not keep its token tree (as large as the document tree) while it is converted.
 */
function blockHeader(text: string, start: number): { bodyStart: number; explicitIndent: number | undefined } {
  let i = start + 1;
  for (let c = text[i]; c !== undefined && !EMPTY.has(c); c = text[++i]);
  const digit = /[1-9]/.exec(text.slice(start, i));
  const explicitIndent = digit ? Number(digit[0]) : undefined;
  const nl = text.indexOf("\n", i);
  if (nl < 0) return { bodyStart: start, explicitIndent };
  while (text[i] === " " || text[i] === "\t") i++;
  const lineEnd = text[nl - 1] === "\r" && nl - 1 >= i ? nl - 1 : nl;
  if (lineEnd > i) {
    const type = CST.tokenType(text.slice(i, lineEnd));
    if (type !== null && type !== "space" && type !== "comment" && type !== "newline")
      return { bodyStart: start, explicitIndent };
  }
  return { bodyStart: nl + 1, explicitIndent };
}
const EMPTY = new Set([" ", "\t", "\n", "\r", "#"]);

/**
 * A key as text. Scalar keys by value; a complex key (a flow mapping or sequence used as a key, never meaningful
 * in CI files) by its source text, capped: stringifying nested complex keys is exponential in their depth.
 */
function keyText(k: YNode | null | undefined, text: string): string {
  if (k == null) return "";
  if (isScalar(k)) return k.value === null || k.value === undefined ? "" : String(k.value);
  const r = (k as { range?: [number, number, number] | null }).range;
  return r ? text.slice(r[0], Math.min(r[1], r[0] + 200)) : "";
}

export { valueLineSpan, valueSpan } from "./yaml-spans.js";
