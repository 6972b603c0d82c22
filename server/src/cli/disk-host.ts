// The CLI's Host: the real file system, read synchronously (the core never touches fs itself).
import { readFileSync, readdirSync, statSync } from "node:fs";
import type { Host } from "../core/host.js";

/** Files larger than this are not read (a clear finding is better than an out-of-memory crash). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export function diskHost(): Host {
  return {
    readFile(path) {
      try {
        const st = statSync(path);
        if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
    fileExists(path) {
      try {
        return statSync(path).isFile();
      } catch {
        return false;
      }
    },
    readDirectory(path) {
      try {
        return readdirSync(path, { withFileTypes: true }).map((d) => ({ name: d.name, isDirectory: d.isDirectory() }));
      } catch {
        return [];
      }
    },
  };
}
