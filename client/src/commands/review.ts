// *Review Token Permission Changes…*: picks the base (the checked-out pull request's base first, then the branch
// VS Code says this branch came from, then the upstream's default branch; each compared at its merge-base with
// HEAD, or any revision typed in), lists the base's files and reads their texts through VS Code's git extension,
// and has the server review the branch. The review then refreshes as HEAD moves (the repository's state) and,
// in the server, after every analysis. Without the git extension the server reads the base with git itself.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { baseCandidates, baseFileList, shortName, type HeadChange } from "../../../server/src/core/review/editor-base";
import {
  REVIEW_REQUEST,
  REVIEW_STOP_REQUEST,
  type BaseFileParams,
  type ReviewParams,
  type ReviewResult,
} from "../../../server/src/lsp/protocol";
import { gitApi, GitStatus, type GitChange, type GitRepository } from "../git";

/** How the base was chosen: a branch compared at its merge-base with HEAD (found again when HEAD moves), or a revision. */
type Choice = { kind: "merge-base"; ref: string } | { kind: "revision"; ref: string };

interface Active {
  folder: vscode.WorkspaceFolder;
  repo?: GitRepository;
  choice?: Choice;
  head?: string;
  watch?: vscode.Disposable;
  timer?: ReturnType<typeof setTimeout>;
}

let active: Active | undefined;

/** A file's path below the repository root, with forward slashes ("" for the root itself; outside it, a path starting with ".."). */
const rel = (root: vscode.Uri, u: vscode.Uri): string => {
  const base = root.path.replace(/\/+$/, "");
  return u.path === base ? "" : u.path.startsWith(base + "/") ? u.path.slice(base.length + 1) : ".." + u.path;
};

function headChange(root: vscode.Uri, c: GitChange): HeadChange {
  const s = c.status;
  if (s === GitStatus.INDEX_ADDED || s === GitStatus.INTENT_TO_ADD) return { status: "added", path: rel(root, c.uri) };
  if (s === GitStatus.INDEX_DELETED || s === GitStatus.DELETED) return { status: "deleted", path: rel(root, c.uri) };
  if (s === GitStatus.INDEX_RENAMED || s === GitStatus.INTENT_TO_RENAME || s === GitStatus.INDEX_COPIED) {
    return {
      status: s === GitStatus.INDEX_COPIED ? "copied" : "renamed",
      path: rel(root, c.renameUri ?? c.uri),
      originalPath: rel(root, c.originalUri),
    };
  }
  return { status: "modified", path: rel(root, c.uri) };
}

/**
 * The base's files: the working tree's tracked files (the git API has no tree listing), minus what the branch
 * added since the base, plus what it deleted (`diffWith`: the working tree against the base).
 */
async function baseFiles(repo: GitRepository, commit: string): Promise<string[]> {
  const root = repo.rootUri;
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(root, "**/*"), "**/{node_modules,.git}/**");
  const untracked = new Set(
    [...repo.state.workingTreeChanges, ...(repo.state.untrackedChanges ?? [])]
      .filter((c) => c.status === GitStatus.UNTRACKED)
      .map((c) => rel(root, c.uri)),
  );
  const head = found.map((u) => rel(root, u)).filter((p) => !p.startsWith("..") && !untracked.has(p));
  const changes = (await repo.diffWith(commit)).map((c) => headChange(root, c));
  return baseFileList(head, changes);
}

interface BasePick extends vscode.QuickPickItem {
  choice?: Choice;
}

async function pickBase(repo: GitRepository): Promise<Choice | undefined> {
  const branch = repo.state.HEAD?.name;
  const config = (key: string) =>
    branch
      ? repo.getConfig(`branch.${branch}.${key}`).then(
          (v) => v.trim() || undefined,
          () => undefined,
        )
      : Promise.resolve(undefined);
  const candidates = baseCandidates({
    branch,
    prBaseBranch: await config("github-pr-base-branch"),
    vscodeMergeBase: await config("vscode-merge-base"),
    upstreamRemote:
      repo.state.HEAD?.upstream?.remote ??
      (repo.state.remotes.some((r) => r.name === "origin") ? "origin" : repo.state.remotes[0]?.name),
  });
  const items: BasePick[] = [];
  for (const c of candidates) {
    const mb = await repo.getMergeBase("HEAD", c.ref).catch(() => undefined);
    if (!mb) continue;
    items.push({
      label: `$(git-merge) ${c.ref}`,
      description: c.why,
      detail: `compares with the merge-base ${mb.slice(0, 7)}`,
      choice: { kind: "merge-base", ref: c.ref },
    });
  }
  const other: BasePick = {
    label: "$(edit) Another revision…",
    description: "a branch, tag or commit, compared as it is",
  };
  const picked = items.length
    ? await vscode.window.showQuickPick([...items, other], {
        title: "Review Token Permission Changes",
        placeHolder: "Compare this branch with…",
      })
    : other;
  if (!picked) return undefined;
  if (picked.choice) return picked.choice;
  const typed = await vscode.window.showInputBox({
    title: "Review Token Permission Changes",
    prompt: "The base revision (branch, tag or commit)",
    value: items.length ? undefined : "main",
  });
  return typed?.trim() ? { kind: "revision", ref: typed.trim() } : undefined;
}

/** The request for a choice: the base commit, its label and the files at it. */
async function request(a: Active, repo: GitRepository, choice: Choice): Promise<ReviewParams | { error: string }> {
  let commit: string | undefined;
  try {
    commit =
      choice.kind === "merge-base"
        ? await repo.getMergeBase("HEAD", choice.ref)
        : (await repo.getCommit(choice.ref)).hash;
  } catch (err) {
    return {
      error: `cannot read revision "${choice.ref}": ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
    };
  }
  if (!commit)
    return { error: `HEAD and ${choice.ref} have no common ancestor (or the clone is too shallow to find it)` };
  const label =
    choice.kind === "merge-base"
      ? `merge-base with ${choice.ref} (${commit.slice(0, 7)})`
      : `${choice.ref} (${commit.slice(0, 7)})`;
  return {
    folder: a.folder.uri.toString(),
    base: commit,
    label,
    short: shortName(choice.ref),
    files: await baseFiles(repo, commit),
    top: repo.rootUri.toString(),
  };
}

/** Answers the server's BASE_FILE_REQUEST from the reviewed repository, through the git API. */
export async function baseFileText(p: BaseFileParams): Promise<string | null> {
  const repo = active?.repo;
  if (!repo) return null;
  try {
    return await repo.show(p.ref, vscode.Uri.joinPath(repo.rootUri, p.path).fsPath);
  } catch {
    return null;
  }
}

async function run(client: LanguageClient, a: Active, quiet: boolean): Promise<ReviewResult | undefined> {
  let params: ReviewParams | { error: string };
  if (a.repo && a.choice) params = await request(a, a.repo, a.choice);
  else params = { folder: a.folder.uri.toString(), base: a.choice?.ref ?? "" };
  const r: ReviewResult = "error" in params ? params : await client.sendRequest<ReviewResult>(REVIEW_REQUEST, params);
  if ("error" in r) {
    if (!quiet) void vscode.window.showErrorMessage(`Review Token Permission Changes: ${r.error}`);
    return r;
  }
  a.head = a.repo?.state.HEAD?.commit;
  return r;
}

/** Runs the command; `arg.base` skips the picker (a revision, compared at its merge-base with HEAD). */
export async function reviewChanges(
  client: LanguageClient,
  show: () => Thenable<unknown>,
  refresh: () => void,
  arg?: { base?: string },
): Promise<ReviewResult | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder =
    folders.length > 1
      ? await vscode.window.showWorkspaceFolderPick({ placeHolder: "Which folder's branch?" })
      : folders[0];
  if (!folder) {
    if (!folders.length) void vscode.window.showWarningMessage("Review Token Permission Changes needs an open folder.");
    return undefined;
  }
  const api = await gitApi();
  const repo = api?.getRepository(folder.uri) ?? undefined;
  let choice: Choice | undefined;
  if (repo) {
    choice = arg?.base ? { kind: "merge-base", ref: arg.base } : await pickBase(repo);
    if (!choice) return undefined;
  } else if (arg?.base) choice = { kind: "revision", ref: arg.base };
  stopWatching();
  const a: Active = { folder, repo, choice };
  active = a;
  const r = await vscode.window.withProgress({ location: { viewId: "wranglerTokenLint.permissions" } }, () =>
    run(client, a, false),
  );
  if (!r || "error" in r) return r;
  // HEAD moved (commit, checkout, merge, pull): review again against the same choice.
  if (repo) {
    a.watch = repo.state.onDidChange(() => {
      if (active !== a || repo.state.HEAD?.commit === a.head) return;
      if (a.timer) clearTimeout(a.timer);
      a.timer = setTimeout(() => void run(client, a, true).then(refresh), 500);
    });
  }
  if (!repo)
    void vscode.window.showInformationMessage(
      `VS Code's git extension is not available: the base (${r.base}) was read with git.`,
    );
  refresh();
  await show();
  return r;
}

function stopWatching(): void {
  if (active?.timer) clearTimeout(active.timer);
  active?.watch?.dispose();
}

export async function stopReview(client: LanguageClient): Promise<void> {
  stopWatching();
  active = undefined;
  await client.sendRequest(REVIEW_STOP_REQUEST, {});
}
