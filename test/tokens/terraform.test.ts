import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { corpusDir, filesUnder, FIXTURES, hclParser } from "./helpers.js";
import { readTerraformDirectory, readTerraformTokens } from "../../server/src/core/tokens/terraform.js";
import type { TokenDefinition } from "../../server/src/core/model/token.js";

const read = (p: string) => readFileSync(p, "utf8");

function summary(t: TokenDefinition) {
  return t.policies.map((p) => ({
    effect: p.effect,
    groups: p.groups.map((g) => g.id ?? `?${g.written}`).sort(),
    resources: JSON.stringify(
      p.resources
        .map((r) => [r.key, typeof r.value === "string" ? r.value : r.value.map((x) => [x.key, x.value])])
        .sort(),
    ),
  }));
}

test("every .tf file in the shared corpus reads without a crash, module by module", async () => {
  const p = await hclParser();
  const files = filesUnder(corpusDir(), [".tf"]);
  assert.ok(files.length >= 20, `corpus has ${files.length} .tf files`);
  const byDir = new Map<string, string[]>();
  for (const f of files) byDir.set(dirname(f), [...(byDir.get(dirname(f)) ?? []), f]);
  let tokens = 0;
  for (const [, list] of byDir) {
    const r = readTerraformDirectory(
      p,
      list.map((f) => ({ path: f, text: read(f) })),
    );
    assert.deepEqual(r.problems, [], `no syntax problems in ${list.join(", ")}`);
    for (const t of r.tokens) {
      assert.ok(t.policies.length > 0 || t.problems.length > 0, `${t.address} has policies or says why not`);
      const text = read(t.file);
      assert.ok(text.slice(t.span.start, t.span.end).startsWith("resource"), "token span is the resource block");
    }
    tokens += r.tokens.length;
  }
  assert.ok(tokens >= 40, `read ${tokens} tokens`);
});

test("v4 and v5 forms of the same 12 tokens resolve to the same groups and resources (tf-migrate input/expected)", async () => {
  const p = await hclParser();
  const base = join(corpusDir(), "cloudflare__tf-migrate", "integration", "v4_to_v5", "testdata", "api_token");
  const v4 = readTerraformTokens(p, "input/api_token.tf", read(join(base, "input", "api_token.tf")));
  const v5 = readTerraformTokens(p, "expected/api_token.tf", read(join(base, "expected", "api_token.tf")));
  assert.equal(v4.tokens.length, 12);
  assert.equal(v5.tokens.length, 12);
  for (let i = 0; i < 12; i++) {
    const a = v4.tokens[i]!;
    const b = v5.tokens[i]!;
    assert.equal(a.terraformVersion, 4);
    assert.equal(b.terraformVersion, 5);
    assert.equal(a.address, b.address);
    assert.equal(a.name, b.name);
    assert.deepEqual(summary(a), summary(b), a.address);
    assert.deepEqual(
      a.ipCondition && [a.ipCondition.in, a.ipCondition.notIn],
      b.ipCondition && [b.ipCondition.in, b.ipCondition.notIn],
    );
    assert.equal(a.expiresOn?.value, b.expiresOn?.value);
    assert.equal(a.notBefore?.value, b.notBefore?.value);
    assert.deepEqual(a.problems, []);
    assert.deepEqual(b.problems, []);
  }
  // Spot checks against the files.
  const full = v4.tokens.find((t) => t.address === "cloudflare_api_token.full_example")!;
  assert.equal(full.name, "cftftest Full Example Token", "name resolved through local.name_prefix");
  assert.deepEqual(
    full.policies.map((x) => x.effect),
    ["allow", "deny"],
  );
  assert.deepEqual(
    full.policies[1]!.groups.map((g) => g.name),
    ["Workers Scripts Write"],
  );
  assert.deepEqual(full.ipCondition?.notIn, ["192.168.1.1/32", "10.0.0.1/32"]);
  const vars = v5.tokens.find((t) => t.address === "cloudflare_api_token.variable_resources_token")!;
  assert.deepEqual(
    vars.policies[0]!.resources.map((r) => r.key),
    [
      "com.cloudflare.api.account.${var.cloudflare_account_id}",
      "com.cloudflare.api.account.zone.${var.cloudflare_zone_id}",
    ],
  );
});

test("v4 data-source name maps resolve through the catalog (provider example)", async () => {
  const p = await hclParser();
  const f = join(
    corpusDir(),
    "cloudflare__terraform-provider-cloudflare",
    "examples",
    "resources",
    "cloudflare_api_token",
    "resource.tf",
  );
  const text = read(f);
  const r = readTerraformTokens(p, f, text);
  assert.equal(r.tokens.length, 6);
  const create = r.tokens.find((t) => t.address === "cloudflare_api_token.api_token_create")!;
  assert.equal(create.owner, "user");
  assert.deepEqual(
    create.policies[0]!.groups.map((g) => [g.written, g.name, g.id]),
    [['user["API Tokens Write"]', "API Tokens Write", "686d18d5ac6c441c867cbf6771e58a0a"]],
  );
  assert.equal(create.notBefore?.value, "2018-07-01T05:20:00Z");
  assert.equal(text.slice(create.nameSpan!.start, create.nameSpan!.end), '"api_token_create"');
  // The group span is the list entry, for a quick fix that removes it.
  const g = create.policies[0]!.groups[0]!;
  assert.equal(
    text.slice(g.span.start, g.span.end),
    'data.cloudflare_api_token_permission_groups.all.user["API Tokens Write"]',
  );
  const gs = create.policies[0]!.groupsSpan;
  assert.ok(text.slice(gs.start, gs.end).startsWith("[") && text.slice(gs.start, gs.end).endsWith("]"));
  // jsonencode() as a map value: nested account → zones.
  const nested = r.tokens.find((t) => t.address === "cloudflare_api_token.dns_edit_all_account")!;
  const res = nested.policies[0]!.resources[0]!;
  assert.equal(res.key, "com.cloudflare.api.account.${var.account_id}");
  assert.deepEqual(Array.isArray(res.value) && res.value.map((x) => [x.key, x.value]), [
    ["com.cloudflare.api.account.zone.*", "*"],
  ]);
  // Deny policy after an allow policy.
  const except = r.tokens.find((t) => t.address === "cloudflare_api_token.dns_tls_edit_all_except_one")!;
  assert.deepEqual(
    except.policies.map((x) => x.effect),
    ["allow", "deny"],
  );
  assert.equal(
    text.slice(except.policiesSpan!.start, except.policiesSpan!.end).split("\n")[0],
    "policy {",
    "policiesSpan is the last policy block",
  );
  // A name the catalog lacks is kept as written, with a problem.
  const logs = r.tokens.find((t) => t.address === "cloudflare_api_token.logs_account_all")!;
  assert.equal(logs.policies[0]!.groups[0]!.id, undefined);
  assert.match(logs.problems[0]!.message, /Access: Audit Logs Read/);
});

test("v5 account token with literal ids and jsonencode resources (provider example)", async () => {
  const p = await hclParser();
  const f = join(
    corpusDir(),
    "cloudflare__terraform-provider-cloudflare",
    "examples",
    "resources",
    "cloudflare_account_token",
    "resource.tf",
  );
  const text = read(f);
  const [t] = readTerraformTokens(p, f, text).tokens;
  assert.equal(t!.owner, "account");
  assert.equal(t!.name, "workers read-only token");
  assert.deepEqual(
    t!.policies[0]!.groups.map((g) => g.name),
    ["Workers Scripts Read", "Workers KV Storage Read"],
  );
  const rs = t!.policies[0]!.resourcesSpan;
  assert.ok(text.slice(rs.start, rs.end).startsWith("jsonencode({"));
  assert.equal(t!.expiresOn?.value, "2027-10-01T00:00:00Z");
  assert.deepEqual(t!.ipCondition?.in, ["123.123.123.0/24", "2606:4700::/32"]);
  const ps = t!.policiesSpan!;
  assert.ok(text.slice(ps.start, ps.end).startsWith("[{"));
});

test("secrets in another file of the module link to the token, also through a local (droposhado hightower)", async () => {
  const p = await hclParser();
  const dir = join(corpusDir(), "droposhado__infra", "terraform", "hightower");
  const files = filesUnder(dir, [".tf"]).map((f) => ({ path: f, text: read(f) }));
  const r = readTerraformDirectory(p, files);
  assert.equal(r.tokens.length, 1);
  const t = r.tokens[0]!;
  assert.deepEqual(
    t.secretLinks.map((l) => l.secret),
    ["CLOUDFLARE_API_TOKEN"],
  );
  assert.ok(t.secretLinks[0]!.location.file.endsWith("github-actions-secret.tf"));
  assert.deepEqual(
    t.policies.flatMap((x) => x.groups.map((g) => g.name)),
    [
      "Pages Read",
      "Pages Write",
      "Workers Scripts Read",
      "Workers Scripts Write",
      "Memberships Read",
      "User Details Read",
      "Workers Routes Read",
      "Workers Routes Write",
    ],
  );
  assert.ok(t.problems.some((x) => /cannot resolve request_ip\.in: local\.allowed_ip_range/.test(x.message)));
});

test("a for over a filtered list data source, read with the variables' defaults (Cyb3r-Jak3 r2 module)", async () => {
  const p = await hclParser();
  const dir = join(corpusDir(), "Cyb3r-Jak3__terraform-cloudflare-r2-api-token");
  const files = ["main.tf", "variables.tf"].map((n) => ({ path: join(dir, n), text: read(join(dir, n)) }));
  const [t] = readTerraformDirectory(p, files).tokens;
  assert.equal(t!.terraformVersion, 5);
  // local.r2_api_permissions is a `for` over data.cloudflare_api_token_permission_groups_list.this.result
  // filtered by contains([…], x.name); bucket_read / bucket_write default to true.
  assert.deepEqual(
    t!.policies[0]!.groups.map((g) => g.name),
    ["Workers R2 Storage Bucket Item Read", "Workers R2 Storage Bucket Item Write"],
  );
  assert.ok(
    t!.policies[0]!.groups.every(
      (g) => g.fromExpression?.text === "[for x in local.permission_id_list : { id = x }]" && !g.fromExpression.every,
    ),
  );
  // var.buckets defaults to []: the conditional picks every bucket.
  assert.deepEqual(
    t!.policies[0]!.resources.map((r) => [r.key, r.value]),
    [["com.cloudflare.edge.r2.bucket.*", "*"]],
  );
  assert.equal(t!.name, "R2-All-Buckets-Read-Write");
  assert.deepEqual(t!.problems, []);
});

test("the same module alone: variables it does not declare are unknown, and said so", async () => {
  const p = await hclParser();
  const f = join(corpusDir(), "Cyb3r-Jak3__terraform-cloudflare-r2-api-token", "main.tf");
  const [t] = readTerraformTokens(p, f, read(f)).tokens;
  // Two entries (the tuple has two items), neither of them known.
  assert.deepEqual(
    t!.policies[0]!.groups.map((g) => g.name),
    [undefined, undefined],
  );
  const pg = t!.problems.filter((x) =>
    x.message.startsWith("cannot resolve permission group [for x in local.permission_id_list"),
  );
  assert.deepEqual(
    pg.map((x) => x.message.replace(/^.*: /, "")),
    ["var.bucket_read is not declared in this module", "var.bucket_write is not declared in this module"],
  );
  assert.ok(pg.every((x) => x.affectsGrants));
  assert.ok(t!.problems.some((x) => x.message.startsWith("cannot resolve resources") && x.affectsGrants));
  assert.equal(t!.name, "cloudflare_api_token.token", "a computed name falls back to the address");
});

test("v5 list data sources, locals and variable defaults (fixture)", async () => {
  const p = await hclParser();
  const f = join(FIXTURES, "v5-lookups", "main.tf");
  const text = read(f);
  const { tokens, problems } = readTerraformTokens(p, f, text);
  assert.deepEqual(problems, []);
  const t = tokens[0]!;
  assert.equal(t.owner, "account");
  assert.equal(t.name, "deploy-com.cloudflare.api.account.zone");
  const [p1, p2] = t.policies;
  assert.deepEqual(
    p1!.groups.map((g) => g.name),
    [
      "Workers Scripts Write",
      "Workers Scripts Write",
      "Workers KV Storage Write",
      "D1 Write",
      "Pages Write",
      undefined,
    ],
  );
  assert.equal(p1!.groups[5]!.written, "var.account_id");
  assert.equal(t.problems.length, 1);
  assert.match(t.problems[0]!.message, /cannot resolve permission group var\.account_id/);
  assert.equal(text.slice(t.problems[0]!.span.start, t.problems[0]!.span.end), "{ id = var.account_id }");
  assert.deepEqual(
    p2!.groups.map((g) => g.id),
    ["28f4b596e7d643029c524985477ae49a"],
  );
  assert.equal(p2!.effect, "allow");
  const nested = p2!.resources[0]!;
  assert.equal(nested.key, "com.cloudflare.api.account.${var.account_id}");
  assert.deepEqual(
    Array.isArray(nested.value) && nested.value.map((x) => [x.key, x.value]),
    [["com.cloudflare.api.account.zone.*", "*"]],
    "local filled into the key",
  );
  assert.equal(text.slice(nested.keySpan.start, nested.keySpan.end), '"com.cloudflare.api.account.${var.account_id}"');
});

test("module fixture: v4 maps by scope, unknown names, secrets direct and through a local", async () => {
  const p = await hclParser();
  const dir = join(FIXTURES, "module-secrets");
  const files = ["token.tf", "github.tf"].map((n) => ({ path: join(dir, n), text: read(join(dir, n)) }));
  const r = readTerraformDirectory(p, files);
  const deploy = r.tokens.find((t) => t.address === "cloudflare_api_token.deploy")!;
  assert.deepEqual(
    deploy.policies[0]!.groups.map((g) => [g.written, g.name]),
    [
      ['account["Workers Scripts Write"]', "Workers Scripts Write"],
      ['zone["Workers Routes Write"]', "Workers Routes Write"],
      ['r2["Workers R2 Storage Bucket Item Write"]', "Workers R2 Storage Bucket Item Write"],
      ['account["No Such Group"]', undefined],
    ],
  );
  assert.deepEqual(
    deploy.problems.map((x) => x.message),
    ['unknown permission group "No Such Group" (account), not in the catalog'],
  );
  assert.deepEqual(deploy.secretLinks.map((l) => l.secret).sort(), ["CF_DEPLOY_TOKEN", "CLOUDFLARE_API_TOKEN"]);
  const gh = files[1]!;
  for (const l of deploy.secretLinks) {
    assert.equal(l.location.file, gh.path);
    assert.equal(gh.text.slice(l.location.span.start, l.location.span.end), JSON.stringify(l.secret));
  }
  const unused = r.tokens.find((t) => t.address === "cloudflare_api_token.unused")!;
  assert.deepEqual(unused.secretLinks, []);
  assert.deepEqual(
    unused.policies[0]!.groups.map((g) => g.name),
    ["Zone Read"],
  );
});

test("broken HCL: a problem with a range, and the other tokens in the file are still read", async () => {
  const p = await hclParser();
  const text = [
    'resource "cloudflare_api_token" "first" {',
    '  name = "first"',
    "  policy {",
    '    permission_groups = ["e086da7e2179491d91ee5f35b3ca210a"]',
    '    resources = { "com.cloudflare.api.account.*" = "*" }',
    "  }",
    "}",
    "",
    'resource "cloudflare_api_token" "broken" {',
    '  name = "broken',
    "  policy {",
    "    permission_groups = [",
    "  }",
    "}",
    "",
    'resource "cloudflare_api_token" "last" {',
    '  name = "last"',
    "  policies = [{",
    '    permission_groups = [{ id = "c8fed203ed3043cba015a93ad1616f1f" }]',
    '    resources = jsonencode({ "com.cloudflare.api.account.zone.*" = "*" })',
    "  }]",
    "}",
    "",
  ].join("\n");
  const r = readTerraformTokens(p, "main.tf", text);
  assert.ok(r.problems.length > 0);
  const brokenAt = text.indexOf('resource "cloudflare_api_token" "broken"');
  const lastAt = text.indexOf('resource "cloudflare_api_token" "last"');
  for (const pr of r.problems) {
    assert.equal(pr.code, "hcl-syntax");
    assert.ok(
      pr.span.start >= brokenAt && pr.span.start < lastAt,
      `problem at ${pr.span.start} lies in the broken resource`,
    );
    assert.ok(pr.span.end > pr.span.start);
  }
  const names = r.tokens.map((t) => t.name);
  assert.ok(names.includes("first"));
  assert.ok(names.includes("last"));
  assert.deepEqual(
    r.tokens.find((t) => t.name === "last")!.policies[0]!.groups.map((g) => g.name),
    ["Zone Read"],
  );
});
