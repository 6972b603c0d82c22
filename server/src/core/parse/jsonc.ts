// JSON/JSONC reader: jsonc-parser's tree (offset and length for every node) converted to the shared value tree.
// Comments and trailing commas are allowed, as wrangler reads both wrangler.json and wrangler.jsonc as JSONC.
// jsonc-parser recovers from most errors, so a partial tree comes back together with the problems. Never throws.
import { parseTree, printParseErrorCode } from "jsonc-parser";
import type { Node as JsonNode, ParseError } from "jsonc-parser";
import type { Problem } from "../problems.js";
import type { Span } from "../source.js";
import type { Entry, Node, ObjectNode, ParsedDocument } from "./tree.js";
import { syntaxErrorSpan } from "./toml.js";
import { bracketDepthExceeded, textProblem, tooDeep, capProblems } from "./limits.js";

/** Parses a JSON or JSONC document into the shared tree. Never throws. */
export function parseJsonc(text: string): ParsedDocument {
  return capProblems(readJsonc(text));
}

function readJsonc(text: string): ParsedDocument {
  const refused = textProblem(text);
  if (refused) return { root: undefined, problems: [refused] };
  const deep = bracketDepthExceeded(text);
  if (deep >= 0) return { root: undefined, problems: [tooDeep({ start: deep, end: deep + 1 })] };
  const problems: Problem[] = [];
  const errors: ParseError[] = [];
  let tree: JsonNode | undefined;
  try {
    // A byte order mark becomes a space, so that every offset stays the same.
    const source = text.charCodeAt(0) === 0xfeff ? " " + text.slice(1) : text;
    tree = clampTree(
      parseTree(source, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false }),
      text.length,
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      root: undefined,
      problems: [
        {
          code: "json-syntax",
          severity: "error",
          message: `Could not read this JSON file: ${message}`,
          span: syntaxErrorSpan(text, 0, 0),
        },
      ],
    };
  }
  let lastOffset = -1;
  for (const e of errors) {
    // jsonc-parser often reports several follow-on errors at one offset (e.g. `]` and `}` both missing at the end);
    // the first one says what is wrong there.
    const span = syntaxErrorSpan(text, e.offset, e.length);
    if (span.start === lastOffset) continue;
    lastOffset = span.start;
    problems.push({ code: "json-syntax", severity: "error", message: `JSON syntax error: ${describe(e)}`, span });
  }
  if (!tree) return { root: undefined, problems };
  if (tree.type !== "object") {
    problems.push({
      code: "json-not-object",
      severity: "error",
      message: `The configuration must be a JSON object ({ ... }), but this file holds ${article(tree.type)}`,
      span: syntaxErrorSpan(text, tree.offset, tree.length),
    });
    return { root: undefined, problems };
  }
  try {
    return { root: convert(tree, problems) as ObjectNode, problems };
  } catch (err) {
    // e.g. nesting too deep for the call stack
    const message = err instanceof Error ? err.message : String(err);
    problems.push({
      code: "json-syntax",
      severity: "error",
      message: `Could not read this JSON file: ${message}`,
      span: syntaxErrorSpan(text, 0, 0),
    });
    return { root: undefined, problems };
  }
}

/**
 * Keeps every node of a jsonc-parser tree inside a text of `length` characters. jsonc-parser measures a `/*` at
 * the very end of the text as one character longer than the text, and the nodes around it grow with it (the
 * fuzz run found `{"vars": [/*` giving a wrong-type range past the end). Returns the tree. Never throws.
 */
export function clampTree<T extends JsonNode | undefined>(tree: T, length: number): T {
  const stack: JsonNode[] = tree ? [tree] : [];
  while (stack.length) {
    // The tree is ours (parsed just now), so its nodes are corrected in place.
    const n = stack.pop()! as { -readonly [K in keyof JsonNode]: JsonNode[K] };
    if (n.offset > length) n.offset = length;
    if (n.offset + n.length > length) n.length = length - n.offset;
    if (n.colonOffset !== undefined && n.colonOffset > length) n.colonOffset = length;
    for (const c of n.children ?? []) stack.push(c);
  }
  return tree;
}

function describe(e: ParseError): string {
  let code: string;
  try {
    code = printParseErrorCode(e.error);
  } catch {
    code = "<unknown>";
  }
  switch (code) {
    case "InvalidSymbol":
      return "unexpected character (InvalidSymbol)";
    case "InvalidNumberFormat":
      return "invalid number (InvalidNumberFormat)";
    case "PropertyNameExpected":
      return "a property name in double quotes is expected (PropertyNameExpected)";
    case "ValueExpected":
      return "a value is expected (ValueExpected)";
    case "ColonExpected":
      return "':' is expected after the property name (ColonExpected)";
    case "CommaExpected":
      return "',' is expected between entries (CommaExpected)";
    case "CloseBraceExpected":
      return "'}' is expected: this object is not closed (CloseBraceExpected)";
    case "CloseBracketExpected":
      return "']' is expected: this array is not closed (CloseBracketExpected)";
    case "EndOfFileExpected":
      return "nothing may follow the top-level value (EndOfFileExpected)";
    case "InvalidCommentToken":
      return "invalid comment (InvalidCommentToken)";
    case "UnexpectedEndOfComment":
      return "the block comment is not closed (UnexpectedEndOfComment)";
    case "UnexpectedEndOfString":
      return "the string is not closed (UnexpectedEndOfString)";
    case "UnexpectedEndOfNumber":
      return "the number is incomplete (UnexpectedEndOfNumber)";
    case "InvalidUnicode":
      return "invalid \\u escape (InvalidUnicode)";
    case "InvalidEscapeCharacter":
      return "invalid escape sequence (InvalidEscapeCharacter)";
    case "InvalidCharacter":
      return "invalid character in a string (InvalidCharacter)";
    default:
      return code;
  }
}

function article(type: string): string {
  return type === "array" ? "an array" : type === "null" ? "null" : `a ${type}`;
}

const spanOf = (n: JsonNode): Span => ({ start: n.offset, end: n.offset + n.length });

function convert(n: JsonNode, problems: Problem[]): Node {
  switch (n.type) {
    case "object": {
      const obj: ObjectNode = { kind: "object", span: spanOf(n), entries: [] };
      const seen = new Map<string, Entry>();
      for (const prop of n.children ?? []) {
        if (prop.type !== "property") continue;
        const keyNode = prop.children?.[0];
        const valueNode = prop.children?.[1];
        if (!keyNode || !valueNode || typeof keyNode.value !== "string") continue; // recovered fragment: no value
        const key = keyNode.value;
        const value = convert(valueNode, problems);
        const keySpan = spanOf(keyNode);
        const prev = seen.get(key);
        if (prev) {
          // Like JSON.parse (and wrangler): the last value wins; the key keeps its first place in the order.
          problems.push({
            code: "duplicate-key",
            severity: "warning",
            message: `Duplicate key "${key}": only this last value is used`,
            span: keySpan,
          });
          prev.keySpan = keySpan;
          prev.value = value;
          continue;
        }
        const e: Entry = { key, keySpan, value };
        seen.set(key, e);
        obj.entries.push(e);
      }
      return obj;
    }
    case "array":
      return { kind: "array", span: spanOf(n), items: (n.children ?? []).map((c) => convert(c, problems)) };
    case "string":
      return { kind: "string", span: spanOf(n), value: typeof n.value === "string" ? n.value : String(n.value ?? "") };
    case "number":
      return { kind: "number", span: spanOf(n), value: typeof n.value === "number" ? n.value : Number(n.value) };
    case "boolean":
      return { kind: "boolean", span: spanOf(n), value: n.value === true };
    default:
      return { kind: "null", span: spanOf(n), value: null };
  }
}
