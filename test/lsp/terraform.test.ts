// Terraform token definitions through the bundled server: the grammar (.wasm) loads in the server process, a
// finding lands in the .tf file, and the "ignore" quick fix writes a `#` comment above it with the line's
// indentation, which suppresses the finding once the edited text is analysed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CodeAction, Diagnostic } from "vscode-languageserver-protocol";
import { LspClient, REPO, applyEdits, uri } from "./harness";

const WS = join(REPO, "test/fixtures/lsp/terraform");
const TF = join(WS, "infra/token.tf");
const unneeded = (ds: Diagnostic[]) => ds.find((d) => d.code === "unneeded-group");

test("an unneeded group in a Terraform token is reported, and the ignore comment suppresses it", async (t) => {
  const c = await LspClient.start(WS);
  t.after(() => c.stop());
  await c.open(TF, "terraform");
  const ds = await c.waitForDiagnostics(TF, (ds) => unneeded(ds) !== undefined, 30000);
  const d = unneeded(ds)!;
  const text = readFileSync(TF, "utf8");
  const lines = text.split("\n");
  const line = lines.findIndex((l) => l.includes('["Workers KV Storage Write"]'));
  assert.equal(d.range.start.line, line);
  assert.equal(d.range.start.character, 6);

  const actions = await c.request<CodeAction[]>("textDocument/codeAction", {
    textDocument: { uri: uri(TF) },
    range: d.range,
    context: { diagnostics: [d], only: ["quickfix"] },
  });
  const ignore = actions.find((a) => a.title === "Ignore unneeded-group here (comment)");
  assert.ok(ignore, actions.map((a) => a.title).join(" | "));
  const edited = applyEdits(text, ignore.edit!.changes![uri(TF)]!);
  const after = edited.split("\n");
  assert.equal(after[line], "      # wrangler-token-lint: ignore[unneeded-group]");
  assert.equal(after[line + 1], lines[line]);
  assert.equal(after.length, lines.length + 1);

  await c.change(TF, edited);
  await c.waitForDiagnostics(TF, (ds) => unneeded(ds) === undefined);
});
