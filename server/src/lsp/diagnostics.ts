// Runs the analysis per workspace folder (debounced after edits and file changes), publishes the findings per
// file, and keeps each folder's last result for code actions, hovers and lenses.
import type { Connection, Diagnostic } from "vscode-languageserver";
import type { Finding, HclParser, LineIndex } from "../core/index.js";
import type { Engine, EngineResult } from "./engine.js";
import type { Configuration, Settings } from "./configuration.js";
import { Folders, OverlayHost, ReadRecorder, isInterestingFile } from "./workspace.js";
import { looseRoot } from "../core/index.js";
import { findingToDiagnostic, pathToUri } from "./convert.js";
import { problemAsFinding } from "../core/index.js";
import { STATUS_NOTIFICATION, type StatusParams } from "./protocol.js";
import { logAnalysis } from "./analysis-log.js";

/** One folder's latest analysis. */
export interface FolderAnalysis {
  root: string;
  result: EngineResult;
  /** The line index (and so the exact text) of every file a finding was placed in, as analysed. */
  lines: Map<string, LineIndex>;
  /** Rule findings grouped by the file they are located in (parse problems are published but not kept). */
  byFile: Map<string, Finding[]>;
  files: Set<string>;
  /** Every path the analysis read or checked (files it followed from CI as well as the ones it looks for). */
  reads: Set<string>;
}

interface FolderState {
  root: string;
  timer?: ReturnType<typeof setTimeout>;
  /** Resolves when the analysis in progress (if any) is done. */
  running?: Promise<void>;
  /** Another run was requested while one was in progress. */
  again: boolean;
  analysis?: FolderAnalysis;
  settings?: Settings;
}

export interface DiagnosticsOptions {
  /** Delay between the last change and the analysis. */
  debounceMs: number;
}

export class Diagnostics {
  private readonly states = new Map<string, FolderState>();
  /** file path → folder root → diagnostics from that folder; a file's published list is their union. */
  private readonly published = new Map<string, Map<string, Diagnostic[]>>();
  private changedAt = 0;
  /** The last list sent per file, serialised (unchanged lists are not sent again). */
  private readonly lastSent = new Map<string, string>();
  /** Called after each analysis (the server refreshes code lenses and an active review). */
  onAnalyzed: ((root: string) => void) | undefined;
  /** While a review of the root is active: the prefix for a finding new on the branch (else undefined). */
  marker: ((root: string) => ((f: Finding, lines: LineIndex) => string | undefined) | undefined) | undefined;
  /** Each finding's diagnostic, with the line indexes it was placed by (findings are kept objects between analyses). */
  private readonly conversions = new WeakMap<Finding, { lines: (LineIndex | undefined)[]; diagnostic: Diagnostic }>();
  /** The diagnostics last built per folder and file. */
  private readonly lists = new Map<string, Diagnostic[]>();
  /** The lists last sent, per file (a list that is the same array was not changed). */
  private readonly sentLists = new Map<string, Diagnostic[]>();
  /** Folders made up for files opened outside every workspace folder (their directory). */
  private readonly looseRoots = new Set<string>();
  private readonly reader: ReadRecorder;

  constructor(
    private readonly connection: Connection,
    private readonly engine: Engine,
    private readonly host: OverlayHost,
    private readonly folders: Folders,
    private readonly config: Configuration,
    /** The Terraform grammar: `load` waits for it (undefined when it cannot load). */
    private readonly hcl: { load(): Promise<HclParser | undefined> },
    private readonly options: DiagnosticsOptions,
  ) {
    this.reader = new ReadRecorder(host);
  }

  /** The HCL parser, once loaded (undefined when the grammar cannot load). */
  hclParser(): Promise<HclParser | undefined> {
    return this.hcl.load();
  }

  /** Every root that is analysed: workspace folders plus directories of loose files. */
  roots(): string[] {
    return [...new Set([...this.folders.all(), ...this.looseRoots])];
  }

  /**
   * The root a file is analysed under. A wrangler config, workflow or Terraform file opened outside every folder
   * makes its project directory a root (`create`); other loose files (any JSON, say) never start an analysis of
   * whatever directory they happen to be in.
   */
  rootFor(path: string, create: boolean): string | undefined {
    const folder = this.folders.folderOf(path);
    if (folder) return folder;
    const dir = looseRoot(path);
    if (!dir) return undefined;
    if (create) this.looseRoots.add(dir);
    return this.looseRoots.has(dir) ? dir : undefined;
  }

  /** Last analyses that placed findings in, or read, this file. */
  analysesFor(path: string): FolderAnalysis[] {
    const out: FolderAnalysis[] = [];
    for (const s of this.states.values()) {
      if (
        s.analysis &&
        (s.analysis.byFile.has(path) || s.analysis.files.has(path) || this.folders.folderOf(path) === s.root)
      )
        out.push(s.analysis);
    }
    return out;
  }

  /**
   * Resolves once no analysis that can place findings in `path` is scheduled or running (waiting at most
   * `limitMs`): code actions asked for right after an edit, or before the first analysis, answer from its result.
   */
  async settled(path: string, limitMs = 5000): Promise<void> {
    const end = Date.now() + limitMs;
    const own = this.rootFor(path, false);
    for (;;) {
      const busy = [...this.states.values()].filter(
        (s) =>
          (s.timer !== undefined || s.running !== undefined) &&
          (s.root === own || s.analysis === undefined || s.analysis.files.has(path) || s.analysis.reads.has(path)),
      );
      if (!busy.length || Date.now() >= end) return;
      const running = busy.find((s) => s.running)?.running;
      await (running ?? new Promise((r) => setTimeout(r, 20)));
    }
  }

  /** True when the code is a rule id (with a docs page), not a parser problem code. */
  hasDocs(code: string): boolean {
    return this.engine.ruleIds.has(code);
  }

  /** A folder's current settings and the HCL parser, for commands that run their own analysis (audit). */
  async inputsFor(root: string): Promise<{ settings: Settings; hcl: HclParser | undefined }> {
    return { settings: await this.config.get(this.folders.uriOf(root)), hcl: await this.hcl.load() };
  }

  /** The settings the root's last analysis used (undefined before one ran). */
  settingsOf(root: string): Settings | undefined {
    return this.states.get(root)?.settings;
  }

  /** The last analysis of a root, if any. */
  analysisOf(root: string): FolderAnalysis | undefined {
    return this.states.get(root)?.analysis;
  }

  /** A document was opened or edited, or a file changed on disk: re-analyse every folder it can affect. */
  fileChanged(path: string, opts: { opened?: boolean } = {}): void {
    if (process.env.WTL_TIMING) this.changedAt = performance.now();
    // An open document's edit changes its text; anything else (opened, closed, a watched file) may also change
    // what a folder lists, so the engine's database checks everything it kept once.
    this.engine.changed?.(path, !opts.opened && this.host.isOpen(path) ? "content" : "created");
    this.host.forget(path);
    const roots = new Set<string>();
    for (const s of this.states.values())
      if (s.analysis?.files.has(path) || s.analysis?.reads.has(path)) roots.add(s.root);
    const own = this.rootFor(path, opts.opened === true);
    if (own && (isInterestingFile(path) || !this.states.get(own)?.analysis)) roots.add(own);
    for (const r of roots) this.schedule(r);
  }

  /** A folder was removed, or a loose file closed: drop its diagnostics. */
  removeRoot(root: string): void {
    const s = this.states.get(root);
    if (s?.timer) clearTimeout(s.timer);
    this.states.delete(root);
    this.looseRoots.delete(root);
    this.publishFor(root, new Map());
  }

  /** Closing a file outside every folder ends its loose root once no open file needs it. */
  documentClosed(path: string): void {
    if (this.folders.folderOf(path)) return;
    const dir = looseRoot(path);
    if (dir && this.looseRoots.has(dir) && !this.host.anyOpenUnder(dir)) this.removeRoot(dir);
  }

  /** Settings changed: analyse everything again with fresh settings. */
  refreshAll(): void {
    for (const r of this.roots()) this.schedule(r, 0);
  }

  schedule(root: string, delay = this.options.debounceMs): void {
    let s = this.states.get(root);
    if (!s) this.states.set(root, (s = { root, again: false }));
    if (s.timer) clearTimeout(s.timer);
    const state = s;
    s.timer = setTimeout(() => {
      state.timer = undefined;
      void this.run(state);
    }, delay);
  }

  /** Analyses now (tests and commands use it to get a current result). */
  async analyzeNow(root: string): Promise<FolderAnalysis | undefined> {
    let s = this.states.get(root);
    if (!s) this.states.set(root, (s = { root, again: false }));
    if (s.timer) {
      clearTimeout(s.timer);
      s.timer = undefined;
    }
    await this.run(s);
    return s.analysis;
  }

  private async run(s: FolderState): Promise<void> {
    if (s.running) {
      s.again = true;
      return s.running;
    }
    s.running = this.runOnce(s).finally(() => {
      s.running = undefined;
      if (s.again) {
        s.again = false;
        this.schedule(s.root, 0);
      }
    });
    return s.running;
  }

  private async runOnce(s: FolderState): Promise<void> {
    const folderUri = this.folders.uriOf(s.root);
    const settings = await this.config.get(folderUri);
    // Terraform token files need the grammar: an analysis without it would publish a token's findings as none.
    const hcl = await this.hcl.load();
    s.settings = settings;
    if (!this.states.has(s.root)) return; // removed meanwhile
    if (!settings.enable) {
      s.analysis = undefined;
      this.publishFor(s.root, new Map());
      this.status({ folder: folderUri, configs: 0, deploys: 0, tokens: 0, findings: 0 });
      return;
    }
    const t0 = Date.now();
    const sinceChange = performance.now() - this.changedAt;
    let result: EngineResult;
    // With file watching every change arrives through fileChanged: kept results need not be read again to check.
    this.engine.trustChanges?.(this.host.changesReported());
    let reads: Set<string>;
    try {
      ({ value: result, paths: reads } = this.reader.record(() =>
        this.engine.analyzeWorkspace(
          this.reader,
          s.root,
          { ruleSeverities: settings.rules, tokenGlobs: settings.tokenGlobs, tokenSecrets: settings.tokenSecrets },
          { hcl },
        ),
      ));
      // Values the database reused were not read again, but their files still count (they stay watched).
      for (const p of this.engine.readPaths?.() ?? []) reads.add(p);
    } catch (err) {
      // A bug in the analysis must not take the server down; keep the last good diagnostics and say so.
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      this.connection.console.error(`analysis of ${s.root} failed: ${message}`);
      this.status({
        folder: folderUri,
        configs: 0,
        deploys: 0,
        tokens: 0,
        findings: 0,
        error: err instanceof Error ? err.message : String(err),
      });
      return;
    }
    const byFile = new Map<string, Finding[]>();
    for (const f of result.findings) {
      const list = byFile.get(f.location.file);
      if (list) list.push(f);
      else byFile.set(f.location.file, [f]);
    }
    const lines = new Map<string, LineIndex>();
    const diagnostics = this.convert(s.root, result, lines);
    const t1 = Date.now();
    s.analysis = { root: s.root, result, lines, byFile, files: new Set(result.files), reads };
    this.publishFor(s.root, diagnostics);
    this.status({ folder: folderUri, ...result.summary, findings: result.findings.length });
    this.onAnalyzed?.(s.root);
    logAnalysis(
      (m) => this.connection.console.info(m),
      s.root,
      result,
      (f) => this.host.fileExists(f),
      Date.now() - t0,
    );
    if (process.env.WTL_TIMING)
      process.stderr.write(
        `timing change→start ${sinceChange.toFixed(1)} ms, analyse+convert ${t1 - t0} ms, publish ${Date.now() - t1} ms\n`,
      );
  }

  /**
   * Findings and file problems → diagnostics per file; `lines` collects (and is read first for) each file's line
   * index. While a review is active, findings new on the branch get its prefix (`marker`).
   */
  private convert(root: string, result: EngineResult, lines: Map<string, LineIndex>): Map<string, Diagnostic[]> {
    const mark = this.marker?.(root);
    const byFile = new Map<string, Finding[]>();
    for (const f of [...(result.problems ?? []).map(problemAsFinding), ...result.findings]) {
      const list = byFile.get(f.location.file);
      if (list) list.push(f);
      else byFile.set(f.location.file, [f]);
    }
    const linesOf = (p: string): LineIndex | undefined => {
      let l = lines.get(p);
      if (!l) {
        l = this.host.lines(p);
        if (l) lines.set(p, l);
      }
      return l;
    };
    const diagnostics = new Map<string, Diagnostic[]>();
    for (const [file, list] of byFile) {
      const idx = linesOf(file);
      if (!idx) continue;
      const converted = list.map((f) => {
        const d = this.converted(f, idx, linesOf);
        const prefix = mark?.(f, idx);
        // A copy: the kept diagnostic stays unmarked for the next analysis.
        return prefix ? { ...d, message: prefix + d.message } : d;
      });
      // The same diagnostics as last time: the same array, so publishing sees at once that nothing changed.
      const key = `${root}\u0000${file}`;
      const last = this.lists.get(key);
      const same = !!last && last.length === converted.length && last.every((d, i) => d === converted[i]);
      diagnostics.set(file, same ? last! : converted);
      if (!same) this.lists.set(key, converted);
    }
    for (const key of this.lists.keys())
      if (key.startsWith(`${root}\u0000`) && !diagnostics.has(key.slice(root.length + 1))) this.lists.delete(key);
    return diagnostics;
  }

  /** Publishes a root's last analysis again (a review started, changed or stopped: the marks change). */
  republish(root: string): void {
    const a = this.states.get(root)?.analysis;
    if (a) this.publishFor(root, this.convert(root, a.result, a.lines));
  }

  /** A finding's diagnostic, converted again only when its file's or a related file's text changed. */
  private converted(f: Finding, idx: LineIndex, linesOf: (p: string) => LineIndex | undefined): Diagnostic {
    const lines = [idx, ...f.related.map((r) => (r.file === f.location.file ? idx : linesOf(r.file)))];
    const hit = this.conversions.get(f);
    if (hit && hit.lines.length === lines.length && hit.lines.every((l, i) => l === lines[i])) return hit.diagnostic;
    const diagnostic = findingToDiagnostic(f, idx, linesOf, this.engine.ruleIds.has(f.rule));
    this.conversions.set(f, { lines, diagnostic });
    return diagnostic;
  }

  private publishFor(root: string, diagnostics: Map<string, Diagnostic[]>): void {
    const touched = new Set<string>(diagnostics.keys());
    for (const [file, perRoot] of this.published) if (perRoot.has(root)) touched.add(file);
    for (const file of touched) {
      let perRoot = this.published.get(file);
      if (!perRoot) this.published.set(file, (perRoot = new Map()));
      const list = diagnostics.get(file);
      if (list && list.length) perRoot.set(root, list);
      else perRoot.delete(root);
      // One folder's list, the very array sent last time: unchanged, nothing to compare or send.
      const only = !!list?.length && perRoot.size === 1;
      if (only && this.sentLists.get(file) === list) continue;
      if (only) this.sentLists.set(file, list!);
      else this.sentLists.delete(file);
      const all = [...perRoot.values()].flat();
      if (perRoot.size === 0) this.published.delete(file);
      // Only files whose list changed are sent again: an edit in one config must not resend the whole workspace.
      const sent = JSON.stringify(all);
      if (this.lastSent.get(file) === sent) continue;
      if (all.length) this.lastSent.set(file, sent);
      else this.lastSent.delete(file);
      void this.connection.sendDiagnostics({ uri: pathToUri(file), diagnostics: all }).catch(() => undefined);
    }
  }

  private status(params: StatusParams): void {
    void this.connection.sendNotification(STATUS_NOTIFICATION, params).catch(() => undefined);
  }

  /** Paths the last analyses read that the fixed watcher globs do not cover, each with its root. */
  followedFiles(): { root: string; path: string }[] {
    const out: { root: string; path: string }[] = [];
    for (const s of this.states.values()) {
      for (const path of s.analysis?.reads ?? []) {
        if (!isInterestingFile(path) && path.startsWith(s.root === "/" ? "/" : s.root + "/"))
          out.push({ root: s.root, path });
      }
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Pending timers are cancelled on shutdown. */
  dispose(): void {
    for (const s of this.states.values()) if (s.timer) clearTimeout(s.timer);
  }
}
