// What an editor needs to review a branch without a git CLI of its own (pure; the VS Code client implements the
// calls). VS Code's git extension offers `getMergeBase`, `show(ref, path)`, `diffBetween(a, b)` and
// `getConfig(key)` but no tree listing: `baseFileList` rebuilds the base's file list from the working tree's and
// the diff, and `baseCandidates` orders the bases to offer (the checked-out pull request's base first).

/** One entry of a diff from the base to the head (VS Code's `Change`, reduced to paths relative to the top). */
export interface HeadChange {
  status: "added" | "deleted" | "modified" | "renamed" | "copied";
  /** The path in head (for "deleted": the path that was deleted). */
  path: string;
  /** For "renamed" and "copied": the path in base. */
  originalPath?: string;
}

/** The base's files: the head's, minus what the branch added, plus what it deleted, renamed paths put back. */
export function baseFileList(headFiles: string[], changes: HeadChange[]): string[] {
  const files = new Set(headFiles);
  for (const c of changes) {
    if (c.status === "added" || c.status === "copied") files.delete(c.path);
    else if (c.status === "deleted") files.add(c.path);
    else if (c.status === "renamed") {
      files.delete(c.path);
      if (c.originalPath) files.add(c.originalPath);
    }
  }
  return [...files].sort();
}

export interface BaseCandidate {
  /** A revision git understands ("origin/main", a commit). */
  ref: string;
  /** Why it is offered, for the picker. */
  why: string;
}

export interface BranchFacts {
  /** The checked-out branch. */
  branch?: string;
  /** `branch.<b>.github-pr-base-branch`, written by the GitHub Pull Requests extension: "owner#repo#base". */
  prBaseBranch?: string;
  /** `branch.<b>.vscode-merge-base`, written by VS Code: the ref the branch was created from ("origin/main"). */
  vscodeMergeBase?: string;
  /** The current branch's upstream remote ("origin"). */
  upstreamRemote?: string;
  /** The remote's default branch when known (`<remote>/HEAD` → "main"). */
  remoteDefaultBranch?: string;
}

/** Bases to offer, best first, without duplicates: the pull request's base, VS Code's merge base, the default branch. */
export function baseCandidates(f: BranchFacts): BaseCandidate[] {
  const remote = f.upstreamRemote || "origin";
  const out: BaseCandidate[] = [];
  const add = (ref: string | undefined, why: string) => {
    if (ref && !out.some((c) => c.ref === ref) && ref !== f.branch) out.push({ ref, why });
  };
  const pr = f.prBaseBranch?.split("#");
  if (pr && pr.length === 3 && pr[2])
    add(`${remote}/${pr[2]}`, `base of the pull request checked out (${pr[0]}/${pr[1]})`);
  add(f.vscodeMergeBase, "the branch this branch was created from");
  if (f.remoteDefaultBranch) add(`${remote}/${f.remoteDefaultBranch}`, `${remote}'s default branch`);
  add(`${remote}/main`, `${remote}/main`);
  add(`${remote}/master`, `${remote}/master`);
  // As the CLI's default base: a local main or master when there is no remote one.
  add("main", "the local main branch");
  add("master", "the local master branch");
  return out;
}

/** "origin/main" → "main"; a commit → its first 7 characters. */
export function shortName(ref: string): string {
  const m =
    /^(?:merge-base with )?(?:refs\/(?:remotes|heads)\/)?(?:[\w.-]+\/)?([^\s/][^\s]*?)(?: \([0-9a-f]+\))?$/.exec(ref);
  const name = m?.[1] ?? ref;
  return /^[0-9a-f]{40}$/.test(name) ? name.slice(0, 7) : name;
}
