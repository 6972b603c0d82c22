// The Terraform token shapes of issue 8, one test each: the v4 data source's maps and values() over them
// ("superuser" tokens), the v5 list data sources read whole, filtered, through locals built with `for`, per
// for_each instance, and the forms that stay unknown (each reported with its reason). The HCL is written after
// shapes seen in public infrastructure repositories.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readTerraformDirectory, readTerraformTokens } from "../../server/src/core/tokens/terraform.js";
import type { TokenDefinition } from "../../server/src/core/model/token.js";
import { catalog } from "../../server/src/core/permissions/catalog.js";
import { hclParser } from "./helpers.js";

async function read(text: string): Promise<TokenDefinition[]> {
  const p = await hclParser();
  const r = readTerraformTokens(p, "main.tf", text);
  assert.deepEqual(r.problems, [], "the HCL parses");
  return r.tokens;
}

const names = (t: TokenDefinition, i = 0) => t.policies[i]!.groups.map((g) => g.name);

test("v4 superuser: values() of the account and zone maps grants every catalog group of each scope", async () => {
  const [t] = await read(`
data "cloudflare_api_token_permission_groups" "all" {}
resource "cloudflare_api_token" "terraform_cloud" {
  name = "terraform-cloud"
  policy {
    resources = { "com.cloudflare.api.account.*" = "*" }
    permission_groups = values(data.cloudflare_api_token_permission_groups.all.account)
  }
  policy {
    resources = { "com.cloudflare.api.account.zone.*" = "*" }
    permission_groups = values(data.cloudflare_api_token_permission_groups.all.zone)
  }
}`);
  const account = catalog().groups.filter((g) => g.scope === "account");
  const zone = catalog().groups.filter((g) => g.scope === "zone");
  assert.deepEqual(new Set(names(t!, 0)), new Set(account.map((g) => g.name)));
  assert.equal(t!.policies[0]!.groups.length, new Set(account.map((g) => g.name)).size);
  assert.deepEqual(new Set(names(t!, 1)), new Set(zone.map((g) => g.name)));
  const g = t!.policies[0]!.groups[0]!;
  assert.deepEqual(g.fromExpression, {
    text: "values(data.cloudflare_api_token_permission_groups.all.account)",
    every: "every account permission group",
  });
  assert.deepEqual(t!.problems, [], "fully read: nothing is unknown");
});

test("v4 .user, .r2 and the older .permissions map; a local holding the data source", async () => {
  const [t] = await read(`
data "cloudflare_api_token_permission_groups" "all" {}
locals { pg = data.cloudflare_api_token_permission_groups.all }
resource "cloudflare_api_token" "t" {
  name = "t"
  policy {
    resources = { "com.cloudflare.api.account.0123456789abcdef0123456789abcdef" = "*" }
    permission_groups = [
      data.cloudflare_api_token_permission_groups.all.permissions["Workers Scripts Write"],
      local.pg.user["Memberships Read"],
      local.pg.r2["Workers R2 Storage Bucket Item Write"],
      lookup(local.pg.account, "D1 Write"),
    ]
  }
}`);
  assert.deepEqual(names(t!), [
    "Workers Scripts Write",
    "Memberships Read",
    "Workers R2 Storage Bucket Item Write",
    "D1 Write",
  ]);
  assert.equal(t!.policies[0]!.groups[0]!.written, 'permissions["Workers Scripts Write"]');
  assert.deepEqual(t!.problems, []);
});

test("v5 account list data source filtered by name, used whole as permission_groups", async () => {
  const [t] = await read(`
data "cloudflare_account_api_token_permission_groups_list" "all" {
  account_id = var.account_id
  name       = "DNS%20Write"
  scope      = "com.cloudflare.api.account.zone"
}
variable "account_id" { type = string }
resource "cloudflare_api_token" "external_dns" {
  name = "external-dns"
  policies = [{
    effect            = "allow"
    permission_groups = data.cloudflare_account_api_token_permission_groups_list.all.result
    resources         = jsonencode({ "com.cloudflare.api.account.zone.\${var.zone_id}" = "*" })
  }]
}`);
  assert.deepEqual(names(t!), ["DNS Write"]);
  assert.equal(t!.policies[0]!.groups[0]!.fromExpression?.every, undefined, "a name filter pins the list");
  assert.deepEqual(t!.problems, []);
});

test("v5 maps built with for (name => id, grouped with ..., merge(...) of objects) and picked by name", async () => {
  const [t] = await read(`
data "cloudflare_account_api_token_permission_groups_list" "all" { account_id = "0123456789abcdef0123456789abcdef" }
data "cloudflare_api_token_permission_groups_list" "user" {}
locals {
  pg      = { for p in data.cloudflare_account_api_token_permission_groups_list.all.result : p.name => p.id }
  grouped = { for g in data.cloudflare_api_token_permission_groups_list.user.result : g.name => g.id... }
  merged  = merge([for c in data.cloudflare_account_api_token_permission_groups_list.all.result : { (c.name) = c.id }]...)
  wanted  = ["Workers Scripts Write", "Workers KV Storage Write"]
}
resource "cloudflare_account_token" "t" {
  account_id = "0123456789abcdef0123456789abcdef"
  name       = "t"
  policies = [{
    effect = "allow"
    permission_groups = [
      { id = local.pg["Workers Routes Write"] },
      { id = local.grouped["Zone Read"][0] },
    ]
    resources = { "com.cloudflare.api.account.zone.*" = "*" }
  }, {
    effect            = "allow"
    permission_groups = [for p in local.wanted : { id = local.merged[p] }]
    resources         = { "com.cloudflare.api.account.0123456789abcdef0123456789abcdef" = "*" }
  }]
}`);
  assert.deepEqual(names(t!, 0), ["Workers Routes Write", "Zone Read"]);
  assert.deepEqual(names(t!, 1), ["Workers Scripts Write", "Workers KV Storage Write"]);
  assert.ok(t!.policies[1]!.groups.every((g) => g.fromExpression && !g.fromExpression.every));
  assert.deepEqual(t!.problems, []);
});

test("v5 for_each data sources with urlencode(each.key), read per instance", async () => {
  const [t] = await read(`
data "cloudflare_account_api_token_permission_groups_list" "r2" {
  for_each   = toset(["Workers R2 Storage Bucket Item Write"])
  scope      = "com.cloudflare.edge.r2.bucket"
  account_id = "0123456789abcdef0123456789abcdef"
  name       = urlencode(each.key)
}
resource "cloudflare_account_token" "alpha" {
  account_id = "0123456789abcdef0123456789abcdef"
  name       = "alpha"
  policies = [{
    effect            = "allow"
    permission_groups = [for k, v in data.cloudflare_account_api_token_permission_groups_list.r2 : { id = v.result[0].id }]
    resources         = jsonencode({ "com.cloudflare.edge.r2.bucket.0123456789abcdef0123456789abcdef_default_logs" = "*" })
  }]
}`);
  assert.deepEqual(names(t!), ["Workers R2 Storage Bucket Item Write"]);
  assert.deepEqual(t!.problems, []);
});

test("one([for … if g.name == …]) and a filter on a name the catalog lacks", async () => {
  const [t] = await read(`
data "cloudflare_api_token_permission_groups_list" "all" {}
locals {
  read  = one([for g in data.cloudflare_api_token_permission_groups_list.all.result : g.id if g.name == "Workers R2 Storage Bucket Item Read"])
  nope  = one([for g in data.cloudflare_api_token_permission_groups_list.all.result : g.id if g.name == "No Such Group Read"])
  regex = [for pg in data.cloudflare_api_token_permission_groups_list.all.result : pg.id if can(regex("Browser Rendering", pg.name))][0]
}
resource "cloudflare_api_token" "t" {
  name = "t"
  policies = [{
    effect            = "allow"
    permission_groups = [{ id = local.read }, { id = local.nope }, { id = local.regex }]
    resources         = { "com.cloudflare.api.account.0123456789abcdef0123456789abcdef" = "*" }
  }]
}`);
  assert.deepEqual(names(t!), ["Workers R2 Storage Bucket Item Read", undefined, undefined]);
  const msgs = t!.problems.map((p) => p.message);
  assert.match(
    msgs[0]!,
    /cannot resolve permission group local\.nope: no group named "No Such Group Read" is known here/,
  );
  // A regex filter over Cloudflare's whole list: which group is first is not known here.
  assert.match(
    msgs[1]!,
    /cannot resolve permission group local\.regex: element 0 of every permission group depends on Cloudflare's list/,
  );
  assert.ok(t!.problems.every((p) => p.affectsGrants));
});

test("an unfiltered v5 list read whole is every group, marked as such", async () => {
  const [t] = await read(`
data "cloudflare_account_api_token_permission_groups_list" "all" { account_id = "0123456789abcdef0123456789abcdef" }
resource "cloudflare_account_token" "admin" {
  account_id = "0123456789abcdef0123456789abcdef"
  name       = "admin"
  policies = [{
    effect = "allow"
    resources = jsonencode({ "com.cloudflare.api.account.0123456789abcdef0123456789abcdef" = "*" })
    permission_groups = [
      for permission in data.cloudflare_account_api_token_permission_groups_list.all.result :
      { id = permission.id, name = permission.name }
      if strcontains(lower(permission.name), "write")
    ]
  }]
}`);
  const got = names(t!);
  assert.ok(got.includes("Workers Scripts Write") && got.includes("DNS Write"));
  assert.ok(got.every((n) => n!.toLowerCase().includes("write")));
  assert.equal(
    t!.policies[0]!.groups[0]!.fromExpression?.every,
    "every permission group",
    "at least these: the filter is not by name",
  );
});

test("per-Worker groups resolve by name through the list data source; nested script resources are kept", async () => {
  const [t] = await read(`
variable "account_id" { type = string }
data "cloudflare_account_api_token_permission_groups_list" "editor" {
  account_id = var.account_id
  name       = "Individual%20Workers%20Editor"
}
resource "cloudflare_account_token" "deploy" {
  account_id = var.account_id
  name       = "deploy"
  policies = [{
    effect            = "allow"
    permission_groups = [{ id = data.cloudflare_account_api_token_permission_groups_list.editor.result[0].id }]
    resources = jsonencode({
      "com.cloudflare.api.account.\${var.account_id}" = { "com.cloudflare.edge.worker.script.\${var.tag}" = "*" }
    })
  }]
}`);
  const g = t!.policies[0]!.groups[0]!;
  assert.equal(g.name, "Individual Workers Editor");
  assert.equal(g.id, undefined, "its id is not published");
  const r = t!.policies[0]!.resources[0]!;
  assert.deepEqual(Array.isArray(r.value) && r.value.map((x) => x.key), [
    "com.cloudflare.edge.worker.script.${var.tag}",
  ]);
  assert.deepEqual(t!.problems, []);
  assert.equal(
    t!.module?.groupLookups["Individual Workers Editor"],
    "data.cloudflare_account_api_token_permission_groups_list.editor",
  );
});

test("what stays unknown says why: resource attributes, module outputs, count on an unknown condition", async () => {
  const [t] = await read(`
data "cloudflare_account_api_token_permission_groups_list" "all" {
  count      = var.ids == null ? 1 : 0
  account_id = var.account_id
}
variable "ids" {}
resource "cloudflare_account_token" "t" {
  account_id = var.account_id
  name       = "t"
  policies = [{
    effect = "allow"
    permission_groups = [
      { id = module.groups.workers_write },
      { id = cloudflare_account_token.other.id },
      { id = data.cloudflare_account_api_token_permission_groups_list.all[0].result[0].id },
    ]
    resources = { "com.cloudflare.api.account.\${var.account_id}" = "*" }
  }]
}`);
  assert.deepEqual(
    t!.problems.map((p) => p.message.replace(/^cannot resolve permission group [^:]+: /, "")),
    [
      "module.groups is another module's output, known only when Terraform runs",
      "cloudflare_account_token.other is a resource: its attributes are known only when Terraform runs",
      "var.ids has no default: its value comes from outside this module",
    ],
  );
});

test("the module's provider pin: the lock file wins over required_providers", async () => {
  const p = await hclParser();
  const versions = {
    path: "versions.tf",
    text: 'terraform {\n  required_providers {\n    cloudflare = { source = "cloudflare/cloudflare", version = "~> 4.0" }\n  }\n}\n',
  };
  const token = {
    path: "token.tf",
    text: 'resource "cloudflare_api_token" "t" {\n  name = "t"\n  policy {\n    permission_groups = ["e086da7e2179491d91ee5f35b3ca210a"]\n    resources = { "com.cloudflare.api.account.*" = "*" }\n  }\n}\n',
  };
  const pinned = readTerraformDirectory(p, [versions, token]).tokens[0]!;
  assert.deepEqual(pinned.module?.provider, { major: 4, written: "~> 4.0", file: "versions.tf" });
  const lock = {
    path: ".terraform.lock.hcl",
    text: 'provider "registry.terraform.io/cloudflare/cloudflare" {\n  version     = "3.35.0"\n  constraints = "~> 3.0"\n}\n',
  };
  const locked = readTerraformDirectory(p, [versions, token], lock).tokens[0]!;
  assert.deepEqual(locked.module?.provider, { major: 3, written: "3.35.0 (locked)", file: ".terraform.lock.hcl" });
});

test('a v4 dynamic "policy" block over a known for_each, and a v5 policies list built with for', async () => {
  const [v4, v5] = await read(`
data "cloudflare_api_token_permission_groups" "all" {}
locals {
  policies = {
    workers = { groups = ["Workers Scripts Write"], resources = { "com.cloudflare.api.account.0123456789abcdef0123456789abcdef" = "*" } }
    routes  = { groups = ["Workers Routes Write"], resources = { "com.cloudflare.api.account.zone.*" = "*" } }
  }
}
resource "cloudflare_api_token" "v4" {
  name = "v4"
  dynamic "policy" {
    for_each = local.policies
    content {
      permission_groups = [for n in policy.value.groups : data.cloudflare_api_token_permission_groups.all.permissions[n]]
      resources         = policy.value.resources
    }
  }
}
resource "cloudflare_api_token" "v5" {
  name = "v5"
  policies = [for k, p in local.policies : {
    effect            = "allow"
    permission_groups = [for n in p.groups : { id = data.cloudflare_api_token_permission_groups.all.permissions[n] }]
    resources         = jsonencode(p.resources)
  }]
}`);
  for (const t of [v4!, v5!]) {
    assert.deepEqual(
      t.policies.map((p) => p.groups.map((g) => g.name)),
      [["Workers Routes Write"], ["Workers Scripts Write"]],
      t.name,
    );
    assert.deepEqual(
      t.policies.map((p) => p.resources.map((r) => r.key)),
      [["com.cloudflare.api.account.zone.*"], ["com.cloudflare.api.account.0123456789abcdef0123456789abcdef"]],
    );
    assert.deepEqual(t.problems, [], t.name);
  }
  assert.equal(v4!.terraformVersion, 4);
  assert.equal(v5!.terraformVersion, 5);
});

test("a dynamic block over an unknown for_each is reported with the reason", async () => {
  const [t] = await read(`
variable "policies" {}
resource "cloudflare_api_token" "t" {
  name = "t"
  dynamic "policy" {
    for_each = var.policies
    content {
      permission_groups = policy.value.groups
      resources         = policy.value.resources
    }
  }
}`);
  assert.deepEqual(t!.policies, []);
  assert.deepEqual(
    t!.problems.map((p) => [p.message, p.affectsGrants]),
    [
      [
        'cannot resolve a dynamic "policy" block in cloudflare_api_token.t: its policies are not read (var.policies has no default: its value comes from outside this module)',
        true,
      ],
    ],
  );
});
