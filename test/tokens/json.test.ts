import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { corpusDir, filesUnder, FIXTURES } from "./helpers.js";
import { looksLikeTokenJson, readJsonToken, readJsonTokens } from "../../server/src/core/tokens/json.js";

const read = (p: string) => readFileSync(p, "utf8");

test("a create-token body: ids, names and dashboard labels resolve through the catalog", () => {
  const f = join(FIXTURES, "json", "create-token.json");
  const text = read(f);
  assert.ok(looksLikeTokenJson(text));
  const tokens = readJsonToken(f, text);
  assert.equal(tokens.length, 1);
  const t = tokens[0]!;
  assert.equal(t.format, "api-json");
  assert.equal(t.owner, "unknown");
  assert.equal(t.name, "Workers deploy");
  assert.equal(text.slice(t.nameSpan!.start, t.nameSpan!.end), '"Workers deploy"');
  const [p1, p2] = t.policies;
  assert.deepEqual(
    p1!.groups.map((g) => [g.written, g.name, g.id]),
    [
      ["e086da7e2179491d91ee5f35b3ca210a", "Workers Scripts Write", "e086da7e2179491d91ee5f35b3ca210a"],
      ["Workers KV Storage: Edit", "Workers KV Storage Write", "f7f0eda5697f475c90846e879bab8666"],
      ["Made Up", undefined, "ffffffffffffffffffffffffffffffff"],
    ],
  );
  assert.equal(
    text.slice(p1!.groups[1]!.span.start, p1!.groups[1]!.span.end),
    '{ "name": "Workers KV Storage: Edit" }',
  );
  assert.deepEqual(
    p2!.groups.map((g) => g.name),
    ["Workers Routes Write", undefined],
  );
  assert.deepEqual(
    t.problems.map((x) => x.message),
    [
      "permission group id ffffffffffffffffffffffffffffffff is not in the catalog",
      'unknown permission group "Nope: Edit"',
    ],
  );
  const nested = p2!.resources[0]!;
  assert.equal(nested.key, "com.cloudflare.api.account.023e105f4ecef8ad9ca31a8372d0c353");
  assert.deepEqual(Array.isArray(nested.value) && nested.value.map((r) => [r.key, r.value]), [
    ["com.cloudflare.api.account.zone.*", "*"],
  ]);
  assert.equal(
    text.slice(p1!.resourcesSpan.start, p1!.resourcesSpan.end),
    '{ "com.cloudflare.api.account.023e105f4ecef8ad9ca31a8372d0c353": "*" }',
  );
  assert.ok(text.slice(t.policiesSpan!.start, t.policiesSpan!.end).startsWith("["));
  assert.equal(t.expiresOn?.value, "2027-01-01T00:00:00Z");
  assert.deepEqual([t.ipCondition?.in, t.ipCondition?.notIn], [["192.0.2.0/24"], ["192.0.2.1/32"]]);
});

test("an API response: bodies under result, in an array", () => {
  const f = join(FIXTURES, "json", "response.json");
  const tokens = readJsonToken(f, read(f));
  assert.deepEqual(
    tokens.map((t) => t.name),
    ["first", "second"],
  );
  assert.deepEqual(
    tokens[0]!.policies[0]!.groups.map((g) => g.name),
    ["Zone Read"],
  );
  assert.equal(tokens[1]!.policies[0]!.effect, "deny");
  assert.deepEqual(
    tokens[1]!.policies[0]!.groups.map((g) => g.name),
    ["Pages Write"],
    "dashboard label without the 'Cloudflare' prefix",
  );
});

test("a top-level array of bodies", () => {
  const body = (n: string) => ({
    name: n,
    policies: [
      {
        effect: "allow",
        permission_groups: [{ id: "1a71c399035b4950a1bd1466bbe4f420" }],
        resources: { "com.cloudflare.api.account.*": "*" },
      },
    ],
  });
  const text = JSON.stringify([body("a"), body("b")], null, 2);
  const tokens = readJsonToken("tokens.json", text);
  assert.deepEqual(
    tokens.map((t) => [t.name, t.policies[0]!.groups[0]!.name]),
    [
      ["a", "Workers Scripts Read"],
      ["b", "Workers Scripts Read"],
    ],
  );
  assert.equal(
    text.slice(tokens[1]!.span.start, tokens[1]!.span.end),
    JSON.stringify(body("b"), null, 2).replace(/\n/g, "\n  "),
  );
});

test("files that are not token bodies yield nothing", () => {
  const f = join(FIXTURES, "json", "not-a-token.json");
  assert.ok(looksLikeTokenJson(read(f)), "the cheap check only looks at keys");
  assert.deepEqual(readJsonToken(f, read(f)), []);
  assert.equal(looksLikeTokenJson('{ "name": "x", "main": "src/index.ts" }'), false);
  for (const text of [
    "",
    "{",
    "[1,2",
    "null",
    '{"policies": [1, 2]}',
    '{"policies": [{"permission_groups": "x", "resources": 3}]}',
  ]) {
    const r = readJsonTokens("x.json", text);
    assert.ok(Array.isArray(r.tokens));
  }
  const bad = readJsonTokens("x.json", '{"policies": [{"permission_groups": "x", "resources": 3}]}');
  assert.equal(bad.tokens.length, 1);
  assert.deepEqual(
    bad.tokens[0]!.problems.map((x) => x.message),
    ["policy without a permission_groups list", "policy without a resources object"],
  );
  assert.ok(readJsonTokens("x.json", '{"policies": [ {"permission_groups": [], "resources": {}} ').problems.length > 0);
});

test("every .json file in the shared corpus reads without a crash", () => {
  const files = filesUnder(corpusDir(), [".json"]);
  assert.ok(files.length > 0);
  for (const f of files) {
    const text = read(f);
    const tokens = readJsonToken(f, text);
    if (!looksLikeTokenJson(text)) assert.deepEqual(tokens, [], f);
  }
});

test('condition key "request.ip" (the API\'s) and "request_ip" (its reference page) both read', () => {
  for (const key of ["request.ip", "request_ip"]) {
    const text = JSON.stringify({
      name: "t",
      policies: [
        {
          effect: "allow",
          permission_groups: [{ id: "e086da7e2179491d91ee5f35b3ca210a" }],
          resources: { "com.cloudflare.api.account.*": "*" },
        },
      ],
      condition: { [key]: { in: ["192.0.2.0/24"], not_in: ["192.0.2.7/32"] } },
    });
    const [t] = readJsonToken("t.json", text);
    assert.deepEqual(
      t!.ipCondition && [t!.ipCondition.in, t!.ipCondition.notIn],
      [["192.0.2.0/24"], ["192.0.2.7/32"]],
      key,
    );
  }
});

test("per-Worker groups are read by name; an unknown name is a problem that affects what is granted", () => {
  const text = JSON.stringify({
    name: "t",
    policies: [
      {
        effect: "allow",
        permission_groups: [{ name: "Individual Workers Editor" }, { name: "No Such Group" }],
        resources: {
          "com.cloudflare.api.account.0123456789abcdef0123456789abcdef": {
            "com.cloudflare.edge.worker.script.8d1c5a": "*",
          },
        },
      },
    ],
  });
  const { tokens } = readJsonTokens("t.json", text);
  const t = tokens[0]!;
  assert.deepEqual(
    t.policies[0]!.groups.map((g) => g.name),
    ["Individual Workers Editor", undefined],
  );
  assert.deepEqual(
    t.problems.map((p) => [p.message, p.affectsGrants]),
    [['unknown permission group "No Such Group"', true]],
  );
});
