// The TOML reader against the TOML project's conformance suite (toml-test, files for TOML 1.0.0), and every parser
// against every file of the shared corpus. Both live in the team's shared folder, next to the repository
// (../shared from the repository root); these tests fail, not skip, when it is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parseToml } from "../../server/src/core/parse/toml.js";
import type { TomlOptions } from "../../server/src/core/parse/toml.js";
import { parseJsonc } from "../../server/src/core/parse/jsonc.js";
import { parseConfigText } from "../../server/src/core/parse/index.js";
import type { Node, ParsedDocument } from "../../server/src/core/parse/tree.js";

const repoRoot = resolve(__dirname, "../..");
const shared = resolve(repoRoot, "../shared");
const suiteDir = join(shared, "data/toml-test");
const corpusDir = join(shared, "corpus");

function requireDir(dir: string): void {
  assert.ok(
    existsSync(dir) && statSync(dir).isDirectory(),
    `missing ${dir}: the shared folder must sit next to the repository`,
  );
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
      case "string":
        return s;
      case "integer":
        return Number(s);
      case "float":
        return /nan$/.test(s) ? NaN : s === "inf" || s === "+inf" ? Infinity : s === "-inf" ? -Infinity : Number(s);
      case "bool":
        return s === "true";
      default:
        return { datetime: normalizeDatetime(s) };
    }
  }
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, expectedValue(x)]));
}

/**
 * One spelling per date-time value: `T`/space and case folded, omitted seconds (TOML 1.1) written as `:00`, trailing
 * zeros of fractions dropped. (Our tree keeps date-times as written; the suite gives them in a canonical form.)
 */
function normalizeDatetime(s: string): string {
  return s
    .toUpperCase()
    .replace(" ", "T")
    .replace(/(^|T)(\d\d:\d\d)(?!:)/, "$1$2:00")
    .replace(/(\.\d*?)0+(?=$|[Z+-])/, "$1")
    .replace(/\.(?=$|[Z+-])/, "");
}

/** Our tree as plain values; datetimes marked so that they cannot pass for strings. */
function ourValue(n: Node | undefined): unknown {
  if (!n) return undefined;
  switch (n.kind) {
    case "object":
      return Object.fromEntries(n.entries.map((e) => [e.key, ourValue(e.value)]));
    case "array":
      return n.items.map(ourValue);
    case "datetime":
      return { datetime: normalizeDatetime(String(n.value)) };
    default:
      return n.value;
  }
}

/** Checks every span of a tree against the text: inside it, and covering what the node says it is. */
function checkSpans(text: string, doc: ParsedDocument, file: string): void {
  const inside = (s: { start: number; end: number }, what: string) =>
    assert.ok(
      s.start >= 0 && s.start <= s.end && s.end <= text.length,
      `${file}: ${what} span ${s.start}-${s.end} outside the text`,
    );
  for (const p of doc.problems) inside(p.span, `problem ${p.code}`);
  const visit = (n: Node, where: string): void => {
    inside(n.span, where);
    const written = text.slice(n.span.start, n.span.end);
    switch (n.kind) {
      case "object":
        for (const e of n.entries) {
          inside(e.keySpan, `${where}.${e.key} key`);
          const k = text.slice(e.keySpan.start, e.keySpan.end);
          assert.ok(
            k === e.key || k.startsWith('"') || k.startsWith("'"),
            `${file}: key ${JSON.stringify(e.key)} written as ${JSON.stringify(k)}`,
          );
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
        assert.ok(
          /^[-+]?(\d|0[xob]|inf|nan)/.test(written),
          `${file}: number at ${where} written as ${JSON.stringify(written)}`,
        );
        break;
      case "null":
        assert.equal(written, "null", `${file}: ${where}`);
        break;
    }
  };
  if (doc.root) visit(doc.root, "root");
}

function suiteList(name: string): { valid: string[]; invalid: string[] } {
  const list = readFileSync(join(suiteDir, name), "utf8")
    .split("\n")
    .filter((l) => l.endsWith(".toml"));
  return { valid: list.filter((f) => f.startsWith("valid/")), invalid: list.filter((f) => f.startsWith("invalid/")) };
}

/** Reads every valid file (checking spans and values against the suite's JSON) and every invalid one. */
function runSuite(listName: string, options: TomlOptions) {
  const { valid, invalid } = suiteList(listName);
  const wronglyRejected: string[] = [];
  const wrongValues: string[] = [];
  for (const f of valid) {
    const text = readFileSync(join(suiteDir, f), "utf8");
    const doc = parseToml(text, options);
    if (!doc.root || doc.problems.length > 0) {
      wronglyRejected.push(`${f}: ${doc.problems[0]?.message}`);
      continue;
    }
    checkSpans(text, doc, f);
    const expected = expectedValue(JSON.parse(readFileSync(join(suiteDir, f.replace(/\.toml$/, ".json")), "utf8")));
    if (!isDeepStrictEqual(ourValue(doc.root), expected)) wrongValues.push(f);
  }
  const notFlagged: string[] = [];
  const readAnyway: string[] = [];
  for (const f of invalid) {
    const text = readFileSync(join(suiteDir, f), "utf8");
    const doc = parseToml(text, options);
    checkSpans(text, doc, f);
    if (doc.problems.length === 0) notFlagged.push(f);
    else if (doc.root) readAnyway.push(f);
    // A NUL byte makes the file "not-text" (a binary file named wrangler.toml), before any TOML is read.
    if (!doc.root)
      assert.ok(
        doc.problems.some(
          (p) =>
            (p.code === "toml-syntax" || (p.code === "not-text" && text.includes("\u0000"))) && p.severity === "error",
        ),
        f,
      );
  }
  return { valid, invalid, wronglyRejected, wrongValues, notFlagged, readAnyway };
}

test("toml-test, TOML 1.0.0 files, strict TOML 1.0: accepts ≥ 208/210 valid, rejects ≥ 490/499 invalid, expected values", () => {
  requireDir(suiteDir);
  const r = runSuite("files-toml-1.0.0", { version: "1.0-strict" });
  assert.equal(r.valid.length, 210);
  assert.equal(r.invalid.length, 499);
  const accepted = r.valid.length - r.wronglyRejected.length;
  const rejected = r.invalid.length - r.notFlagged.length;
  assert.ok(accepted >= 208, `valid accepted ${accepted}/210; rejected: ${r.wronglyRejected.join("; ")}`);
  assert.ok(rejected >= 490, `invalid rejected ${rejected}/499; accepted: ${r.notFlagged.join(", ")}`);
  assert.deepEqual(r.readAnyway, [], "strict mode returns no tree for a rejected file");
  assert.deepEqual(r.wrongValues, [], "values that differ from the suite's expected JSON");
  // What is left is invalid UTF-8, which a string-level parser cannot see (the bytes were decoded already).
  assert.deepEqual(
    r.notFlagged.filter((f) => !f.startsWith("invalid/encoding/")),
    [],
  );
});

test("toml-test, TOML 1.0.0 files, default mode: the same files flagged; TOML 1.1-only text is read with a warning", () => {
  requireDir(suiteDir);
  const r = runSuite("files-toml-1.0.0", {});
  const accepted = r.valid.length - r.wronglyRejected.length;
  const flagged = r.invalid.length - r.notFlagged.length;
  assert.ok(accepted >= 208, `valid accepted ${accepted}/210; rejected: ${r.wronglyRejected.join("; ")}`);
  assert.ok(flagged >= 490, `invalid flagged ${flagged}/499; not flagged: ${r.notFlagged.join(", ")}`);
  assert.deepEqual(r.wrongValues, []);
  // Files read anyway (with the toml-1.1-syntax warning) are exactly TOML 1.0 invalid files that TOML 1.1 allows.
  const invalid11 = new Set(suiteList("files-toml-1.1.0").invalid);
  assert.ok(r.readAnyway.length >= 5, `${r.readAnyway.length} files read as TOML 1.1`);
  for (const f of r.readAnyway) {
    assert.ok(!invalid11.has(f), `${f} is invalid in TOML 1.1 too, yet was read`);
    const doc = parseToml(readFileSync(join(suiteDir, f), "utf8"));
    assert.deepEqual(
      doc.problems.map((p) => [p.code, p.severity]),
      [["toml-1.1-syntax", "warning"]],
      f,
    );
  }
});

test("toml-test, TOML 1.1.0 files, TOML 1.1 mode: accepts every valid file, rejects all but the undecodable invalid ones", () => {
  requireDir(suiteDir);
  const r = runSuite("files-toml-1.1.0", { version: "1.1" });
  assert.equal(r.valid.length, 220);
  assert.equal(r.invalid.length, 492);
  assert.deepEqual(r.wronglyRejected, []);
  assert.deepEqual(r.wrongValues, []);
  assert.deepEqual(r.readAnyway, []);
  assert.deepEqual(
    r.notFlagged.filter((f) => !f.startsWith("invalid/encoding/")),
    [],
  );
  assert.ok(r.notFlagged.length <= 6, r.notFlagged.join(", "));
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
      assert.deepEqual(
        byExtension.problems.filter((p) => p.severity === "error"),
        [],
        f,
      );
      assert.ok(byExtension.root.entries.length > 0, f);
    }
  }
  assert.ok(configs.length >= 55, `${configs.length} wrangler configs found`);
});
