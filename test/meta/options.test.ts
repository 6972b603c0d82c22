// One options schema (server/src/core/options.ts) serves the editor settings, the project file and the CLI
// flags: package.json declares exactly its options with the same type, enum and default; the project file is
// read through it (bad values are warnings at their place, prototype keys are refused); the settings the server
// takes are normalised by it; the CLI flags are checked by it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MemoryHost } from "../../server/src/core/host.js";
import { OPTIONS_SCHEMA, normalizeOptions, optionJsonSchema, type OptionName } from "../../server/src/core/options.js";
import { withProjectConfig, type ProjectOptions } from "../../server/src/core/project-options.js";
import { optionFlags } from "../../server/src/cli/args.js";

const root = join(import.meta.dirname, "..", "..");
type Prop = Record<string, unknown>;
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  contributes: { configuration: { properties: Record<string, Prop> } };
};
const props = pkg.contributes.configuration.properties;

/** The parts of a JSON Schema the options schema decides (descriptions and scopes are package.json's own). */
function typed(p: Prop): Prop {
  const out: Prop = {};
  for (const k of ["type", "enum", "default", "items", "additionalProperties"])
    if (k in p) out[k] = k === "items" || k === "additionalProperties" ? typed(p[k] as Prop) : p[k];
  return out;
}

test("package.json declares every option of the schema, and nothing else, with the schema's type, enum and default", () => {
  const names = Object.keys(OPTIONS_SCHEMA.shape) as OptionName[];
  assert.deepEqual(Object.keys(props).sort(), names.map((n) => `wranglerTokenLint.${n}`).sort());
  for (const n of names) assert.deepEqual(typed(props[`wranglerTokenLint.${n}`]!), optionJsonSchema(n), n);
  // Spot checks that the comparison sees what it should.
  assert.deepEqual(optionJsonSchema("rules"), {
    type: "object",
    additionalProperties: { type: "string", enum: ["error", "warning", "info", "off"] },
    default: {},
  });
  assert.deepEqual(optionJsonSchema("inlayHints"), { type: "boolean", default: true });
});

const PROJECT = "/p/.wrangler-token-lint.json";
const read = (text: string) => withProjectConfig<ProjectOptions>(new MemoryHost(new Map([[PROJECT, text]])), "/p", {});

test("the project file keeps its valid values and warns at each bad one", () => {
  const text =
    '{\n  "rules": { "all-zones": "loud", "no-expiry": "off" },\n  "tokenGlobs": ["infra/*.json", 3],\n  "tokenSecrets": { "a.json": "A", "b.json": ["B", false] },\n  "rule": {}\n}\n';
  const { options, problems } = read(text);
  assert.deepEqual(options.ruleSeverities, { "no-expiry": "off" });
  assert.deepEqual(options.tokenGlobs, ["infra/*.json"]);
  assert.deepEqual(options.tokenSecrets, { "a.json": ["A"], "b.json": ["B"] });
  const at = problems.map((p) => [p.code, p.message, text.slice(p.span.start, p.span.end)]);
  assert.deepEqual(at, [
    [
      "project-config",
      '"rule" is not an option of .wrangler-token-lint.json (known: rules, tokenGlobs, tokenSecrets)',
      '"rule"',
    ],
    ["project-config", 'rules.all-zones must be "error", "warning", "info" or "off"', '"loud"'],
    ["project-config", "tokenGlobs.1 must be a non-empty string", "3"],
    ["project-config", "tokenSecrets.b.json.1 must be a non-empty string", "false"],
  ]);
});

test("__proto__, constructor and prototype keys in the project file are refused, and no prototype changes", () => {
  const text =
    '{ "rules": { "__proto__": { "polluted": "error" }, "constructor": "off", "no-expiry": "warning" }, "tokenSecrets": { "__proto__": ["X"], "prototype": ["Y"], "t.json": ["T"] } }';
  const { options, problems } = read(text);
  assert.deepEqual(Object.keys(options.ruleSeverities!), ["no-expiry"]);
  assert.deepEqual(Object.keys(options.tokenSecrets!), ["t.json"]);
  assert.equal(Object.getPrototypeOf(options.ruleSeverities), Object.prototype);
  assert.equal(Object.getPrototypeOf(options.tokenSecrets), Object.prototype);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(
    problems.map((p) => [p.message, text.slice(p.span.start, p.span.end)]),
    [
      ['rules.__proto__ "__proto__" cannot be used as a key', '"__proto__"'],
      ['rules.constructor "constructor" cannot be used as a key', '"constructor"'],
      ['tokenSecrets.__proto__ "__proto__" cannot be used as a key', '"__proto__"'],
      ['tokenSecrets.prototype "prototype" cannot be used as a key', '"prototype"'],
    ],
  );
  // The same from a parsed JSON value (the editor's settings arrive that way).
  const fromJson = normalizeOptions(JSON.parse('{ "rules": { "__proto__": "error" } }'), ["rules"]);
  assert.deepEqual(fromJson.options.rules, {});
  assert.equal(fromJson.problems.length, 1);
});

test("the editor's settings or the CLI's flags win over the project file", () => {
  const host = new MemoryHost(
    new Map([
      [
        PROJECT,
        '{ "rules": { "no-expiry": "off", "all-zones": "info" }, "tokenGlobs": ["a/*.json"], "tokenSecrets": { "t.json": ["A"] } }',
      ],
    ]),
  );
  const { options } = withProjectConfig(host, "/p", {
    ruleSeverities: { "no-expiry": "error" },
    tokenGlobs: ["b/*.json"],
    tokenSecrets: { "u.json": ["B"] },
  });
  assert.deepEqual(options, {
    ruleSeverities: { "no-expiry": "error", "all-zones": "info" },
    tokenGlobs: ["b/*.json"],
    tokenSecrets: { "t.json": ["A"], "u.json": ["B"] },
  });
});

test("the CLI flags are read through the same schema", () => {
  const ids = new Set(["no-expiry", "all-zones"]);
  assert.deepEqual(
    optionFlags(
      [
        "--rule",
        "no-expiry=off",
        "check-dir",
        "--token-secret=t.json=A",
        "--token-secret",
        "t.json=B",
        "--token-glob",
        "x/*.json",
      ],
      ids,
    ),
    {
      rest: ["check-dir"],
      options: {
        ruleSeverities: { "no-expiry": "off" },
        tokenSecrets: { "t.json": ["A", "B"] },
        tokenGlobs: ["x/*.json"],
      },
    },
  );
  assert.deepEqual(optionFlags(["--rule", "no-expiry=loud"], ids), {
    error: '--rule no-expiry= must be "error", "warning", "info" or "off"',
  });
  assert.deepEqual(optionFlags(["--rule", "nope=off"], ids), { error: 'unknown rule "nope" in --rule' });
  assert.deepEqual(optionFlags(["--token-secret", "__proto__=X"], ids), {
    error: '--token-secret __proto__= "__proto__" cannot be used as a key',
  });
  assert.deepEqual(optionFlags(["--token-glob", ""], ids), { error: "--token-glob must be a non-empty string" });
  assert.deepEqual(optionFlags(["--rule", "no-expiry=off"], ids, ["token-glob"]), {
    rest: ["--rule", "no-expiry=off"],
    options: { ruleSeverities: {}, tokenSecrets: {}, tokenGlobs: [] },
  });
});
