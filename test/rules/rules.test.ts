// Rule fixtures: every folder test/fixtures/rules/<rule-id>/<case>/ is a small workspace. The runner analyses it
// (today = 2026-11-23), renders that rule's findings one per line (`<severity> <file>:<line>:<col> <message>`) and
// compares them with the case's expected.txt. When a finding has a fix, the first such finding's first fix is
// applied and the edited files are compared byte for byte with the case's fixed/ folder; the fixed workspace is
// analysed again to show that the finding is gone and that the edit left the file readable.
// UPDATE_GOLDEN=1 writes expected.txt and fixed/ (review them by hand); a missing golden fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { RULES } from "../../server/src/core/rules/index.js";
import { analyze, applyEdits, caseFiles, listCases, readTree, rel, renderFinding } from "./harness.js";

const UPDATE = process.env.UPDATE_GOLDEN === "1";

for (const c of listCases()) {
  test(`${c.rule} / ${c.name}`, async () => {
    assert.ok(
      RULES.some((r) => r.id === c.rule),
      `fixture folder ${c.rule} names no registered rule`,
    );
    const files = caseFiles(c);
    const ws = await analyze(files);
    // The fixture itself must read cleanly: a syntax error would make the case test something else.
    const readProblems = ws.problems.filter((p) => p.severity === "error");
    assert.deepEqual(
      readProblems.map((p) => `${rel(p.file)}: ${p.message}`),
      [],
      "the fixture has read errors",
    );

    const mine = ws.findings.filter((f) => f.rule === c.rule);
    const rendered = mine.map((f) => renderFinding(f, files)).join("\n");
    const expectedPath = join(c.dir, "expected.txt");
    if (UPDATE) writeFileSync(expectedPath, rendered ? rendered + "\n" : "");
    assert.ok(existsSync(expectedPath), `missing golden ${expectedPath} (run with UPDATE_GOLDEN=1, then review it)`);
    assert.equal(rendered ? rendered + "\n" : "", readFileSync(expectedPath, "utf8"));

    // Fixes: the first finding that offers one.
    const fixedDir = join(c.dir, "fixed");
    const withFix = mine.find((f) => f.fixes.length > 0);
    if (!withFix) {
      assert.ok(!existsSync(fixedDir), "fixed/ exists but no finding of this case offers a fix");
      return;
    }
    const fix = withFix.fixes[0]!;
    const edited = new Map(files);
    for (const file of new Set(fix.edits.map((e) => e.file))) {
      const r = rel(file);
      const before = files.get(r);
      assert.ok(before !== undefined, `fix edits unknown file ${file}`);
      edited.set(
        r,
        applyEdits(
          before,
          fix.edits.filter((e) => e.file === file),
        ),
      );
    }
    const changed = [...edited].filter(([k, v]) => files.get(k) !== v);
    assert.ok(changed.length > 0, `fix "${fix.title}" changes nothing`);
    if (UPDATE) {
      rmSync(fixedDir, { recursive: true, force: true });
      for (const [k, v] of changed) {
        mkdirSync(dirname(join(fixedDir, k)), { recursive: true });
        writeFileSync(join(fixedDir, k), v);
      }
    }
    assert.ok(
      existsSync(fixedDir),
      `missing golden ${fixedDir} for fix "${fix.title}" (run with UPDATE_GOLDEN=1, then review it)`,
    );
    assert.deepEqual(new Map(changed), readTree(fixedDir), `fix "${fix.title}" output differs from fixed/`);

    // The fixed text is still valid, and the finding is gone.
    for (const [k, v] of changed)
      if (k.endsWith(".json")) assert.doesNotThrow(() => JSON.parse(v), `${k} is not valid JSON after the fix`);
    const after = await analyze(edited);
    assert.deepEqual(
      after.problems.filter((p) => changed.some(([k]) => rel(p.file) === k)).map((p) => `${rel(p.file)}: ${p.message}`),
      [],
      "the fix left problems in the edited file",
    );
    assert.equal(after.tokens.length, ws.tokens.length, "the fix changed the number of tokens read");
    assert.ok(
      !after.findings.some((f) => f.rule === c.rule && f.message === withFix.message),
      `"${withFix.message}" is still reported after "${fix.title}"`,
    );
  });
}
