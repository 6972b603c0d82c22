// How Fix all combines the fixes of several findings (fixAllEdits): an insertion that opens a new line at a
// line's end does not overlap the removal of that line, an insertion where a removal starts joins it, and edits
// that really overlap still leave the later fix out. The whole-workspace property (every fixture, LF and CRLF,
// through LSP ranges) is test/lsp/fix-safety.test.ts; the workbench token is test/lsp/workbench.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Finding, TextEdit } from "../../server/src/core/findings.js";
import { fixAllEdits } from "../../server/src/core/fix-all.js";
import { applyEdits } from "../rules/harness.js";

const FILE = "/ws/token.tf";

function finding(title: string, edits: Omit<TextEdit, "file">[]): Finding {
  return {
    rule: "test",
    severity: "warning",
    message: title,
    location: { file: FILE, span: { start: edits[0]!.start, end: edits[0]!.end } },
    related: [],
    fixes: [{ title, edits: edits.map((e) => ({ file: FILE, ...e })), safe: true }],
  };
}

for (const nl of ["\n", "\r\n"]) {
  const name = nl === "\n" ? "LF" : "CRLF";
  const text = ["[", "  a,", "  last,", "]", ""].join(nl);
  const lastLine = text.indexOf("  last,");
  const lastEnd = lastLine + "  last,".length;
  // "Add x after the last item" and "remove the last item's line", as addGroupFix and removeListItem write them.
  const add = finding("add x", [{ start: lastEnd, end: lastEnd, newText: `${nl}  x,` }]);
  const remove = finding("remove last", [{ start: lastLine, end: lastEnd + nl.length, newText: "" }]);

  test(`${name}: adding after the last item and removing that item are both taken, in either order`, () => {
    for (const order of [
      [add, remove],
      [remove, add],
    ]) {
      const { edits, taken } = fixAllEdits(order, () => text);
      assert.equal(taken.length, 2, order.map((f) => f.message).join(", "));
      assert.equal(applyEdits(text, edits), ["[", "  a,", "  x,", "]", ""].join(nl));
    }
  });

  test(`${name}: without the file's text the insertion stays at the line's end and the removal is left out`, () => {
    const { taken } = fixAllEdits([add, remove]);
    assert.deepEqual(
      taken.map((f) => f.message),
      ["add x"],
    );
  });

  test(`${name}: an insertion where a removal starts becomes one edit`, () => {
    const insert = finding("insert before", [{ start: lastLine, end: lastLine, newText: `  y,${nl}` }]);
    for (const order of [
      [insert, remove],
      [remove, insert],
    ]) {
      const { edits, taken } = fixAllEdits(order, () => text);
      assert.equal(taken.length, 2);
      assert.equal(edits.length, 1);
      assert.equal(applyEdits(text, edits), ["[", "  a,", "  y,", "]", ""].join(nl));
    }
  });
}

test("edits that overlap: the later fix is left out", () => {
  const text = "[\n  a,\n  b,\n]\n";
  const a = text.indexOf("a,");
  const replace = finding("replace a", [{ start: a, end: a + 2, newText: "A," }]);
  const inside = finding("insert inside", [{ start: a + 1, end: a + 1, newText: "!" }]);
  const { edits, taken } = fixAllEdits([replace, inside], () => text);
  assert.deepEqual(
    taken.map((f) => f.message),
    ["replace a"],
  );
  assert.equal(applyEdits(text, edits), "[\n  A,\n  b,\n]\n");
});
