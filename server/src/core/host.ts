// The core's only window on files: the CLI implements it over the disk, the language server over open
// documents plus the disk, and tests over an in-memory map. Paths are absolute POSIX paths.
import type { Problem } from "./problems.js";

export interface Host {
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readFile(path: string): string | undefined;
  /** True when a file (not a directory) exists at path. */
  fileExists(path: string): boolean;
  /** Immediate children of a directory (names only), or [] when it is not a directory. */
  readDirectory(path: string): { name: string; isDirectory: boolean }[];
  /** Why readFile gave undefined for a file that exists (too large, not readable), when the host knows. */
  readFailure?(path: string): { code: string; message: string } | undefined;
}

/** The problem for a listed file the host could not read (never a silent skip), or undefined. */
export function unreadable(host: Host, path: string): (Problem & { file: string }) | undefined {
  const why = host.readFailure?.(path);
  return why && { code: why.code, severity: "error", message: why.message, span: { start: 0, end: 0 }, file: path };
}

/** A Host over an in-memory map of absolute paths to text (tests, and the server's overlay). */
export class MemoryHost implements Host {
  constructor(private readonly files: Map<string, string>) {}
  readFile(path: string): string | undefined {
    return this.files.get(path);
  }
  fileExists(path: string): boolean {
    return this.files.has(path);
  }
  readDirectory(path: string): { name: string; isDirectory: boolean }[] {
    const prefix = path.endsWith("/") ? path : path + "/";
    const seen = new Map<string, boolean>();
    for (const f of this.files.keys()) {
      if (!f.startsWith(prefix)) continue;
      const rest = f.slice(prefix.length);
      const slash = rest.indexOf("/");
      if (slash < 0) seen.set(rest, false);
      else seen.set(rest.slice(0, slash), true);
    }
    return [...seen].map(([name, isDirectory]) => ({ name, isDirectory })).sort((a, b) => a.name.localeCompare(b.name));
  }
}
