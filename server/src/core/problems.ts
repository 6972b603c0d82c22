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
