// classifyToken: the one decision of what each grant of a token is for and how each need is met, on a real
// workspace (a cron Worker deployed by wrangler-action with a token file that over-grants).
import { test } from "node:test";
import assert from "node:assert/strict";
import { MemoryHost } from "../../server/src/core/host.js";
import { analyzeWorkspace } from "../../server/src/core/workspace.js";
import { classifyToken } from "../../server/src/core/grant-class.js";

const token = (ids: string[]) =>
  `{\n  "name": "deploy",\n  "policies": [\n    {\n      "effect": "allow",\n      "permission_groups": [${ids.map((id) => `{ "id": "${id}" }`).join(", ")}],\n      "resources": { "com.cloudflare.api.account.0123456789abcdef0123456789abcdef": "*" }\n    }\n  ]\n}\n`;

function classify(ids: string[]) {
  const files = new Map([
    [
      "/r/wrangler.toml",
      'name = "api"\nmain = "src/index.js"\naccount_id = "0123456789abcdef0123456789abcdef"\n[triggers]\ncrons = ["0 3 * * *"]\n',
    ],
    [
      "/r/.github/workflows/deploy.yml",
      "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: cloudflare/wrangler-action@v3\n        with:\n          apiToken: ${{ secrets.DEPLOY_TOKEN }}\n",
    ],
    ["/r/token.json", token(ids)],
  ]);
  const ws = analyzeWorkspace(new MemoryHost(files), "/r", {
    today: "2026-11-23",
    tokenSecrets: { "token.json": ["DEPLOY_TOKEN"] },
  });
  const t = ws.tokens.find((x) => x.token.file === "/r/token.json")!;
  const c = classifyToken(t);
  const grants = Object.fromEntries(t.grants.map((g) => [g.group?.name ?? g.entry.written, c.grants.get(g)?.kind]));
  const needs = Object.fromEntries(t.needs.map((n) => [n.group.name, c.needs.get(n)?.kind]));
  return { c, grants, needs };
}

const SCRIPTS_WRITE = "e086da7e2179491d91ee5f35b3ca210a";
const SCRIPTS_READ = "1a71c399035b4950a1bd1466bbe4f420";
const ROUTES_WRITE = "28f4b596e7d643029c524985477ae49a";

test("a needed group, an unneeded one and a zone group without routes each get their class", () => {
  const { c, grants, needs } = classify([SCRIPTS_WRITE, "f7f0eda5697f475c90846e879bab8666", ROUTES_WRITE]);
  assert.equal(c.known, true);
  assert.equal(grants["Workers Scripts Write"], "needed");
  assert.equal(grants["Workers Routes Write"], "zone-without-routes");
  assert.equal(Object.values(grants).filter((k) => k === "unneeded").length, 1);
  assert.equal(needs["Workers Scripts Write"], "granted");
});

test("Read where Write is needed: the need is missing and the Read grant is the twin of a need", () => {
  const { grants, needs } = classify([SCRIPTS_READ]);
  assert.equal(needs["Workers Scripts Write"], "missing");
  assert.equal(grants["Workers Scripts Read"], "twin-of-need");
});
