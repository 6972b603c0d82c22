// The server follows what the analysis reads: a shell script a workflow runs is watched (its own registration,
// next to the fixed globs of core/files.ts) and editing it on disk re-analyses the folder; a wrangler.<name>.toml
// variant created in the editor is analysed from its unsaved text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LspClient, uri } from "./harness";
import { FILE_GLOBS } from "../../server/src/core/files.js";

const WORKFLOW =
  "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: ./scripts/deploy.sh\n        env:\n          CLOUDFLARE_API_TOKEN: ${{ secrets.CLOUDFLARE_API_TOKEN }}\n";

function workspace(t: { after(fn: () => void): void }): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "wtl-lsp-watch-")));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, ".github", "workflows"), { recursive: true });
  mkdirSync(join(dir, "scripts"));
  writeFileSync(
    join(dir, "wrangler.toml"),
    'name = "shop"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\naccount_id = "0123456789abcdef0123456789abcdef"\n',
  );
  writeFileSync(join(dir, ".github", "workflows", "deploy.yml"), WORKFLOW);
  writeFileSync(join(dir, "scripts", "deploy.sh"), "#!/bin/sh\nset -e\necho building\n");
  return dir;
}

type Status = { folder: string; deploys: number };
type Registration = { method: string; registerOptions?: { watchers?: { globPattern: unknown }[] } };
const watcherGlobs = (c: LspClient): unknown[][] =>
  (c.registrations as Registration[])
    .filter((r) => r.method === "workspace/didChangeWatchedFiles")
    .map((r) => (r.registerOptions?.watchers ?? []).map((w) => w.globPattern));

test("a script the workflow runs is watched, and editing it on disk re-analyses the folder", async (t) => {
  const dir = workspace(t);
  const script = join(dir, "scripts", "deploy.sh");
  const c = await LspClient.start(dir);
  t.after(() => c.stop());
  const last = (): Status | undefined => (c.statuses as Status[]).filter((s) => s.folder === uri(dir)).at(-1);
  await c.waitFor("the first analysis", () => (last() ? true : undefined));
  assert.equal(last()!.deploys, 0, "the script runs no wrangler command yet");

  // The fixed globs are registered as core/files.ts gives them; the script gets a watcher of its own.
  const regs = await c.waitFor("a watcher for the script", () =>
    watcherGlobs(c).some((g) => g.includes(script)) ? watcherGlobs(c) : undefined,
  );
  assert.deepEqual(
    regs[0],
    FILE_GLOBS.map((g) => g.glob),
  );

  writeFileSync(script, "#!/bin/sh\nset -e\nnpx wrangler deploy\n");
  await c.conn.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: uri(script), type: 2 }] });
  await c.waitFor("the script's deploy", () => (last()!.deploys === 1 ? true : undefined));
});

test("a wrangler.<name>.toml created in the editor is analysed from its unsaved text", async (t) => {
  const dir = workspace(t);
  const variant = join(dir, "wrangler.staging.toml");
  const c = await LspClient.start(dir);
  t.after(() => c.stop());
  await c.waitFor("the first analysis", () => (c.statuses.length ? true : undefined));
  // Three edits, each needing its own analysis (the one re-analysis after the Terraform grammar loads can
  // answer at most one of them).
  const broken = 'name = "shop-staging"\nmain = \n';
  await c.open(variant, "toml", broken);
  assert.equal((await c.waitForDiagnostics(variant))[0]!.code, "toml-syntax");
  await c.change(variant, 'name = "shop-staging"\nmain = "src/index.ts"\n');
  await c.waitForDiagnostics(variant, (ds) => !ds.some((d) => d.code === "toml-syntax"));
  await c.change(variant, broken);
  assert.equal((await c.waitForDiagnostics(variant))[0]!.code, "toml-syntax");
});
