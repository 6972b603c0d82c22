// A snapshot of a repository at one revision, read through a RevisionSource (the git CLI, VS Code's git
// extension, tests), analysed exactly as the working tree is: it becomes a Host over the same absolute paths.
// Sources may answer synchronously (the git CLI) or with promises (an editor's git API); for the latter the
// analysis is run again with every file the previous run asked for, until it asks for nothing new.
import type { Host } from "../host.js";
import { join, relative } from "../path.js";
import { analyzeWorkspace, type WorkspaceDeps, type WorkspaceOptions, type WorkspaceResult } from "../workspace.js";

type MaybePromise<T> = T | Promise<T>;

/**
 * One revision's files. Paths are relative to the repository's top folder, POSIX, without a leading "./".
 * An editor without a tree listing (VS Code's git API has `show` and `diffBetween` but no `ls-tree`) can list the
 * revision as the working tree's files, minus those the diff says were added since, plus those it says were deleted.
 */
export interface RevisionSource {
  /** Shown in reports: "origin/main (3f2a1c9)", "working tree". */
  label: string;
  /** Every file in the revision. */
  listFiles(): MaybePromise<string[]>;
  /** A file's text at the revision; undefined when it is absent, binary or too large. */
  readFile(path: string): MaybePromise<string | undefined>;
}

/** A snapshot ready for analysis: a Host whose files are the revision's, under `top` (the repository's folder). */
export interface Snapshot {
  label: string;
  host: Host;
}

/** Builds a Host over a revision's file list; texts are read on demand (and remembered). */
class RevisionHost implements Host {
  private readonly dirs = new Map<string, Map<string, boolean>>();
  /** Every file of the revision; `loaded` once its text was read. */
  private readonly texts = new Map<string, { loaded: boolean; text?: string }>();
  readonly pending = new Map<string, Promise<string | undefined>>();
  constructor(
    private readonly top: string,
    files: string[],
    private readonly source: RevisionSource,
  ) {
    const add = (dir: string, name: string, isDirectory: boolean) => {
      let m = this.dirs.get(dir);
      if (!m) this.dirs.set(dir, (m = new Map()));
      if (!m.has(name) || isDirectory) m.set(name, isDirectory);
    };
    // The repository's own marker, as on disk (the Terraform pin search stops at the folder that holds .git).
    add(top, ".git", true);
    for (const f of files) {
      const parts = f.split("/").filter(Boolean);
      let dir = top;
      for (let i = 0; i < parts.length; i++) {
        add(dir, parts[i]!, i < parts.length - 1);
        dir = join(dir, parts[i]!);
      }
      this.texts.set(dir, { loaded: false });
    }
  }
  private rel(path: string): string | undefined {
    const r = relative(this.top, path);
    return r.startsWith("..") || r === "" || r.startsWith("/") ? undefined : r;
  }
  readFile(path: string): string | undefined {
    const hit = this.texts.get(path);
    if (!hit) return undefined;
    if (hit.loaded) return hit.text;
    const rel = this.rel(path);
    if (rel === undefined) return undefined;
    const got = this.source.readFile(rel);
    if (got instanceof Promise) {
      if (!this.pending.has(path)) this.pending.set(path, got);
      return undefined;
    }
    this.texts.set(path, { loaded: true, text: got });
    return got;
  }
  fileExists(path: string): boolean {
    return this.texts.has(path);
  }
  readDirectory(path: string): { name: string; isDirectory: boolean }[] {
    const m = this.dirs.get(path);
    if (!m) return [];
    return [...m]
      .map(([name, isDirectory]) => ({ name, isDirectory }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  /** Waits for the texts asked for asynchronously; true when there were any. */
  async settle(): Promise<boolean> {
    if (!this.pending.size) return false;
    const waiting = [...this.pending];
    this.pending.clear();
    for (const [path, p] of waiting) {
      let text: string | undefined;
      try {
        text = await p;
      } catch {
        text = undefined;
      }
      this.texts.set(path, { loaded: true, text });
    }
    return true;
  }
}

/** Reads a revision's file list into a snapshot whose Host sits at `top` (absolute path of the repository). */
export async function openSnapshot(
  source: RevisionSource,
  top: string,
): Promise<Snapshot & { settle(): Promise<boolean> }> {
  const files = await source.listFiles();
  const host = new RevisionHost(top, files, source);
  return { label: source.label, host, settle: () => host.settle() };
}

/** The snapshot's analysis: run until every file it asks for has been read (at most 32 rounds). */
export async function analyzeSnapshot(
  snap: Snapshot & { settle?(): Promise<boolean> },
  root: string,
  options: WorkspaceOptions,
  deps: WorkspaceDeps,
): Promise<WorkspaceResult> {
  let ws = analyzeWorkspace(snap.host, root, options, deps);
  for (let round = 0; round < 32 && snap.settle && (await snap.settle()); round++)
    ws = analyzeWorkspace(snap.host, root, options, deps);
  return ws;
}
