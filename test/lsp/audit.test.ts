// The server half of *Audit Live Token…* over stdio: the client sends the token object it read (here: the mock's
// answer for the template token), the server audits the folder with the folder's settings and the unsaved text
// of open documents, and answers with the report as data and as Markdown. Bad arguments give an error answer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LspClient, REPO, uri } from "./harness";
import { IDS, LEAKED_VALUE, MOCK_TOKENS } from "../mock/token-scenario.js";
import type { AuditResult } from "../../server/src/lsp/protocol.js";

const WS = join(REPO, "test/fixtures/lsp/shop");
const CONFIG = join(WS, "wrangler.toml");
const SETTINGS = { tokenSecrets: { "deploy-token.json": ["CLOUDFLARE_API_TOKEN"] } };

function answer(id: string): Record<string, unknown> {
  const { owner: _o, leakedValue, ...rest } = MOCK_TOKENS.find((x) => x.id === id)!;
  return leakedValue ? { ...rest, value: leakedValue } : rest;
}

test("the server audits the live token against the folder's deploys, with settings and unsaved text", async (t) => {
  const c = await LspClient.start(WS, { settings: SETTINGS });
  t.after(() => c.stop());
  await c.waitFor("first analysis", () => (c.statuses.length ? true : undefined));
  const exec = (arg: unknown) =>
    c.request<AuditResult>("workspace/executeCommand", {
      command: "wranglerTokenLint.server.auditLiveToken",
      arguments: [arg],
    });
  const args = {
    folder: uri(WS),
    token: answer(IDS.template),
    owner: "user",
    secret: "CLOUDFLARE_API_TOKEN",
    requests: ["GET https://api.cloudflare.com/client/v4/user/tokens/x → 200"],
  };
  const r = await exec(args);
  assert.ok("report" in r, JSON.stringify(r));
  assert.deepEqual(
    r.report.deploys.map((d) => `${d.file}:${d.line} ${d.command}`),
    [".github/workflows/deploy.yml:13 wrangler deploy --env production"],
  );
  assert.ok(
    r.report.findings.some((f) => f.rule === "unneeded-group" && f.tokenPath === "policies[0].permission_groups[1]"),
  );
  assert.ok(
    r.report.notes.some((n) => n.includes('"shop deploy" in deploy-token.json')),
    "the tokenSecrets setting links the file definition too",
  );
  assert.match(r.markdown, /^## Live token audit: “CI deploy”/);
  assert.match(r.markdown, /Requests made \(GET only\)/);
  assert.ok(!JSON.stringify(r).includes(LEAKED_VALUE));
  // Unsaved text wins: binding R2 in the open config makes Workers R2 Storage Write needed.
  const text =
    readFileSync(CONFIG, "utf8") + '\n[[env.production.r2_buckets]]\nbinding = "FILES"\nbucket_name = "files"\n';
  await c.open(CONFIG, "toml", text);
  const again = await exec(args);
  assert.ok("report" in again);
  assert.ok(
    !again.report.findings.some((f) => f.rule === "unneeded-group" && f.message.includes("Workers R2 Storage Write")),
    "R2 is needed now",
  );
  assert.ok(
    r.report.findings.some((f) => f.rule === "unneeded-group" && f.message.includes("Workers R2 Storage Write")),
    "and was not before",
  );
  // Bad arguments answer with an error.
  assert.ok("error" in (await exec({ folder: uri(WS), token: { id: "x" }, owner: "user", secret: "S" })));
  assert.ok("error" in (await exec({ folder: uri(WS), token: answer(IDS.account), owner: "account" })));
});
