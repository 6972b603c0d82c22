// What the workspace, the editor and `audit` know about a rule comes from the rule's own file (its fix kinds, the
// grant state its findings mean, the live token's JSON path, its docs page, what it reads): no list of rule ids
// elsewhere in the sources.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { RULES } from "../../server/src/core/rules/index.js";

const root = join(import.meta.dirname, "..", "..");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Strings that are a rule id and also mean something else there (not a reference to the rule). */
const HOMONYMS: Record<string, string[]> = {
  // An endpoint's `needs: "all-zones"` in the permission catalog, and the places reading it.
  "all-zones": [
    "server/src/core/permissions/catalog.ts",
    "server/src/core/permissions/fallback.ts",
    "server/src/core/permissions/require.ts",
    "server/src/core/record/compare.ts",
  ],
  // A confined read's refusal reason.
  "outside-workspace": ["server/src/core/host.ts"],
};

test("every rule declares its fix kinds, docs page and what it reads", () => {
  for (const r of RULES) {
    assert.equal(r.docs, `docs/rules/${r.id}.md`, `${r.id}: docs`);
    assert.ok(existsSync(join(root, r.docs)), `${r.id}: ${r.docs} exists`);
    assert.equal(r.fixKinds.includes("edit"), r.fixable, `${r.id}: "edit" fix kind iff fixable`);
    assert.equal(new Set(r.fixKinds).size, r.fixKinds.length, `${r.id}: fix kinds listed once`);
    assert.ok(!!r.perToken !== !!r.reads, `${r.id}: either perToken or reads`);
  }
  assert.ok(
    RULES.some((r) => r.fixKinds.includes("rewrite-to-minimal")),
    "some rule offers the rewrite",
  );
  assert.ok(
    RULES.some((r) => r.grantState?.state === "too-broad") && RULES.some((r) => r.grantState?.state === "unneeded"),
  );
});

test("no rule id is written outside the rule files", () => {
  const ids = RULES.map((r) => r.id);
  const bad: string[] = [];
  for (const dir of ["server/src", "client/src"]) {
    if (!existsSync(join(root, dir))) continue;
    for (const f of files(join(root, dir))) {
      const rel = relative(root, f);
      if (rel.startsWith("server/src/core/rules/")) continue;
      const text = readFileSync(f, "utf8");
      for (const id of ids) {
        if (!new RegExp(`["'\`]${id}["'\`]`).test(text)) continue;
        if (HOMONYMS[id]?.includes(rel)) continue;
        bad.push(`${rel}: ${id}`);
      }
    }
  }
  assert.deepEqual(bad, []);
});
