// Inline suppression: `# wrangler-token-lint: ignore[rule-id]` or `// wrangler-token-lint: ignore[a, b]` on the
// finding's line or the line above. `ignore` without a list silences every rule on that line.
import type { SourceFile } from "./source.js";

const MARK = /(?:#|\/\/)\s*wrangler-token-lint:\s*ignore(?:\[([^\]]*)\])?/;

/** True when the line of `offset` (or the line above it) carries an ignore comment naming `rule`. */
export function isSuppressed(src: SourceFile, offset: number, rule: string): boolean {
  const line = src.lines.positionAt(offset).line;
  for (const l of [line, line - 1]) {
    if (l < 0) continue;
    const start = src.lines.lineStart(l);
    const m = MARK.exec(src.text.slice(start, src.lines.lineEnd(l)));
    if (!m) continue;
    if (m[1] === undefined) return true;
    if (
      m[1]
        .split(",")
        .map((s) => s.trim())
        .includes(rule)
    )
      return true;
  }
  return false;
}

/** The comment prefix a file type uses (TOML, YAML, HCL: `#`; JSONC, JS: `//`). Plain JSON has none. */
export function commentPrefix(path: string): "#" | "//" | undefined {
  if (/\.(toml|ya?ml|tf|hcl|sh)$/i.test(path) || /(^|\/)\.gitlab-ci\.yml$/.test(path)) return "#";
  if (/\.(jsonc|js|ts|mjs|cjs)$/i.test(path) || /(^|\/)wrangler\.json$/.test(path)) return "//";
  return undefined;
}
