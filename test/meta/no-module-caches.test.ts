// The core keeps nothing between analyses itself: what is read and derived lives in the workspace database the
// adapter owns (server/src/core/db.ts). A module-level Map / WeakMap / Set / WeakSet is allowed only as a
// constant lookup table: built from literal or static data and never changed afterwards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const coreDir = join(root, "server/src/core");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Module-level collections of a source text that are caches: created empty, or changed after creation. */
export function moduleCaches(text: string): string[] {
  const out: string[] = [];
  const decl =
    /^(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=\n]+)?=\s*new\s+(Map|WeakMap|Set|WeakSet)\s*(?:<[^\n]*?>)?\s*\(\s*(\)?)/gm;
  for (const m of text.matchAll(decl)) {
    const [, name, kind, empty] = m;
    const mutated = new RegExp(`\\b${name!.replace(/\$/g, "\\$")}\\s*\\.\\s*(set|add|delete|clear)\\s*\\(`).test(text);
    if (empty || mutated) out.push(`${name} (${kind}${empty ? ", created empty" : ""}${mutated ? ", changed" : ""})`);
  }
  return out;
}

test("no module-level Map / WeakMap / Set cache in server/src/core", () => {
  const bad: string[] = [];
  for (const f of files(coreDir)) {
    for (const c of moduleCaches(readFileSync(f, "utf8"))) bad.push(`${relative(root, f)}: ${c}`);
  }
  assert.deepEqual(bad, []);
});

test("the check finds the cache shapes it is meant to refuse, and lets constant tables be", () => {
  assert.deepEqual(moduleCaches("const cache = new Map<string, number>();\n"), ["cache (Map, created empty)"]);
  assert.deepEqual(moduleCaches("export const seen = new WeakMap<object, string>();\n"), [
    "seen (WeakMap, created empty)",
  ]);
  assert.deepEqual(moduleCaches('const KNOWN = new Set(["a"]);\nfunction f() { KNOWN.add("b"); }\n'), [
    "KNOWN (Set, changed)",
  ]);
  assert.deepEqual(moduleCaches('const KEYWORDS = new Set(["then", "do"]);\nconst x = KEYWORDS.has("do");\n'), []);
  // Inside a function (indented) a Map is a local, not a module-level cache.
  assert.deepEqual(moduleCaches("function f() {\n  const m = new Map();\n  m.set(1, 2);\n}\n"), []);
});
