// Wires the language server: capabilities, document sync into the overlay Host, settings, file watching, and
// the request handlers. Every handler catches its own errors and logs them: bad input never ends the server.
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Engine } from "./engine.js";
import { Configuration } from "./configuration.js";
import { Diagnostics } from "./diagnostics.js";
import { Commands, COMMAND_IDS } from "./commands.js";
import { codeActions, FIX_ALL_KIND } from "./code-actions.js";
import { hover } from "./hover.js";
import { codeLenses } from "./code-lens.js";
import { inlayHints } from "./inlay-hints.js";
import { permissionsTree } from "./tree.js";
import {
  REVIEW_REQUEST,
  REVIEW_STOP_REQUEST,
  TREE_REQUEST,
  type ReviewParams,
  type ReviewResult,
  type TreeParams,
  type TreeResult,
} from "./protocol.js";
import { Reviews } from "./review.js";
import { reviewSection } from "./review-tree.js";
import { HclLoader } from "./hcl.js";
import { Folders, OverlayHost } from "./workspace.js";
import { Watchers } from "./watch.js";
import { DiskHost } from "../node/disk-host.js";
import { uriToPath } from "./convert.js";

export interface StartOptions {
  /** Delay between the last edit and the analysis (default 200 ms; WRANGLER_TOKEN_LINT_DEBOUNCE_MS overrides). */
  debounceMs?: number;
  /** Server name and version for initialize. */
  version?: string;
}

/** The server's parts and what the client can do, shared by the handlers. */
interface ServerState {
  connection: Connection;
  engine: Engine;
  documents: TextDocuments<TextDocument>;
  disk: DiskHost;
  host: OverlayHost;
  folders: Folders;
  hcl: HclLoader;
  log(m: string): void;
  config?: Configuration;
  diagnostics?: Diagnostics;
  commands?: Commands;
  reviews?: Reviews;
  canRefreshLenses: boolean;
  canRefreshHints: boolean;
  canRegisterWatchers: boolean;
  canRegisterConfiguration: boolean;
  /** The fixed watcher globs and the files the analyses followed (when the client takes dynamic watchers). */
  watchers?: Watchers;
}

export function startServer(connection: Connection, engine: Engine, options: StartOptions = {}): void {
  const disk = new DiskHost();
  const log = (m: string): void => connection.console.log(m);
  const s: ServerState = {
    connection,
    engine,
    documents: new TextDocuments(TextDocument),
    disk,
    host: new OverlayHost(disk),
    folders: new Folders(),
    hcl: new HclLoader(log),
    log,
    canRefreshLenses: false,
    canRefreshHints: false,
    canRegisterWatchers: false,
    canRegisterConfiguration: false,
  };
  connection.onInitialize((params) => initialize(s, params, options));
  connection.onInitialized(() => initialized(s));
  syncDocuments(s);
  watchFilesAndSettings(s);
  serveRequests(s);
  connection.onShutdown(() => s.diagnostics?.dispose());
  s.documents.listen(connection);
  connection.listen();
}

/** Runs a handler, turning any throw into a log line and the fallback value. */
function guard<P, R>(s: ServerState, name: string, fallback: R, fn: (p: P) => R | Promise<R>): (p: P) => Promise<R> {
  return async (p: P) => {
    try {
      return await fn(p);
    } catch (err) {
      s.connection.console.error(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return fallback;
    }
  };
}

/** Reads the client's folders and capabilities, creates the analysis parts and answers with the server's capabilities. */
function initialize(s: ServerState, params: InitializeParams, options: StartOptions): InitializeResult {
  const { connection, folders, disk } = s;
  const caps = params.capabilities;
  for (const f of params.workspaceFolders ?? []) folders.add(f.uri);
  if (!params.workspaceFolders?.length && params.rootUri) folders.add(params.rootUri);
  s.canRefreshLenses = caps.workspace?.codeLens?.refreshSupport === true;
  s.canRefreshHints = caps.workspace?.inlayHint?.refreshSupport === true;
  s.canRegisterWatchers = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  // With watchers the client tells us about every change; without them, disk answers go stale after 2 s.
  if (s.canRegisterWatchers) {
    disk.ttlMs = Number.POSITIVE_INFINITY;
    s.watchers = new Watchers(
      connection,
      caps.workspace?.didChangeWatchedFiles?.relativePatternSupport === true,
      s.log,
    );
  }
  s.canRegisterConfiguration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  s.config = new Configuration(connection, caps.workspace?.configuration === true);
  const envDebounce = Number(process.env.WRANGLER_TOKEN_LINT_DEBOUNCE_MS);
  const diagnostics = new Diagnostics(connection, s.engine, s.host, folders, s.config, s.hcl, {
    debounceMs: options.debounceMs ?? (Number.isFinite(envDebounce) && envDebounce >= 0 ? envDebounce : 200),
  });
  s.diagnostics = diagnostics;
  const refreshLenses = (): void => {
    if (s.canRefreshLenses) void connection.sendRequest("workspace/codeLens/refresh").catch(() => undefined);
  };
  const reviews = new Reviews(connection, diagnostics, s.host, refreshLenses);
  s.reviews = reviews;
  diagnostics.marker = (root) => reviews.marker(root);
  diagnostics.onAnalyzed = (root) => {
    reviews.analysed(root);
    s.watchers?.follow(diagnostics.followedFiles());
    if (s.canRefreshLenses) void connection.sendRequest("workspace/codeLens/refresh").catch(() => undefined);
    if (s.canRefreshHints) void connection.sendRequest("workspace/inlayHint/refresh").catch(() => undefined);
  };
  s.commands = new Commands(connection, s.engine, diagnostics, s.host);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
      inlayHintProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      executeCommandProvider: { commands: COMMAND_IDS },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: "wrangler-token-lint", version: options.version },
  };
}

/** Registers settings and file watchers, follows folder changes and starts the first analysis of every folder. */
function initialized(s: ServerState): void {
  const { connection, folders } = s;
  const d = s.diagnostics!;
  if (s.canRegisterConfiguration)
    void connection.client
      .register(DidChangeConfigurationNotification.type, { section: "wranglerTokenLint" })
      .catch(() => undefined);
  s.watchers?.registerFixed();
  if (folders.all().length) {
    connection.workspace.onDidChangeWorkspaceFolders(
      guard(s, "workspace folders", undefined, (e) => {
        for (const f of e.removed) {
          const p = uriToPath(f.uri);
          folders.remove(f.uri);
          if (p) d.removeRoot(p);
        }
        for (const f of e.added) {
          folders.add(f.uri);
          const p = uriToPath(f.uri);
          if (p) d.schedule(p, 0);
        }
      }),
    );
  }
  // Loading starts now; each analysis waits for it (Terraform token files need the grammar).
  void s.hcl.load();
  for (const root of folders.all()) d.schedule(root, 0);
}

/** Open documents are the overlay Host's text; each change is analysed again. */
function syncDocuments(s: ServerState): void {
  const { documents, host } = s;
  documents.onDidOpen(
    guard(s, "didOpen", undefined, (e) => {
      const path = uriToPath(e.document.uri);
      if (!path) return;
      host.setDocument(path, e.document);
      s.diagnostics?.fileChanged(path, { opened: true });
    }),
  );
  documents.onDidChangeContent(
    guard(s, "didChange", undefined, (e) => {
      const path = uriToPath(e.document.uri);
      if (!path) return;
      host.setDocument(path, e.document);
      s.diagnostics?.fileChanged(path);
    }),
  );
  documents.onDidClose(
    guard(s, "didClose", undefined, (e) => {
      const path = uriToPath(e.document.uri);
      if (!path) return;
      host.removeDocument(path);
      s.diagnostics?.fileChanged(path); // the disk text counts again
      s.diagnostics?.documentClosed(path);
    }),
  );
}

function watchFilesAndSettings(s: ServerState): void {
  s.connection.onDidChangeWatchedFiles(
    guard(s, "didChangeWatchedFiles", undefined, (e) => {
      for (const c of e.changes) {
        const path = uriToPath(c.uri);
        if (path && !s.host.isOpen(path)) s.diagnostics?.fileChanged(path);
      }
    }),
  );
  s.connection.onDidChangeConfiguration(
    guard(s, "didChangeConfiguration", undefined, (e) => {
      s.config?.changed(e.settings);
      s.diagnostics?.refreshAll();
    }),
  );
}

/** Code actions, hovers, lenses, inlay hints, the permissions tree and commands. */
function serveRequests(s: ServerState): void {
  const { connection, host } = s;
  connection.onCodeAction(
    guard(s, "codeAction", [], async (p) => {
      if (!s.diagnostics) return [];
      const path = uriToPath(p.textDocument.uri);
      if (path) await s.diagnostics.settled(path);
      return codeActions(p, s.diagnostics, host);
    }),
  );
  connection.onHover(guard(s, "hover", null, (p) => (s.diagnostics ? hover(p, s.diagnostics, host) : null)));
  connection.onCodeLens(
    guard(s, "codeLens", [], (p) => {
      if (!s.diagnostics) return [];
      const path = uriToPath(p.textDocument.uri);
      return [...codeLenses(p, s.diagnostics, host), ...(path && s.reviews ? s.reviews.lenses(path) : [])];
    }),
  );
  connection.languages.inlayHint.on(
    guard(s, "inlayHint", [], (p) =>
      s.diagnostics
        ? inlayHints(p, s.diagnostics, host, (root) => s.diagnostics!.settingsOf(root)?.inlayHints !== false)
        : [],
    ),
  );
  serveTreeAndReview(s);
  connection.onExecuteCommand(async (p) => {
    try {
      return await s.commands?.execute(p);
    } catch (err) {
      connection.console.error(
        `executeCommand ${p.command} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      throw err; // the client shows the message
    }
  });
}

/** The permissions tree (with the Review section while a review is active) and the review requests. */
function serveTreeAndReview(s: ServerState): void {
  const { connection, host } = s;
  connection.onRequest(
    TREE_REQUEST,
    guard<TreeParams, TreeResult>(s, "tree", { sections: [] }, async (p) => {
      if (!s.diagnostics) return { sections: [] };
      const params = p ?? {};
      const r = await permissionsTree(params, s.diagnostics, host);
      const folder = params.folder ? uriToPath(params.folder) : undefined;
      const active = (s.reviews?.all() ?? []).filter((a) => !folder || a.root === folder);
      if (active.length && (!params.sections || params.sections.includes("review")))
        r.sections.unshift(reviewSection(active, active.length > 1));
      return r;
    }),
  );
  connection.onRequest(REVIEW_REQUEST, async (p: ReviewParams): Promise<ReviewResult> => {
    try {
      return s.reviews ? await s.reviews.start(p ?? { base: "" }) : { error: "the server is not initialised" };
    } catch (err) {
      connection.console.error(`review failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return { error: err instanceof Error ? err.message : String(err) };
    }
  });
  connection.onRequest(
    REVIEW_STOP_REQUEST,
    guard<{ folder?: string }, boolean>(s, "reviewStop", false, (p) => s.reviews?.stop(p?.folder) ?? false),
  );
}
