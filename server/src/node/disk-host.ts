// The Node adapters' Host over the real file system (the core never touches fs itself). Files larger than
// MAX_FILE_BYTES are not read: a "file-too-large" problem (readFailure) beats running out of memory on a huge file.
import { readFileSync, readdirSync, realpathSync, statSync } from "node:fs";
import type { Host } from "../core/index.js";
import { dirname } from "../core/index.js";
import { MAX_TEXT_LENGTH, fileTooLarge } from "../core/index.js";

export const MAX_FILE_BYTES = MAX_TEXT_LENGTH;

/**
 * Reads the disk; never throws. Answers are remembered until `invalidate` says a path changed (file watcher
 * events) or, when the client cannot watch files for us, until they are `ttlMs` old: a keystroke in one file of
 * a large workspace must not stat and read every other file again.
 */
export class DiskHost implements Host {
  private readonly files = new Map<
    string,
    { at: number; text: string | undefined; failure?: { code: string; message: string } }
  >();
  private readonly exists = new Map<string, { at: number; value: boolean }>();
  private readonly dirs = new Map<string, { at: number; entries: { name: string; isDirectory: boolean }[] }>();
  private readonly reals = new Map<string, { at: number; value: string | undefined }>();

  constructor(public ttlMs = 2000) {}

  private fresh(at: number): boolean {
    return Date.now() - at < this.ttlMs;
  }

  /** A file changed, appeared or disappeared: forget it, and the listings of the folders above it. */
  invalidate(path: string): void {
    this.files.delete(path);
    this.exists.delete(path);
    this.reals.delete(path);
    for (let d = dirname(path), i = 0; i < 256; i++) {
      this.dirs.delete(d);
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }

  readFile(path: string): string | undefined {
    return this.read(path).text;
  }
  readFailure(path: string): { code: string; message: string } | undefined {
    return this.read(path).failure;
  }
  private read(path: string): { text: string | undefined; failure?: { code: string; message: string } } {
    const hit = this.files.get(path);
    if (hit && this.fresh(hit.at)) return hit;
    const entry: { at: number; text: string | undefined; failure?: { code: string; message: string } } = {
      at: Date.now(),
      text: undefined,
    };
    try {
      const st = statSync(path);
      if (st.isFile() && st.size > MAX_FILE_BYTES) {
        const p = fileTooLarge(st.size);
        entry.failure = { code: p.code, message: p.message };
      } else if (st.isFile()) entry.text = readFileSync(path, "utf8");
    } catch (err) {
      const code = (err as { code?: string }).code;
      // A file that is not there is no failure; one that is there but cannot be read is.
      if (code && code !== "ENOENT" && code !== "ENOTDIR")
        entry.failure = {
          code: "file-unreadable",
          message: `This file could not be read (${code}): nothing in it is analysed`,
        };
    }
    this.files.set(path, entry);
    return entry;
  }
  realPath(path: string): string | undefined {
    const hit = this.reals.get(path);
    if (hit && this.fresh(hit.at)) return hit.value;
    let value: string | undefined;
    try {
      value = realpathSync.native(path).split("\\").join("/");
    } catch {
      value = undefined;
    }
    this.reals.set(path, { at: Date.now(), value });
    return value;
  }
  fileExists(path: string): boolean {
    const hit = this.exists.get(path);
    if (hit && this.fresh(hit.at)) return hit.value;
    let value: boolean;
    try {
      value = statSync(path).isFile();
    } catch {
      value = false;
    }
    this.exists.set(path, { at: Date.now(), value });
    return value;
  }
  readDirectory(path: string): { name: string; isDirectory: boolean }[] {
    const hit = this.dirs.get(path);
    if (hit && this.fresh(hit.at)) return hit.entries.slice();
    let entries: { name: string; isDirectory: boolean }[];
    try {
      entries = readdirSync(path, { withFileTypes: true })
        .map((d) => {
          let isDirectory = d.isDirectory();
          if (d.isSymbolicLink()) {
            try {
              isDirectory = statSync(path + "/" + d.name).isDirectory();
            } catch {
              isDirectory = false;
            }
          }
          return { name: d.name, isDirectory };
        })
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      entries = [];
    }
    this.dirs.set(path, { at: Date.now(), entries });
    return entries.slice();
  }
}

/** A Host for one CLI run or one test: answers are remembered for the life of the object. */
export function diskHost(): DiskHost {
  return new DiskHost(Number.POSITIVE_INFINITY);
}
