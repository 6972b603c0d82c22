// Inline suppression: `# wrangler-token-lint: ignore[rule-id]` or `// wrangler-token-lint: ignore[a, b]` on the
// finding's line or the line above. `ignore` without a list silences every rule on that line.
import type { SourceFile } from "./source.js";

const MARK = /(?:#|\/\/)\s*wrangler-token-lint:\s*ignore(?:\[([^\]]*)\])?/;
const WORD = "wrangler-token-lint";

/** True when the line of `offset` (or the line above it) carries an ignore comment naming `rule`. */
export function isSuppressed(src: SourceFile, offset: number, rule: string): boolean {
  const marks = marksOf(src);
  if (marks.size === 0) return false;
  const line = src.lines.positionAt(offset).line;
  for (const l of [line, line - 1]) {
    if (!marks.has(l)) continue;
    const list = marks.get(l);
    if (list === undefined) return true;
    if (list.includes(rule)) return true;
  }
  return false;
}

/**
 * The ignore comment of each line that has one (its rule list, undefined for all rules), found once per file (kept
 * on the SourceFile): a comment holds the word `wrangler-token-lint`, so only the lines with that word are matched.
 * Matching each finding's line again made a file written on one long line (a 1 MB flow mapping) quadratic.
 */
function marksOf(src: SourceFile): Map<number, string[] | undefined> {
  return src.fact("ignore-comments", readMarks);
}

function readMarks(src: SourceFile): Map<number, string[] | undefined> {
  const marks = new Map<number, string[] | undefined>();
  for (let i = src.text.indexOf(WORD); i >= 0; i = src.text.indexOf(WORD, i + WORD.length)) {
    const l = src.lines.positionAt(i).line;
    if (marks.has(l)) continue;
    const m = MARK.exec(src.text.slice(src.lines.lineStart(l), src.lines.lineEnd(l)));
    if (m) marks.set(l, m[1] === undefined ? undefined : m[1].split(",").map((s) => s.trim()));
  }
  return marks;
}

/** The comment prefix a file type uses (TOML, YAML, HCL: `#`; JSONC, JS: `//`). Plain JSON has none. */
export function commentPrefix(path: string): "#" | "//" | undefined {
  if (/\.(toml|ya?ml|tf|hcl|sh)$/i.test(path) || /(^|\/)\.gitlab-ci\.yml$/.test(path)) return "#";
  if (/\.(jsonc|js|ts|mjs|cjs)$/i.test(path) || /(^|\/)wrangler\.json$/.test(path)) return "//";
  return undefined;
}
