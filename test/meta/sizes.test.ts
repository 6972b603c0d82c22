// Size limits of the product's sources (server/src, client/src): no file over 400 lines and no function, method or
// arrow function over 80 lines, found with the TypeScript compiler's own syntax tree. Long code is split along
// its seams; the few allow-listed places belong to work under way elsewhere and are listed with their issue.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

const root = join(import.meta.dirname, "..", "..");
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;

/** Places over a limit that another piece of work is splitting. Each entry must still be over its limit. */
const ALLOWED = new Map<string, string>([]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** The name a function is known by: its own, or the variable, property or class member it is assigned to. */
function nameOf(fn: ts.SignatureDeclaration, sf: ts.SourceFile): string {
  const own =
    fn.name ??
    (ts.isVariableDeclaration(fn.parent) || ts.isPropertyAssignment(fn.parent) || ts.isPropertyDeclaration(fn.parent)
      ? fn.parent.name
      : undefined);
  if (own) return own.getText(sf);
  if (ts.isConstructorDeclaration(fn)) return "constructor";
  return `<anonymous at line ${sf.getLineAndCharacterOfPosition(fn.getStart(sf)).line + 1}>`;
}

interface Offender {
  key: string;
  lines: number;
}

function offenders(): Offender[] {
  const out: Offender[] = [];
  for (const file of [...sources(join(root, "server/src")), ...sources(join(root, "client/src"))]) {
    const path = relative(root, file);
    const text = readFileSync(file, "utf8");
    const fileLines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    if (fileLines > MAX_FILE_LINES) out.push({ key: path, lines: fileLines });
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    for (const f of longFunctions(sf)) out.push({ key: `${path}#${f.key}`, lines: f.lines });
  }
  return out;
}

/** Functions, methods, accessors, constructors, arrow functions and function expressions over the limit. */
function longFunctions(sf: ts.SourceFile): Offender[] {
  const out: Offender[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && "body" in n && n.body) {
      const lines =
        sf.getLineAndCharacterOfPosition(n.getEnd()).line - sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
      if (lines > MAX_FUNCTION_LINES) out.push({ key: nameOf(n, sf), lines });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const found = offenders();

test(`no source file over ${MAX_FILE_LINES} lines and no function over ${MAX_FUNCTION_LINES} lines`, () => {
  const bad = found.filter((o) => !ALLOWED.has(o.key)).map((o) => `${o.key}: ${o.lines} lines`);
  assert.deepEqual(bad, []);
});

test("every allow-listed place is still over its limit (remove it from the list once it is split)", () => {
  const over = new Set(found.map((o) => o.key));
  assert.deepEqual(
    [...ALLOWED.keys()].filter((k) => !over.has(k)),
    [],
  );
});

test("the size check sees long functions of every kind", () => {
  // The check itself, on a made-up source: a declaration, a method, an arrow function and a function expression,
  // each one line over the limit, and one function exactly at the limit.
  const body = (n: number) => Array.from({ length: n - 2 }, (_, i) => `  x${i}();`).join("\n");
  const text = [
    `function decl() {\n${body(81)}\n}`,
    `class C {\n  method() {\n${body(81)}\n  }\n}`,
    `const arrow = () => {\n${body(81)}\n};`,
    `const expr = { f: function () {\n${body(81)}\n} };`,
    `function atLimit() {\n${body(80)}\n}`,
  ].join("\n");
  const sf = ts.createSourceFile("sample.ts", text, ts.ScriptTarget.Latest, true);
  assert.deepEqual(longFunctions(sf), [
    { key: "decl", lines: 81 },
    { key: "method", lines: 81 },
    { key: "arrow", lines: 81 },
    { key: "f", lines: 81 },
  ]);
});
