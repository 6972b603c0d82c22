// The bundled language server over stdio on a broken wrangler.toml: the syntax error (UTF-16 range, code),
// unsaved text winning over the disk, the enable setting without a restart, and survival of bad requests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hover } from "vscode-languageserver-protocol";
import { LspClient, REPO, uri } from "./harness";

const WS = join(REPO, "test/fixtures/lsp/parse-error");
const TOML = join(WS, "wrangler.toml");

test("a TOML syntax error is published with a UTF-16 range and its problem code", async (t) => {
  const c = await LspClient.start(WS);
  t.after(() => c.stop());
  await c.open(TOML, "toml");
  const [d, ...rest] = await c.waitForDiagnostics(TOML);
  assert.equal(rest.length, 0);
  assert.equal(d!.code, "toml-syntax");
  assert.equal(d!.source, "wrangler-token-lint");
  assert.equal(d!.severity, 1);
  assert.match(d!.message as string, /TOML syntax error/);
  // Line 6 is `GREETING = "😀" oops`: the emoji is two UTF-16 code units, so "oops" starts at character 16.
  assert.deepEqual(d!.range, { start: { line: 5, character: 16 }, end: { line: 5, character: 20 } });
  // Parser problems are not rules: no docs page link.
  assert.equal(d!.codeDescription, undefined);
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
  assert.equal(
    await c.request<Hover | null>("textDocument/hover", {
      textDocument: { uri: missing },
      position: { line: 9, character: 9 },
    }),
    null,
  );
  assert.deepEqual(await c.request("textDocument/codeLens", { textDocument: { uri: "untitled:Untitled-1" } }), []);
  assert.deepEqual(
    await c.request("textDocument/codeAction", {
      textDocument: { uri: "not a uri" },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    }),
    [],
  );
  await assert.rejects(
    c.request("workspace/executeCommand", { command: "wranglerTokenLint.server.nope", arguments: [] }),
  );
  await c.conn.sendNotification("textDocument/didOpen", {
    textDocument: { uri: "untitled:Untitled-2", languageId: "toml", version: 1, text: "= = =" },
  });
  await c.open(TOML, "toml");
  const [d] = await c.waitForDiagnostics(TOML);
  assert.equal(d!.code, "toml-syntax");
  assert.equal(c.proc.exitCode, null);
});

test("a wrangler.toml outside every folder is analysed in its own directory; a loose JSON file starts nothing", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "wtl-lsp-loose-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const other = mkdtempSync(join(tmpdir(), "wtl-lsp-loose-json-"));
  t.after(() => rmSync(other, { recursive: true, force: true }));
  const toml = join(dir, "wrangler.toml");
  writeFileSync(toml, readFileSync(TOML, "utf8"));
  const json = join(other, "notes.json");
  writeFileSync(json, "{}");
  const c = await LspClient.start(WS);
  t.after(() => c.stop());
  await c.open(json, "json");
  await c.open(toml, "toml");
  const [d] = await c.waitForDiagnostics(toml);
  assert.equal(d!.code, "toml-syntax");
  await c.waitFor("status of the loose root", () =>
    (c.statuses as { folder: string }[]).some((s) => s.folder === uri(dir)) ? true : undefined,
  );
  const folders = (c.statuses as { folder: string }[]).map((s) => s.folder);
  assert.ok(!folders.includes(uri(other)), folders.join(", "));
});
