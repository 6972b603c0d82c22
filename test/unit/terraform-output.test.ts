// Terraform the tool writes — `minimal --format terraform` and the Terraform "rewrite to the minimal token" fix —
// follows the provider the repository pins and never holds a literal <…> placeholder: the account is
// var.account_id, a zone known by name a data "cloudflare_zone" lookup (the module's own when it has one).
import { test } from "node:test";
import assert from "node:assert/strict";
import { MemoryHost } from "../../server/src/core/host.js";
import { analyzeMinimal } from "../../server/src/core/minimal.js";
import { analyzeWorkspace } from "../../server/src/core/workspace.js";
import { terraform } from "../../server/src/core/permissions/spec.js";
import { readTerraformTokens } from "../../server/src/core/tokens/terraform.js";
import { providerPinFor } from "../../server/src/core/tokens/provider.js";
import { nodeHclParser } from "../../server/src/node/hcl-wasm.js";
import type { TextEdit } from "../../server/src/core/findings.js";

// No account id in the config and a route zone known only by name: the requirements carry <ACCOUNT_ID> and
// <ZONE_ID:…>. The workflow passes the account id as a secret, so no account lookup (and no user group) is needed.
const WRANGLER = `name = "shop"
main = "src/index.js"
compatibility_date = "2025-06-01"
routes = [{ pattern = "shop.example.com/*", zone_name = "example.com" }]
`;
const VERSIONS_V4 = `terraform {
  required_providers {
    cloudflare = {
      source  = "cloudflare/cloudflare"
      version = "~> 4.0"
    }
  }
}
`;

function minimalFor(files: Map<string, string>) {
  const a = analyzeMinimal(new MemoryHost(files), { cwd: "/r", path: "." });
  if ("error" in a) throw new Error(a.error);
  return a;
}

test("minimal --format terraform under a ~> 4.0 pin: cloudflare_api_token with policy blocks, references instead of placeholders", async () => {
  const hcl = await nodeHclParser();
  const files = new Map([
    ["/r/wrangler.toml", WRANGLER],
    ["/r/.git/HEAD", "ref: refs/heads/main\n"],
    ["/r/infra/versions.tf", VERSIONS_V4],
  ]);
  const host = new MemoryHost(files);
  const pin = providerPinFor(host, "/r", hcl);
  assert.deepEqual(pin, { major: 4, written: "~> 4.0", file: "infra/versions.tf" });
  const a = minimalFor(files);
  const tf = terraform(a.result.token.name, a.requirements, undefined, undefined, { provider: pin });
  assert.ok(!/<[A-Z_]+[:>]/.test(tf), `no placeholder left:\n${tf}`);
  assert.ok(
    !tf.includes(`resource "cloudflare_account_token"`) && !tf.includes("jsonencode") && !tf.includes("policies ="),
    tf,
  );
  assert.match(tf, /data "cloudflare_zone" "example_com" \{\n {2}name = "example.com"\n\}/);
  assert.match(tf, /"com\.cloudflare\.api\.account\.zone\.\$\{data\.cloudflare_zone\.example_com\.id\}" = "\*"/);
  assert.match(tf, /variable "account_id"/);
  // It reads back as a v4 token granting exactly the requirements.
  const r = readTerraformTokens(hcl, "token.tf", tf);
  assert.deepEqual(r.problems, []);
  const t = r.tokens[0]!;
  assert.equal(t.terraformVersion, 4);
  assert.equal(t.owner, "user");
  assert.deepEqual(
    t.policies.flatMap((p) => p.groups.map((g) => g.id)).sort(),
    a.requirements.map((q) => q.group.id).sort(),
  );
  assert.deepEqual(t.problems, []);
});

test("minimal --format terraform without a pin: provider v5, the zone looked up with filter = { name = … }", async () => {
  const hcl = await nodeHclParser();
  const files = new Map([["/r/wrangler.toml", WRANGLER]]);
  assert.equal(providerPinFor(new MemoryHost(files), "/r", hcl), undefined);
  const a = minimalFor(files);
  const tf = terraform(a.result.token.name, a.requirements, undefined, "account");
  assert.ok(!/<[A-Z_]+[:>]/.test(tf), tf);
  assert.match(tf, /resource "cloudflare_account_token"/);
  assert.match(tf, /data "cloudflare_zone" "example_com" \{\n {2}filter = \{\n {4}name = "example.com"\n {2}\}\n\}/);
  const t = readTerraformTokens(hcl, "token.tf", tf).tokens[0]!;
  assert.equal(t.terraformVersion, 5);
  assert.deepEqual(t.problems, []);
});

const WORKFLOW = `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: cloudflare/wrangler-action@v3
        with:
          apiToken: \${{ secrets.DEPLOY_TOKEN }}
          accountId: \${{ secrets.CLOUDFLARE_ACCOUNT_ID }}
`;

const V5_TOKEN = `resource "cloudflare_api_token" "deploy" {
  name = "deploy"
  policies = [{
    effect            = "allow"
    permission_groups = [{ id = "e086da7e2179491d91ee5f35b3ca210a" }]
    resources         = jsonencode({ "com.cloudflare.api.account.*" = "*" })
  }]
  expires_on = "2027-01-01T00:00:00Z"
}

resource "github_actions_secret" "deploy" {
  repository      = "app"
  secret_name     = "DEPLOY_TOKEN"
  plaintext_value = cloudflare_api_token.deploy.value
}
`;

function apply(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((x, y) => y.start - x.start))
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

async function rewriteOnce(token: string) {
  const hcl = await nodeHclParser();
  const files = new Map([
    ["/r/wrangler.toml", WRANGLER],
    ["/r/.github/workflows/deploy.yml", WORKFLOW],
    ["/r/infra/token.tf", token],
  ]);
  const ws = analyzeWorkspace(new MemoryHost(files), "/r", { today: "2026-11-23" }, { hcl });
  const fix = ws.rewrite("/r/infra/token.tf", ws.tokens[0]!.token.span.start);
  assert.ok(fix, "a rewrite is offered");
  const after = apply(token, fix.edits);
  files.set("/r/infra/token.tf", after);
  const again = analyzeWorkspace(new MemoryHost(files), "/r", { today: "2026-11-23" }, { hcl });
  return { fix, after, again };
}

test("the Terraform rewrite declares var.account_id and a zone lookup instead of writing placeholders", async () => {
  const { fix, after, again } = await rewriteOnce(V5_TOKEN);
  assert.ok(!/<[A-Z_]+[:>]/.test(after), after);
  assert.match(fix.title, /declares var\.account_id, data\.cloudflare_zone\.example_com/);
  assert.match(after, /^variable "account_id" \{/);
  assert.match(
    after,
    /data "cloudflare_zone" "example_com" \{\n {2}filter = \{\n {4}name = "example.com"\n {2}\}\n\}\n\nresource "cloudflare_api_token" "deploy"/,
  );
  assert.deepEqual(
    again.problems.filter((p) => p.file === "/r/infra/token.tf"),
    [],
  );
  const left = again.findings.filter((f) =>
    ["missing-group", "unneeded-group", "unresolved-placeholder", "unreadable-token-part", "all-zones"].includes(
      f.rule,
    ),
  );
  assert.deepEqual(
    left.map((f) => `${f.rule}: ${f.message}`),
    [],
  );
});

test('the Terraform rewrite uses the module\'s own data "cloudflare_zone" and variable when they exist', async () => {
  const token = `variable "account_id" {
  type = string
}

data "cloudflare_zone" "shop" {
  filter = { name = "example.com" }
}

${V5_TOKEN}`;
  const { fix, after } = await rewriteOnce(token);
  assert.equal(fix.title, "Rewrite to the minimal token");
  assert.equal(fix.edits.length, 1, "nothing to declare");
  assert.match(after, /"com\.cloudflare\.api\.account\.zone\.\$\{data\.cloudflare_zone\.shop\.id\}" = "\*"/);
  assert.match(after, /"com\.cloudflare\.api\.account\.\$\{var\.account_id\}" = "\*"/);
});

test("a JSON body keeps visible placeholders, and unresolved-placeholder reports them after the rewrite", async () => {
  const hcl = await nodeHclParser();
  const json = `{ "name": "deploy", "policies": [ { "effect": "allow", "permission_groups": [ { "id": "e086da7e2179491d91ee5f35b3ca210a" } ], "resources": { "com.cloudflare.api.account.*": "*" } } ], "expires_on": "2027-01-01T00:00:00Z" }\n`;
  const files = new Map([
    ["/r/wrangler.toml", WRANGLER],
    ["/r/.github/workflows/deploy.yml", WORKFLOW],
    ["/r/token.json", json],
  ]);
  const opts = { today: "2026-11-23", tokenSecrets: { "token.json": ["DEPLOY_TOKEN"] } };
  const ws = analyzeWorkspace(new MemoryHost(files), "/r", opts, { hcl });
  const fix = ws.rewrite("/r/token.json", ws.tokens[0]!.token.span.start)!;
  assert.match(fix.title, /fill in the <…> placeholders/);
  files.set("/r/token.json", apply(json, fix.edits));
  const again = analyzeWorkspace(new MemoryHost(files), "/r", opts, { hcl });
  const found = again.findings
    .filter((f) => f.rule === "unresolved-placeholder")
    .map((f) => /placeholder (<[^>]+>)/.exec(f.message)![1]);
  assert.deepEqual(found.sort(), ["<ACCOUNT_ID>", "<ZONE_ID:example.com>"]);
});

test("the pin is looked for below the config, then in the Terraform folders of its ancestors; test folders are skipped", async () => {
  const hcl = await nodeHclParser();
  const v3 = VERSIONS_V4.replace("~> 4.0", "~> 3.0");
  const files = new Map([
    ["/m/.git/HEAD", "ref: refs/heads/main\n"],
    ["/m/apps/api/wrangler.toml", WRANGLER],
    ["/m/infra/cloudflare/versions.tf", v3],
    ["/m/test/fixtures/old/versions.tf", VERSIONS_V4],
  ]);
  assert.deepEqual(providerPinFor(new MemoryHost(files), "/m/apps/api", hcl), {
    major: 3,
    written: "~> 3.0",
    file: "infra/cloudflare/versions.tf",
  });
  files.delete("/m/infra/cloudflare/versions.tf");
  assert.equal(
    providerPinFor(new MemoryHost(files), "/m/apps/api", hcl),
    undefined,
    "a pin under test/ is not the repository's",
  );
  files.set("/m/apps/api/terraform/main.tf", VERSIONS_V4.replace("~> 4.0", ">= 5.0, < 6.0"));
  assert.equal(providerPinFor(new MemoryHost(files), "/m/apps/api", hcl)?.major, 5);
});
