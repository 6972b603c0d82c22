// Inline suppression comments: which findings they silence. The comments of a file are found once (suppress.ts),
// so these cases pin what a per-line match said: the finding's line or the line above, the first comment of a
// line, lists, other rules, the word `wrangler-token-lint` outside a comment, CRLF and lone CR line breaks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SourceFile } from "../../server/src/core/source.js";
import { isSuppressed } from "../../server/src/core/suppress.js";

const at = (text: string, needle: string): number => {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return i;
};

test("a comment silences its own line and the line below, for the rules it names", () => {
  const text = [
    "a: 1 # wrangler-token-lint: ignore[no-expiry]",
    "b: 2",
    "c: 3",
    "# wrangler-token-lint: ignore[x, no-expiry ,y]",
    "d: 4",
  ].join("\n");
  const src = new SourceFile("/w/.github/workflows/a.yml", text);
  assert.equal(isSuppressed(src, at(text, "a: 1"), "no-expiry"), true, "own line");
  assert.equal(isSuppressed(src, at(text, "a: 1"), "other-rule"), false, "a rule it does not name");
  assert.equal(isSuppressed(src, at(text, "b: 2"), "no-expiry"), true, "line below");
  assert.equal(isSuppressed(src, at(text, "c: 3"), "no-expiry"), false, "two lines below");
  assert.equal(isSuppressed(src, at(text, "d: 4"), "no-expiry"), true, "a list with spaces");
  assert.equal(isSuppressed(src, at(text, "d: 4"), "y"), true);
  assert.equal(isSuppressed(src, at(text, "d: 4"), "z"), false);
});

test("ignore without a list silences every rule; the word outside a comment silences nothing", () => {
  const text = "run: echo wrangler-token-lint // wrangler-token-lint: ignore\nx: wrangler-token-lint: ignore\ny: 1\n";
  const src = new SourceFile("/w/a.yml", text);
  assert.equal(isSuppressed(src, at(text, "run:"), "any-rule"), true, "the comment after the bare word on the line");
  assert.equal(isSuppressed(src, at(text, "x:"), "any-rule"), true, "the line above has the comment");
  assert.equal(isSuppressed(src, at(text, "y: 1"), "any-rule"), false, "not a comment: no # or //");
});

test("the first comment of a line is the one read", () => {
  const text = "a: 1 # wrangler-token-lint: ignore[one] # wrangler-token-lint: ignore[two]\n";
  const src = new SourceFile("/w/a.yml", text);
  assert.equal(isSuppressed(src, 0, "one"), true);
  assert.equal(isSuppressed(src, 0, "two"), false);
});

test("lines end at LF, CRLF and a lone CR; a file written on one long line", () => {
  const text = "# wrangler-token-lint: ignore[r]\r\na: 1\rb: 2\r\n";
  const src = new SourceFile("/w/a.yml", text);
  assert.equal(isSuppressed(src, at(text, "a: 1"), "r"), true);
  assert.equal(isSuppressed(src, at(text, "b: 2"), "r"), false, "a lone CR ends a line");
  const long = `jobs: { a: { steps: [${'{ run: "npx wrangler deploy" }, '.repeat(2000)}] } } # wrangler-token-lint: ignore[r]`;
  const one = new SourceFile("/w/b.yml", long);
  for (let i = long.indexOf("run"); i >= 0 && i < 5000; i = long.indexOf("run", i + 1))
    assert.equal(isSuppressed(one, i, "r"), true);
  assert.equal(isSuppressed(new SourceFile("/w/c.yml", long.replace("ignore[r]", "ignore[s]")), 30, "r"), false);
});
