// Wires the language server: capabilities, document sync into the overlay Host, settings, file watching, and
// the request handlers. Every handler catches its own errors and logs them: bad input never ends the server.
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
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
import { TREE_REQUEST, type TreeParams, type TreeResult } from "./protocol.js";
import { HclLoader } from "./hcl.js";
import { Folders, OverlayHost, WATCH_GLOBS } from "./workspace.js";
import { DiskHost } from "../node/disk-host.js";
import { uriToPath } from "./convert.js";

export interface StartOptions {
  /** Delay between the last edit and the analysis (default 200 ms; WRANGLER_TOKEN_LINT_DEBOUNCE_MS overrides). */
  debounceMs?: number;
  /** Server name and version for initialize. */
  version?: string;
}

export function startServer(connection: Connection, engine: Engine, options: StartOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const disk = new DiskHost();
  const host = new OverlayHost(disk);
  const folders = new Folders();
  const log = (m: string): void => connection.console.log(m);
  const hcl = new HclLoader(log);
  let config: Configuration | undefined;
  let diagnostics: Diagnostics | undefined;
  let commands: Commands | undefined;
  let canRefreshLenses = false;
  let canRefreshHints = false;
  let canRegisterWatchers = false;
  let canRegisterConfiguration = false;

  /** Runs a handler, turning any throw into a log line and the fallback value. */
  function guard<P, R>(name: string, fallback: R, fn: (p: P) => R | Promise<R>): (p: P) => Promise<R> {
    return async (p: P) => {
      try {
        return await fn(p);
      } catch (err) {
        connection.console.error(`${name} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        return fallback;
      }
    };
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    for (const f of params.workspaceFolders ?? []) folders.add(f.uri);
    if (!params.workspaceFolders?.length && params.rootUri) folders.add(params.rootUri);
    canRefreshLenses = caps.workspace?.codeLens?.refreshSupport === true;
    canRefreshHints = caps.workspace?.inlayHint?.refreshSupport === true;
    canRegisterWatchers = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    // With watchers the client tells us about every change; without them, disk answers go stale after 2 s.
    if (canRegisterWatchers) disk.ttlMs = Number.POSITIVE_INFINITY;
    canRegisterConfiguration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    config = new Configuration(connection, caps.workspace?.configuration === true);
    const envDebounce = Number(process.env.WRANGLER_TOKEN_LINT_DEBOUNCE_MS);
    diagnostics = new Diagnostics(connection, engine, host, folders, config, () => hcl.get(), {
      debounceMs: options.debounceMs ?? (Number.isFinite(envDebounce) && envDebounce >= 0 ? envDebounce : 200),
    });
    diagnostics.onAnalyzed = () => {
      if (canRefreshLenses) void connection.sendRequest("workspace/codeLens/refresh").catch(() => undefined);
      if (canRefreshHints) void connection.sendRequest("workspace/inlayHint/refresh").catch(() => undefined);
    };
    commands = new Commands(connection, engine, diagnostics, host);
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
  });

  connection.onInitialized(() => {
    const d = diagnostics!;
    if (canRegisterConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: "wranglerTokenLint" }).catch(() => undefined);
    if (canRegisterWatchers) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: WATCH_GLOBS.map((globPattern) => ({ globPattern })) })
        .catch((err: unknown) => log(`could not register file watchers: ${String(err)}`));
    }
    if (folders.all().length) {
      connection.workspace.onDidChangeWorkspaceFolders(
        guard("workspace folders", undefined, (e) => {
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
    for (const root of folders.all()) d.schedule(root, 0);
    // Terraform token files need the grammar; analyse again once it is loaded.
    void hcl.load().then((parser) => {
      if (parser) d.refreshAll();
    });
  });

  documents.onDidOpen(
    guard("didOpen", undefined, (e) => {
      const path = uriToPath(e.document.uri);
      if (!path) return;
      host.setDocument(path, e.document);
      diagnostics?.fileChanged(path, { opened: true });
    }),
  );
  documents.onDidChangeContent(
    guard("didChange", undefined, (e) => {
      const path = uriToPath(e.document.uri);
      if (!path) return;
      host.setDocument(path, e.document);
      diagnostics?.fileChanged(path);
    }),
  );
  documents.onDidClose(
    guard("didClose", undefined, (e) => {
      const path = uriToPath(e.document.uri);
      if (!path) return;
      host.removeDocument(path);
      diagnostics?.fileChanged(path); // the disk text counts again
      diagnostics?.documentClosed(path);
    }),
  );

  connection.onDidChangeWatchedFiles(
    guard("didChangeWatchedFiles", undefined, (e) => {
      for (const c of e.changes) {
        const path = uriToPath(c.uri);
        if (path && !host.isOpen(path)) diagnostics?.fileChanged(path);
      }
    }),
  );
  connection.onDidChangeConfiguration(
    guard("didChangeConfiguration", undefined, (e) => {
      config?.changed(e.settings);
      diagnostics?.refreshAll();
    }),
  );

  connection.onCodeAction(guard("codeAction", [], (p) => (diagnostics ? codeActions(p, diagnostics, host) : [])));
  connection.onHover(guard("hover", null, (p) => (diagnostics ? hover(p, diagnostics, host) : null)));
  connection.onCodeLens(guard("codeLens", [], (p) => (diagnostics ? codeLenses(p, diagnostics, host) : [])));
  connection.languages.inlayHint.on(
    guard("inlayHint", [], (p) => (diagnostics ? inlayHints(p, diagnostics, host, (root) => diagnostics!.settingsOf(root)?.inlayHints !== false) : [])),
  );
  connection.onRequest(TREE_REQUEST, guard<TreeParams, TreeResult>("tree", { sections: [] }, (p) => (diagnostics ? permissionsTree(p ?? {}, diagnostics, host) : { sections: [] })));
  connection.onExecuteCommand(
    async (p) => {
      try {
        return await commands?.execute(p);
      } catch (err) {
        connection.console.error(`executeCommand ${p.command} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        throw err; // the client shows the message
      }
    },
  );
  connection.onShutdown(() => diagnostics?.dispose());

  documents.listen(connection);
  connection.listen();
}
