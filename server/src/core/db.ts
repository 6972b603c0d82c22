// The workspace database: what the analysis has read and derived, kept between analyses by the adapter that owns
// it (the language server keeps one for its life, `check` one per run). In the spirit of rust-analyzer's salsa,
// at this project's size:
//
// - Inputs are file texts. Each path has one slot: its last text and a revision, bumped when a read gives a
//   different text. An edit replaces the slot, so old texts (and what was derived from them) are dropped.
// - Derived values (parsed configs, CI scans, deploy analyses, token readings, links, per-token comparisons, rule
//   results) are memoised per query and key with the inputs they read: the revisions of the paths, or the derived
//   values they were computed from (compared by identity). A value is reused while every input is the same; an
//   edit to one file recomputes only the values that read it.
// - Bounded: one entry per query and key, and an analysis drops the entries of its root it did not use, so neither
//   edits (a new text per keystroke) nor moved keys (a workflow edited above a step) pile up.
//
// Pure: the database never reads a file itself; texts come in through the Host the analysis reads.
import { ConfinedHost, type Host, type Refusal } from "./host.js";
import { SourceFile } from "./source.js";
import { readConfigFile, type ConfigFile } from "./model/wrangler.js";

interface Entry {
  inputs: unknown;
  value: unknown;
  /** The analysis (generation) that last used the entry. */
  used: number;
  /** The root whose analysis made the entry ("" for entries shared by every root). */
  scope: string;
}

interface Slot {
  text: string | undefined;
  rev: number;
  used: number;
}

export interface DatabaseStats {
  /** Entries per query. */
  queries: Record<string, number>;
  /** Input slots (file texts) held. */
  inputs: number;
  /** Characters of text held by the input slots. */
  inputChars: number;
}

/** Analyses after which an entry or text nobody used is dropped. */
const KEEP_GENERATIONS = 64;

export class Database {
  private readonly tables = new Map<string, Map<string, Entry>>();
  private readonly slots = new Map<string, Slot>();
  private nextRev = 1;
  /** Change clock: bumped by every reported change. */
  private clock = 0;
  /** Path → clock of its last reported change. */
  private readonly changes = new Map<string, number>();
  private lastChange = 0;
  /** Clock of the last reported appearance or disappearance of a file. */
  private structuralAt = 0;
  private trusted = false;

  /**
   * `once`: the database serves a single analysis (`check`, a review snapshot) and is dropped after it, so what a
   * tracked value read is not recorded (nothing will check it again); values are still shared within the analysis.
   */
  constructor(private readonly options: { once?: boolean } = {}) {}
  private generation = 0;
  private scope = "";
  /** The files read or depended on since the last `begin`. */
  private paths = new Set<string>();

  /**
   * Starts one analysis of `root`: entries it uses are marked with a new generation; `end` drops the entries of
   * the same root that it did not use.
   */
  begin(root: string): void {
    this.generation++;
    this.scope = root;
    this.paths = new Set();
  }

  /**
   * The files the last analysis depended on: those it read and those behind the values it reused without reading
   * (the language server watches them).
   */
  readPaths(): ReadonlySet<string> {
    return this.paths;
  }

  private notePaths(reads: readonly Read[]): void {
    for (const r of reads) if (r.kind === "file" || r.kind === "exists") this.paths.add(r.path);
  }

  /**
   * Ends the analysis begun last: drops the entries of its root it did not use, and whatever no analysis used in
   * the last KEEP_GENERATIONS (a removed folder's leftovers, hover answers), texts included.
   */
  end(): void {
    const g = this.generation;
    const root = this.scope;
    const floor = g - KEEP_GENERATIONS;
    for (const table of this.tables.values()) {
      for (const [k, e] of table) if ((e.used < g && e.scope === root) || e.used < floor) table.delete(k);
    }
    for (const [p, s] of this.slots) if (s.used < floor) this.slots.delete(p);
    this.scope = "";
  }

  /**
   * The revision of `path` given the text just read for it: the same while the text is the same (compared by
   * identity first, so an unchanged document costs nothing), a new one when it changed. One slot per path.
   */
  revision(path: string, text: string | undefined): number {
    const s = this.slots.get(path);
    if (s && s.text === text) {
      s.used = this.generation;
      return s.rev;
    }
    const rev = this.nextRev++;
    this.slots.set(path, { text, rev, used: this.generation });
    return rev;
  }

  /**
   * The value of `query` for `key`, computed by `compute` unless the entry's inputs are the same as `inputs`
   * (element by element, by identity): revisions, texts, or values derived before. One entry per query and key.
   */
  memo<R>(query: string, key: string, inputs: readonly unknown[], compute: () => R): R {
    let table = this.tables.get(query);
    if (!table) this.tables.set(query, (table = new Map()));
    const hit = table.get(key);
    if (hit && sameInputs(hit.inputs as readonly unknown[], inputs)) {
      hit.used = this.generation;
      return hit.value as R;
    }
    const value = compute();
    table.set(key, { inputs, value, used: this.generation, scope: this.scope });
    return value;
  }

  /**
   * `memo` for a key asked at most once per analysis (a rule's findings for one token): a database serving a single
   * analysis has nothing to reuse it for, so the value is computed without being stored (a 1 MB Terraform file
   * asks some 40,000 of them).
   */
  memoOnce<R>(query: string, key: string, inputs: readonly unknown[], compute: () => R): R {
    return this.options.once ? compute() : this.memo(query, key, inputs, compute);
  }

  /** True when the database serves a single analysis (see the constructor). */
  get single(): boolean {
    return !!this.options.once;
  }

  /** The value last stored for `query` and `key`, whether or not its inputs still hold (to reuse parts of it). */
  previous<R>(query: string, key: string): R | undefined {
    return this.tables.get(query)?.get(key)?.value as R | undefined;
  }

  /** Like memo, but the inputs are known only after computing (the reads it made): `valid` checks them. */
  memoChecked<R, I>(
    query: string,
    key: string,
    valid: (inputs: I) => boolean,
    compute: () => { value: R; inputs: I },
  ): R {
    let table = this.tables.get(query);
    if (!table) this.tables.set(query, (table = new Map()));
    const hit = table.get(key);
    if (hit && valid(hit.inputs as I)) {
      hit.used = this.generation;
      return hit.value as R;
    }
    const { value, inputs } = compute();
    table.set(key, { inputs, value, used: this.generation, scope: this.scope });
    return value;
  }

  /**
   * The adapter reports every change from now on (`changed`): a kept value none of whose reads changed since it
   * was last checked is reused without reading again. Without it (a client that cannot watch files) every read
   * is made again to check.
   */
  trustChanges(on = true): void {
    this.trusted = on;
  }

  /** A file's text changed ("content"), or it appeared or disappeared (then every kept value is checked again). */
  changed(path: string, kind: "content" | "created" | "deleted" = "content"): void {
    const t = ++this.clock;
    this.changes.set(path, t);
    this.lastChange = t;
    if (kind !== "content") this.structuralAt = t;
  }

  /**
   * The value of `query` for `key`, computed from what `compute` reads through the Host it is given; reused while
   * every one of those reads (file revisions, existence, directory listings) still gives the same answer through
   * `host`, and the `given` inputs (derived values, by identity) are the same. Checking reads again through a
   * confined host records the same refusals as computing would; a value reused without reading replays them.
   */
  tracked<R>(query: string, key: string, host: Host, given: readonly unknown[], compute: (h: Host) => R): R {
    if (this.options.once) return compute(host);
    const outer = host as Partial<Recording>;
    const confined = host instanceof ConfinedHost ? host : outer.confined;
    return this.memoChecked<R, Tracked>(
      query,
      key,
      (t) => {
        if (!sameInputs(t.given, given) || !this.stillValid(host, t, confined)) return false;
        t.verified = this.clock;
        outer.reads?.push(...t.reads);
        this.notePaths(t.reads);
        return true;
      },
      () => {
        const reads: Read[] = [];
        const r0 = confined?.refusals.length ?? 0;
        const l0 = confined?.firstListed.length ?? 0;
        const value = compute(this.recording(host, reads, confined));
        outer.reads?.push(...reads);
        this.notePaths(reads);
        const refusals = confined ? confined.refusals.slice(r0) : [];
        const listed = confined ? confined.firstListed.slice(l0) : [];
        return { value, inputs: { given, reads, verified: this.clock, refusals, listed } };
      },
    );
  }

  private stillValid(host: Host, t: Tracked, confined: ConfinedHost | undefined): boolean {
    if (!this.trusted || t.verified < this.structuralAt) return t.reads.every((r) => this.stillReads(host, r));
    // Only the texts reported changed since the last check are read again; the rest is as it was.
    if (t.verified < this.lastChange) {
      for (const r of t.reads)
        if (r.kind === "file" && (this.changes.get(r.path) ?? 0) > t.verified && !this.stillReads(host, r))
          return false;
    }
    return confined ? confined.replay(t.refusals, t.listed) : true;
  }

  private stillReads(host: Host, r: Read): boolean {
    if (r.kind === "file") return this.revision(r.path, host.readFile(r.path)) === r.value;
    if (r.kind === "exists") return host.fileExists(r.path) === r.value;
    if (r.kind === "real") return host.realPath?.(r.path) === r.value;
    return listing(host.readDirectory(r.path)) === r.value;
  }

  private recording(host: Host, reads: Read[], confined: ConfinedHost | undefined): Recording {
    const revision = (path: string, value: string | undefined): number => this.revision(path, value);
    return {
      reads,
      confined,
      readFile(path) {
        const value = host.readFile(path);
        reads.push({ kind: "file", path, value: revision(path, value) });
        return value;
      },
      fileExists(path) {
        const value = host.fileExists(path);
        reads.push({ kind: "exists", path, value });
        return value;
      },
      readDirectory(path) {
        const entries = host.readDirectory(path);
        reads.push({ kind: "dir", path, value: listing(entries) });
        return entries;
      },
      readFailure: host.readFailure ? (path) => host.readFailure!(path) : undefined,
      realPath: host.realPath
        ? (path) => {
            const value = host.realPath!(path);
            reads.push({ kind: "real", path, value });
            return value;
          }
        : undefined,
    };
  }

  /** The parsed wrangler config of `path` with this text (one per path). */
  configFile(path: string, text: string): ConfigFile {
    return this.memo("config", path, [text], () => readConfigFile(path, text));
  }

  /** The source (line index, text) of `path` with this text (one per path). */
  source(path: string, text: string): SourceFile {
    return this.memo("source", path, [text], () => new SourceFile(path, text));
  }

  /** What the database holds (for tests and the server's log). */
  stats(): DatabaseStats {
    const queries: Record<string, number> = {};
    for (const [q, t] of this.tables) queries[q] = t.size;
    let inputChars = 0;
    for (const s of this.slots.values()) inputChars += s.text?.length ?? 0;
    return { queries, inputs: this.slots.size, inputChars };
  }
}

/** A tracked value's inputs: what it was given, what it read, and what reading recorded in the confined host. */
interface Tracked {
  given: readonly unknown[];
  reads: Read[];
  /** Clock when its reads were last known to give the same answers. */
  verified: number;
  refusals: Refusal[];
  listed: [string, string][];
}

/** The Host a tracked computation reads through: records each read (for the computation and those around it). */
interface Recording extends Host {
  reads: Read[];
  confined: ConfinedHost | undefined;
}

/** One read a tracked value made, with its answer (a file's revision, not its text). */
type Read =
  | { kind: "file"; path: string; value: number }
  | { kind: "exists"; path: string; value: boolean }
  | { kind: "real"; path: string; value: string | undefined }
  | { kind: "dir"; path: string; value: string };

function listing(entries: { name: string; isDirectory: boolean }[]): string {
  return entries.map((e) => (e.isDirectory ? `${e.name}/` : e.name)).join("\u0000");
}

function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
