// Hover and code lens answers of the workspace analysis: what a granted group is used for (with root-relative
// places), what a deploy step needs, and the per-token / per-step lens titles.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MemoryHost } from "../../server/src/core/host.js";
import { analyzeWorkspace } from "../../server/src/core/workspace.js";

const files = new Map([
  [
    "/r/wrangler.toml",
    'name = "api"\nmain = "src/index.js"\naccount_id = "0123456789abcdef0123456789abcdef"\n[triggers]\ncrons = ["0 3 * * *"]\n',
  ],
  [
    "/r/.github/workflows/deploy.yml",
    "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: cloudflare/wrangler-action@v3\n        with:\n          apiToken: ${{ secrets.DEPLOY_TOKEN }}\n",
  ],
  [
    "/r/token.json",
    '{\n  "name": "deploy",\n  "policies": [\n    {\n      "effect": "allow",\n      "permission_groups": [\n        { "id": "e086da7e2179491d91ee5f35b3ca210a" },\n        { "id": "f7f0eda5697f475c90846e879bab8666" }\n      ],\n      "resources": { "com.cloudflare.api.account.0123456789abcdef0123456789abcdef": "*" }\n    }\n  ]\n}\n',
  ],
]);

const ws = analyzeWorkspace(new MemoryHost(files), "/r", {
  today: "2026-11-23",
  tokenSecrets: { "token.json": ["DEPLOY_TOKEN"] },
});
const tokenText = files.get("/r/token.json")!;

test("hover on a needed group lists the places that need it, relative to the root", () => {
  const h = ws.hover("/r/token.json", tokenText.indexOf("e086da7e"));
  assert.ok(h);
  assert.match(h.markdown, /Workers Scripts: Edit/);
  assert.match(h.markdown, /^- wrangler\.toml:5 — Cron triggers are written to the Worker's schedules$/m);
  assert.match(h.markdown, /^- \.github\/workflows\/deploy\.yml:6 — /m);
});

test("hover on an unneeded group says no deploy needs it", () => {
  const h = ws.hover("/r/token.json", tokenText.indexOf("f7f0eda5"));
  assert.ok(h);
  assert.match(h.markdown, /No deploy that uses this token needs it \(`DEPLOY_TOKEN`; 1 deploy\)/);
});

test("hover on a config key explains what deploying it needs", () => {
  const cfg = files.get("/r/wrangler.toml")!;
  const h = ws.hover("/r/wrangler.toml", cfg.indexOf("crons"));
  assert.ok(h);
  assert.match(h.markdown, /\*\*Workers Scripts Write\*\* — Cron triggers are written/);
});

test("code lenses above the token and the deploy step", () => {
  assert.deepEqual(
    ws.lenses("/r/token.json").map((l) => l.title),
    ["needs 1 group: 1 granted · grants 2: 1 needed, 1 unneeded"],
  );
  assert.deepEqual(
    ws.lenses("/r/.github/workflows/deploy.yml").map((l) => l.title),
    ["token: DEPLOY_TOKEN → deploy"],
  );
});

test("hover on values(data.….account) summarises the expression and lists the groups the deploys use from it", async () => {
  const { nodeHclParser } = await import("../../server/src/node/hcl-wasm.js");
  const tf = `data "cloudflare_api_token_permission_groups" "all" {}
resource "cloudflare_api_token" "deploy" {
  name = "deploy"
  policy {
    permission_groups = values(data.cloudflare_api_token_permission_groups.all.account)
    resources = { "com.cloudflare.api.account.0123456789abcdef0123456789abcdef" = "*" }
  }
}
`;
  const tfFiles = new Map([...files].filter(([k]) => k !== "/r/token.json"));
  tfFiles.set("/r/infra/deploy.tf", tf);
  const w = analyzeWorkspace(
    new MemoryHost(tfFiles),
    "/r",
    { today: "2026-11-23", tokenSecrets: { "cloudflare_api_token.deploy": ["DEPLOY_TOKEN"] } },
    { hcl: await nodeHclParser() },
  );
  const h = w.hover("/r/infra/deploy.tf", tf.indexOf("values("));
  assert.ok(h);
  assert.match(
    h.markdown,
    /^`values\(data\.cloudflare_api_token_permission_groups\.all\.account\)`: \d+ groups in the catalog \(every account permission group; Cloudflare's list has more\)/,
  );
  assert.match(h.markdown, /^- \*\*Workers Scripts Write\*\*$/m);
  assert.match(h.markdown, /^ {2}- wrangler\.toml:5 — Cron triggers/m);
});
