// The core's only window on files: the CLI implements it over the disk, the language server over open
// documents plus the disk, and tests over an in-memory map. Paths are absolute POSIX paths.
import type { Problem } from "./problems.js";
import { normalize, relative } from "./path.js";

export interface Host {
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readFile(path: string): string | undefined;
  /** True when a file (not a directory) exists at path. */
  fileExists(path: string): boolean;
  /** Immediate children of a directory (names only), or [] when it is not a directory. */
  readDirectory(path: string): { name: string; isDirectory: boolean }[];
  /** Why readFile gave undefined for a file that exists (too large, not readable), when the host knows. */
  readFailure?(path: string): { code: string; message: string } | undefined;
  /** The path with every symbolic link resolved, or undefined when nothing is there (hosts without links omit it). */
  realPath?(path: string): string | undefined;
}

/** The problem for a listed file the host could not read (never a silent skip), or undefined. */
export function unreadable(host: Host, path: string): (Problem & { file: string }) | undefined {
  const why = host.readFailure?.(path);
  return why && { code: why.code, severity: "error", message: why.message, span: { start: 0, end: 0 }, file: path };
}

/** A read the workspace analysis refused: outside the root (lexically or through a link), or a folder already read. */
export interface Refusal {
  path: string;
  reason: "outside-workspace" | "already-read";
  /** For "already-read": the path the same folder was first read under. */
  firstPath?: string;
  /** For "already-read": `path` is the folder's own name (it was first read through a link, `firstPath`). */
  ownName?: boolean;
}

function inside(path: string, root: string): boolean {
  return path === root || root === "/" || path.startsWith(root + "/");
}

/**
 * The analysis's view of a Host: nothing outside `root` is read, judged on the path as written and on its real
 * path (links resolved), and a folder reached again through a link (a `self -> .` loop, an alias) is listed once.
 * Every refused read is kept in `refusals`, in order, so the analysis can say which step or link caused it.
 */
export class ConfinedHost implements Host {
  readonly refusals: Refusal[] = [];
  /** Every folder first listed (real path, path as read), in order: what a kept result replays (db.ts). */
  readonly firstListed: [string, string][] = [];
  private readonly realRoot: string;
  private readonly listed = new Map<string, string>();

  constructor(
    readonly base: Host,
    readonly root: string,
  ) {
    this.root = normalize(root);
    this.realRoot = base.realPath?.(this.root) ?? this.root;
  }

  /** Undefined when path may be read, else the refusal (also recorded). */
  private refuse(path: string, folder: boolean): Refusal | undefined {
    // Only absolute paths are disk paths; other names are virtual files (the live token `audit` reads).
    if (!path.startsWith("/")) return undefined;
    const p = normalize(path);
    let r: Refusal | undefined;
    // Nothing there (undefined real path) reads as nothing: allowed, so an unsaved open document still counts.
    const real = inside(p, this.root) ? this.base.realPath?.(p) : undefined;
    if (!inside(p, this.root) || (real !== undefined && !inside(real, this.realRoot)))
      r = { path: p, reason: "outside-workspace" };
    else if (folder && real !== undefined) {
      const first = this.listed.get(real);
      if (first === undefined) {
        this.listed.set(real, p);
        this.firstListed.push([real, p]);
      } else if (first !== p) {
        const own = relative(this.realRoot, real) === relative(this.root, p);
        r = { path: p, reason: "already-read", firstPath: first, ...(own ? { ownName: true } : {}) };
      }
    }
    if (r) this.refusals.push(r);
    return r;
  }

  /**
   * What reading again would have recorded, for a result kept from an earlier analysis instead of computed: its
   * refusals, and the folders it listed first (so a later read of one of them through a link is refused as here).
   */
  replay(refusals: readonly Refusal[], listed: readonly (readonly [string, string])[]): boolean {
    // A folder it listed first that another read already listed under another path: reading again differs.
    for (const [real, p] of listed) if ((this.listed.get(real) ?? p) !== p) return false;
    for (const [real, p] of listed) {
      if (this.listed.has(real)) continue;
      this.listed.set(real, p);
      this.firstListed.push([real, p]);
    }
    this.refusals.push(...refusals);
    return true;
  }

  readFile(path: string): string | undefined {
    return this.refuse(path, false) ? undefined : this.base.readFile(path);
  }
  fileExists(path: string): boolean {
    return this.refuse(path, false) ? false : this.base.fileExists(path);
  }
  readDirectory(path: string): { name: string; isDirectory: boolean }[] {
    return this.refuse(path, true) ? [] : this.base.readDirectory(path);
  }
  readFailure(path: string): { code: string; message: string } | undefined {
    return this.base.readFailure?.(path);
  }
  realPath(path: string): string | undefined {
    return this.base.realPath?.(path);
  }
}

/** `host` confined to `root` (a host already confined to the same root is kept, with its record). */
export function confine(host: Host, root: string): ConfinedHost {
  return host instanceof ConfinedHost && host.root === normalize(root) ? host : new ConfinedHost(host, root);
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
