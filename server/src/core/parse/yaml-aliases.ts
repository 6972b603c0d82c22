// The alias limit of YAML documents (parse/limits.ts MAX_YAML_ALIASES), checked before the yaml package parses:
// its own parse of an alias-dense file costs far more than the file's size. A quick count of words that look like
// aliases comes first; only a text over the limit is lexed, which tells aliases from stars in quoted strings,
// block scalars and comments.
import { Lexer } from "yaml";
import type { Problem } from "../problems.js";
import { MAX_YAML_ALIASES } from "./limits.js";

/** Words that may be aliases (`*name` after a space, a line start or a flow indicator). */
const MAYBE_ALIAS = /(?:^|[\s,[{])\*[^\s,[\]{}]+/g;

/** The problem for a document with more than MAX_YAML_ALIASES aliases, at the one past the limit (else undefined). */
export function aliasOverLimit(text: string): Problem | undefined {
  MAYBE_ALIAS.lastIndex = 0;
  let n = 0;
  while (MAYBE_ALIAS.exec(text) && n <= MAX_YAML_ALIASES) n++;
  if (n <= MAX_YAML_ALIASES) return undefined;
  let at = 0;
  let aliases = 0;
  for (const token of new Lexer().lex(text)) {
    if (token[0] === "*" && ++aliases > MAX_YAML_ALIASES)
      return {
        code: "yaml-too-many-values",
        severity: "error",
        message: `This document uses more than ${MAX_YAML_ALIASES} aliases (*name): it is not read`,
        span: { start: at, end: at + token.length },
      };
    // Lexer tokens are the text's own characters, except the control characters that mark where a token starts.
    if (!/^[\x00-\x1f]$/.test(token) || token === "\n" || token === "\t" || token === "\r") at += token.length;
  }
  return undefined;
}
