// The bundled language server over stdio: diagnostics for a broken wrangler.toml (UTF-16 ranges, rule code and
// docs link), unsaved text winning over the disk, the ignore-comment quick fix, settings changes without a
// restart, and survival of bad requests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CodeAction, Hover } from "vscode-languageserver-protocol";
import { LspClient, REPO, applyEdits, uri } from "./harness";

const WS = join(REPO, "test/fixtures/lsp/parse-error");
const TOML = join(WS, "wrangler.toml");
const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { repository: { url: string } };

test("a TOML syntax error is published with a UTF-16 range, the rule code and its docs page", async (t) => {
  const c = await LspClient.start(WS);
  t.after(() => c.stop());
  await c.open(TOML, "toml");
  const [d, ...rest] = await c.waitForDiagnostics(TOML);
  assert.equal(rest.length, 0);
  assert.equal(d!.code, "toml-syntax");
  assert.equal(d!.source, "wrangler-token-lint");
  assert.equal(d!.severity, 1);
  assert.match(d!.message as string, /TOML syntax error/);
  // Line 3 is `tags = ["😀"] oops`: the emoji is two UTF-16 code units, so "oops" starts at character 14.
  assert.deepEqual(d!.range, { start: { line: 2, character: 14 }, end: { line: 2, character: 18 } });
  const repo = pkg.repository.url.replace(/\.git$/, "");
  assert.equal(d!.codeDescription?.href, `${repo}/blob/main/docs/rules/toml-syntax.md`);
});

test("unsaved text wins over the disk, and closing the document brings the disk text back", async (t) => {
  const c = await LspClient.start(WS);
  t.after(() => c.stop());
  await c.open(TOML, "toml");
  await c.waitForDiagnostics(TOML);
  await c.change(TOML, readFileSync(TOML, "utf8").replace(" oops", ""));
  await c.waitForDiagnostics(TOML, (d) => d.length === 0);
  await c.conn.sendNotification("textDocument/didClose", { textDocument: { uri: uri(TOML) } });
  const again = await c.waitForDiagnostics(TOML, (d) => d.length === 1);
  assert.equal(again[0]!.code, "toml-syntax");
});

test("the ignore-comment quick fix inserts `# wrangler-token-lint: ignore[rule]` above the finding", async (t) => {
  const c = await LspClient.start(WS);
  t.after(() => c.stop());
  await c.open(TOML, "toml");
  const [d] = await c.waitForDiagnostics(TOML);
  const actions = await c.request<CodeAction[]>("textDocument/codeAction", {
    textDocument: { uri: uri(TOML) },
    range: d!.range,
    context: { diagnostics: [d], only: ["quickfix"] },
  });
  const ignore = actions.find((a) => a.title.startsWith("Ignore toml-syntax"));
  assert.ok(ignore, `no ignore action among ${actions.map((a) => a.title).join(", ")}`);
  assert.equal(ignore.kind, "quickfix");
  const edits = ignore.edit!.changes![uri(TOML)]!;
  const text = readFileSync(TOML, "utf8");
  const lines = applyEdits(text, edits).split("\n");
  assert.equal(lines[2], "# wrangler-token-lint: ignore[toml-syntax]");
  assert.equal(lines[3], 'tags = ["😀"] oops');
  // A range away from the finding gets no action for it.
  const none = await c.request<CodeAction[]>("textDocument/codeAction", {
    textDocument: { uri: uri(TOML) },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [] },
  });
  assert.equal(none.filter((a) => a.kind === "quickfix").length, 0);
});

test("turning the extension off for the folder clears its diagnostics without a restart", async (t) => {
  const c = await LspClient.start(WS);
  t.after(() => c.stop());
  await c.open(TOML, "toml");
  await c.waitForDiagnostics(TOML);
  c.settings = { enable: false };
  await c.conn.sendNotification("workspace/didChangeConfiguration", { settings: null });
  await c.waitForDiagnostics(TOML, (d) => d.length === 0);
  c.settings = { enable: true };
  await c.conn.sendNotification("workspace/didChangeConfiguration", { settings: null });
  await c.waitForDiagnostics(TOML, (d) => d.length === 1);
});

test("bad requests are answered and the server keeps working", async (t) => {
  const c = await LspClient.start(WS);
  t.after(() => c.stop());
  const missing = uri(join(WS, "does-not-exist.toml"));
  assert.equal(await c.request<Hover | null>("textDocument/hover", { textDocument: { uri: missing }, position: { line: 9, character: 9 } }), null);
  assert.deepEqual(await c.request("textDocument/codeLens", { textDocument: { uri: "untitled:Untitled-1" } }), []);
  assert.deepEqual(await c.request("textDocument/codeAction", { textDocument: { uri: "not a uri" }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }), []);
  await assert.rejects(c.request("workspace/executeCommand", { command: "wranglerTokenLint.server.nope", arguments: [] }));
  await c.conn.sendNotification("textDocument/didOpen", { textDocument: { uri: "untitled:Untitled-2", languageId: "toml", version: 1, text: "= = =" } });
  await c.open(TOML, "toml");
  const [d] = await c.waitForDiagnostics(TOML);
  assert.equal(d!.code, "toml-syntax");
  assert.equal(c.proc.exitCode, null);
});
