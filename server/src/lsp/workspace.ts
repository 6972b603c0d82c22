// The server's view of files: open documents (unsaved text wins) over the disk, plus the workspace folders
// that analyses run for. Also decides which file changes are worth a new analysis.
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Host } from "../core/index.js";
import { LineIndex } from "../core/index.js";
import { basename, dirname, normalize } from "../core/index.js";
import { FILE_GLOBS, fileKind } from "../core/index.js";
import { pathToUri, uriToPath } from "./convert.js";

/** Open documents by path, in front of another Host. */
export class OverlayHost implements Host {
  private readonly open = new Map<string, TextDocument>();
  private readonly lineCache = new Map<string, { text: string; lines: LineIndex }>();

  constructor(private readonly base: Host & { invalidate?(path: string): void; ttlMs?: number }) {}

  /** True when every change of a file reaches the server (file watching: the disk answers never expire). */
  changesReported(): boolean {
    return this.base.ttlMs === Number.POSITIVE_INFINITY;
  }

  setDocument(path: string, doc: TextDocument): void {
    this.open.set(path, doc);
  }
  removeDocument(path: string): void {
    this.open.delete(path);
    this.lineCache.delete(path);
  }
  document(path: string): TextDocument | undefined {
    return this.open.get(path);
  }
  isOpen(path: string): boolean {
    return this.open.has(path);
  }
  /** True when some open document lives in `dir` or below it. */
  anyOpenUnder(dir: string): boolean {
    const prefix = dir.endsWith("/") ? dir : dir + "/";
    for (const p of this.open.keys()) if (p.startsWith(prefix)) return true;
    return false;
  }
  /** Drops cached line indexes of closed files whose disk text may have changed. */
  forget(path: string): void {
    // An edit of an open document changes nothing on disk; only closed files' disk answers go stale.
    if (this.open.has(path)) return;
    this.base.invalidate?.(path);
    this.lineCache.delete(path);
  }

  readFile(path: string): string | undefined {
    const doc = this.open.get(path);
    return doc ? doc.getText() : this.base.readFile(path);
  }
  readFailure(path: string): { code: string; message: string } | undefined {
    return this.open.has(path) ? undefined : this.base.readFailure?.(path);
  }
  fileExists(path: string): boolean {
    return this.open.has(path) || this.base.fileExists(path);
  }
  realPath(path: string): string | undefined {
    return this.base.realPath?.(path);
  }
  readDirectory(path: string): { name: string; isDirectory: boolean }[] {
    const entries = this.base.readDirectory(path);
    // An open, never-saved file (created in the editor) still belongs to the listing.
    const dir = normalize(path);
    const names = new Set(entries.map((e) => e.name));
    for (const p of this.open.keys()) {
      if (dirname(p) === dir && !names.has(basename(p))) entries.push({ name: basename(p), isDirectory: false });
    }
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Line index of the file's current text, cached by text. */
  lines(path: string): LineIndex | undefined {
    const text = this.readFile(path);
    if (text === undefined) return undefined;
    const cached = this.lineCache.get(path);
    if (cached && cached.text === text) return cached.lines;
    const lines = new LineIndex(text);
    this.lineCache.set(path, { text, lines });
    return lines;
  }
}

/**
 * The overlay as the analysis reads it: every path it reads or checks while recording is noted, so files the
 * analysis follows (a workflow's `./deploy.sh`, a Makefile, a local action.yml) are watched and refresh it too.
 */
export class ReadRecorder implements Host {
  private current: Set<string> | undefined;
  constructor(private readonly base: OverlayHost) {}

  /** Runs `fn` and returns its value with the paths read meanwhile (`fn` is synchronous). */
  record<T>(fn: () => T): { value: T; paths: Set<string> } {
    const paths = new Set<string>();
    this.current = paths;
    try {
      return { value: fn(), paths };
    } finally {
      this.current = undefined;
    }
  }

  readFile(path: string): string | undefined {
    this.current?.add(path);
    return this.base.readFile(path);
  }
  readFailure(path: string): { code: string; message: string } | undefined {
    return this.base.readFailure(path);
  }
  fileExists(path: string): boolean {
    this.current?.add(path);
    return this.base.fileExists(path);
  }
  realPath(path: string): string | undefined {
    return this.base.realPath(path);
  }
  readDirectory(path: string): { name: string; isDirectory: boolean }[] {
    return this.base.readDirectory(path);
  }
}

/** Workspace folders as paths; files outside every folder are analysed with their own directory as root. */
export class Folders {
  private readonly roots = new Map<string, string>(); // path → uri

  add(uri: string): void {
    const p = uriToPath(uri);
    if (p) this.roots.set(normalize(p), uri);
  }
  remove(uri: string): void {
    const p = uriToPath(uri);
    if (p) this.roots.delete(normalize(p));
  }
  all(): string[] {
    return [...this.roots.keys()];
  }
  uriOf(root: string): string {
    return this.roots.get(root) ?? pathToUri(root);
  }
  /** The innermost folder holding `path`, or undefined. */
  folderOf(path: string): string | undefined {
    let best: string | undefined;
    for (const root of this.roots.keys()) {
      if (path === root || path.startsWith(root === "/" ? "/" : root + "/")) {
        if (!best || root.length > best.length) best = root;
      }
    }
    return best;
  }
}

/** Files whose change can alter an analysis even before one has run (every kind core/files.ts names). */
export function isInterestingFile(path: string): boolean {
  return fileKind(path) !== undefined;
}

/** Glob patterns the server always asks the client to watch (workspace/didChangeWatchedFiles). */
export const WATCH_GLOBS: string[] = FILE_GLOBS.map((g) => g.glob);
