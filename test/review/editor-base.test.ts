// The editor-side helpers: the base's file list rebuilt from the head's and the diff (checked against git's own
// listing of the base, on a repository with an addition, a deletion, a rename and a change), and the order in
// which bases are offered.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { Repo } from "./repo.js";
import { BASE_FILES, SHOP_CONFIG } from "./workspace.js";
import { baseCandidates, baseFileList, shortName, type HeadChange } from "../../server/src/core/review/editor-base.js";

const repo = Repo.create();
after(() => repo.remove());

test("the base's files are the head's minus additions, plus deletions, with renames put back", () => {
  repo.write(BASE_FILES);
  repo.commit("base");
  repo.git("checkout", "-q", "-b", "feature");
  repo.move(".github/workflows/admin.yml", ".github/workflows/deploy-admin.yml");
  repo.git("rm", "-q", "tokens/admin.json");
  repo.write({ "wrangler.toml": SHOP_CONFIG + "\n# changed\n", "infra/new.tf": "# new\n" });
  repo.commit("feature");
  const list = (rev: string) => repo.git("ls-tree", "-r", "--name-only", rev).split("\n").filter(Boolean).sort();
  const changes: HeadChange[] = repo
    .git("diff", "--name-status", "-M", "main", "feature")
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const [s, a, b] = l.split("\t");
      const status = ({ A: "added", D: "deleted", M: "modified", R: "renamed", C: "copied" } as const)[s![0] as "A"]!;
      return b ? { status, path: b, originalPath: a } : { status, path: a! };
    });
  assert.deepEqual(changes.map((c) => c.status).sort(), ["added", "deleted", "modified", "renamed"]);
  assert.deepEqual(baseFileList(list("feature"), changes), list("main"));
});

test("bases offered: the checked-out pull request's base first, then VS Code's merge base, then the default branch (remote, then local); short names for lenses", () => {
  assert.deepEqual(
    baseCandidates({
      branch: "feature",
      prBaseBranch: "acme#shop#release",
      vscodeMergeBase: "origin/main",
      upstreamRemote: "origin",
      remoteDefaultBranch: "main",
    }).map((c) => c.ref),
    ["origin/release", "origin/main", "origin/master", "main", "master"],
  );
  assert.equal(
    baseCandidates({ prBaseBranch: "acme#shop#release" })[0]!.why,
    "base of the pull request checked out (acme/shop)",
  );
  assert.deepEqual(
    baseCandidates({ upstreamRemote: "upstream", remoteDefaultBranch: "trunk" }).map((c) => c.ref),
    ["upstream/trunk", "upstream/main", "upstream/master", "main", "master"],
  );
  assert.deepEqual(
    baseCandidates({ prBaseBranch: "malformed" }).map((c) => c.ref),
    ["origin/main", "origin/master", "main", "master"],
  );
  // The branch itself is never offered as its own base.
  assert.deepEqual(
    baseCandidates({ branch: "main" }).map((c) => c.ref),
    ["origin/main", "origin/master", "master"],
  );
  assert.deepEqual(
    [
      "origin/main",
      "merge-base with origin/main (3f2a1c9)",
      "refs/remotes/upstream/trunk",
      "main",
      "0123456789abcdef0123456789abcdef01234567",
    ].map(shortName),
    ["main", "main", "trunk", "main", "0123456"],
  );
});
