// A small shell tokenizer for CI scripts: splits text into simple commands and words (quotes removed, `$…`,
// `${{ … }}` and `$( … )` kept as written), skipping comments, redirection targets and heredoc bodies.
// Tokenizer

export interface Word {
  /** Value with quotes removed and escapes applied; `$…`, `${{ … }}` and `$( … )` kept as written. */
  text: string;
  /** Source text of the word. */
  raw: string;
  start: number;
  end: number;
  quoted: boolean;
  redirect?: boolean;
}

export interface Segment {
  words: Word[];
  /** `$( … )` and backtick bodies inside this command (decoded offsets). */
  substitutions?: { start: number; end: number }[];
}

interface Tokens {
  segments: Segment[];
}

/** Splits shell text into simple commands (on newlines, `;`, `&&`, `||`, `|`, `&`, parentheses). */
export function tokenize(text: string): Tokens {
  const segments: Segment[] = [];
  let substitutions: Substitution[] = [];
  let words: Word[] = [];
  let heredocs: { delim: string; strip: boolean }[] = [];
  let expectHeredocDelim: boolean | undefined;
  let skipNextWord = false;
  const n = text.length;
  let i = 0;

  const endSegment = (): void => {
    const subs = substitutions.filter((x) => x.end <= n && x.end > x.start);
    if (words.length) segments.push(subs.length ? { words, substitutions: subs } : { words });
    else if (subs.length) segments.push({ words: [], substitutions: subs });
    words = [];
    substitutions = [];
  };
  const pushWord = (w: Word): void => {
    if (expectHeredocDelim !== undefined) {
      heredocs.push({ delim: w.text, strip: expectHeredocDelim });
      expectHeredocDelim = undefined;
      return;
    }
    if (skipNextWord) {
      skipNextWord = false;
      words.push({ ...w, redirect: true });
      return;
    }
    words.push(w);
  };

  while (i < n) {
    const c = text[i]!;
    const blank = skipBlank(text, i);
    if (blank > i) {
      i = blank;
      continue;
    }
    if (c === "\n") {
      endSegment();
      i++;
      if (heredocs.length) {
        i = skipHeredocBodies(text, i, heredocs);
        heredocs = [];
      }
      continue;
    }
    const op = readOperator(text, i);
    if (op) {
      if (op.separator) endSegment();
      else skipNextWord = true; // &> file
      i = op.end;
      continue;
    }
    if (c === ">" || c === "<") {
      i = readRedirect(text, i, (kind) => {
        if (kind === "heredoc") expectHeredocDelim = false;
        else if (kind === "heredoc-strip") expectHeredocDelim = true;
        else if (kind === "target") skipNextWord = true;
      });
      continue;
    }
    // A word.
    const start = i;
    const w = readWord(text, i, substitutions);
    const { value, quoted } = w;
    i = w.end;
    if (i > start) {
      const raw = text.slice(start, i);
      if (value === "" && !quoted && /^\d+$/.test(raw)) continue; // fd number before a redirect
      pushWord({ text: value, raw, start, end: i, quoted });
    } else i++;
  }
  endSegment();
  return { segments };
}

/** Blanks at i: a space, tab or CR, a backslash-newline, or a comment up to its newline; returns where they end. */
function skipBlank(text: string, i: number): number {
  const c = text[i];
  if (c === " " || c === "\t" || c === "\r") return i + 1;
  if (c === "\\" && text[i + 1] === "\n") return i + 2;
  if (c === "\\" && text[i + 1] === "\r" && text[i + 2] === "\n") return i + 3;
  if (c !== "#") return i;
  let e = i;
  while (e < text.length && text[e] !== "\n") e++;
  return e;
}

/** A control operator at i (`;` `;;` `|` `||` `|&` `(` `)` `&` `&&`) ends the command; `&>` and `&>>` redirect. */
function readOperator(text: string, i: number): { end: number; separator: boolean } | undefined {
  const c = text[i];
  if (c === ";" || c === "|" || c === "(" || c === ")") {
    let e = i + 1;
    if ((c === ";" || c === "|") && text[e] === c) e++;
    if (c === "|" && text[e] === "&") e++;
    return { end: e, separator: true };
  }
  if (c === "&") {
    if (text[i + 1] === ">") return { end: text[i + 2] === ">" ? i + 3 : i + 2, separator: false };
    return { end: text[i + 1] === "&" ? i + 2 : i + 1, separator: true };
  }
  return undefined;
}

type Substitution = { start: number; end: number };

/** Skips the bodies of the heredocs started on the line that just ended (i is just after its newline). */
function skipHeredocBodies(text: string, i: number, heredocs: { delim: string; strip: boolean }[]): number {
  const n = text.length;
  for (const h of heredocs) {
    while (i < n) {
      let e = text.indexOf("\n", i);
      if (e < 0) e = n;
      let line = text.slice(i, e).replace(/\r$/, "");
      if (h.strip) line = line.replace(/^\t+/, "");
      i = e + 1;
      if (line.trim() === h.delim) break;
    }
  }
  return i;
}

/** Reads one word from i: its value (quotes removed, escapes applied, expansions kept as written) and its end. */
function readWord(
  text: string,
  i: number,
  substitutions: Substitution[],
): { value: string; quoted: boolean; end: number } {
  const n = text.length;
  let value = "";
  let quoted = false;
  while (i < n) {
    const d = text[i]!;
    if (
      d === " " ||
      d === "\t" ||
      d === "\n" ||
      d === "\r" ||
      d === ";" ||
      d === "&" ||
      d === "|" ||
      d === "(" ||
      d === ")"
    )
      break;
    if (d === ">" || d === "<") {
      // `2>file`: digits before a redirect are the fd, not a word.
      if (/^\d+$/.test(value) && !quoted) value = "";
      break;
    }
    if (d === "\\") {
      if (text[i + 1] === "\n") {
        i += 2;
        continue;
      }
      if (i + 1 < n) value += text[i + 1];
      i += 2;
      continue;
    }
    if (d === "'") {
      quoted = true;
      const e = text.indexOf("'", i + 1);
      const stop = e < 0 ? n : e;
      value += text.slice(i + 1, stop);
      i = stop + 1;
      continue;
    }
    if (d === '"') {
      quoted = true;
      const q = readDoubleQuoted(text, i + 1, substitutions);
      value += q.value;
      i = q.end;
      continue;
    }
    if (d === "`") {
      const e = text.indexOf("`", i + 1);
      const stop = e < 0 ? n : e;
      substitutions.push({ start: i + 1, end: stop });
      value += text.slice(i, stop + 1);
      i = stop + 1;
      continue;
    }
    const e = readExpansion(text, i, substitutions);
    if (e !== undefined) {
      value += text.slice(i, e);
      i = e;
      continue;
    }
    value += d;
    i++;
  }
  return { value, quoted, end: i };
}

/** The inside of a double-quoted string from i (just after the opening quote) to just after the closing one. */
function readDoubleQuoted(text: string, i: number, substitutions: Substitution[]): { value: string; end: number } {
  const n = text.length;
  let value = "";
  while (i < n && text[i] !== '"') {
    if (text[i] === "\\" && i + 1 < n && '"\\$`\n'.includes(text[i + 1]!)) {
      if (text[i + 1] !== "\n") value += text[i + 1];
      i += 2;
      continue;
    }
    const e = readExpansion(text, i, substitutions);
    if (e !== undefined) {
      value += text.slice(i, e);
      i = e;
      continue;
    }
    value += text[i];
    i++;
  }
  return { value, end: i + 1 };
}

/** At `$(` (a command substitution, recorded) or `${`: the end of the expansion; otherwise undefined. */
function readExpansion(text: string, i: number, substitutions: Substitution[]): number | undefined {
  if (text[i] !== "$") return undefined;
  if (text[i + 1] === "(") {
    const e = matchParen(text, i + 1);
    substitutions.push({ start: i + 2, end: Math.max(i + 2, e - 1) });
    return e;
  }
  if (text[i + 1] === "{") return matchBrace(text, i + 1);
  return undefined;
}

function readRedirect(
  text: string,
  i: number,
  on: (kind: "heredoc" | "heredoc-strip" | "target" | "none") => void,
): number {
  const c = text[i]!;
  if (c === "<" && text[i + 1] === "<") {
    if (text[i + 2] === "<") {
      on("target"); // here-string: its word is data
      return i + 3;
    }
    if (text[i + 2] === "-") {
      on("heredoc-strip");
      return i + 3;
    }
    on("heredoc");
    return i + 2;
  }
  let j = i + 1;
  if (text[j] === ">" || text[j] === "|") j++;
  if (text[j] === "&") {
    // >&2, 2>&1
    j++;
    while (j < text.length && /[0-9-]/.test(text[j]!)) j++;
    on("none");
    return j;
  }
  on("target");
  return j;
}

/** Index just after the `)` matching the `(` at i (quotes and nesting respected). */
function matchParen(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === "\\") {
      j++;
      continue;
    }
    if (c === "'") {
      const e = text.indexOf("'", j + 1);
      if (e < 0) return text.length;
      j = e;
      continue;
    }
    if (c === "(") depth++;
    else if (c === ")") {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return text.length;
}

/** Index just after the `}` closing `${…}` or `${{ … }}` starting with the `{` at i. */
function matchBrace(text: string, i: number): number {
  if (text[i + 1] === "{") {
    const e = text.indexOf("}}", i + 2);
    return e < 0 ? text.length : e + 2;
  }
  const e = text.indexOf("}", i + 1);
  return e < 0 ? text.length : e + 1;
}
