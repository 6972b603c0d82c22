import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES, hclParser } from "./helpers.js";
import { MemoryHost } from "../../server/src/core/host.js";
import { findTokenDefinitions, globRegex, MAX_TOKEN_FILE_SIZE } from "../../server/src/core/tokens/index.js";

const fixture = (...p: string[]) => readFileSync(join(FIXTURES, ...p), "utf8");

function workspace(): MemoryHost {
  return new MemoryHost(
    new Map([
      ["/ws/infra/token.tf", fixture("module-secrets", "token.tf")],
      ["/ws/infra/github.tf", fixture("module-secrets", "github.tf")],
      ["/ws/infra/other/main.tf", 'resource "cloudflare_workers_script" "x" {\n  name = "x"\n}\n'],
      ["/ws/tokens/deploy.json", fixture("json", "create-token.json")],
      ["/ws/package.json", '{ "name": "app", "version": "1.0.0" }'],
      ["/ws/node_modules/pkg/token.json", fixture("json", "create-token.json")],
      ["/ws/node_modules/pkg/main.tf", fixture("module-secrets", "token.tf")],
      ["/ws/.git/x.tf", fixture("module-secrets", "token.tf")],
      [
        "/ws/big/huge.json",
        '{"policies": [], "permission_groups": [], "pad": "' + "x".repeat(MAX_TOKEN_FILE_SIZE) + '"}',
      ],
    ]),
  );
}

test("finds Terraform modules and token JSON, skipping node_modules and .git", async () => {
  const p = await hclParser();
  const r = findTokenDefinitions(workspace(), "/ws", p);
  assert.deepEqual(r.tokens.map((t) => `${t.file}:${t.address ?? t.name}`).sort(), [
    "/ws/infra/token.tf:cloudflare_api_token.deploy",
    "/ws/infra/token.tf:cloudflare_api_token.unused",
    "/ws/tokens/deploy.json:Workers deploy",
  ]);
  const deploy = r.tokens.find((t) => t.address === "cloudflare_api_token.deploy")!;
  assert.deepEqual(
    deploy.secretLinks.map((l) => l.secret).sort(),
    ["CF_DEPLOY_TOKEN", "CLOUDFLARE_API_TOKEN"],
    "module files are read together",
  );
  assert.deepEqual(
    r.problems.map((x) => [x.code, x.file]),
    [["file-too-large", "/ws/big/huge.json"]],
  );
  assert.ok(r.files.includes("/ws/infra/github.tf"));
  assert.ok(!r.files.some((f) => f.includes("node_modules")));
});

test("jsonGlobs limit which JSON files are read", async () => {
  const p = await hclParser();
  const none = findTokenDefinitions(workspace(), "/ws", p, { jsonGlobs: ["config/**/*.json"] });
  assert.equal(none.tokens.filter((t) => t.format === "api-json").length, 0);
  const some = findTokenDefinitions(workspace(), "/ws", p, { jsonGlobs: ["tokens/*.json"] });
  assert.equal(some.tokens.filter((t) => t.format === "api-json").length, 1);
});

test("without an HCL parser, Terraform files get a problem instead of tokens", () => {
  const r = findTokenDefinitions(workspace(), "/ws", undefined);
  assert.deepEqual(
    r.tokens.map((t) => t.format),
    ["api-json"],
  );
  assert.deepEqual(
    r.problems
      .filter((x) => x.code === "hcl-unavailable")
      .map((x) => x.file)
      .sort(),
    ["/ws/infra/github.tf", "/ws/infra/token.tf"],
  );
});

test("glob syntax", () => {
  assert.ok(globRegex("**/*.json").test("a/b/c.json"));
  assert.ok(globRegex("**/*.json").test("c.json"));
  assert.ok(!globRegex("*.json").test("a/c.json"));
  assert.ok(globRegex("tokens/?.json").test("tokens/a.json"));
  assert.ok(!globRegex("tokens/?.json").test("tokens/ab.json"));
  assert.ok(globRegex("./ci/**").test("ci/x/y.json"));
});

test("a token JSON cut short where no body can be read still gives its syntax problem (it once gave nothing)", () => {
  const whole = fixture("json", "create-token.json");
  const cut = whole.indexOf('"permission_groups"');
  assert.ok(cut > 0);
  for (const tail of ["", " ", "\n"]) {
    const end = cut + '"permission_groups":'.length;
    const text = whole.slice(0, end) + tail;
    const r = findTokenDefinitions(new MemoryHost(new Map([["/ws/tokens/deploy.json", text]])), "/ws", undefined);
    assert.deepEqual(r.tokens, [], "no body is read from the cut file");
    const syntax = r.problems.filter((x) => x.code === "json-syntax" && x.file === "/ws/tokens/deploy.json");
    assert.ok(syntax.length > 0, `no syntax problem for a file cut at ${end}: ${JSON.stringify(r.problems)}`);
    for (const x of syntax) assert.ok(x.span.start <= x.span.end && x.span.end <= text.length, JSON.stringify(x.span));
  }
  // A well-formed JSON of another shape that names the same keys is still not a token file and says nothing.
  const other = findTokenDefinitions(
    new MemoryHost(new Map([["/ws/notes.json", '{"policies": "see below", "permission_groups": "none"}']])),
    "/ws",
    undefined,
  );
  assert.deepEqual([other.tokens, other.problems], [[], []]);
});
