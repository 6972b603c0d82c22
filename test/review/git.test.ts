// Reading the base from git: the default base (merge-base with the upstream's default branch, through a real
// local clone), the working tree as head, clear errors outside a repository, for an unknown revision and in a
// shallow clone; and the core's snapshot reader with a source that answers with promises (an editor's git API).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Repo, GIT_ENV } from "./repo.js";
import { BASE_FILES, SHOP_CONFIG } from "./workspace.js";
import { openSnapshot, type RevisionSource } from "../../server/src/core/review/snapshot.js";
import { reviewSnapshots } from "../../server/src/core/review/review.js";
import { gitRevision } from "../../server/src/node/git-host.js";
import { nodeHclParser } from "../../server/src/node/hcl-wasm.js";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "wrangler-token-lint.js");
const cleanup: (() => void)[] = [];
after(() => cleanup.forEach((f) => f()));

const D1 = `\n[[env.production.d1_databases]]\nbinding = "DB"\ndatabase_name = "orders"\n`;

function diff(cwd: string, ...args: string[]) {
  assert.ok(
    existsSync(join(root, "server", "out", "cli.js")),
    "server/out/cli.js is missing: run `npm run build` first",
  );
  const r = spawnSync(process.execPath, [bin, "diff", ...args, "--today", "2026-12-01"], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...GIT_ENV },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function baseRepo(): Repo {
  const r = Repo.create();
  cleanup.push(() => r.remove());
  r.write(BASE_FILES);
  r.commit("base");
  return r;
}

test("outside a git repository: exit 2 and says so", () => {
  const dir = mkdtempSync(join(tmpdir(), "wtl-nogit-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "wrangler.toml"), SHOP_CONFIG);
  const r = diff(dir, "--base", "main");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /is not in a git repository/);
  assert.equal(r.stdout, "");
});

test("a base that cannot be read: exit 2 naming the revision; an option is not a revision", () => {
  const repo = baseRepo();
  const r = diff(repo.dir, "--base", "no-such-branch");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot read revision "no-such-branch": no such commit/);
  assert.equal(diff(repo.dir, "--base=--output=x").code, 2);
  assert.equal(diff(repo.dir, "--base", "main", "--format", "xml").code, 2);
  assert.equal(diff(repo.dir, "--base", "main", "--head", "nope").code, 2);
});

test("default base: the merge-base with origin's default branch, in a real local clone", () => {
  const origin = baseRepo();
  origin.git("checkout", "-q", "-b", "later");
  origin.write({ "src/later.js": "export {};\n" });
  origin.commit("a commit on another branch");
  origin.git("checkout", "-q", "main");
  const dir = mkdtempSync(join(tmpdir(), "wtl-clone-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  spawnSync("git", ["clone", "-q", origin.dir, join(dir, "c")], { env: { ...process.env, ...GIT_ENV } });
  const clone = new Repo(join(dir, "c"));
  clone.git("checkout", "-q", "-b", "feature");
  clone.write({ "wrangler.toml": SHOP_CONFIG + D1 });
  clone.commit("feature: D1");
  const mb = clone.git("merge-base", "HEAD", "origin/main").trim();
  const r = diff(clone.dir, "--format", "json");
  assert.equal(r.stderr, "");
  assert.equal(r.code, 1);
  const review = JSON.parse(r.stdout);
  assert.equal(review.base, `merge-base with origin/main (${mb.slice(0, 7)})`);
  assert.equal(review.head, "working tree");
  assert.deepEqual(
    review.deploys.map((d: { groupsAdded: { group: string }[] }) => d.groupsAdded.map((g) => g.group)),
    [["D1 Write"]],
  );
});

test("without a remote the default base is the merge-base with a local main", () => {
  const repo = baseRepo();
  repo.git("checkout", "-q", "-b", "feature");
  repo.write({ "wrangler.toml": SHOP_CONFIG + D1 });
  repo.commit("feature: D1");
  const r = diff(repo.dir);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^Permission review: base merge-base with main \([0-9a-f]{7}\) → head working tree/);
});

test("the working tree is the head by default: an uncommitted change is reviewed", () => {
  const repo = baseRepo();
  assert.equal(diff(repo.dir, "--base", "main").code, 0, "nothing changed yet");
  repo.write({ "wrangler.toml": SHOP_CONFIG + D1 });
  const r = diff(repo.dir, "--base", "main", "--format", "json");
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).deploys[0].groupsAdded[0].group, "D1 Write");
  assert.equal(diff(repo.dir, "--base", "main", "--head", "HEAD").code, 0, "HEAD itself has not changed");
});

test("a shallow clone says why the base cannot be read", () => {
  const origin = baseRepo();
  origin.write({ "src/index.js": "export default {};\n" });
  origin.commit("second");
  const dir = mkdtempSync(join(tmpdir(), "wtl-shallow-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const c = spawnSync("git", ["clone", "-q", "--depth", "1", `file://${origin.dir}`, join(dir, "c")], {
    env: { ...process.env, ...GIT_ENV },
    encoding: "utf8",
  });
  assert.equal(c.status, 0, c.stderr);
  const r = diff(join(dir, "c"), "--base", "HEAD~1");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /the clone is shallow: fetch the base/);
});

test("a source answering with promises gives the same review as git's synchronous one", async () => {
  const repo = baseRepo();
  repo.git("checkout", "-q", "-b", "feature");
  repo.write({ "wrangler.toml": SHOP_CONFIG + D1 });
  repo.commit("feature: D1");
  const hcl = await nodeHclParser();
  const top = repo.git("rev-parse", "--show-toplevel").trim();
  const sync = (rev: string) => gitRevision(top, rev);
  let reads = 0;
  const later = (rev: string): RevisionSource => {
    const g = gitRevision(top, rev);
    return {
      label: g.label,
      listFiles: async () => g.listFiles() as string[],
      readFile: async (p) => {
        reads++;
        await new Promise((res) => setImmediate(res));
        return g.readFile(p) as string | undefined;
      },
    };
  };
  const opts = { today: "2026-12-01" };
  const a = await reviewSnapshots(
    await openSnapshot(sync("main"), top),
    await openSnapshot(sync("feature"), top),
    top,
    opts,
    { hcl },
  );
  const b = await reviewSnapshots(
    await openSnapshot(later("main"), top),
    await openSnapshot(later("feature"), top),
    top,
    opts,
    { hcl },
  );
  assert.ok(reads > 0);
  assert.deepEqual(b, a);
  assert.equal(a.fails, true);
  assert.deepEqual(
    a.deploys.map((d) => d.newlyLacking.map((l) => l.group)),
    [["D1 Write"]],
  );
});
