// Source text positions: offsets (UTF-16 code units, as JavaScript strings count) and their line/column.
import { eol } from "./edit.js";

/** A half-open range of offsets into one file's text. */
export interface Span {
  start: number;
  end: number;
}

/** A 0-based line and 0-based column (UTF-16 code units), the shape LSP uses. */
export interface Position {
  line: number;
  character: number;
}

/** A span inside a named file. */
export interface Location {
  file: string;
  span: Span;
}

/** Maps offsets to line/column and back for one text; built once per text and cached by the caller. */
export class LineIndex {
  private readonly starts: number[];
  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }
  get lineCount(): number {
    return this.starts.length;
  }
  /**
   * The line and column of an offset, clamped to the text. An offset between the CR and the LF of a CRLF is
   * not a position on the line: it is moved to the line's end, before the CR.
   */
  positionAt(offset: number): Position {
    let o = Math.max(0, Math.min(offset, this.text.length));
    if (o > 0 && this.text.charCodeAt(o - 1) === 13 && this.text.charCodeAt(o) === 10) o--;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo]! };
  }
  /** The offset of a position; a column past the line's end means the line's end (before its line break), as LSP says. */
  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[pos.line]!;
    return Math.min(start + Math.max(0, pos.character), this.lineEnd(pos.line));
  }
  /** Offset just past the last character of a line (0-based), before its "\n", "\r\n" or "\r". */
  lineEnd(line: number): number {
    const l = Math.max(0, Math.min(line, this.starts.length - 1));
    if (l + 1 >= this.starts.length) return this.text.length;
    const next = this.starts[l + 1]!;
    return this.text.charCodeAt(next - 1) === 10 && this.text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
  }
  /** Offset of the first character of a line (0-based line). */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }
}

/** One file's text with its path and line index. */
export class SourceFile {
  private index: LineIndex | undefined;
  private lineBreak: string | undefined;
  /** Facts read off the text once (the ignore comments, say), kept with the text they were read from. */
  private readonly facts = new Map<string, unknown>();
  constructor(
    readonly path: string,
    readonly text: string,
  ) {}
  get lines(): LineIndex {
    return (this.index ??= new LineIndex(this.text));
  }
  /** The line break style of the text (see edit.ts `eol`), looked up once: fixes ask it once per token. */
  get eol(): string {
    return (this.lineBreak ??= eol(this.text));
  }
  /** A fact of this text, computed on first use (`key` names it; one `make` per key). */
  fact<T>(key: string, make: (src: SourceFile) => T): T {
    if (this.facts.has(key)) return this.facts.get(key) as T;
    const value = make(this);
    this.facts.set(key, value);
    return value;
  }
  /** 1-based line and column, for people and for the JSON/SARIF outputs. */
  lineColumn(offset: number): { line: number; column: number } {
    const p = this.lines.positionAt(offset);
    return { line: p.line + 1, column: p.character + 1 };
  }
}
