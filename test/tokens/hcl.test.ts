import { test } from "node:test";
import assert from "node:assert/strict";
import { hclParser } from "./helpers.js";
import { traversalPath } from "../../server/src/core/tokens/hcl.js";
import type { HclExpr } from "../../server/src/core/tokens/hcl.js";

test("blocks, labels, attributes and expression kinds", async () => {
  const p = await hclParser();
  const text = [
    'resource "cloudflare_api_token" "t" {',
    '  name = "${local.prefix} token"',
    '  ids  = [ "a", local.x["k"], one([for g in data.d.x.result : g if g.name == "N"]).id ]',
    '  obj  = { a = 1, "b.c" = true, d = null }',
    "  policy {",
    '    effect = "deny"',
    "  }",
    "}",
  ].join("\n");
  const r = p.parse(text);
  assert.deepEqual(r.problems, []);
  assert.equal(r.body.blocks.length, 1);
  const b = r.body.blocks[0]!;
  assert.equal(b.type, "resource");
  assert.deepEqual(
    b.labels.map((l) => l.value),
    ["cloudflare_api_token", "t"],
  );
  assert.equal(text.slice(b.span.start, b.span.end), text);
  const name = b.body.attributes.find((a) => a.name === "name")!.value;
  assert.equal(name.kind, "template");
  if (name.kind === "template") {
    assert.deepEqual(traversalPath(name.parts[0] as HclExpr), ["local", "prefix"]);
    assert.equal(name.parts[1], " token", "literal parts keep the whitespace next to an interpolation");
  }
  const ids = b.body.attributes.find((a) => a.name === "ids")!.value;
  assert.equal(ids.kind, "tuple");
  if (ids.kind === "tuple") {
    assert.deepEqual(ids.items[0], { kind: "literal", value: "a", span: ids.items[0]!.span });
    assert.deepEqual(traversalPath(ids.items[1]!), ["local", "x", "k"]);
    const third = ids.items[2]!;
    assert.equal(third.kind, "traversal");
    if (third.kind === "traversal") {
      assert.equal(third.base.kind, "call");
      if (third.base.kind === "call") {
        const f = third.base.args[0]!;
        assert.equal(f.kind, "for");
        if (f.kind === "for") {
          assert.equal(f.valueVar, "g");
          assert.deepEqual(traversalPath(f.collection), ["data", "d", "x", "result"]);
          assert.equal(f.cond?.kind, "binary");
        }
      }
    }
  }
  const obj = b.body.attributes.find((a) => a.name === "obj")!.value;
  assert.equal(obj.kind, "object");
  if (obj.kind === "object")
    assert.deepEqual(
      obj.entries.map((e) => [e.key, e.value.kind === "literal" ? e.value.value : "?"]),
      [
        ["a", 1],
        ["b.c", true],
        ["d", null],
      ],
    );
  assert.equal(b.body.blocks[0]!.type, "policy");
});

test("offsets are UTF-16 code units", async () => {
  const p = await hclParser();
  const text = 'locals {\n  a = "é😀"\n  b = "x"\n}\n';
  const r = p.parse(text);
  const b = r.body.blocks[0]!.body.attributes.find((a) => a.name === "b")!;
  assert.equal(text.slice(b.value.span.start, b.value.span.end), '"x"');
  const a = r.body.blocks[0]!.body.attributes.find((x) => x.name === "a")!;
  assert.deepEqual(a.value.kind === "literal" && a.value.value, "é😀");
});

test("string escapes are decoded", async () => {
  const p = await hclParser();
  const r = p.parse('x = "a\\"b\\\\c\\n$${d}"\n');
  const v = r.body.attributes[0]!.value;
  assert.equal(v.kind === "literal" && v.value, 'a"b\\c\n${d}');
});

test("a syntax error is a problem with a range, and later blocks are still read", async () => {
  const p = await hclParser();
  const text = [
    'resource "a" "one" {',
    "  x = 1",
    "}",
    'resource "a" "broken" {',
    "  = = ",
    "}",
    'resource "a" "three" {',
    '  y = "ok"',
    "}",
    "",
  ].join("\n");
  const r = p.parse(text);
  assert.ok(r.problems.length >= 1);
  for (const pr of r.problems) {
    assert.equal(pr.code, "hcl-syntax");
    assert.ok(pr.span.end > pr.span.start);
  }
  const brokenStart = text.indexOf('resource "a" "broken"');
  const threeStart = text.indexOf('resource "a" "three"');
  assert.ok(
    r.problems.some((pr) => pr.span.start >= brokenStart && pr.span.start < threeStart),
    "the error points into the broken block",
  );
  const names = r.body.blocks.map((b) => b.labels[1]?.value);
  assert.ok(names.includes("one"));
  assert.ok(names.includes("three"));
  const three = r.body.blocks.find((b) => b.labels[1]?.value === "three")!;
  assert.equal(text.slice(three.span.start, three.span.end), 'resource "a" "three" {\n  y = "ok"\n}');
});

test("an unclosed string or brace never throws", async () => {
  const p = await hclParser();
  for (const text of [
    'x = "abc',
    'resource "a" "b" {\n  x = [1, 2\n',
    "}}}}",
    "\u0000\u0001\uffff",
    "x = ${",
    "a = <<EOT\nnever ends",
    "",
  ]) {
    const r = p.parse(text);
    assert.ok(Array.isArray(r.problems));
    if (text.trim()) assert.ok(r.problems.length > 0, `problem expected for ${JSON.stringify(text)}`);
  }
});

test("comments inside expressions and objects are left out of what they are read as", async () => {
  const p = await hclParser();
  const text = [
    "locals {",
    "  x = (var.a # first",
    "    + var.b) # trailing",
    "  y = {",
    "    # an entry's comment",
    '    k = "v" # after',
    '    "q" : [1, /* two */ 2]',
    "  }",
    "  z = !var.c",
    "}",
  ].join("\n");
  const r = p.parse(text);
  assert.deepEqual(r.problems, []);
  const attrs = r.body.blocks[0]!.body.attributes;
  const value = (n: string) => attrs.find((a) => a.name === n)!.value;
  const x = value("x");
  assert.equal(x.kind, "binary");
  if (x.kind === "binary") {
    assert.equal(x.op, "+");
    assert.deepEqual(traversalPath(x.left), ["var", "a"]);
    assert.deepEqual(traversalPath(x.right), ["var", "b"]);
  }
  const y = value("y");
  assert.equal(y.kind, "object");
  if (y.kind === "object") {
    assert.deepEqual(
      y.entries.map((e) => e.key),
      ["k", "q"],
    );
    assert.deepEqual(y.entries[0]!.value, { kind: "literal", value: "v", span: y.entries[0]!.value.span });
    const q = y.entries[1]!.value;
    assert.equal(q.kind, "tuple");
    if (q.kind === "tuple")
      assert.deepEqual(
        q.items.map((i) => (i.kind === "literal" ? i.value : i.kind)),
        [1, 2],
      );
  }
  const z = value("z");
  assert.equal(z.kind, "unary");
  if (z.kind === "unary") {
    assert.equal(z.op, "!");
    assert.deepEqual(traversalPath(z.operand), ["var", "c"]);
  }
});
