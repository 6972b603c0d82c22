// Minimal, byte-preserving text edits for quick fixes: remove one list item (with its comma and, when it sits
// on its own line, the line), replace a span, insert a line. They work on JSON, JSONC and HCL lists alike.
import type { TextEdit } from "./findings.js";
import type { Span } from "./source.js";

/** Removes the list item at `span` from `text` (JSON or HCL list), keeping the list valid and every other byte. */
export function removeListItem(file: string, text: string, span: Span): TextEdit[] {
  let after = span.end;
  while (after < text.length && (text[after] === " " || text[after] === "\t")) after++;
  const hasComma = text[after] === ",";
  if (hasComma) after++;
  // HCL items may carry a trailing comment (`{ id = "…" }, # Workers Scripts Write`).
  let commentEnd = after;
  while (commentEnd < text.length && (text[commentEnd] === " " || text[commentEnd] === "\t")) commentEnd++;
  if (text.startsWith("#", commentEnd) || text.startsWith("//", commentEnd)) {
    while (commentEnd < text.length && text[commentEnd] !== "\n" && text[commentEnd] !== "\r") commentEnd++;
    after = commentEnd;
  }
  const lineStart = text.lastIndexOf("\n", span.start - 1) + 1;
  const ownLine =
    /^[ \t]*$/.test(text.slice(lineStart, span.start)) &&
    (after >= text.length || /^[ \t]*\r?\n/.test(text.slice(after)));
  if (ownLine) {
    const nl = text.indexOf("\n", after);
    const end = nl < 0 ? text.length : nl + 1;
    const edits: TextEdit[] = [{ file, start: lineStart, end, newText: "" }];
    if (!hasComma) {
      // It was the last item: drop the comma after the previous item, if any.
      const prev = prevNonSpace(text, lineStart - 1);
      if (prev >= 0 && text[prev] === ",") edits.push({ file, start: prev, end: prev + 1, newText: "" });
    }
    return edits;
  }
  if (hasComma) {
    let end = after;
    while (end < text.length && (text[end] === " " || text[end] === "\t")) end++;
    return [{ file, start: span.start, end, newText: "" }];
  }
  // Last item on a shared line: remove the preceding comma and spaces too.
  const prev = prevNonSpace(text, span.start - 1);
  if (prev >= 0 && text[prev] === ",") return [{ file, start: prev, end: span.end, newText: "" }];
  return [{ file, start: span.start, end: span.end, newText: "" }];
}

function prevNonSpace(text: string, i: number): number {
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  // Skip a `# comment` / `// comment` at the end of the previous line.
  const lineStart = text.lastIndexOf("\n", i) + 1;
  const line = text.slice(lineStart, i + 1);
  const hash = line.search(/\s(#|\/\/)/);
  if (hash >= 0 && !/["']/.test(line.slice(hash))) return prevNonSpace(text, lineStart + hash);
  return i;
}

/** Replaces every occurrence of `from` inside `span` with `to` (one edit over the span). */
export function replaceWithin(
  file: string,
  text: string,
  span: Span,
  replacements: [string, string][],
): TextEdit | undefined {
  const original = text.slice(span.start, span.end);
  let next = original;
  for (const [from, to] of replacements) if (from) next = next.split(from).join(to);
  return next === original ? undefined : { file, start: span.start, end: span.end, newText: next };
}

/** The indentation (spaces/tabs) of the line containing `offset`. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** The line break style of a text. */
export function eol(text: string): string {
  return text.includes("\r\n") ? "\r\n" : "\n";
}
