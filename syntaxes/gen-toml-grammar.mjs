// Writes toml.tmLanguage.json (TOML 1.0, as wrangler.toml uses it). Kept as a script so the regular
// expressions can be written once and commented; run `node syntaxes/gen-toml-grammar.mjs` after editing.
import { writeFileSync } from "node:fs";

const bareKey = "[A-Za-z0-9_-]+";
const basicKey = '"(?:[^"\\\\]|\\\\.)*"';
const literalKey = "'[^']*'";
const keyPart = `(?:${bareKey}|${basicKey}|${literalKey})`;
const key = `${keyPart}(?:\\s*\\.\\s*${keyPart})*`;

const grammar = {
  $schema: "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
  name: "TOML",
  scopeName: "source.toml",
  fileTypes: ["toml"],
  patterns: [{ include: "#comment" }, { include: "#arrayTable" }, { include: "#table" }, { include: "#keyValue" }],
  repository: {
    comment: {
      patterns: [
        {
          // `# wrangler-token-lint: ignore[rule-id]` suppression comments stand out from ordinary comments.
          match: "(#)\\s*(wrangler-token-lint)(:)\\s*(ignore)(\\[)([^\\]]*)(\\])",
          name: "comment.line.number-sign.toml",
          captures: {
            1: { name: "punctuation.definition.comment.toml" },
            2: { name: "keyword.other.directive.wrangler-token-lint" },
            4: { name: "keyword.control.directive.wrangler-token-lint" },
            6: { name: "entity.name.tag.rule-id.wrangler-token-lint" },
          },
        },
        { match: "(#).*$", name: "comment.line.number-sign.toml", captures: { 1: { name: "punctuation.definition.comment.toml" } } },
      ],
    },
    arrayTable: {
      match: `^\\s*(\\[\\[)\\s*(${key})\\s*(\\]\\])`,
      captures: {
        1: { name: "punctuation.definition.array.table.toml" },
        2: { name: "entity.name.section.array.toml", patterns: [{ include: "#keyParts" }] },
        3: { name: "punctuation.definition.array.table.toml" },
      },
    },
    table: {
      match: `^\\s*(\\[)\\s*(${key})\\s*(\\])`,
      captures: {
        1: { name: "punctuation.definition.table.toml" },
        2: { name: "entity.name.section.table.toml", patterns: [{ include: "#keyParts" }] },
        3: { name: "punctuation.definition.table.toml" },
      },
    },
    keyParts: {
      patterns: [
        { match: "\\.", name: "punctuation.separator.dot.toml" },
        { match: basicKey, name: "string.quoted.double.key.toml" },
        { match: literalKey, name: "string.quoted.single.key.toml" },
      ],
    },
    keyValue: {
      begin: `(${key})\\s*(=)`,
      beginCaptures: {
        1: { name: "support.type.property-name.toml", patterns: [{ include: "#keyParts" }] },
        2: { name: "punctuation.separator.key-value.toml" },
      },
      // A value ends with its line (multi-line arrays and strings are nested rules and run past it), at a
      // comment, or before the comma/brace that closes it inside an inline table.
      end: "$|(?=#)|(?=[,}])",
      patterns: [{ include: "#value" }],
    },
    value: {
      patterns: [
        { include: "#string" },
        { include: "#datetime" },
        { include: "#number" },
        { match: "\\b(?:true|false)\\b", name: "constant.language.boolean.toml" },
        { include: "#array" },
        { include: "#inlineTable" },
      ],
    },
    string: {
      patterns: [
        {
          begin: '"""',
          end: '"""(?!")',
          name: "string.quoted.triple.double.toml",
          patterns: [{ include: "#escape" }],
        },
        { begin: "'''", end: "'''(?!')", name: "string.quoted.triple.single.toml" },
        { begin: '"', end: '"|$', name: "string.quoted.double.toml", patterns: [{ include: "#escape" }] },
        { match: "'[^']*'", name: "string.quoted.single.toml" },
      ],
    },
    escape: {
      patterns: [
        { match: '\\\\(?:[btnfr"\\\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})', name: "constant.character.escape.toml" },
        { match: "\\\\\\s*$", name: "constant.character.escape.line-ending.toml" },
        { match: "\\\\.", name: "invalid.illegal.escape.toml" },
      ],
    },
    datetime: {
      patterns: [
        {
          match: "\\d{4}-\\d{2}-\\d{2}(?:[Tt ]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:[Zz]|[+-]\\d{2}:\\d{2})?)?",
          name: "constant.other.datetime.toml",
        },
        { match: "\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?", name: "constant.other.time.toml" },
      ],
    },
    number: {
      patterns: [
        { match: "[+-]?(?:inf|nan)\\b", name: "constant.numeric.float.toml" },
        { match: "0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*|0o[0-7](?:_?[0-7])*|0b[01](?:_?[01])*", name: "constant.numeric.integer.toml" },
        {
          match: "[+-]?(?:0|[1-9](?:_?\\d)*)(?:\\.\\d(?:_?\\d)*)?(?:[eE][+-]?\\d(?:_?\\d)*)?",
          name: "constant.numeric.toml",
        },
      ],
    },
    array: {
      begin: "\\[",
      end: "\\]",
      beginCaptures: { 0: { name: "punctuation.definition.array.begin.toml" } },
      endCaptures: { 0: { name: "punctuation.definition.array.end.toml" } },
      name: "meta.array.toml",
      patterns: [{ include: "#comment" }, { match: ",", name: "punctuation.separator.array.toml" }, { include: "#value" }],
    },
    inlineTable: {
      begin: "\\{",
      end: "\\}",
      beginCaptures: { 0: { name: "punctuation.definition.table.inline.begin.toml" } },
      endCaptures: { 0: { name: "punctuation.definition.table.inline.end.toml" } },
      name: "meta.table.inline.toml",
      patterns: [{ match: ",", name: "punctuation.separator.table.inline.toml" }, { include: "#keyValue" }],
    },
  },
};

// GRAMMAR_OUT lets the test write elsewhere and compare with the committed file.
writeFileSync(process.env.GRAMMAR_OUT || new URL("./toml.tmLanguage.json", import.meta.url), JSON.stringify(grammar, null, 2) + "\n");
