// The repository the review scenarios start from (the base, on main): two Workers, each deployed by its own
// workflow with its own token. shop: wrangler.toml with a production env on a route in zone aaaa…, a
// Terraform account token linked through github_actions_secret. admin: admin/wrangler.toml, a create-token
// JSON body linked through the project config, which grants one group no deploy needs (Workers Tail Read).

export const ACCOUNT = "0123456789abcdef0123456789abcdef";
export const ZONE_A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
export const ZONE_B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

export const SHOP_CONFIG = `name = "shop"
main = "src/index.js"
compatibility_date = "2025-06-01"
account_id = "${ACCOUNT}"
workers_dev = false

[env.production]
routes = [
  { pattern = "shop.example.com/*", zone_id = "${ZONE_A}" },
]

[[env.production.kv_namespaces]]
binding = "CART"
id = "cccccccccccccccccccccccccccccccc"
`;

export const SHOP_TOKEN = (extraGroups = "", zones = [ZONE_A]) => `resource "cloudflare_account_token" "shop" {
  account_id = "${ACCOUNT}"
  name       = "shop deploy"
  policies = [{
    effect = "allow"
    permission_groups = [
      { id = "e086da7e2179491d91ee5f35b3ca210a" }, # Workers Scripts Write
${extraGroups}    ]
    resources = jsonencode({
      "com.cloudflare.api.account.${ACCOUNT}" = "*"
    })
  }, {
    effect = "allow"
    permission_groups = [
      { id = "28f4b596e7d643029c524985477ae49a" }, # Workers Routes Write
    ]
    resources = jsonencode({
${zones.map((z) => `      "com.cloudflare.api.account.zone.${z}" = "*"`).join("\n")}
    })
  }]
  expires_on = "2027-06-01T00:00:00Z"
  condition = {
    request_ip = { in = ["192.0.2.0/24"] }
  }
}

resource "github_actions_secret" "shop_token" {
  repository      = "shop"
  secret_name     = "CLOUDFLARE_API_TOKEN"
  plaintext_value = cloudflare_account_token.shop.value
}
`;

export const SHOP_WORKFLOW = `name: deploy shop
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Deploy shop
        uses: cloudflare/wrangler-action@v3
        with:
          apiToken: \${{ secrets.CLOUDFLARE_API_TOKEN }}
          command: deploy --env production
`;

export const ADMIN_CONFIG = `name = "admin"
main = "src/index.js"
compatibility_date = "2025-06-01"
account_id = "${ACCOUNT}"
`;

export const ADMIN_WORKFLOW = `name: deploy admin
on:
  push:
    branches: [main]
jobs:
  admin:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Deploy admin
        uses: cloudflare/wrangler-action@v3
        with:
          apiToken: \${{ secrets.ADMIN_API_TOKEN }}
          workingDirectory: admin
`;

export const ADMIN_GROUPS = {
  scripts: `{ "id": "e086da7e2179491d91ee5f35b3ca210a", "name": "Workers Scripts Write" }`,
  tail: `{ "id": "05880cd1bdc24d8bae0be2136972816b", "name": "Workers Tail Read" }`,
};

export const ADMIN_TOKEN = (groups: string[], extraPolicy = "") => `{
  "name": "admin deploy",
  "policies": [
    {
      "effect": "allow",
      "permission_groups": [
        ${groups.join(",\n        ")}
      ],
      "resources": { "com.cloudflare.api.account.${ACCOUNT}": "*" }
    }${extraPolicy}
  ],
  "expires_on": "2027-06-01T00:00:00Z",
  "condition": { "request_ip": { "in": ["192.0.2.0/24"] } }
}
`;

export const BASE_FILES: Record<string, string> = {
  "wrangler.toml": SHOP_CONFIG,
  "src/index.js": "export default { fetch() { return new Response('shop'); } };\n",
  "infra/shop-token.tf": SHOP_TOKEN(),
  ".github/workflows/deploy.yml": SHOP_WORKFLOW,
  "admin/wrangler.toml": ADMIN_CONFIG,
  "admin/src/index.js": "export default { fetch() { return new Response('admin'); } };\n",
  ".github/workflows/admin.yml": ADMIN_WORKFLOW,
  "tokens/admin.json": ADMIN_TOKEN([ADMIN_GROUPS.scripts, ADMIN_GROUPS.tail]),
  ".wrangler-token-lint.json": `{ "tokenSecrets": { "tokens/admin.json": ["ADMIN_API_TOKEN"] } }\n`,
};
