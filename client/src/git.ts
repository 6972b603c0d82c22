// The part of VS Code's built-in git extension API (`vscode.git`, getAPI(1)) the review uses, declared here
// (the extension ships git.d.ts in its sources only). Every call may be missing in an older VS Code or when the
// git extension is disabled: callers treat a missing API as "no git API" and let the server read git itself.
import * as vscode from "vscode";

/** The git extension's Status enum, the values the review reads. */
export const GitStatus = {
  INDEX_ADDED: 1,
  INDEX_DELETED: 2,
  INDEX_RENAMED: 3,
  INDEX_COPIED: 4,
  DELETED: 6,
  UNTRACKED: 7,
  INTENT_TO_ADD: 9,
  INTENT_TO_RENAME: 10,
} as const;

export interface GitChange {
  readonly uri: vscode.Uri;
  readonly originalUri: vscode.Uri;
  readonly renameUri: vscode.Uri | undefined;
  readonly status: number;
}

export interface GitBranch {
  readonly name?: string;
  readonly commit?: string;
  readonly upstream?: { readonly remote: string; readonly name: string; readonly commit?: string };
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: {
    readonly HEAD: GitBranch | undefined;
    readonly remotes: readonly { readonly name: string }[];
    readonly workingTreeChanges: readonly GitChange[];
    readonly untrackedChanges?: readonly GitChange[];
    readonly onDidChange: vscode.Event<void>;
  };
  getConfig(key: string): Promise<string>;
  getMergeBase(ref1: string, ref2: string): Promise<string | undefined>;
  getCommit(ref: string): Promise<{ readonly hash: string }>;
  show(ref: string, path: string): Promise<string>;
  diffWith(ref: string): Promise<GitChange[]>;
}

export interface GitApi {
  readonly state: "uninitialized" | "initialized";
  readonly onDidChangeState: vscode.Event<"uninitialized" | "initialized">;
  readonly repositories: GitRepository[];
  getRepository(uri: vscode.Uri): GitRepository | null;
  toGitUri(uri: vscode.Uri, ref: string): vscode.Uri;
}

let cached: GitApi | undefined;

/** The git API, or undefined when the extension is missing or disabled (`git.enabled: false`). */
export async function gitApi(): Promise<GitApi | undefined> {
  if (cached) return cached;
  const ext = vscode.extensions.getExtension<{ enabled?: boolean; getAPI(v: 1): GitApi }>("vscode.git");
  if (!ext) return undefined;
  try {
    const exports = ext.isActive ? ext.exports : await ext.activate();
    if (exports.enabled === false) return undefined;
    const api = exports.getAPI(1);
    if (api.state !== "initialized") {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 10000);
        const d = api.onDidChangeState((s) => {
          if (s !== "initialized") return;
          clearTimeout(t);
          d.dispose();
          resolve();
        });
      });
    }
    return (cached = api);
  } catch {
    return undefined;
  }
}

/** The cached API without waiting (the view's git: URIs); undefined before gitApi() found one. */
export function gitApiNow(): GitApi | undefined {
  return cached;
}

/** The file at a revision as a git: URI (what the git extension's toGitUri makes, also without the API). */
export function gitUri(file: vscode.Uri, ref: string): vscode.Uri {
  const api = gitApiNow();
  if (api) return api.toGitUri(file, ref);
  return vscode.Uri.from({ scheme: "git", path: file.path, query: JSON.stringify({ path: file.fsPath, ref }) });
}
