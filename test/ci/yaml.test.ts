import { test } from "node:test";
import assert from "node:assert/strict";
import { parseYaml, valueLineSpan, valueSpan } from "../../server/src/core/parse/yaml.js";
import { get, toJS, type ScalarNode } from "../../server/src/core/parse/tree.js";
import { tokenize } from "../../server/src/core/ci/scripts.js";

const slice = (text: string, s: { start: number; end: number } | undefined) =>
  s ? text.slice(s.start, s.end) : undefined;

test("yaml: keys and values have spans; anchors, aliases and merge keys are resolved", () => {
  const text = "base: &b\n  image: node\n  tags: [a, b]\njob:\n  <<: *b\n  image: bun\ncopy: *b\n";
  const d = parseYaml(text);
  assert.deepEqual(d.problems, []);
  assert.deepEqual(toJS(d.root), {
    base: { image: "node", tags: ["a", "b"] },
    job: { tags: ["a", "b"], image: "bun" },
    copy: { image: "node", tags: ["a", "b"] },
  });
  const job = d.root!.entries.find((e) => e.key === "job")!;
  assert.equal(slice(text, job.keySpan), "job");
  assert.equal(slice(text, get(job.value, "image")!.span), "bun");
});

test("yaml: lines of literal, folded and quoted scalars map back to their exact source", () => {
  const text = [
    "run: |",
    "  echo hi",
    "    npx wrangler deploy --env production",
    "  done",
    "folded: >-",
    "  pages deploy dist",
    "  --project-name=x",
    'quoted: "npx wrangler deploy \\"--env\\" staging"',
    "single: 'it''s wrangler deploy'",
    "",
  ].join("\n");
  const d = parseYaml(text);
  const run = get(d.root, "run") as ScalarNode;
  assert.equal(slice(text, valueLineSpan(run, 1)), "  npx wrangler deploy --env production");
  const line1 = (run.value as string).indexOf("npx");
  assert.equal(slice(text, valueSpan(run, line1, line1 + "npx wrangler deploy".length)), "npx wrangler deploy");
  const folded = get(d.root, "folded") as ScalarNode;
  assert.equal(folded.value, "pages deploy dist --project-name=x");
  const v = folded.value as string;
  const p = v.indexOf("--project");
  assert.equal(slice(text, valueSpan(folded, p, v.length)), "--project-name=x");
  const quoted = get(d.root, "quoted") as ScalarNode;
  const q = (quoted.value as string).indexOf("staging");
  assert.equal(slice(text, valueSpan(quoted, q, q + 7)), "staging");
  const single = get(d.root, "single") as ScalarNode;
  const s = (single.value as string).indexOf("wrangler");
  assert.equal(slice(text, valueSpan(single, s, s + 8)), "wrangler");
});

test("yaml: syntax errors become problems with ranges, never exceptions", () => {
  for (const bad of ["a: [1, 2\nb: c", "key: 'unterminated", "\t- x: y", ": : :", "a:\n  - b\n c: d", "&x a: *y"]) {
    const d = parseYaml(bad);
    assert.ok(d.problems.length > 0, bad);
    for (const p of d.problems) {
      assert.equal(p.code, "yaml-syntax");
      assert.ok(p.span.start >= 0 && p.span.end >= p.span.start && p.span.end <= bad.length + 1, bad);
    }
  }
  assert.deepEqual(parseYaml("").root?.entries, []);
});

test("shell tokenizer: operators, quotes, substitutions, heredocs, continuations, redirections", () => {
  const text =
    'A=1 npx wrangler deploy --var X:$(git rev-parse --short HEAD) && echo ok | tee f > out 2>&1\ncat <<EOF > w.toml\nwrangler deploy\nEOF\nwrangler \\\n  deploy --env "${{ matrix.env }}" # comment\n';
  const segs = tokenize(text).segments.map((s) => s.words.filter((w) => !w.redirect).map((w) => w.text));
  assert.deepEqual(segs, [
    ["A=1", "npx", "wrangler", "deploy", "--var", "X:$(git rev-parse --short HEAD)"],
    ["echo", "ok"],
    ["tee", "f"],
    ["cat"],
    ["wrangler", "deploy", "--env", "${{ matrix.env }}"],
  ]);
  assert.deepEqual(
    tokenize(text).segments[0]!.substitutions?.map((s) => text.slice(s.start, s.end)),
    ["git rev-parse --short HEAD"],
  );
});
