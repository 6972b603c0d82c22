// LineIndex, the one offset ↔ line/column conversion (LSP ranges, CLI positions, suppression comments): LF, CRLF
// and lone CR line breaks, offsets inside a CRLF, and columns past a line's end.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LineIndex } from "../../server/src/core/source.js";

test("an offset between CR and LF is the end of its line, not a column past it", () => {
  const text = "ab\r\ncd\r\n";
  const li = new LineIndex(text);
  assert.deepEqual(li.positionAt(2), { line: 0, character: 2 });
  assert.deepEqual(li.positionAt(3), { line: 0, character: 2 }, "offset 3 sits between \\r and \\n");
  assert.deepEqual(li.positionAt(4), { line: 1, character: 0 });
  assert.deepEqual(li.positionAt(7), { line: 1, character: 2 });
  assert.deepEqual(li.positionAt(8), { line: 2, character: 0 });
  assert.deepEqual(li.positionAt(99), { line: 2, character: 0 }, "clamped to the text");
  assert.deepEqual(li.positionAt(-5), { line: 0, character: 0 });
});

test("a column past the line's end means the end of the line, before its line break", () => {
  for (const [text, ends] of [
    ["ab\ncd", [2, 5]],
    ["ab\r\ncd", [2, 6]],
    ["ab\rcd", [2, 5]],
    ["ab\r\n", [2, 4]],
  ] as const) {
    const li = new LineIndex(text);
    assert.equal(li.offsetAt({ line: 0, character: 99 }), ends[0], JSON.stringify(text));
    assert.equal(li.lineEnd(0), ends[0]);
    assert.equal(li.offsetAt({ line: 1, character: 99 }), ends[1]);
    assert.equal(li.lineEnd(1), ends[1]);
    assert.equal(li.offsetAt({ line: 9, character: 0 }), text.length);
  }
});

test("positions round-trip on every offset that is a position", () => {
  const text = "a = 1\r\n\r\nb = [\n  2,\r  3]\r\n";
  const li = new LineIndex(text);
  for (let o = 0; o <= text.length; o++) {
    if (text[o - 1] === "\r" && text[o] === "\n") continue;
    assert.equal(li.offsetAt(li.positionAt(o)), o, `offset ${o}`);
  }
});
