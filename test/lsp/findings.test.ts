// The bundled language server over stdio on a small Worker workspace (wrangler.toml, a GitHub workflow, a JSON
// token body): findings appear once the tokenSecrets setting links the token to the deploy, with related
// locations and docs links; the quick fix and fix-all edits, hover, code lenses, the status notification and
// the commands behind "Generate Minimal Token…".
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CodeAction, CodeLens, Diagnostic, Hover, MarkupContent } from "vscode-languageserver-protocol";
import { LspClient, REPO, applyEdits, uri } from "./harness";
import { main } from "../../server/src/cli/main";

const WS = join(REPO, "test/fixtures/lsp/shop");
const TOKEN = join(WS, "deploy-token.json");
const WORKFLOW = join(WS, ".github/workflows/deploy.yml");
const CONFIG = join(WS, "wrangler.toml");
const SETTINGS = { tokenSecrets: { "deploy-token.json": ["CLOUDFLARE_API_TOKEN"] } };

const byRule = (ds: Diagnostic[], rule: string): Diagnostic | undefined => ds.find((d) => d.code === rule);
/** 0-based line of the first line of the file containing `needle`. */
const lineOf = (file: string, needle: string): number =>
  readFileSync(file, "utf8")
    .split("\n")
    .findIndex((l) => l.includes(needle));

async function started(settings: Record<string, unknown> = SETTINGS): Promise<LspClient> {
  const c = await LspClient.start(WS, { settings });
  await c.open(TOKEN, "json");
  return c;
}

test("without tokenSecrets the token is unlinked; the setting links it without a restart", async (t) => {
  const c = await started({});
  t.after(() => c.stop());
  await c.waitFor("first analysis", () => (c.statuses.length ? true : undefined));
  assert.equal(byRule(c.diagnostics.get(uri(TOKEN)) ?? [], "unneeded-group"), undefined);
  c.settings = SETTINGS;
  await c.conn.sendNotification("workspace/didChangeConfiguration", { settings: null });
  await c.waitForDiagnostics(TOKEN, (ds) => byRule(ds, "unneeded-group") !== undefined);
});

test("an unneeded permission group is a warning on its entry, related to the workflow step, linked to its docs page", async (t) => {
  const c = await started();
  t.after(() => c.stop());
  const ds = await c.waitForDiagnostics(TOKEN, (ds) => byRule(ds, "unneeded-group") !== undefined);
  const d = byRule(ds, "unneeded-group")!;
  assert.equal(d.severity, 2);
  assert.equal(d.source, "wrangler-token-lint");
  assert.match(d.message as string, /Workers Tail Read/);
  const line = lineOf(TOKEN, "Workers Tail Read");
  assert.equal(d.range.start.line, line);
  assert.equal(d.range.start.character, 8);
  // The page shipped with the server, by a file URI that exists (opens in the editor, offline).
  assert.equal(d.codeDescription?.href, uri(join(REPO, "docs/rules/unneeded-group.md")));
  const rel = d.relatedInformation ?? [];
  assert.ok(
    rel.some(
      (r) => r.location.uri === uri(WORKFLOW) && r.location.range.start.line === lineOf(WORKFLOW, "command: deploy"),
    ),
    JSON.stringify(rel),
  );
  // The status notification follows the diagnostics of the same analysis.
  const status = await c.waitFor(
    "status",
    () => c.statuses.at(-1) as { configs: number; deploys: number; tokens: number; folder: string } | undefined,
  );
  assert.deepEqual(
    { configs: status.configs, deploys: status.deploys, tokens: status.tokens },
    { configs: 1, deploys: 1, tokens: 1 },
  );
  assert.equal(status.folder, uri(WS));
});

test("the quick fix removes the group; plain JSON gets no ignore-comment action", async (t) => {
  const c = await started();
  t.after(() => c.stop());
  const ds = await c.waitForDiagnostics(TOKEN, (ds) => byRule(ds, "unneeded-group") !== undefined);
  const d = byRule(ds, "unneeded-group")!;
  const actions = await c.request<CodeAction[]>("textDocument/codeAction", {
    textDocument: { uri: uri(TOKEN) },
    range: d.range,
    context: { diagnostics: [d], only: ["quickfix"] },
  });
  const titles = actions.map((a) => a.title);
  const remove = actions.find((a) => a.title === "Remove Workers Tail Read");
  assert.ok(remove, titles.join(" | "));
  assert.equal(remove.kind, "quickfix");
  assert.deepEqual(
    remove.diagnostics?.map((x) => x.code),
    ["unneeded-group"],
  );
  assert.ok(!titles.some((x) => x.startsWith("Ignore")), titles.join(" | "));
  const fixed = applyEdits(readFileSync(TOKEN, "utf8"), remove.edit!.changes![uri(TOKEN)]!);
  const body = JSON.parse(fixed) as { policies: { permission_groups: { name: string }[] }[] };
  assert.deepEqual(
    body.policies[0]!.permission_groups.map((g) => g.name),
    ["Workers Scripts Write"],
  );

  // The edited (unsaved) text is what the next analysis sees: the finding goes away.
  await c.change(TOKEN, fixed);
  await c.waitForDiagnostics(TOKEN, (ds) => byRule(ds, "unneeded-group") === undefined);
});

test("source.fixAll applies the safe fixes of the document", async (t) => {
  const c = await started();
  t.after(() => c.stop());
  await c.waitForDiagnostics(TOKEN, (ds) => byRule(ds, "unneeded-group") !== undefined);
  const actions = await c.request<CodeAction[]>("textDocument/codeAction", {
    textDocument: { uri: uri(TOKEN) },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ["source.fixAll"] },
  });
  assert.deepEqual(
    actions.map((a) => a.kind),
    ["source.fixAll.wranglerTokenLint"],
  );
  const fixed = applyEdits(readFileSync(TOKEN, "utf8"), actions[0]!.edit!.changes![uri(TOKEN)]!);
  assert.doesNotMatch(fixed, /Workers Tail Read/);
  assert.match(fixed, /Workers Scripts Write/);
  // The same edit through the fix-all command (workspace/applyEdit to the client).
  const r = await c.request<{ applied: boolean }>("workspace/executeCommand", {
    command: "wranglerTokenLint.server.applyFixAll",
    arguments: [{ uri: uri(TOKEN) }],
  });
  assert.equal(r.applied, true);
  assert.equal(applyEdits(readFileSync(TOKEN, "utf8"), c.appliedEdits[0]!.changes![uri(TOKEN)]!), fixed);
});

test("hover on a granted group says whether a deploy needs it", async (t) => {
  const c = await started();
  t.after(() => c.stop());
  await c.waitForDiagnostics(TOKEN, (ds) => byRule(ds, "unneeded-group") !== undefined);
  const line = lineOf(TOKEN, "Workers Tail Read");
  const h = await c.request<Hover | null>("textDocument/hover", {
    textDocument: { uri: uri(TOKEN) },
    position: { line, character: 20 },
  });
  assert.ok(h);
  const md = (h.contents as MarkupContent).value;
  assert.equal((h.contents as MarkupContent).kind, "markdown");
  assert.match(md, /Workers Tail/);
  assert.match(md, /No deploy that uses this token needs it/);
  assert.equal(h.range?.start.line, line);
  const scripts = await c.request<Hover | null>("textDocument/hover", {
    textDocument: { uri: uri(TOKEN) },
    position: { line: lineOf(TOKEN, "Workers Scripts Write"), character: 20 },
  });
  assert.ok(scripts);
  assert.match((scripts.contents as MarkupContent).value, /wrangler\.toml/);
});

test("code lenses summarise the token and name the token of the workflow step", async (t) => {
  const c = await started();
  t.after(() => c.stop());
  await c.open(WORKFLOW, "yaml");
  await c.waitForDiagnostics(TOKEN, (ds) => byRule(ds, "unneeded-group") !== undefined);
  const tokenLenses = await c.request<CodeLens[]>("textDocument/codeLens", { textDocument: { uri: uri(TOKEN) } });
  assert.deepEqual(
    tokenLenses.map((l) => l.command?.title),
    ["needs 1 group: 1 granted · grants 2: 1 needed, 1 unneeded"],
  );
  assert.equal(tokenLenses[0]!.range.start.line, 0);
  const stepLenses = await c.request<CodeLens[]>("textDocument/codeLens", { textDocument: { uri: uri(WORKFLOW) } });
  assert.deepEqual(
    stepLenses.map((l) => l.command?.title),
    ["token: CLOUDFLARE_API_TOKEN → shop deploy"],
  );
  assert.equal(stepLenses[0]!.range.start.line, lineOf(WORKFLOW, "wrangler-action"));
});

test("the commands list configs and environments and generate the minimal token", async (t) => {
  const c = await started();
  t.after(() => c.stop());
  const exec = <R>(command: string, arg: unknown) =>
    c.request<R>("workspace/executeCommand", { command, arguments: [arg] });
  assert.deepEqual(await exec("wranglerTokenLint.server.listConfigs", {}), [
    { uri: uri(CONFIG), label: "wrangler.toml" },
  ]);
  assert.deepEqual(await exec("wranglerTokenLint.server.listEnvironments", { config: uri(CONFIG) }), ["production"]);
  const api = await exec<{ text: string }>("wranglerTokenLint.server.generateMinimal", {
    config: uri(CONFIG),
    env: "production",
    command: "deploy",
    format: "api",
  });
  const body = JSON.parse(api.text) as {
    policies: { permission_groups: { name: string }[]; resources: Record<string, string> }[];
  };
  assert.deepEqual(
    body.policies.flatMap((p) => p.permission_groups.map((g) => g.name)),
    ["Workers Scripts Write"],
  );
  assert.deepEqual(Object.keys(body.policies[0]!.resources), [
    "com.cloudflare.api.account.0123456789abcdef0123456789abcdef",
  ]);
  const text = await exec<{ text: string }>("wranglerTokenLint.server.generateMinimal", {
    config: uri(CONFIG),
    env: "production",
    format: "text",
  });
  assert.match(text.text, /Workers Scripts Write/);
  const tf = await exec<{ text: string }>("wranglerTokenLint.server.generateMinimal", {
    config: uri(CONFIG),
    format: "terraform",
  });
  assert.match(tf.text, /resource "cloudflare_account_token" "shop_deploy"/);
  const bad = await exec<{ error: string }>("wranglerTokenLint.server.generateMinimal", {
    config: uri(join(WS, "nope.toml")),
    format: "api",
  });
  assert.ok("error" in bad);
});

test("files changed on disk (watched, not open) are analysed again", async (t) => {
  const ws = mkdtempSync(join(tmpdir(), "wtl-lsp-watch-"));
  t.after(() => rmSync(ws, { recursive: true, force: true }));
  cpSync(WS, ws, { recursive: true });
  const token = join(ws, "deploy-token.json");
  const c = await LspClient.start(ws, { settings: SETTINGS });
  t.after(() => c.stop());
  // Closed files get diagnostics too: the whole folder is analysed.
  await c.waitForDiagnostics(token, (ds) => byRule(ds, "unneeded-group") !== undefined);
  const watch = await c.waitFor("watcher registration", () =>
    c.registrations.find((r) => r.method === "workspace/didChangeWatchedFiles"),
  );
  const globs = (watch.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern);
  assert.ok(
    globs.includes("**/*.json") &&
      globs.includes("**/wrangler.{toml,json,jsonc}") &&
      globs.includes("**/.github/workflows/*.{yml,yaml,YML,YAML}"),
    globs.join(", "),
  );
  writeFileSync(token, readFileSync(token, "utf8").replace(/,\n\s*\{[^\n]*Workers Tail Read[^\n]*\}/, ""));
  assert.doesNotMatch(readFileSync(token, "utf8"), /Tail/);
  await c.conn.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: uri(token), type: 2 }] });
  await c.waitForDiagnostics(token, (ds) => byRule(ds, "unneeded-group") === undefined);
});

test("Generate Minimal Token renders as `minimal` does, in every format, for either owner", async (t) => {
  const c = await started();
  t.after(() => c.stop());
  const exec = <R>(command: string, arg: unknown) =>
    c.request<R>("workspace/executeCommand", { command, arguments: [arg] });
  for (const owner of ["account", "user"] as const) {
    for (const format of ["text", "json", "api", "terraform", "url"] as const) {
      const lsp = await exec<{ text: string }>("wranglerTokenLint.server.generateMinimal", {
        config: uri(CONFIG),
        env: "production",
        format,
        owner,
      });
      let stdout = "";
      let stderr = "";
      const code = await main(["minimal", CONFIG, "--env", "production", "--format", format, "--owner", owner], {
        cwd: WS,
        env: {},
        stdout: (s) => (stdout += s),
        stderr: (s) => (stderr += s),
      });
      assert.equal(code, 0, stderr);
      // The CLI prints the groups a dashboard link cannot pre-fill to stderr; the editor appends them.
      assert.equal(
        lsp.text,
        stdout.replace(/\n$/, "") +
          stderr
            .split("\n")
            .filter((l) => l.startsWith("add by hand: "))
            .map((l) => `\n${l}`)
            .join("") +
          "\n",
        `${owner} ${format}`,
      );
    }
  }
  const tf = await exec<{ text: string }>("wranglerTokenLint.server.generateMinimal", {
    config: uri(CONFIG),
    format: "terraform",
    owner: "user",
  });
  assert.match(tf.text, /resource "cloudflare_api_token" "shop_deploy"/);
});
