// The permissions workbench over LSP on a workspace like the issue's: a Terraform account token linked through
// github_actions_secret to a job that runs `d1 migrations apply` and then wrangler-action's `deploy`. Inlay
// hints name each group id, hovers are short and count every CI command, the lens counts add up.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CodeAction, CodeLens, Diagnostic, Hover, InlayHint } from "vscode-languageserver-protocol";
import { LspClient, REPO, applyEdits, uri } from "./harness";

export const WORKBENCH = join(REPO, "test/fixtures/lsp/workbench");
const TF = join(WORKBENCH, "infra/token.tf");
const TOML = join(WORKBENCH, "wrangler.toml");
const missing = (ds: Diagnostic[]) => ds.filter((d) => d.code === "missing-group");

function pos(text: string, needle: string, delta = 0): { line: number; character: number } {
  const at = text.indexOf(needle) + delta;
  assert.ok(at >= delta, needle);
  const before = text.slice(0, at).split("\n");
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

async function hoverText(c: LspClient, file: string, p: { line: number; character: number }): Promise<string> {
  const h = await c.request<Hover | null>("textDocument/hover", { textDocument: { uri: uri(file) }, position: p });
  return h
    ? typeof h.contents === "object" && "value" in h.contents
      ? h.contents.value
      : JSON.stringify(h.contents)
    : "";
}

test("inlay hints name every group id and mark unneeded and too narrow ones; the setting turns them off", async (t) => {
  const c = await LspClient.start(WORKBENCH);
  t.after(() => c.stop());
  await c.open(TF, "terraform");
  await c.waitForDiagnostics(TF, (ds) => missing(ds).length === 3, 30000);
  const text = readFileSync(TF, "utf8");
  const range = { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } };
  const hints = await c.request<InlayHint[]>("textDocument/inlayHint", { textDocument: { uri: uri(TF) }, range });
  const labels = hints.map((h) => `${h.position.line}:${h.position.character} ${String(h.label)}`);
  const after = (id: string) => {
    const p = pos(text, id, id.length + 1);
    return `${p.line}:${p.character}`;
  };
  assert.deepEqual(labels, [
    `${after("e086da7e2179491d91ee5f35b3ca210a")} Workers Scripts Write`,
    `${after("05880cd1bdc24d8bae0be2136972816b")} Workers Tail Read · unneeded`,
    `${after("192192df92ee43ac90f2aeeffce67e35")} D1 Read · too narrow (needs D1 Write)`,
    `${after("f7f0eda5697f475c90846e879bab8666")} Workers KV Storage Write · unneeded`,
  ]);
  // What was analysed is logged at info level (window/logMessage type 3), for the output channel.
  const logged = c.logs.join("\n");
  assert.match(logged, /^analysed .*workbench in \d+ ms: \d+ files, 1 configs, 2 deploys, 1 tokens, \d+ findings/m);
  assert.match(
    logged,
    /^ {2}deploys: deploy\.yml › deploy › Apply migrations: wrangler d1 migrations apply DB --remote, deploy\.yml › deploy › Deploy: wrangler deploy$/m,
  );
  assert.match(logged, /^ {2}tokens: cloudflare_account_token\.deploy \(infra\/token\.tf, serves 2 deploys\)$/m);
  c.settings = { inlayHints: false };
  const n = c.statuses.length;
  await c.conn.sendNotification("workspace/didChangeConfiguration", { settings: {} });
  await c.waitFor("a new analysis", () => (c.statuses.length > n ? true : undefined));
  assert.deepEqual(
    await c.request<InlayHint[]>("textDocument/inlayHint", { textDocument: { uri: uri(TF) }, range }),
    [],
  );
});

test("the token lens adds up and opens the token in the view; hovers are short and name D1 Write on the binding", async (t) => {
  const c = await LspClient.start(WORKBENCH);
  t.after(() => c.stop());
  await c.open(TF, "terraform");
  await c.waitForDiagnostics(TF, (ds) => missing(ds).length === 3, 30000);
  const lenses = await c.request<CodeLens[]>("textDocument/codeLens", { textDocument: { uri: uri(TF) } });
  assert.equal(lenses.length, 1);
  assert.equal(
    lenses[0]!.command?.title,
    "needs 4 groups: 1 granted, 1 too narrow, 2 missing · grants 4: 1 needed, 2 unneeded, 1 too narrow",
  );
  assert.equal(lenses[0]!.command?.command, "wranglerTokenLint.revealInView");
  assert.deepEqual(lenses[0]!.command?.arguments, [{ id: `token:${TF}#cloudflare_account_token.deploy` }]);

  const tf = readFileSync(TF, "utf8");
  const unneeded = await hoverText(c, TF, pos(tf, "05880cd1", 2));
  assert.equal(
    unneeded,
    "**Workers Tail Read** (Workers Tail: Read, account) — unneeded. No deploy that uses this token needs it (`CLOUDFLARE_API_TOKEN`; 2 deploys).",
  );
  const narrow = await hoverText(c, TF, pos(tf, "192192df", 2));
  assert.equal(
    narrow,
    "**D1 Read** (D1: Read, account) — too narrow: its deploys need D1 Write (2 deploys use this token through `CLOUDFLARE_API_TOKEN`).",
  );

  await c.open(TOML, "toml");
  const toml = readFileSync(TOML, "utf8");
  for (const at of ['binding = "DB"', '"DB"', "database_name", "[[d1_databases]]", '"shop"']) {
    const h = await hoverText(c, TOML, pos(toml, at, 1));
    assert.match(h, /\*\*D1 Write\*\*/, `hover at ${at}: ${h}`);
    assert.match(h, /wrangler d1 migrations apply DB --remote/, `hover at ${at}: ${h}`);
    assert.equal(h.split("\n").filter((l) => l.startsWith("- **D1 Write**")).length, 1, h);
  }
});

test("the Token Permissions tree: deploys → groups → reasons with locations; tokens → grants marked, missing needs, deploys served", async (t) => {
  const c = await LspClient.start(WORKBENCH);
  t.after(() => c.stop());
  await c.open(TF, "terraform");
  await c.waitForDiagnostics(TF, (ds) => missing(ds).length === 3, 30000);
  type Node = {
    id: string;
    label: string;
    description?: string;
    kind: string;
    location?: { uri: string; range: { start: { line: number } } };
    children?: Node[];
    data?: Record<string, string>;
  };
  const tree = await c.request<{ sections: { id: string; nodes: Node[] }[] }>("wranglerTokenLint/tree", {});
  assert.deepEqual(
    tree.sections.map((s) => s.id),
    ["deploys", "tokens"],
  );
  const deploys = tree.sections[0]!.nodes;
  assert.deepEqual(
    deploys.map((d) => `${d.label} | ${d.description}`),
    [
      "deploy.yml › deploy › Apply migrations | wrangler d1 migrations apply DB --remote",
      "deploy.yml › deploy › Deploy | wrangler deploy",
    ],
  );
  const migrate = deploys[0]!;
  const d1 = migrate.children!.find((g) => g.label === "D1 Write");
  assert.ok(d1, JSON.stringify(migrate.children!.map((g) => g.label)));
  const reason = d1.children![0]!;
  assert.equal(reason.location?.uri, uri(TOML));
  assert.equal(reason.location?.range.start.line, 6, "the [[d1_databases]] line");
  const link = migrate.children!.find((g) => g.kind === "link")!;
  assert.equal(link.data?.reveal, `token:${TF}#cloudflare_account_token.deploy`);

  const [token] = tree.sections[1]!.nodes;
  assert.equal(token!.id, `token:${TF}#cloudflare_account_token.deploy`);
  const states = token!.children!.map((n) => `${n.label}: ${n.kind}`);
  assert.deepEqual(states, [
    "Workers Scripts Write: needed",
    "Workers Tail Read: unneeded",
    "D1 Read: too-narrow",
    "Workers KV Storage Write: unneeded",
    "D1 Write: too-narrow",
    "Workers Routes Write: missing",
    "Zone Read: missing",
    "serves deploy.yml › deploy › Apply migrations: link",
    "serves deploy.yml › deploy › Deploy: link",
  ]);
  for (const n of token!.children!) assert.ok(n.location, `${n.label} has a location`);
});

test("Generate Minimal Token for a CI job is the union of its commands (D1 Write from the migrations step)", async (t) => {
  const c = await LspClient.start(WORKBENCH);
  t.after(() => c.stop());
  await c.open(TF, "terraform");
  await c.waitForDiagnostics(TF, (ds) => missing(ds).length === 3, 30000);
  const exec = <R>(command: string, arg: unknown) =>
    c.request<R>("workspace/executeCommand", { command, arguments: [arg] });
  const deploys = await exec<{ id: string; job: string; command: string }[]>(
    "wranglerTokenLint.server.listDeploys",
    {},
  );
  assert.deepEqual(
    deploys.map((d) => `${d.job}: ${d.command}`),
    ["deploy.yml › deploy: d1 migrations apply DB --remote", "deploy.yml › deploy: deploy"],
  );
  const ids = deploys.map((d) => d.id);
  const job = await exec<{ text: string }>("wranglerTokenLint.server.generateMinimal", { deploys: ids, format: "api" });
  const body = JSON.parse(job.text) as { name: string; policies: { permission_groups: { name: string }[] }[] };
  const groups = body.policies.flatMap((p) => p.permission_groups.map((g) => g.name)).sort();
  assert.deepEqual(groups, ["D1 Write", "Workers Routes Write", "Workers Scripts Write", "Zone Read"]);
  assert.equal(body.name, "deploy.yml deploy (minimal)");
  const deployOnly = await exec<{ text: string }>("wranglerTokenLint.server.generateMinimal", {
    deploys: [ids[1]],
    format: "api",
  });
  assert.ok(!deployOnly.text.includes("D1 Write"), "the deploy step alone needs no D1 Write");
  const tf = await exec<{ text: string }>("wranglerTokenLint.server.generateMinimal", {
    deploys: ids,
    format: "terraform",
  });
  assert.match(tf.text, /^# wrangler d1 migrations apply DB --remote, wrangler deploy\n/);
  assert.match(tf.text, /resource "cloudflare_account_token"/);
  assert.match(tf.text, /09b2857d1c31407795e75e3fed8617a1/);
});

test("each missing group has its own quick fix, and Fix all adds every one of them", async (t) => {
  const c = await LspClient.start(WORKBENCH);
  t.after(() => c.stop());
  await c.open(TF, "terraform");
  const ds = await c.waitForDiagnostics(TF, (x) => missing(x).length === 3, 30000);
  const titles: string[] = [];
  for (const d of missing(ds)) {
    const actions = await c.request<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri: uri(TF) },
      range: d.range,
      context: { diagnostics: [d], only: ["quickfix"] },
    });
    titles.push(
      ...actions
        .filter((a) => a.diagnostics?.[0]?.message === d.message && a.title.startsWith("Add "))
        .map((a) => a.title),
    );
  }
  assert.deepEqual(titles, [
    "Add D1 Write",
    "Add Workers Routes Write (new zone policy)",
    "Add Zone Read (new zone policy)",
  ]);
  const all = await c.request<CodeAction[]>("textDocument/codeAction", {
    textDocument: { uri: uri(TF) },
    range: ds[0]!.range,
    context: { diagnostics: [], only: ["source.fixAll"] },
  });
  assert.equal(all.length, 1);
  const fixed = applyEdits(readFileSync(TF, "utf8"), all[0]!.edit!.changes![uri(TF)]!);
  assert.equal(fixed.match(/data "cloudflare_zone" "example_com"/g)?.length, 1, fixed);
  for (const id of [
    "09b2857d1c31407795e75e3fed8617a1",
    "28f4b596e7d643029c524985477ae49a",
    "c8fed203ed3043cba015a93ad1616f1f",
  ])
    assert.ok(fixed.includes(id), `${id} added:\n${fixed}`);
  // Both unneeded groups go too, Workers KV Storage Write although D1 Write is added right after its line.
  for (const id of ["05880cd1bdc24d8bae0be2136972816b", "f7f0eda5697f475c90846e879bab8666"])
    assert.ok(!fixed.includes(id), `${id} removed:\n${fixed}`);
  assert.match(
    fixed,
    /\{ id = "192192df92ee43ac90f2aeeffce67e35" \},\n {8}\{ id = "09b2857d1c31407795e75e3fed8617a1" \}, # D1 Write\n {6}\]/,
    fixed,
  );
  await c.change(TF, fixed);
  await c.waitForDiagnostics(TF, (x) => x.length > 0 && missing(x).length === 0);
});
