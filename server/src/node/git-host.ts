// Reads a repository at any revision through the git CLI, for `diff`: the revision's file list
// (`git ls-tree -r`) and file texts (`git cat-file blob`, the bytes `git show <rev>:<path>` prints, without
// text conversion filters). Only git runs, with execFile (no shell), never code of the workspace; git is told
// not to prompt, not to take optional locks and not to start an fsmonitor. Errors are GitError with one clear line.
import { execFileSync } from "node:child_process";
import type { RevisionSource } from "../core/index.js";
import { MAX_FILE_BYTES } from "./disk-host.js";

export class GitError extends Error {}

const GIT_ENV = { GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0", GIT_PAGER: "cat", LC_ALL: "C" };

/** Runs git in `cwd`; returns stdout, or throws GitError with git's own first line of complaint. */
export function git(cwd: string, args: string[]): string {
  try {
    return execFileSync("git", ["-c", "core.fsmonitor=false", ...args], {
      cwd,
      env: { ...process.env, ...GIT_ENV },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (err) {
    const e = err as { code?: string; stderr?: string | Buffer };
    if (e.code === "ENOENT") throw new GitError("git is not installed (or not on PATH)");
    const msg =
      String(e.stderr ?? "")
        .trim()
        .split("\n")
        .find((l) => l.trim()) ?? (err instanceof Error ? err.message : String(err));
    throw new GitError(msg.replace(/^(fatal|error): /, ""));
  }
}

function tryGit(cwd: string, args: string[]): string | undefined {
  try {
    return git(cwd, args).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The repository's top folder for `dir`, or a GitError saying the folder is not in a git repository. */
export function gitTop(dir: string): string {
  try {
    return git(dir, ["rev-parse", "--show-toplevel"]).trim();
  } catch (err) {
    const m = err instanceof Error ? err.message : String(err);
    if (/not a git repository/i.test(m))
      throw new GitError(`${dir} is not in a git repository (diff reads the base revision with git)`);
    throw err;
  }
}

/** The commit a revision names, or a GitError naming the revision. */
export function resolveCommit(top: string, rev: string): string {
  if (rev.startsWith("-")) throw new GitError(`"${rev}" is not a revision`);
  const sha = tryGit(top, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`]);
  if (!sha) {
    const shallow = tryGit(top, ["rev-parse", "--is-shallow-repository"]) === "true";
    throw new GitError(
      `cannot read revision "${rev}": no such commit in ${top}${shallow ? " (the clone is shallow: fetch the base, e.g. actions/checkout with fetch-depth: 0)" : ""}`,
    );
  }
  return sha;
}

/**
 * The default base: the merge-base of HEAD with the upstream's default branch (`<remote>/HEAD`, else
 * `<remote>/main` or `<remote>/master`, else a local main or master). The remote is the current branch's
 * upstream remote, else origin, else the first remote.
 */
export function defaultBase(top: string): { rev: string; label: string } {
  const branch = tryGit(top, ["symbolic-ref", "--quiet", "--short", "HEAD"]);
  const remotes = (tryGit(top, ["remote"]) ?? "").split("\n").filter(Boolean);
  const remote =
    (branch && tryGit(top, ["config", "--get", `branch.${branch}.remote`])) ||
    (remotes.includes("origin") ? "origin" : remotes[0]);
  const candidates: string[] = [];
  if (remote && remote !== ".") {
    const head = tryGit(top, ["symbolic-ref", "--quiet", "--short", `refs/remotes/${remote}/HEAD`]);
    if (head) candidates.push(head);
    candidates.push(`${remote}/main`, `${remote}/master`);
  }
  candidates.push("main", "master");
  const target = candidates.find((c) =>
    tryGit(top, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${c}^{commit}`]),
  );
  if (!target)
    throw new GitError(
      `no default branch to compare with (looked for ${candidates.join(", ")}): give one with --base REV`,
    );
  const mb = tryGit(top, ["merge-base", "HEAD", target]);
  if (!mb)
    throw new GitError(
      `HEAD and ${target} have no common ancestor (or the clone is too shallow to find it): give the base with --base REV`,
    );
  return { rev: mb, label: `merge-base with ${target}` };
}

interface TreeEntry {
  oid: string;
  size: number;
}

/** A revision of the repository at `top` as a RevisionSource (synchronous: git answers at once). */
export function gitRevision(top: string, rev: string, label?: string): RevisionSource & { commit: string } {
  const commit = resolveCommit(top, rev);
  let tree: Map<string, TreeEntry> | undefined;
  const entries = () => (tree ??= listTree(top, commit));
  return {
    commit,
    label: `${label ?? rev} (${commit.slice(0, 7)})`,
    listFiles: () => [...entries().keys()],
    readFile(path) {
      const e = entries().get(path);
      if (!e || e.size > MAX_FILE_BYTES) return undefined;
      let out: Buffer;
      try {
        out = execFileSync("git", ["-c", "core.fsmonitor=false", "cat-file", "blob", e.oid], {
          cwd: top,
          env: { ...process.env, ...GIT_ENV },
          maxBuffer: MAX_FILE_BYTES + 1024,
          stdio: ["ignore", "pipe", "ignore"],
        });
      } catch {
        return undefined;
      }
      return out.includes(0) ? undefined : out.toString("utf8");
    },
  };
}

/** `git ls-tree -r -z --long`: regular files only (no symlinks, no submodules), with their blob ids and sizes. */
function listTree(top: string, commit: string): Map<string, TreeEntry> {
  const out = new Map<string, TreeEntry>();
  const raw = git(top, ["ls-tree", "-r", "-z", "--long", "--full-tree", commit]);
  for (const rec of raw.split("\0")) {
    const tab = rec.indexOf("\t");
    if (tab < 0) continue;
    const [mode, type, oid, size] = rec.slice(0, tab).split(/\s+/);
    if (type !== "blob" || mode === "120000" || !oid) continue;
    out.set(rec.slice(tab + 1), { oid, size: Number(size) || 0 });
  }
  return out;
}
