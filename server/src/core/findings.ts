// What rules report: a finding with the exact range of its cause, the places behind it, and an optional fix.
import type { Location } from "./source.js";
import type { Problem, Severity } from "./problems.js";

export interface TextEdit {
  file: string;
  /** Offsets into the file's current text; the edit replaces [start, end) with newText. */
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  /** Shown as the quick fix title, e.g. "Remove unneeded group Workers KV Storage Write". */
  title: string;
  edits: TextEdit[];
  /** True when applying it cannot break a deploy the analysis knows about (used by "fix all"). */
  safe: boolean;
}

export interface RelatedLocation extends Location {
  message: string;
}

export interface Finding {
  /** The rule's kebab-case id (also the diagnostic code, docs page and suppression token). */
  rule: string;
  severity: Severity;
  message: string;
  /** Where the cause is: the group in the token, the config key, the workflow step. */
  location: Location;
  related: RelatedLocation[];
  fixes: Fix[];
}

/** A file-reading problem (syntax error, unknown key) shown like a finding, without fixes. */
export function problemAsFinding(p: Problem & { file: string }): Finding {
  return {
    rule: p.code,
    severity: p.severity,
    message: p.message,
    location: { file: p.file, span: p.span },
    related: [],
    fixes: [],
  };
}
