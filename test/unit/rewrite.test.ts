// "Rewrite to the minimal token" on the three token syntaxes: only the policies change, the result parses, and
// a second analysis of the rewritten workspace finds nothing missing or unneeded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MemoryHost } from "../../server/src/core/host.js";
import { analyzeWorkspace } from "../../server/src/core/workspace.js";
import { nodeHclParser } from "../../server/src/node/hcl-wasm.js";
import type { TextEdit } from "../../server/src/core/findings.js";

const WRANGLER = `name = "api"
main = "src/index.js"
account_id = "0123456789abcdef0123456789abcdef"
routes = [{ pattern = "api.example.com/*", zone_id = "11111111111111111111111111111111" }]
[[kv_namespaces]]
binding = "KV"
id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
`;
const WORKFLOW = `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: cloudflare/wrangler-action@v3
        with:
          apiToken: \${{ secrets.DEPLOY_TOKEN }}
`;

const JSON_TOKEN = `{
  "name": "deploy",
  "policies": [
    {
      "effect": "allow",
      "permission_groups": [
        { "id": "e086da7e2179491d91ee5f35b3ca210a", "name": "Workers Scripts Write" },
        { "id": "f7f0eda5697f475c90846e879bab8666", "name": "Workers KV Storage Write" }
      ],
      "resources": { "com.cloudflare.api.account.*": "*" }
    }
  ],
  "expires_on": "2027-01-01T00:00:00Z"
}
`;

const V5_TOKEN = `# the deploy token
resource "cloudflare_api_token" "deploy" {
  name = "deploy"
  policies = [{
    effect            = "allow"
    permission_groups = [{ id = "e086da7e2179491d91ee5f35b3ca210a" }, { id = "28f4b596e7d643029c524985477ae49a" }]
    resources         = jsonencode({ "com.cloudflare.api.account.\${var.account_id}" = "*" })
  }]
  expires_on = "2027-01-01T00:00:00Z"
}

resource "github_actions_secret" "deploy" {
  repository      = "app"
  secret_name     = "DEPLOY_TOKEN"
  plaintext_value = cloudflare_api_token.deploy.value
}
`;

const V4_TOKEN = `resource "cloudflare_api_token" "deploy" {
  name = "deploy"

  policy {
    permission_groups = ["e086da7e2179491d91ee5f35b3ca210a"]
    resources = { "com.cloudflare.api.account.*" = "*" }
  }

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
  for (const e of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

const CASES: [string, string, string, Record<string, string[]>][] = [
  ["JSON body", "/r/token.json", JSON_TOKEN, { "token.json": ["DEPLOY_TOKEN"] }],
  ["Terraform v5", "/r/infra/token.tf", V5_TOKEN, {}],
  ["Terraform v4", "/r/infra/token.tf", V4_TOKEN, {}],
];

for (const [name, file, body, secrets] of CASES) {
  test(`rewrite to minimal: ${name}`, async () => {
    const hcl = await nodeHclParser();
    const files = new Map([
      ["/r/wrangler.toml", WRANGLER],
      ["/r/.github/workflows/deploy.yml", WORKFLOW],
      [file, body],
    ]);
    const ws = analyzeWorkspace(new MemoryHost(files), "/r", { today: "2026-11-23", tokenSecrets: secrets }, { hcl });
    const token = ws.tokens[0]!;
    assert.equal(token.links.length, 1, "token linked to the deploy");
    const fix = ws.rewrite(file, token.token.span.start);
    assert.ok(fix, "a rewrite fix is offered");
    const edit = fix.edits[0]!;
    const after = apply(body, fix.edits);
    // Everything outside the replaced policies is byte-identical.
    assert.equal(after.slice(0, edit.start), body.slice(0, edit.start));
    assert.equal(after.slice(edit.start + edit.newText.length), body.slice(edit.end));
    files.set(file, after);
    const again = analyzeWorkspace(
      new MemoryHost(files),
      "/r",
      { today: "2026-11-23", tokenSecrets: secrets },
      { hcl },
    );
    assert.deepEqual(
      again.problems.filter((p) => p.file === file),
      [],
      "rewritten token parses cleanly",
    );
    const left = again.findings
      .filter((f) =>
        ["missing-group", "unneeded-group", "write-where-read-suffices", "all-accounts", "all-zones"].includes(f.rule),
      )
      .map((f) => `${f.rule}: ${f.message}`);
    assert.deepEqual(left, []);
    // KV with an id needs no KV group; the route's zone needs Workers Routes Write there.
    const groups = again.tokens[0]!.grants.map((g) => g.group?.name).sort();
    assert.deepEqual(groups, ["Workers Routes Write", "Workers Scripts Write"]);
  });
}
