// The editor's branch review over LSP (REVIEW_REQUEST) on a repository built here with real git commits: main
// holds the review scenarios' base (test/review/workspace.ts); the branch adds a D1 binding in production (the
// shop token lacks D1 Write) and gives the admin token Workers KV Storage Write (no deploy needs it). Once with
// the base read through the client (as VS Code's git API does it: the file list in the request, each text asked
// for with BASE_FILE_REQUEST and answered here with `git show`), once read by the server with the git CLI.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CodeLens, Diagnostic } from "vscode-languageserver-protocol";
import { Repo } from "../review/repo";
import { ADMIN_GROUPS, ADMIN_TOKEN, BASE_FILES, SHOP_CONFIG } from "../review/workspace";
import { LspClient, uri } from "./harness";
import {
  BASE_FILE_REQUEST,
  NEW_ON_BRANCH,
  REVIEW_REQUEST,
  REVIEW_STOP_REQUEST,
  TREE_REQUEST,
  type ReviewResult,
  type TreeNode,
  type TreeResult,
} from "../../server/src/lsp/protocol";

const D1_BINDING = `
[[env.production.d1_databases]]
binding = "DB"
database_name = "orders"
`;
const KV_GROUP = `{ "id": "f7f0eda5697f475c90846e879bab8666", "name": "Workers KV Storage Write" }`;

let repo: Repo;
let baseCommit: string;

before(() => {
  repo = Repo.create("wtl-lsp-review-");
  repo.write(BASE_FILES);
  baseCommit = repo.commit("base");
  repo.git("checkout", "-q", "-b", "feature");
  repo.write({
    "wrangler.toml": SHOP_CONFIG + D1_BINDING,
    "tokens/admin.json": ADMIN_TOKEN([ADMIN_GROUPS.scripts, ADMIN_GROUPS.tail, KV_GROUP]),
  });
  repo.commit("shop: D1 in production; admin token: KV write");
});
after(() => repo.remove());

const flat = (nodes: TreeNode[]): TreeNode[] => nodes.flatMap((n) => [n, ...flat(n.children ?? [])]);

async function reviewNodes(c: LspClient): Promise<TreeNode[]> {
  const r = await c.request<TreeResult>(TREE_REQUEST, { sections: ["review"] });
  return r.sections.find((s) => s.id === "review")?.nodes ?? [];
}

/** Waits (re-checking on every notification) until the review section satisfies `pred`. */
async function waitForReview(c: LspClient, pred: (nodes: TreeNode[]) => boolean): Promise<TreeNode[]> {
  for (let i = 0; i < 200; i++) {
    const nodes = await reviewNodes(c);
    if (pred(nodes)) return nodes;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the review section never matched; it is:\n${JSON.stringify(await reviewNodes(c), null, 1)}`);
}

function allDiagnostics(c: LspClient): { code: Diagnostic["code"]; message: string }[] {
  return [...c.diagnostics.values()]
    .flat()
    .map((d) => ({ code: d.code, message: typeof d.message === "string" ? d.message : d.message.value }));
}

test("a review with the base read through the client: summary, deltas, marked findings, token lens", async (t) => {
  const c = await LspClient.start(repo.dir);
  t.after(() => c.stop());
  const asked: string[] = [];
  c.conn.onRequest(BASE_FILE_REQUEST, (p: { ref: string; path: string }) => {
    asked.push(p.path);
    try {
      return repo.git("show", `${p.ref}:${p.path}`);
    } catch {
      return null;
    }
  });
  const toml = join(repo.dir, "wrangler.toml");
  await c.waitForDiagnostics(join(repo.dir, "tokens/admin.json"));
  const files = repo.git("ls-tree", "-r", "--name-only", baseCommit).split("\n").filter(Boolean);
  const r = await c.request<ReviewResult>(REVIEW_REQUEST, {
    folder: uri(repo.dir),
    base: baseCommit,
    label: `main (${baseCommit.slice(0, 7)})`,
    short: "main",
    files,
    top: uri(repo.dir),
  });
  assert.ok(!("error" in r), JSON.stringify(r));
  assert.equal(r.fails, true);
  assert.deepEqual(
    {
      deploys: r.summary.deploysChanged,
      tokens: r.summary.tokensChanged,
      widened: r.summary.tokensWidened,
      lacking: r.summary.deploysLacking,
    },
    { deploys: 1, tokens: 1, widened: 1, lacking: 1 },
  );
  // The base texts came from the client, never from the disk (the disk holds the branch).
  assert.ok(asked.includes("wrangler.toml") && asked.includes("tokens/admin.json"), asked.join(", "));

  const nodes = await reviewNodes(c);
  const top = nodes[0]!;
  assert.equal(top.label, "Widens access or breaks a deploy");
  assert.match(
    top.description ?? "",
    /^vs main \(\w{7}\) · 1 deploy changed · 1 token changed · 1 widened · 1 deploy now lacking · \d+ new, 0 fixed findings$/,
  );
  const deploy = nodes.find((n) => n.label === "~ deploy.yml › deploy › Deploy shop");
  assert.ok(deploy, nodes.map((n) => n.label).join(" | "));
  const d1 = deploy.children!.find((n) => n.label === "+ D1 Write")!;
  assert.ok(d1, deploy.children!.map((n) => n.label).join(" | "));
  // Its cause opens the binding in head: wrangler.toml, the [[env.production.d1_databases]] table.
  const cause = d1.children![0]!;
  assert.equal(cause.location?.uri, uri(toml));
  assert.equal(cause.location?.range.start.line, SHOP_CONFIG.split("\n").length);
  assert.ok(deploy.children!.some((n) => n.label === "lacks D1 Write" && n.kind === "missing"));
  // The deploy's base version opens at the base commit (the client makes it a git: URI).
  const baseLink = deploy.children!.find((n) => n.label === "base version")!;
  assert.equal(baseLink.data?.gitRef, baseCommit);
  const token = nodes.find((n) => n.label === `~ "admin deploy"`)!;
  assert.ok(token, nodes.map((n) => n.label).join(" | "));
  assert.deepEqual(
    token.children!.map((n) => `${n.label} · ${n.description}`),
    [
      "+ Workers KV Storage Write · account · new access · no linked deploy needs it",
      "base version · base tokens/admin.json:2",
    ],
  );
  assert.ok(flat(nodes).some((n) => n.label === "missing-group" && n.location?.uri.endsWith("/infra/shop-token.tf")));

  // Findings new on the branch are marked in the diagnostics; the base's own findings are not.
  const marked = await c.waitFor("a marked missing-group", () =>
    allDiagnostics(c).find((d) => d.code === "missing-group" && d.message.startsWith(NEW_ON_BRANCH)),
  );
  assert.match(marked.message, /D1 Write/);
  const tail = allDiagnostics(c).find((d) => d.code === "unneeded-group" && /Workers Tail Read/.test(d.message));
  assert.ok(tail && !tail.message.startsWith(NEW_ON_BRANCH), JSON.stringify(tail));
  assert.ok(
    allDiagnostics(c).some(
      (d) =>
        d.code === "unneeded-group" &&
        d.message.startsWith(NEW_ON_BRANCH) &&
        /Workers KV Storage Write/.test(d.message),
    ),
  );

  // The changed token's lens, which reveals its review node.
  const lenses = await c.request<CodeLens[]>("textDocument/codeLens", {
    textDocument: { uri: uri(join(repo.dir, "tokens/admin.json")) },
  });
  const lens = lenses.find((l) => l.command?.title.endsWith("vs main · widens"));
  assert.equal(lens?.command?.title, "+1 group vs main · widens");
  assert.deepEqual(lens?.command?.arguments, [{ id: token.id }]);

  // Stopping the review drops the section and the marks.
  assert.equal(await c.request<boolean>(REVIEW_STOP_REQUEST, {}), true);
  await c.waitFor("no marks", () =>
    allDiagnostics(c).some((d) => d.message.startsWith(NEW_ON_BRANCH)) ? undefined : true,
  );
  assert.deepEqual(await reviewNodes(c), []);
});

test("a review read with the git CLI follows edits of the head and settings; outside a repository it says so", async (t) => {
  const c = await LspClient.start(repo.dir);
  t.after(() => c.stop());
  const toml = join(repo.dir, "wrangler.toml");
  await c.waitForDiagnostics(join(repo.dir, "tokens/admin.json"));
  const r = await c.request<ReviewResult>(REVIEW_REQUEST, { base: "" });
  assert.ok(!("error" in r), JSON.stringify(r));
  assert.equal(r.base, `merge-base with main (${baseCommit.slice(0, 7)})`);
  assert.equal(r.commit, baseCommit);
  await waitForReview(c, (ns) => ns.some((n) => n.label === "~ deploy.yml › deploy › Deploy shop"));
  // Unsaved text is the head: taking the binding out again leaves only the token's change.
  await c.open(toml, "toml", SHOP_CONFIG + D1_BINDING);
  await c.change(toml, SHOP_CONFIG);
  const nodes = await waitForReview(c, (ns) => !ns.some((n) => n.label.includes("Deploy shop")));
  assert.match(nodes[0]!.description ?? "", /0 deploys changed · 1 token changed · 1 widened/);
  await c.waitFor("no marked missing-group", () =>
    allDiagnostics(c).some((d) => d.code === "missing-group" && d.message.startsWith(NEW_ON_BRANCH)) ? undefined : true,
  );
  // A setting applies to both sides: turning a rule off is no change of the branch (nothing "fixed").
  c.settings = { rules: { "unneeded-group": "off" } };
  await c.conn.sendNotification("workspace/didChangeConfiguration", { settings: {} });
  const quiet = await waitForReview(c, (ns) => !flat(ns).some((n) => n.label === "unneeded-group"));
  assert.match(quiet[0]!.description ?? "", /1 token changed · 1 widened · 0 new, 0 fixed findings$/);

  const plain = mkdtempSync(join(tmpdir(), "wtl-lsp-nogit-"));
  t.after(() => rmSync(plain, { recursive: true, force: true }));
  writeFileSync(join(plain, "wrangler.toml"), SHOP_CONFIG);
  const d = await LspClient.start(plain, { env: { GIT_CEILING_DIRECTORIES: tmpdir() } });
  t.after(() => d.stop());
  const e = await d.request<ReviewResult>(REVIEW_REQUEST, { base: "" });
  assert.ok(
    "error" in e && / is not in a git repository: the review reads the base revision with git$/.test(e.error),
    JSON.stringify(e),
  );
  const bad = await c.request<ReviewResult>(REVIEW_REQUEST, { base: "no-such-branch" });
  assert.ok("error" in bad && /cannot read revision "no-such-branch"/.test(bad.error), JSON.stringify(bad));
});

test("a folder opened through a link to the repository is reviewed under the link's path", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "wtl-lsp-link-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const link = join(dir, "shop");
  symlinkSync(repo.dir, link);
  const c = await LspClient.start(link);
  t.after(() => c.stop());
  await c.waitForDiagnostics(join(link, "tokens/admin.json"));
  const r = await c.request<ReviewResult>(REVIEW_REQUEST, { base: baseCommit });
  assert.ok(!("error" in r), JSON.stringify(r));
  const token = (await reviewNodes(c)).find((n) => n.label === `~ "admin deploy"`);
  assert.equal(token?.location?.uri, uri(join(link, "tokens/admin.json")));
});
