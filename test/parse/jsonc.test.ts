import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseJsonc } from "../../server/src/core/parse/jsonc.js";
import { configFormat, parseConfigText } from "../../server/src/core/parse/index.js";
import { arr, entry, get, toJS } from "../../server/src/core/parse/tree.js";
import { LineIndex } from "../../server/src/core/source.js";
import type { Span } from "../../server/src/core/source.js";

const fixtures = resolve(__dirname, "../fixtures/parse");
const read = (name: string) => readFileSync(resolve(fixtures, name), "utf8");
const at = (text: string, s: Span) => text.slice(s.start, s.end);

test("trailing commas are accepted, spans of keys and values (cloudflare/workers-sdk secrets-store fixture)", () => {
  const text = read("secrets-store.wrangler.jsonc");
  const doc = parseJsonc(text);
  assert.deepEqual(doc.problems, []);
  const root = doc.root!;
  assert.deepEqual(toJS(root), {
    $schema: "./node_modules/wrangler/config-schema.json",
    compatibility_date: "2025-01-01",
    main: "src/index.ts",
    name: "secret-store",
    secrets_store_secrets: [
      { binding: "SECRET", secret_name: "secret_name", store_id: "a3fb907f446e4d94bd946d7ea6365b1c" },
    ],
  });
  assert.equal(at(text, root.span), text.trimEnd());
  const secrets = entry(root, "secrets_store_secrets")!;
  assert.equal(at(text, secrets.keySpan), '"secrets_store_secrets"');
  assert.ok(at(text, secrets.value.span).startsWith("[\n\t\t{"));
  assert.ok(at(text, secrets.value.span).endsWith("},\n\t]"));
  const first = arr(secrets.value)[0]!;
  assert.equal(first.kind, "object");
  const store = entry(first, "store_id")!;
  assert.equal(at(text, store.keySpan), '"store_id"');
  assert.equal(at(text, store.value.span), '"a3fb907f446e4d94bd946d7ea6365b1c"');
  assert.equal(new LineIndex(text).positionAt(store.keySpan.start).line, 9);
});

test("block and line comments are accepted (cloudflare/templates workflows-starter)", () => {
  const text = read("workflows-starter.wrangler.jsonc");
  const doc = parseJsonc(text);
  assert.deepEqual(doc.problems, []);
  const root = doc.root!;
  assert.deepEqual(
    root.entries.map((e) => e.key),
    [
      "$schema",
      "name",
      "main",
      "compatibility_date",
      "assets",
      "observability",
      "workflows",
      "durable_objects",
      "migrations",
      "upload_source_maps",
    ],
  );
  const workflows = entry(root, "workflows")!;
  assert.equal(workflows.keySpan.start, text.indexOf('"workflows"'));
  const wf = arr(workflows.value)[0]!;
  assert.equal(at(text, entry(wf, "class_name")!.value.span), '"MyWorkflow"');
  const upload = entry(root, "upload_source_maps")!;
  assert.equal(upload.value.kind, "boolean");
  assert.equal(at(text, upload.value.span), "true");
  const classes = get(arr(get(root, "migrations"))[0], "new_sqlite_classes")!;
  assert.equal(at(text, classes.span), '["WorkflowStatusDO"]');
  assert.equal(at(text, arr(classes)[0]!.span), '"WorkflowStatusDO"');
});

test("scalar kinds and nested spans", () => {
  const text = '{"n": -1.5e3, "t": false, "z": null, "s": "a\\u00e9", "o": {"deep": [1, {"k": "v"}]}}';
  const doc = parseJsonc(text);
  assert.deepEqual(doc.problems, []);
  const root = doc.root!;
  assert.deepEqual(toJS(root), { n: -1500, t: false, z: null, s: "aé", o: { deep: [1, { k: "v" }] } });
  assert.deepEqual(
    root.entries.map((e) => e.value.kind),
    ["number", "boolean", "null", "string", "object"],
  );
  assert.equal(at(text, get(root, "s")!.span), '"a\\u00e9"');
  const k = entry(arr(get(get(root, "o"), "deep"))[1], "k")!;
  assert.equal(at(text, k.keySpan), '"k"');
  assert.equal(at(text, k.value.span), '"v"');
});

test("duplicate keys keep the last value, like JSON.parse, with a warning at the later key", () => {
  const text = '{\n  "name": "first",\n  "main": "x.ts",\n  "name": "second"\n}';
  const doc = parseJsonc(text);
  assert.deepEqual(toJS(doc.root), JSON.parse(text));
  assert.deepEqual(
    doc.root!.entries.map((e) => e.key),
    Object.keys(JSON.parse(text)),
  );
  assert.equal(doc.problems.length, 1);
  const p = doc.problems[0]!;
  assert.equal(p.code, "duplicate-key");
  assert.equal(p.severity, "warning");
  assert.match(p.message, /"name"/);
  assert.equal(new LineIndex(text).positionAt(p.span.start).line, 3);
  assert.equal(at(text, p.span), '"name"');
  const name = entry(doc.root, "name")!;
  assert.equal(at(text, name.keySpan), '"name"');
  assert.equal(name.keySpan.start, text.lastIndexOf('"name"'));
  assert.equal(at(text, name.value.span), '"second"');
});

test("syntax errors: problems on the right line, and the partial tree is kept", () => {
  const text = '{\n  "name": "w",\n  "main": "src/index.ts"\n  "vars": { "A": "1" }\n}\n';
  const doc = parseJsonc(text);
  assert.ok(doc.root);
  assert.deepEqual(toJS(doc.root), { name: "w", main: "src/index.ts", vars: { A: "1" } });
  assert.equal(doc.problems.length, 1);
  const p = doc.problems[0]!;
  assert.equal(p.code, "json-syntax");
  assert.equal(p.severity, "error");
  assert.match(p.message, /CommaExpected/);
  assert.equal(new LineIndex(text).positionAt(p.span.start).line, 3);
  assert.ok(p.span.end > p.span.start);

  // Unclosed at the end of the file: reported on the last line that has text, once.
  const open = '{\n  "name": "w",\n  "kv_namespaces": [\n    { "binding": "KV" }\n\n';
  const d2 = parseJsonc(open);
  assert.deepEqual(toJS(d2.root), { name: "w", kv_namespaces: [{ binding: "KV" }] });
  assert.equal(d2.problems.length, 1, JSON.stringify(d2.problems));
  assert.equal(new LineIndex(open).positionAt(d2.problems[0]!.span.start).line, 3);

  // A property without a value is left out of the tree.
  const missing = '{ "name": , "main": "m.ts" }';
  const d3 = parseJsonc(missing);
  assert.deepEqual(toJS(d3.root), { main: "m.ts" });
  assert.ok(d3.problems.some((q) => q.code === "json-syntax" && /ValueExpected/.test(q.message)));
});

test("a top level that is not an object gives no tree and a problem saying so", () => {
  for (const [text, what] of [
    ["[1, 2]", "an array"],
    ['"wrangler"', "a string"],
    ["null", "null"],
    ["42", "a number"],
  ] as const) {
    const doc = parseJsonc(text);
    assert.equal(doc.root, undefined);
    const p = doc.problems.find((q) => q.code === "json-not-object");
    assert.ok(p, text);
    assert.equal(p.severity, "error");
    assert.ok(p.message.includes(what), p.message);
    assert.deepEqual(p.span, { start: 0, end: text.length });
  }
  for (const text of ["", "   \n", "// just a comment\n"]) {
    const doc = parseJsonc(text);
    assert.equal(doc.root, undefined);
    assert.equal(doc.problems.length, 1);
    assert.equal(doc.problems[0]!.code, "json-syntax");
  }
});

test("a byte order mark is accepted and offsets stay those of the text", () => {
  const text = '\uFEFF{ "name": "w" }';
  const doc = parseJsonc(text);
  assert.deepEqual(doc.problems, []);
  assert.equal(at(text, entry(doc.root, "name")!.value.span), '"w"');
});

test("every prefix of the fixtures parses without throwing; spans stay inside the text", () => {
  for (const name of ["secrets-store.wrangler.jsonc", "workflows-starter.wrangler.jsonc"]) {
    const text = read(name);
    for (let i = 0; i <= text.length; i++) {
      const part = text.slice(0, i);
      const doc = parseJsonc(part);
      if (i < text.trimEnd().length)
        assert.ok(
          doc.problems.some((p) => p.severity === "error"),
          `prefix ${i} of ${name}`,
        );
      for (const p of doc.problems)
        assert.ok(p.span.start >= 0 && p.span.start <= p.span.end && p.span.end <= part.length);
    }
  }
});

test("parseConfigText chooses the parser by extension and never throws", () => {
  assert.equal(configFormat("a/wrangler.toml"), "toml");
  assert.equal(configFormat("wrangler.json"), "jsonc");
  assert.equal(configFormat("C:\\work\\WRANGLER.JSONC"), "jsonc");
  assert.equal(configFormat("wrangler.yaml"), undefined);

  const toml = parseConfigText("dir/wrangler.toml", 'name = "t"\n');
  assert.deepEqual(toJS(toml.root), { name: "t" });
  const json = parseConfigText("wrangler.json", '{ "name": "j", }');
  assert.deepEqual(toJS(json.root), { name: "j" });
  assert.deepEqual(json.problems, []);
  const jsonc = parseConfigText("wrangler.jsonc", '{ /* c */ "name": "c" }');
  assert.deepEqual(toJS(jsonc.root), { name: "c" });

  // The same text, read by the other parser, fails cleanly.
  const wrong = parseConfigText("wrangler.json", 'name = "t"\n');
  assert.equal(wrong.root, undefined);
  assert.ok(
    wrong.problems.length > 0 && wrong.problems.every((p) => p.code === "json-syntax" || p.code === "json-not-object"),
  );
  const wrong2 = parseConfigText("wrangler.toml", '{ "name": "j" }');
  assert.equal(wrong2.root, undefined);
  assert.equal(wrong2.problems[0]!.code, "toml-syntax");

  const other = parseConfigText("wrangler.yaml", "name: x\n");
  assert.equal(other.root, undefined);
  assert.equal(other.problems[0]!.code, "unsupported-config-format");

  // Deep nesting must not escape as an exception.
  for (const [p, t] of [
    ["deep.json", "[".repeat(200_000)],
    ["deep.jsonc", '{"a":'.repeat(100_000)],
    ["deep.toml", "a = " + "[".repeat(100_000)],
  ] as const) {
    const doc = parseConfigText(p, t);
    assert.equal(doc.root, undefined, p);
    assert.ok(doc.problems.length > 0, p);
  }
});

test("a block comment opened at the very end keeps every node inside the text (jsonc-parser measures it one past)", () => {
  for (const text of ['{"name": "api", "vars": [/*', '{"kv_namespaces": [{"binding": "KV"}, /*', '{"a": {"b": /*']) {
    const doc = parseJsonc(text);
    assert.ok(doc.problems.length > 0, text);
    const spans: Span[] = doc.problems.map((p) => p.span);
    const walk = (n: ReturnType<typeof get>) => {
      if (!n) return;
      spans.push(n.span);
      if (n.kind === "object") {
        for (const e of n.entries) {
          spans.push(e.keySpan);
          walk(e.value);
        }
      }
      if (n.kind === "array") n.items.forEach(walk);
    };
    walk(doc.root);
    for (const s of spans)
      assert.ok(0 <= s.start && s.start <= s.end && s.end <= text.length, `${text}: ${JSON.stringify(s)}`);
  }
});
