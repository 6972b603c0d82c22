// File watching: the fixed globs of every file kind (core/files.ts), registered once, and a second registration
// for the files the last analyses followed (scripts, Makefiles, local actions, workspace manifests), replaced
// whenever that set changes. Without the second one the disk answers for those files would never go stale.
import {
  DidChangeWatchedFilesNotification,
  type Connection,
  type Disposable,
  type FileSystemWatcher,
} from "vscode-languageserver";
import { WATCH_GLOBS } from "./workspace.js";
import { pathToUri } from "./convert.js";

/** A path as a glob that matches only itself: glob characters are put in brackets. */
export function literalGlob(path: string): string {
  return path.replace(/[*?[\]{}]/g, (c) => `[${c}]`);
}

export class Watchers {
  private followedKey = "";
  private followed: Promise<Disposable | undefined> | undefined;

  constructor(
    private readonly connection: Connection,
    /** The client takes `{ baseUri, pattern }` watchers (LSP 3.17 relativePatternSupport). */
    private readonly relativePatterns: boolean,
    private readonly log: (m: string) => void,
  ) {}

  registerFixed(): void {
    void this.connection.client
      .register(DidChangeWatchedFilesNotification.type, {
        watchers: WATCH_GLOBS.map((globPattern) => ({ globPattern })),
      })
      .catch((err: unknown) => this.log(`could not register file watchers: ${String(err)}`));
  }

  /** Watches exactly these files (replacing the previous set); nothing is sent when the set is unchanged. */
  follow(files: { root: string; path: string }[]): void {
    const watchers: FileSystemWatcher[] = files.map(({ root, path }) =>
      this.relativePatterns
        ? {
            globPattern: {
              baseUri: pathToUri(root),
              pattern: literalGlob(path.slice(root === "/" ? 1 : root.length + 1)),
            },
          }
        : { globPattern: literalGlob(path) },
    );
    const key = JSON.stringify(watchers);
    if (key === this.followedKey) return;
    this.followedKey = key;
    const old = this.followed;
    this.followed = watchers.length
      ? this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).catch((err: unknown) => {
          this.log(`could not register watchers for followed files: ${String(err)}`);
          return undefined;
        })
      : undefined;
    void old?.then((d) => d?.dispose());
  }
}
