// The TOML reader against the TOML project's conformance suite (toml-test, files for TOML 1.0.0), and every parser
// against every file of the shared corpus. Both live in the team's shared folder, next to the repository
// (../shared from the repository root); these tests fail, not skip, when it is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parseToml } from "../../server/src/core/parse/toml.js";
import { parseJsonc } from "../../server/src/core/parse/jsonc.js";
import { parseConfigText } from "../../server/src/core/parse/index.js";
import type { Node, ParsedDocument } from "../../server/src/core/parse/tree.js";

const repoRoot = resolve(__dirname, "../..");
const shared = resolve(repoRoot, "../shared");
const suiteDir = join(shared, "data/toml-test");
const corpusDir = join(shared, "corpus");

function requireDir(dir: string): void {
  assert.ok(existsSync(dir) && statSync(dir).isDirectory(), `missing ${dir}: the shared folder must sit next to the repository`);
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** The suite's typed JSON ({type, value} leaves) as plain values comparable with toJS-like output. */
function expectedValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(expectedValue);
  const o = v as Record<string, unknown>;
  if (typeof o.type === "string" && typeof o.value === "string" && Object.keys(o).length === 2) {
    const s = o.value;
    switch (o.type) {
      case "string": return s;
      case "integer": return Number(s);
      case "float": return /nan$/.test(s) ? NaN : s === "inf" || s === "+inf" ? Infinity : s === "-inf" ? -Infinity : Number(s);
      case "bool": return s === "true";
      default: return { datetime: normalizeDatetime(s) };
    }
  }
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, expectedValue(x)]));
}

/** Same text for the same instant as written: `T`/space and case folded, trailing zeros of fractions dropped. */
function normalizeDatetime(s: string): string {
  return s.toUpperCase().replace(" ", "T").replace(/(\.\d*?)0+(?=$|[Z+-])/, "$1").replace(/\.(?=$|[Z+-])/, "");
}

/** Our tree as plain values; datetimes marked so that they cannot pass for strings. */
function ourValue(n: Node | undefined): unknown {
  if (!n) return undefined;
  switch (n.kind) {
    case "object": return Object.fromEntries(n.entries.map((e) => [e.key, ourValue(e.value)]));
    case "array": return n.items.map(ourValue);
    case "datetime": return { datetime: normalizeDatetime(String(n.value)) };
    default: return n.value;
  }
}

/** Checks every span of a tree against the text: inside it, and covering what the node says it is. */
function checkSpans(text: string, doc: ParsedDocument, file: string): void {
  const inside = (s: { start: number; end: number }, what: string) =>
    assert.ok(s.start >= 0 && s.start <= s.end && s.end <= text.length, `${file}: ${what} span ${s.start}-${s.end} outside the text`);
  for (const p of doc.problems) inside(p.span, `problem ${p.code}`);
  const visit = (n: Node, where: string): void => {
    inside(n.span, where);
    const written = text.slice(n.span.start, n.span.end);
    switch (n.kind) {
      case "object":
        for (const e of n.entries) {
          inside(e.keySpan, `${where}.${e.key} key`);
          const k = text.slice(e.keySpan.start, e.keySpan.end);
          assert.ok(k === e.key || k.startsWith('"') || k.startsWith("'"), `${file}: key ${JSON.stringify(e.key)} written as ${JSON.stringify(k)}`);
          visit(e.value, `${where}.${e.key}`);
        }
        break;
      case "array":
        n.items.forEach((item, i) => visit(item, `${where}[${i}]`));
        break;
      case "string":
        assert.ok(/^["']/.test(written), `${file}: string at ${where} written as ${JSON.stringify(written)}`);
        break;
      case "boolean":
        assert.equal(written, String(n.value), `${file}: ${where}`);
        break;
      case "datetime":
        assert.equal(written, n.value, `${file}: ${where}`);
        break;
      case "number":
        assert.ok(/^[-+]?(\d|0[xob]|inf|nan)/.test(written), `${file}: number at ${where} written as ${JSON.stringify(written)}`);
        break;
      case "null":
        assert.equal(written, "null", `${file}: ${where}`);
        break;
    }
  };
  if (doc.root) visit(doc.root, "root");
}

test("toml-test (TOML 1.0.0 files): accepts ≥ 208/210 valid, rejects ≥ 490/499 invalid, and reads the expected values", () => {
  requireDir(suiteDir);
  const list = readFileSync(join(suiteDir, "files-toml-1.0.0"), "utf8").split("\n").filter((l) => l.endsWith(".toml"));
  const valid = list.filter((f) => f.startsWith("valid/"));
  const invalid = list.filter((f) => f.startsWith("invalid/"));
  assert.equal(valid.length, 210);
  assert.equal(invalid.length, 499);

  const wronglyRejected: string[] = [];
  const wrongValues: string[] = [];
  for (const f of valid) {
    const text = readFileSync(join(suiteDir, f), "utf8");
    const doc = parseToml(text);
    if (!doc.root) {
      wronglyRejected.push(`${f}: ${doc.problems[0]?.message}`);
      continue;
    }
    assert.deepEqual(doc.problems, [], f);
    checkSpans(text, doc, f);
    const expected = expectedValue(JSON.parse(readFileSync(join(suiteDir, f.replace(/\.toml$/, ".json")), "utf8")));
    if (!isDeepStrictEqual(ourValue(doc.root), expected)) wrongValues.push(f);
  }
  const wronglyAccepted: string[] = [];
  for (const f of invalid) {
    const text = readFileSync(join(suiteDir, f), "utf8");
    const doc = parseToml(text);
    if (doc.root) wronglyAccepted.push(f);
    else {
      assert.ok(doc.problems.length > 0 && doc.problems.every((p) => p.code === "toml-syntax" && p.severity === "error"), f);
      checkSpans(text, doc, f);
    }
  }
  const accepted = valid.length - wronglyRejected.length;
  const rejected = invalid.length - wronglyAccepted.length;
  assert.ok(accepted >= 208, `valid accepted ${accepted}/210; rejected: ${wronglyRejected.join("; ")}`);
  assert.ok(rejected >= 490, `invalid rejected ${rejected}/499; accepted: ${wronglyAccepted.join(", ")}`);
  assert.deepEqual(wrongValues, [], "values that differ from the suite's expected JSON");
  // What is left is invalid UTF-8, which a string-level parser cannot see (the bytes were decoded already).
  assert.deepEqual(wronglyAccepted.filter((f) => !f.startsWith("invalid/encoding/")), []);
});

test("no file of the toml-test folder (valid and invalid, every TOML version) makes a parser throw", () => {
  requireDir(suiteDir);
  const files = walk(suiteDir);
  assert.ok(files.length > 1000, `only ${files.length} files in the suite`);
  let parsed = 0;
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    const docs = [parseToml(text), parseJsonc(text), parseConfigText(f, text)];
    for (const doc of docs) {
      assert.ok(Array.isArray(doc.problems), f);
      assert.ok(doc.root !== undefined || doc.problems.length > 0, `${f}: neither a tree nor a problem`);
      checkSpans(text, doc, f);
    }
    parsed++;
  }
  assert.equal(parsed, files.length);
});

test("every corpus file parses without throwing, and every wrangler config in it is read without problems", () => {
  requireDir(corpusDir);
  const files = walk(corpusDir);
  assert.ok(files.length > 50, `only ${files.length} files in the corpus`);
  const configs: string[] = [];
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    const byExtension = parseConfigText(f, text);
    for (const doc of [parseToml(text), parseJsonc(text), byExtension]) {
      assert.ok(doc.root !== undefined || doc.problems.length > 0, `${f}: neither a tree nor a problem`);
      checkSpans(text, doc, f);
    }
    if (/\/wrangler[^/]*\.(toml|json|jsonc)$/.test(f)) {
      configs.push(f);
      assert.ok(byExtension.root, `${f}: ${JSON.stringify(byExtension.problems)}`);
      assert.deepEqual(byExtension.problems.filter((p) => p.severity === "error"), [], f);
      assert.ok(byExtension.root.entries.length > 0, f);
    }
  }
  assert.ok(configs.length >= 55, `${configs.length} wrangler configs found`);
});
