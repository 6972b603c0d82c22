// Problems found while reading a file (syntax errors, unknown keys): parsers return these instead of throwing.
import type { Span } from "./source.js";

export type Severity = "error" | "warning" | "info";

export interface Problem {
  /** Stable kebab-case code, e.g. "toml-syntax", "unknown-key", "deprecated-key". */
  code: string;
  severity: Severity;
  message: string;
  span: Span;
}

/** One problem per cause: a file read on two paths (a wrangler.jsonc is also a token candidate) reports once. */
export function onePerCause(problems: (Problem & { file: string })[]): (Problem & { file: string })[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.file}\u0000${p.code}\u0000${p.span.start}\u0000${p.span.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
