// The rules agree with their surroundings: every rule file is registered once, ids are kebab-case and equal the
// file name, and each rule has a docs page, positive and negative fixtures, and a row in the README rules table.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RULES } from "../../server/src/core/rules/index.js";
import { listCases } from "../rules/harness.js";

const root = join(import.meta.dirname, "..", "..");
const rulesDir = join(root, "server", "src", "core", "rules");
const NOT_RULES = new Set(["index.ts", "rule.ts", "helpers.ts"]);
const ruleFiles = readdirSync(rulesDir)
  .filter((f) => f.endsWith(".ts") && !NOT_RULES.has(f))
  .map((f) => f.slice(0, -3))
  .sort();
const ids = RULES.map((r) => r.id);

test("every rule file is registered exactly once, under its file name", async () => {
  assert.deepEqual([...ids].sort(), ruleFiles);
  assert.equal(new Set(ids).size, ids.length, "duplicate rule ids");
  for (const file of ruleFiles) {
    const mod = (await import(join(rulesDir, `${file}.ts`))) as { rule?: { id: string } };
    assert.equal(mod.rule?.id, file, `${file}.ts exports rule.id ${mod.rule?.id}`);
    assert.equal(RULES.filter((r) => r === mod.rule).length, 1, `${file}.ts's rule object is not registered once`);
  }
});

test("rule ids are kebab-case; titles and severities are set", () => {
  for (const r of RULES) {
    assert.match(r.id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, r.id);
    assert.ok(r.title.length > 10 && !r.title.endsWith("."), `${r.id}: title`);
    assert.ok(["error", "warning", "info"].includes(r.defaultSeverity), `${r.id}: severity`);
  }
});

test("the registry is alphabetical", () => {
  assert.deepEqual(ids, [...ids].sort());
});

test("every rule has docs/rules/<id>.md with the sections users need", () => {
  for (const id of ids) {
    const p = join(root, "docs", "rules", `${id}.md`);
    assert.ok(existsSync(p), `missing ${p}`);
    const text = readFileSync(p, "utf8");
    assert.ok(text.startsWith(`# ${id}`), `${id}.md starts with its id as the title`);
    for (const section of [
      "## What it flags",
      "## Why it matters",
      "## Example",
      "## Fix",
      "## Suppress",
      "## Limits",
    ]) {
      assert.ok(text.includes(section), `${id}.md lacks "${section}"`);
    }
    assert.ok(text.includes(`ignore[${id}]`), `${id}.md shows the suppression comment`);
    assert.ok(text.includes(`"${id}": "off"`), `${id}.md shows how to turn it off`);
  }
});

test("every rule has at least one positive and one negative fixture case", () => {
  const cases = listCases();
  for (const id of ids) {
    const mine = cases.filter((c) => c.rule === id);
    const expected = mine.map((c) => {
      const p = join(c.dir, "expected.txt");
      assert.ok(existsSync(p), `missing ${p}`);
      return readFileSync(p, "utf8");
    });
    assert.ok(
      expected.some((t) => t.trim() !== ""),
      `${id}: no positive case (expected.txt with a finding)`,
    );
    assert.ok(
      expected.some((t) => t.trim() === ""),
      `${id}: no negative case (empty expected.txt)`,
    );
  }
  for (const c of cases) assert.ok(ids.includes(c.rule), `fixture folder ${c.rule} names no rule`);
});

test("README rules table has one row per rule, with the rule's default severity, fixability and title", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const rows = readme.split("\n").filter((l) => l.startsWith("| [`") && l.includes("](docs/rules/"));
  for (const r of RULES) {
    const row = rows.find((l) => l.startsWith(`| [\`${r.id}\`](docs/rules/${r.id}.md)`));
    assert.ok(row, `README.md lacks the rules table row for ${r.id}`);
    const cells = row.split("|").map((c) => c.trim());
    assert.equal(cells[2], r.defaultSeverity, `${r.id}: README severity`);
    assert.equal(cells[3], r.fixable ? "yes" : "—", `${r.id}: README fix column`);
    assert.equal(cells[4], r.title, `${r.id}: README title`);
  }
  for (const row of rows) {
    const id = /^\| \[`([^`]+)`\]/.exec(row)![1]!;
    assert.ok(ids.includes(id), `README.md has a row for unknown rule ${id}`);
  }
  assert.equal(rows.length, RULES.length, "one README row per rule");
});
