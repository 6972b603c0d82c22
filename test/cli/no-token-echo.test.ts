// Token values written in the files never appear in any output: every `check` format, `minimal` (text and
// JSON), the language server's diagnostics, hovers (asked at every few characters of every line) and code lenses.
// The values sit where they are read: `--api-token <value>` and `--api-token=<value>` on a wrangler command
// line, a literal CLOUDFLARE_API_TOKEN in a step's env, wrangler-action's apiToken, and a config's vars.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hover } from "vscode-languageserver-protocol";
import { commandText } from "../../server/src/core/command.js";
import { LspClient, uri } from "../lsp/harness.js";

const repo = join(import.meta.dirname, "..", "..");
const ws = mkdtempSync(join(tmpdir(), "wtl-no-echo-"));
after(() => rmSync(ws, { recursive: true, force: true }));

const VALUES = [
  "cfut_Q3vX9kLm2Np7Rt5Wy8Zb4Cd6Fg1Hj0KsAaBb",
  "cfat_M7nB2vC5xZ8lK4jH1gF6dS9aP3oI0uYtRrEe",
  "Xq7pL2mN9vB4cR8tY1wZ6kH3jF5dS0aG_e-uI7oP",
  "Lk9Jh8Gf7Ds6Aa5Qw4Er3Ty2Ui1Op0ZxCvBnMm12",
  "cfk_Zz1Yy2Xx3Ww4Vv5Uu6Tt7Ss8Rr9Qq0PpOoNn",
  "Pp0Oo9Ii8Uu7Yy6Tt5Rr4Ee3Ww2Qq1AaSsDdFfGg3",
];
const [v0, v1, v2, v3, v4, v5] = VALUES;

const WORKFLOW = join(ws, ".github", "workflows", "deploy.yml");
const CONFIG = join(ws, "wrangler.toml");
mkdirSync(join(ws, ".github", "workflows"), { recursive: true });
writeFileSync(
  CONFIG,
  `name = "api"\nmain = "src/index.js"\naccount_id = "0123456789abcdef0123456789abcdef"\n[vars]\nCLOUDFLARE_API_TOKEN = "${v4}"\n[[kv_namespaces]]\nbinding = "KV"\nid = "0123456789abcdef0123456789abcdef"\n`,
);
writeFileSync(
  WORKFLOW,
  `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: npx wrangler deploy --api-token ${v0}
      - run: npx wrangler deploy --api-token=${v1} --env production
      - run: npx wrangler deploy
        env:
          CLOUDFLARE_API_TOKEN: ${v2}
      - uses: cloudflare/wrangler-action@v3
        with:
          apiToken: ${v3}
          command: deploy --token ${v5}
`,
);
writeFileSync(
  join(ws, "deploy-token.json"),
  JSON.stringify(
    {
      name: "deploy",
      policies: [
        {
          effect: "allow",
          permission_groups: [{ id: "e086da7e2179491d91ee5f35b3ca210a" }],
          resources: { "com.cloudflare.api.account.0123456789abcdef0123456789abcdef": "*" },
        },
      ],
    },
    null,
    2,
  ),
);

function assertNoValue(out: string, what: string): void {
  for (const v of VALUES) {
    assert.ok(!out.includes(v), `${what} prints a token value (${v.slice(0, 5)}…)`);
    assert.ok(!out.includes(v.slice(6, 30)), `${what} prints part of a token value (${v.slice(0, 5)}…)`);
  }
}

test("commandText redacts credential flags and token-shaped words", () => {
  assert.equal(
    commandText(["deploy", "--api-token", v0!, "--env", "production"]),
    "deploy --api-token <redacted> --env production",
  );
  assert.equal(commandText(["deploy", `--api-token=${v1}`]), "deploy --api-token=<redacted>");
  assert.equal(commandText(["deploy", "--token", "short"]), "deploy --token <redacted>");
  assert.equal(commandText(["deploy", v2!]), "deploy <redacted>");
  assert.equal(commandText(["deploy", `X=${v3}`]), "deploy X=<redacted>");
  assert.equal(
    commandText(["d1", "execute", "DB", "--remote", "--config", "apps/api/wrangler.toml"]),
    "d1 execute DB --remote --config apps/api/wrangler.toml",
  );
});

test("check: no format prints a token value, and the committed values are still found", () => {
  for (const format of ["text", "json", "sarif", "markdown"]) {
    const r = spawnSync(
      process.execPath,
      [
        join(repo, "bin", "wrangler-token-lint.js"),
        "check",
        ws,
        "--format",
        format,
        "--today",
        "2026-11-23",
        "--token-secret",
        "deploy-token.json=CLOUDFLARE_API_TOKEN",
      ],
      { encoding: "utf8" },
    );
    assert.ok(r.status === 0 || r.status === 1, `${format}: exit ${r.status}: ${r.stderr}`);
    assert.match(r.stdout, /committed-token-value/, format);
    assertNoValue(r.stdout + r.stderr, `check --format ${format}`);
  }
});

test("minimal: the command line given is printed redacted", () => {
  for (const extra of [[], ["--format", "json"], ["--format", "api"], ["--format", "terraform"], ["--format", "url"]]) {
    const r = spawnSync(
      process.execPath,
      [join(repo, "bin", "wrangler-token-lint.js"), "minimal", ws, "--command", `deploy --api-token ${v0}`, ...extra],
      { encoding: "utf8" },
    );
    assert.equal(r.status, 0, r.stderr);
    if (extra[1] !== "api" && extra[1] !== "terraform" && extra[1] !== "url") assert.match(r.stdout, /<redacted>/);
    assertNoValue(r.stdout + r.stderr, `minimal ${extra.join(" ")}`);
  }
});

test("language server: diagnostics, hovers and code lenses never show a token value", async (t) => {
  const c = await LspClient.start(ws, {
    settings: { tokenSecrets: { "deploy-token.json": ["CLOUDFLARE_API_TOKEN"] } },
  });
  t.after(() => c.stop());
  await c.open(WORKFLOW, "yaml");
  await c.open(CONFIG, "toml");
  await c.waitForDiagnostics(WORKFLOW, (d) => d.some((x) => x.code === "committed-token-value"));
  await c.waitForDiagnostics(CONFIG, (d) => d.some((x) => x.code === "committed-token-value"));
  assertNoValue(JSON.stringify([...c.diagnostics]), "diagnostics");
  let hovers = 0;
  for (const file of [WORKFLOW, CONFIG]) {
    const lines = readFileSync(file, "utf8").split("\n");
    for (let line = 0; line < lines.length; line++) {
      for (let character = 0; character <= lines[line]!.length; character += 3) {
        const h = await c.request<Hover | null>("textDocument/hover", {
          textDocument: { uri: uri(file) },
          position: { line, character },
        });
        if (h) hovers++;
        assertNoValue(JSON.stringify(h), `hover at ${file.slice(ws.length)}:${line + 1}:${character + 1}`);
      }
    }
    assertNoValue(
      JSON.stringify(await c.request("textDocument/codeLens", { textDocument: { uri: uri(file) } })),
      "code lenses",
    );
  }
  assert.ok(hovers > 10, `only ${hovers} hovers answered`);
});
