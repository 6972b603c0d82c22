import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseToml } from "../../server/src/core/parse/toml.js";
import { arr, entry, get, toJS } from "../../server/src/core/parse/tree.js";
import type { Node, ParsedDocument } from "../../server/src/core/parse/tree.js";
import { LineIndex } from "../../server/src/core/source.js";
import type { Span } from "../../server/src/core/source.js";

const fixtures = resolve(__dirname, "../fixtures/parse");
const read = (name: string) => readFileSync(resolve(fixtures, name), "utf8");
const at = (text: string, s: Span) => text.slice(s.start, s.end);

/** Follows a path of keys and array indexes. */
function path(node: Node | undefined, ...keys: (string | number)[]): Node | undefined {
  let n = node;
  for (const k of keys) n = typeof k === "number" ? arr(n)[k] : get(n, k);
  return n;
}

function ok(doc: ParsedDocument) {
  assert.deepEqual(doc.problems, []);
  assert.ok(doc.root, "expected a tree");
  return doc.root;
}

test("env tables, an inline table in an array and an array of tables under an env (oracle case env-production)", () => {
  const text = read("env-production.wrangler.toml");
  const root = ok(parseToml(text));
  assert.deepEqual(toJS(root), {
    name: "envy-worker",
    main: "src/index.js",
    compatibility_date: "2025-01-01",
    env: {
      production: {
        workers_dev: false,
        routes: [{ pattern: "prod.example.com/*", zone_name: "example.com" }],
        kv_namespaces: [{ binding: "KV", id: "cccccccccccccccccccccccccccccccc" }],
      },
    },
  });
  assert.deepEqual(root.span, { start: 0, end: text.length });
  const name = entry(root, "name")!;
  assert.equal(at(text, name.keySpan), "name");
  assert.equal(at(text, name.value.span), '"envy-worker"');

  // `env` is created implicitly by the first header that names it: its key and span are in that header.
  const env = entry(root, "env")!;
  assert.equal(at(text, env.value.span), "[env.production]");
  assert.equal(env.keySpan.start, text.indexOf("[env.production]") + 1);
  assert.equal(at(text, env.keySpan), "env");

  const production = entry(env.value, "production")!;
  assert.equal(at(text, production.keySpan), "production");
  assert.equal(production.keySpan.start, text.indexOf("production]"));
  // A header table runs from its header to the end of its last key/value (not into the next header).
  assert.equal(
    at(text, production.value.span),
    '[env.production]\nworkers_dev = false\nroutes = [ { pattern = "prod.example.com/*", zone_name = "example.com" } ]',
  );
  const routes = get(production.value, "routes")!;
  assert.equal(at(text, routes.span), '[ { pattern = "prod.example.com/*", zone_name = "example.com" } ]');
  const route0 = path(routes, 0)!;
  assert.equal(route0.kind, "object");
  assert.equal(at(text, route0.span), '{ pattern = "prod.example.com/*", zone_name = "example.com" }');
  const zone = entry(route0, "zone_name")!;
  assert.equal(at(text, zone.keySpan), "zone_name");
  assert.equal(at(text, zone.value.span), '"example.com"');

  // [[env.production.kv_namespaces]]: the key is the header's last segment; the element runs through its last key.
  const kv = entry(production.value, "kv_namespaces")!;
  assert.equal(kv.keySpan.start, text.indexOf("kv_namespaces]]"));
  assert.equal(at(text, kv.keySpan), "kv_namespaces");
  assert.equal(kv.value.kind, "array");
  assert.equal(
    at(text, path(kv.value, 0)!.span),
    '[[env.production.kv_namespaces]]\nbinding = "KV"\nid = "cccccccccccccccccccccccccccccccc"',
  );
  const id = entry(path(kv.value, 0), "id")!;
  assert.equal(at(text, id.value.span), '"cccccccccccccccccccccccccccccccc"');
  assert.equal(new LineIndex(text).positionAt(id.keySpan.start).line, 8);
});

test("real config with a plain table and an array of tables (cloudflare/d1-northwind worker)", () => {
  const text = read("northwind-worker.wrangler.toml");
  const root = ok(parseToml(text));
  const placement = entry(root, "placement")!;
  assert.equal(at(text, placement.keySpan), "placement");
  assert.equal(at(text, placement.value.span), '[placement]\nmode = "smart"');
  const d1 = entry(root, "d1_databases")!;
  assert.equal(at(text, d1.keySpan), "d1_databases");
  assert.equal(arr(d1.value).length, 1);
  const db = path(d1.value, 0)!;
  assert.ok(at(text, db.span).startsWith("[[d1_databases]]\nbinding"));
  assert.ok(at(text, db.span).endsWith('"d5b1d127-1d3f-467e-953b-cbc69f0a9e06"'));
  assert.equal(at(text, entry(db, "database_name")!.value.span), '"northwind"');
  assert.equal(at(text, entry(root, "route")!.value.span), '"api.northwind.d1sql.com/*"');
});

test("tables in pieces, dotted keys, arrays of tables split by other tables, inline tables, datetimes", () => {
  const text = read("pieces.wrangler.toml");
  const root = ok(parseToml(text));
  assert.deepEqual(toJS(root), {
    name: "pieces",
    main: "src/index.ts",
    compatibility_date: "2025-01-01",
    site: { bucket: "./public", include: ["*.html"] },
    vars: { GREETING: "héllo 👋", "QUOTED.KEY": "x", nested: { deep: true } },
    kv_namespaces: [
      { binding: "CACHE", id: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
      { binding: "SESSIONS", id: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" },
    ],
    env: {
      staging: { vars: { LEVEL: "debug" }, name: "pieces-staging" },
      production: {
        route: { pattern: "example.com/*", zone_name: "example.com" },
        triggers: { crons: ["0 * * * *"] },
        r2_buckets: [
          {
            binding: "B",
            bucket_name: "b-prod",
            created: "2024-01-02T03:04:05Z",
            options: { note: "options of the last r2 bucket" },
          },
        ],
      },
    },
  });
  // Each key appears once, in first-definition order.
  assert.deepEqual(
    root.entries.map((e) => e.key),
    ["name", "main", "compatibility_date", "site", "vars", "kv_namespaces", "env"],
  );

  // Dotted keys: the key span is the last segment; the implicit table spans the key/values that build it.
  const site = entry(root, "site")!;
  assert.equal(at(text, site.keySpan), "site");
  assert.equal(site.keySpan.start, text.indexOf("site.bucket"));
  assert.equal(at(text, site.value.span), 'site.bucket = "./public"\nsite.include = ["*.html"]');
  const include = entry(site.value, "include")!;
  assert.equal(include.keySpan.start, text.indexOf("include"));
  assert.equal(at(text, include.value.span), '["*.html"]');

  // Inline table with a quoted key, a dotted key and non-BMP text before later spans (UTF-16 offsets).
  const vars = entry(root, "vars")!;
  assert.equal(at(text, vars.value.span), `{ GREETING = "héllo 👋", "QUOTED.KEY" = 'x', nested.deep = true }`);
  assert.equal(at(text, entry(vars.value, "GREETING")!.value.span), '"héllo 👋"');
  assert.equal(at(text, entry(vars.value, "QUOTED.KEY")!.keySpan), '"QUOTED.KEY"');
  assert.equal(at(text, entry(vars.value, "QUOTED.KEY")!.value.span), "'x'");
  const deep = entry(get(vars.value, "nested"), "deep")!;
  assert.equal(at(text, deep.keySpan), "deep");
  assert.equal(at(text, deep.value.span), "true");
  assert.equal(deep.value.kind, "boolean");

  // [[kv_namespaces]] defined twice with [env.staging.vars] in between: one array of two tables.
  const kv = entry(root, "kv_namespaces")!;
  assert.equal(kv.keySpan.start, text.indexOf("kv_namespaces]]"));
  const second = path(kv.value, 1)!;
  assert.equal(second.span.start, text.lastIndexOf("[[kv_namespaces]]"));
  assert.equal(at(text, entry(second, "binding")!.value.span), '"SESSIONS"');
  assert.equal(kv.value.span.start, text.indexOf("[[kv_namespaces]]"));
  assert.equal(kv.value.span.end, second.span.end);

  // env.staging: first created by [env.staging.vars], later defined by its own header, which then gives its spans.
  const env = entry(root, "env")!;
  assert.equal(at(text, env.value.span), "[env.staging.vars]");
  const staging = entry(env.value, "staging")!;
  assert.equal(at(text, staging.value.span), '[env.staging]\nname = "pieces-staging"');
  assert.equal(staging.keySpan.start, text.indexOf("[env.staging]") + 5);
  assert.equal(at(text, entry(staging.value, "vars")!.value.span), '[env.staging.vars]\nLEVEL = "debug"');

  // Dotted key inside a header table, and a sub-table of the last element of an array of tables.
  const production = get(env.value, "production")!;
  const crons = entry(get(production, "triggers"), "crons")!;
  assert.equal(at(text, crons.keySpan), "crons");
  assert.equal(at(text, path(crons.value, 0)!.span), '"0 * * * *"');
  const bucket = path(production, "r2_buckets", 0)!;
  const created = get(bucket, "created")!;
  assert.equal(created.kind, "datetime");
  assert.equal(at(text, created.span), "2024-01-02T03:04:05Z");
  const options = entry(bucket, "options")!;
  assert.equal(options.keySpan.start, text.indexOf("options]"));
  assert.equal(
    at(text, options.value.span),
    '[env.production.r2_buckets.options]\nnote = "options of the last r2 bucket"',
  );
});

test("value kinds: integers, floats, booleans, local dates and times, multi-line strings, nested arrays", () => {
  const text = [
    "a = 0x1F",
    "b = 1_000",
    "c = -3.5e2",
    "d = inf",
    "e = 1979-05-27",
    "f = 07:32:00",
    "g = 1979-05-27 07:32:00.5",
    'h = """',
    "two",
    'lines"""',
    "i = [[1, 2], ['x']]",
    "j = {}",
    "",
  ].join("\n");
  const root = ok(parseToml(text));
  assert.deepEqual(toJS(root), {
    a: 31,
    b: 1000,
    c: -350,
    d: Infinity,
    e: "1979-05-27",
    f: "07:32:00",
    g: "1979-05-27 07:32:00.5",
    h: "two\nlines",
    i: [[1, 2], ["x"]],
    j: {},
  });
  assert.deepEqual(
    root.entries.map((e) => e.value.kind),
    ["number", "number", "number", "number", "datetime", "datetime", "datetime", "string", "array", "object"],
  );
  assert.equal(at(text, get(root, "h")!.span), '"""\ntwo\nlines"""');
  assert.equal(at(text, path(root, "i", 1, 0)!.span), "'x'");
  assert.equal(at(text, get(root, "j")!.span), "{}");
});

test("an empty document is an empty table", () => {
  for (const text of ["", "\n\n", "# only a comment\n"]) {
    const root = ok(parseToml(text));
    assert.deepEqual(root.entries, []);
    assert.deepEqual(root.span, { start: 0, end: text.length });
  }
});

test("CRLF line ends and a byte order mark keep offsets right", () => {
  const text = '\uFEFFname = "w"\r\n[vars]\r\nA = "1"\r\n';
  const root = ok(parseToml(text));
  assert.equal(at(text, entry(root, "name")!.keySpan), "name");
  const a = entry(get(root, "vars"), "A")!;
  assert.equal(at(text, a.keySpan), "A");
  assert.equal(at(text, a.value.span), '"1"');
  assert.equal(at(text, get(root, "vars")!.span), '[vars]\r\nA = "1"');
});

/** The 0-based line of a document's only problem, after checking it is a TOML syntax error. */
function problemLine(text: string): number {
  const doc = parseToml(text);
  assert.equal(doc.root, undefined);
  assert.equal(doc.problems.length, 1, JSON.stringify(doc.problems));
  const p = doc.problems[0]!;
  assert.equal(p.code, "toml-syntax");
  assert.equal(p.severity, "error");
  assert.ok(p.message.length > 10);
  assert.ok(p.span.end > p.span.start, "the span is at least one character wide");
  return new LineIndex(text).positionAt(p.span.start).line;
}

test("syntax errors become one problem on the right line, without throwing", () => {
  assert.equal(problemLine('name = "w"\nmain = "src/index.ts\ncompatibility_date = "2025-01-01"\n'), 1);
  assert.equal(problemLine('name = "w"\n[vars]\nA = 1\nB = \n'), 3);
  assert.equal(problemLine('name = "w"\nroutes = [\n  "a.com/*",\n\n\n'), 2); // unterminated at the end: the last line with text
  assert.equal(problemLine("name = 'w' main = 'x'\n"), 0);
  assert.equal(problemLine('[env.production]\nname = "a"\n[env.production]\nname = "b"\n'), 2);
  assert.equal(problemLine("a = 1\r\nb = 2\rc = 3\n"), 1); // a bare CR is not a line break
});

test("TOML 1.1 syntax (wrangler's reader accepts it): read with a warning by default, an error in strict TOML 1.0", () => {
  const text = 'name = "w"\nvars = {\n  A = "1",\n  B = "2",\n}\n';
  const doc = parseToml(text);
  assert.ok(doc.root);
  assert.deepEqual(toJS(doc.root), { name: "w", vars: { A: "1", B: "2" } });
  assert.equal(at(text, get(doc.root, "vars")!.span), '{\n  A = "1",\n  B = "2",\n}');
  assert.equal(at(text, get(get(doc.root, "vars"), "B")!.span), '"2"');
  assert.equal(doc.problems.length, 1);
  const w = doc.problems[0]!;
  assert.equal(w.code, "toml-1.1-syntax");
  assert.equal(w.severity, "warning");
  assert.match(w.message, /TOML 1\.1/);
  assert.equal(new LineIndex(text).positionAt(w.span.start).line, 2); // where TOML 1.0 stops: the inline table's 2nd line

  const strict = parseToml(text, { version: "1.0-strict" });
  assert.equal(strict.root, undefined);
  assert.deepEqual(
    strict.problems.map((p) => [p.code, p.severity, p.span]),
    [["toml-syntax", "error", w.span]],
  );

  const v11 = parseToml(text, { version: "1.1" });
  assert.deepEqual(v11.problems, []);
  assert.deepEqual(toJS(v11.root), toJS(doc.root));

  // Real errors stay errors in every mode.
  for (const version of ["1.0", "1.0-strict", "1.1"] as const) {
    const bad = parseToml('vars = {\n  A = "1",,\n}\n', { version });
    assert.equal(bad.root, undefined, version);
    assert.equal(bad.problems[0]!.code, "toml-syntax");
  }
  // Times without seconds: TOML 1.1 only.
  const t = parseToml("at = 07:32\n");
  assert.deepEqual(get(t.root, "at"), { kind: "datetime", span: { start: 5, end: 10 }, value: "07:32" });
  assert.deepEqual(
    t.problems.map((p) => p.code),
    ["toml-1.1-syntax"],
  );
});

test("duplicate keys are errors that name the key and point at its second definition", () => {
  const text = 'name = "a"\n[vars]\nX = "1"\nX = "2"\n';
  const doc = parseToml(text);
  assert.equal(doc.root, undefined);
  const p = doc.problems[0]!;
  assert.equal(p.code, "toml-syntax");
  assert.match(p.message, /Duplicate key "X"/);
  assert.equal(p.span.start, text.lastIndexOf("X"));
  assert.equal(at(text, p.span), "X");

  const dotted = 'site.bucket = "a"\n[site]\nbucket = "b"\n';
  const d = parseToml(dotted);
  assert.equal(d.root, undefined);
  assert.equal(new LineIndex(dotted).positionAt(d.problems[0]!.span.start).line, 1);
});

test("every prefix of the fixtures parses without throwing, with problem spans inside the text", () => {
  for (const name of ["env-production.wrangler.toml", "pieces.wrangler.toml", "northwind-worker.wrangler.toml"]) {
    const text = read(name);
    let rejected = 0;
    for (let i = 0; i <= text.length; i++) {
      const part = text.slice(0, i);
      const doc = parseToml(part);
      if (!doc.root) rejected++;
      assert.equal(
        doc.root === undefined,
        doc.problems.some((p) => p.severity === "error"),
      );
      for (const p of doc.problems)
        assert.ok(p.span.start >= 0 && p.span.start <= p.span.end && p.span.end <= part.length);
    }
    assert.ok(
      rejected > 0 && rejected < text.length,
      `${name}: some prefixes are valid TOML and some are not (${rejected})`,
    );
  }
});

test("large tables: keys found again after many entries (tables in pieces, arrays of tables, dotted keys)", () => {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) lines.push(`k${i} = ${i}`);
  lines.push("a.x = 1", "a.y = 2");
  for (let i = 0; i < 20; i++)
    lines.push(
      `[env.e${i}]`,
      `name = "w${i}"`,
      `[[env.e${i}.kv_namespaces]]`,
      `binding = "A"`,
      `[[env.e${i}.kv_namespaces]]`,
      `binding = "B"`,
    );
  for (let i = 0; i < 20; i++) lines.push(`[env.e${i}.vars]`, `V = ${i}`);
  const text = lines.join("\n") + "\n";
  const root = ok(parseToml(text));
  assert.equal(root.entries.length, 42);
  assert.deepEqual(toJS(get(root, "a")), { x: 1, y: 2 });
  const env = get(root, "env")!;
  assert.equal(env.kind === "object" && env.entries.length, 20);
  for (let i = 0; i < 20; i++) {
    const e = get(env, `e${i}`);
    assert.deepEqual(toJS(e), { name: `w${i}`, kv_namespaces: [{ binding: "A" }, { binding: "B" }], vars: { V: i } });
    assert.equal(at(text, entry(e, "vars")!.value.span), `[env.e${i}.vars]\nV = ${i}`);
  }
  assert.equal(at(text, get(root, "k39")!.span), "39");
});
