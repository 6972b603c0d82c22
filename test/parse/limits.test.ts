// Reader limits on hostile inputs (issue 9): each gives a problem with a range inside the text, in bounded time
// (shown by the test finishing under the runner's timeout; no timing assertions). Small regression inputs live in
// test/fixtures/hostile/; large ones are generated here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseYaml } from "../../server/src/core/parse/yaml.js";
import {
  MAX_NESTING,
  MAX_PROBLEMS_PER_FILE,
  MAX_TEXT_LENGTH,
  MAX_YAML_ALIASES,
  MAX_YAML_NODES,
  textProblem,
} from "../../server/src/core/parse/limits.js";
import { parseJsonc } from "../../server/src/core/parse/jsonc.js";
import { MemoryHost } from "../../server/src/core/host.js";
import { analyzeWorkspace } from "../../server/src/core/workspace.js";
import type { Problem } from "../../server/src/core/problems.js";
import { get, type Node } from "../../server/src/core/parse/tree.js";

const HOSTILE = join(import.meta.dirname, "..", "fixtures", "hostile");
const read = (name: string) => readFileSync(join(HOSTILE, name), "utf8");

function inside(text: string, problems: Problem[]): void {
  for (const p of problems) {
    assert.ok(
      p.span.start >= 0 && p.span.start <= p.span.end && p.span.end <= text.length,
      `${p.code} ${JSON.stringify(p.span)} lies outside a ${text.length}-character text`,
    );
  }
}

function countNodes(n: Node | undefined): number {
  if (!n) return 0;
  if (n.kind === "object") return 1 + n.entries.reduce((s, e) => s + countNodes(e.value), 0);
  if (n.kind === "array") return 1 + n.items.reduce((s, i) => s + countNodes(i), 0);
  return 1;
}

test("YAML: nested flow mappings as keys are read in linear time (269 bytes once took 29 s and 3 GB)", () => {
  const text = read("flow-keys-30.yml");
  const doc = parseYaml(text);
  assert.deepEqual(doc.problems, []);
  assert.equal(get(doc.root, "on")?.kind, "string");
  // The complex key is named by its source text.
  const k1 = get(doc.root, "k1");
  assert.equal(k1?.kind, "object");
  if (k1?.kind === "object") assert.equal(k1.entries[0]!.key, "{".repeat(29) + "}".repeat(29));
});

test("YAML: an alias bomb stops at the node budget with one problem", () => {
  const text = read("alias-bomb.yml");
  const doc = parseYaml(text);
  const budget = doc.problems.filter((p) => p.code === "yaml-too-many-values");
  assert.equal(budget.length, 1, JSON.stringify(doc.problems));
  assert.equal(budget[0]!.severity, "error");
  assert.match(budget[0]!.message, /more than 200000 values/);
  inside(text, doc.problems);
  assert.ok(countNodes(doc.root) <= MAX_YAML_NODES + 10, "the tree stays within the budget");
  // What comes before the budget is read.
  assert.equal(get(doc.root, "on")?.kind, "string");
});

test("YAML: an alias inside its own anchor is read as null with a problem", () => {
  const text = read("alias-self.yml");
  const doc = parseYaml(text);
  assert.ok(
    doc.problems.some((p) => /refers to the node it is inside/.test(p.message)),
    JSON.stringify(doc.problems),
  );
  inside(text, doc.problems);
});

test("YAML: anchors used a few times keep their values (the budget is not hit by ordinary reuse)", () => {
  const text =
    "on: push\ndefaults: &d\n  runs-on: ubuntu-latest\n  env: { A: '1' }\njobs:\n  a: { <<: *d, name: a }\n  b:\n    <<: *d\n    runs-on: self-hosted\n";
  const doc = parseYaml(text);
  assert.deepEqual(doc.problems, []);
  const jobs = get(doc.root, "jobs");
  assert.equal((get(get(jobs, "a"), "runs-on") as { value: string }).value, "ubuntu-latest");
  assert.equal((get(get(jobs, "b"), "runs-on") as { value: string }).value, "self-hosted");
  assert.equal((get(get(get(jobs, "b"), "env"), "A") as { value: string }).value, "1");
});

test("YAML: 5,000-deep nesting (flow, and block sequences) gives nesting-too-deep once", () => {
  for (const text of [
    "on: push\nx: " + "[".repeat(5000) + "]".repeat(5000) + "\n",
    "on: push\nx: " + "{a: ".repeat(5000) + "b" + "}".repeat(5000) + "\n",
    "on: push\nx:\n  " + "- ".repeat(5000) + "x\n",
  ]) {
    const doc = parseYaml(text);
    const deep = doc.problems.filter((p) => p.code === "nesting-too-deep");
    assert.equal(deep.length, 1, `${text.slice(0, 30)}…: ${JSON.stringify(doc.problems.map((p) => p.code))}`);
    assert.match(deep[0]!.message, new RegExp(`deeper than ${MAX_NESTING} levels`));
    inside(text, doc.problems);
  }
});

test("YAML: problems at the end of a truncated file lie inside the text", () => {
  for (const text of ['on: push\nx: "abc', "on: push\nx: [a, b", "on: push\nx: {a: ", "on: push\nx: 'a"]) {
    const doc = parseYaml(text);
    assert.ok(doc.problems.length > 0, text);
    inside(text, doc.problems);
  }
});

test("text checks: too large, NUL bytes, invalid UTF-8", () => {
  assert.equal(textProblem("x".repeat(MAX_TEXT_LENGTH + 1))?.code, "file-too-large");
  assert.equal(textProblem("x".repeat(MAX_TEXT_LENGTH)), undefined);
  assert.deepEqual(textProblem('name = "w"\n\u0000\u0001')?.span, { start: 11, end: 12 });
  assert.equal(
    textProblem(
      Buffer.from([
        0xff, 0xfe, 0x80, 0x81, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0x80, 0x80,
      ]).toString("utf8"),
    )?.code,
    "not-text",
  );
  assert.equal(
    textProblem('name = "caf\u00e9 \ufffd"\n'),
    undefined,
    "one replacement character in a text is not binary",
  );
  assert.equal(parseYaml("on: push\n\u0000").problems[0]!.code, "not-text");
});

test("YAML: many aliases resolve in one walk (1,000 repeats of an alias-in-its-anchor line once took 27 s)", () => {
  const text = read("alias-self.yml").repeat(1000);
  const doc = parseYaml(text);
  const inside_ = doc.problems.filter((p) => /refers to the node it is inside/.test(p.message));
  // Each alias of each repeat is a problem at its place: the first MAX_PROBLEMS_PER_FILE are listed, the rest counted.
  assert.equal(inside_.length, MAX_PROBLEMS_PER_FILE);
  assert.equal(new Set(inside_.map((p) => p.span.start)).size, MAX_PROBLEMS_PER_FILE);
  assert.equal(
    doc.problems.at(-1)!.message,
    `${3000 - MAX_PROBLEMS_PER_FILE} more problems in this file are not listed (the first 100 are)`,
  );
  inside(text, doc.problems);
});

test("YAML: an alias takes the last anchor of its name before it, as the yaml package resolves it", () => {
  const text = "on: push\na: &x 1\nb: *x\nc: &x [2, *x]\nd: *x\n? &k key\n: v\ne: *k\n";
  const doc = parseYaml(text);
  const at = (k: string) => toPlain(get(doc.root, k));
  assert.equal(at("b"), 1);
  assert.deepEqual(at("c"), [2, null], "an alias inside its own anchor is null");
  assert.deepEqual(at("d"), [2, null]);
  assert.equal(at("e"), "key", "an anchor on a key is found too");
  assert.equal(doc.problems.length, 1, JSON.stringify(doc.problems));
});

function toPlain(n: Node | undefined): unknown {
  if (!n) return undefined;
  if (n.kind === "array") return n.items.map(toPlain);
  if (n.kind === "object") return Object.fromEntries(n.entries.map((e) => [e.key, toPlain(e.value)]));
  return n.value;
}

test("YAML and JSONC: a flood of syntax problems is listed up to the limit, the rest counted in one (the fuzz run's 400 KB broken flow mapping overflowed the stack)", () => {
  const seed = read("flow-keys-30.yml");
  let text = seed;
  while (text.length < 400_000) text += "\n" + seed;
  text = text.slice(0, 100) + text.slice(107); // seven characters cut, as the fuzz run's mutation does
  const yaml = parseYaml(text);
  assert.equal(yaml.problems.length, MAX_PROBLEMS_PER_FILE + 1);
  assert.match(yaml.problems.at(-1)!.message, /^\d+ more problems in this file are not listed \(the first 100 are\)$/);
  inside(text, yaml.problems);
  // Through the whole analysis: no throw, and the workflow's problems are the capped list.
  const ws = analyzeWorkspace(
    new MemoryHost(
      new Map([
        ["/w/.github/workflows/deploy.yml", text],
        ["/w/wrangler.toml", 'name = "a"\n'],
      ]),
    ),
    "/w",
    { today: "2026-12-03" },
  );
  assert.equal(
    ws.problems.filter((p) => p.file === "/w/.github/workflows/deploy.yml").length,
    MAX_PROBLEMS_PER_FILE + 1,
  );

  const json = parseJsonc("[" + "1 2 ".repeat(50_000) + "]");
  assert.equal(json.problems.length, MAX_PROBLEMS_PER_FILE + 1);
  assert.equal(json.problems.at(-1)!.code, "json-syntax");
});

test("YAML: a document with more aliases than the limit is not read, with one problem at the alias past it (the fuzz run's repeated alias bombs: 1.2 s and 340 MB)", () => {
  const seed = read("alias-bomb.yml");
  let text = seed;
  while (text.length < 938_000) text += "\n" + seed;
  const doc = parseYaml(text);
  assert.equal(doc.root, undefined);
  assert.equal(doc.problems.length, 1);
  const [p] = doc.problems;
  assert.equal(p!.code, "yaml-too-many-values");
  assert.match(p!.message, new RegExp(`more than ${MAX_YAML_ALIASES} aliases`));
  assert.equal(text[p!.span.start], "*");
  inside(text, doc.problems);
  // Stars that are not aliases do not count: quoted route patterns, cron fields, globs inside a quoted string.
  const stars = Array.from(
    { length: MAX_YAML_ALIASES + 10 },
    (_, i) => `  r${i}: ["*.example${i}.com/*", "0 * * * *", "ls *.js"]`,
  ).join("\n");
  const ok = parseYaml(`on: push\nroutes:\n${stars}\n`);
  assert.deepEqual(ok.problems, []);
  assert.ok(ok.root);
});
