// A small LSP client for tests and the benchmark: spawns the bundled server over stdio and speaks JSON-RPC.
// The server is bundled from server/src/server.ts with the build's esbuild options into a per-process file
// (so concurrent test files never read a half-written bundle), unless WTL_LSP_SERVER names a built server.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from "vscode-jsonrpc/node";
import type { Diagnostic, InitializeResult, WorkspaceEdit } from "vscode-languageserver-protocol";

export const REPO = join(__dirname, "..", "..");
export const uri = (path: string): string => pathToFileURL(path).href;

let built: Promise<string> | undefined;

/** Path of a server bundle built from the current sources (once per process). */
export function serverBundle(): Promise<string> {
  if (process.env.WTL_LSP_SERVER) return Promise.resolve(process.env.WTL_LSP_SERVER);
  return (built ??= (async () => {
    const dir = join(REPO, "test-output", "lsp-server");
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, `server-${process.pid}.js`);
    await esbuild.build({
      entryPoints: [join(REPO, "server/src/server.ts")],
      outfile,
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      logLevel: "error",
      mainFields: ["module", "main"],
    });
    process.once("exit", () => rmSync(outfile, { force: true }));
    return outfile;
  })());
}

export interface ClientOptions {
  /** Settings answered for workspace/configuration (the wranglerTokenLint section). */
  settings?: Record<string, unknown>;
  /** Extra environment for the server process. */
  env?: Record<string, string>;
}

export class LspClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly statuses: unknown[] = [];
  readonly appliedEdits: WorkspaceEdit[] = [];
  readonly logs: string[] = [];
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  settings: Record<string, unknown>;
  initializeResult: InitializeResult | undefined;
  private readonly waiters = new Set<() => void>();
  private versions = new Map<string, number>();

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: MessageConnection,
    readonly root: string,
    opts: ClientOptions,
  ) {
    this.settings = opts.settings ?? {};
  }

  static async start(root: string, opts: ClientOptions = {}): Promise<LspClient> {
    const server = await serverBundle();
    const proc = spawn(process.execPath, [server, "--stdio"], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, WRANGLER_TOKEN_LINT_DEBOUNCE_MS: "20", ...opts.env },
    });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new LspClient(proc, conn, root, opts);
    proc.stderr!.on("data", (d: Buffer) => client.logs.push(d.toString()));
    proc.on("exit", (code) => {
      client.logs.push(`server exited with code ${code}`);
      client.wake();
    });
    conn.onNotification("textDocument/publishDiagnostics", (p: { uri: string; diagnostics: Diagnostic[] }) => {
      client.diagnostics.set(p.uri, p.diagnostics);
      client.wake();
    });
    conn.onNotification("wranglerTokenLint/status", (p: unknown) => {
      client.statuses.push(p);
      client.wake();
    });
    conn.onNotification("window/logMessage", (p: { message: string }) => {
      client.logs.push(p.message);
    });
    conn.onRequest("workspace/configuration", (p: { items: { section?: string }[] }) =>
      p.items.map(() => client.settings),
    );
    conn.onRequest(
      "client/registerCapability",
      (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
        client.registrations.push(...p.registrations);
        client.wake();
        return null;
      },
    );
    conn.onRequest("workspace/codeLens/refresh", () => null);
    conn.onRequest("workspace/applyEdit", (p: { edit: WorkspaceEdit }) => {
      client.appliedEdits.push(p.edit);
      return { applied: true };
    });
    conn.listen();
    client.initializeResult = (await conn.sendRequest("initialize", {
      processId: process.pid,
      rootUri: uri(root),
      workspaceFolders: [{ uri: uri(root), name: "ws" }],
      capabilities: {
        workspace: {
          configuration: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          codeLens: { refreshSupport: true },
          workspaceFolders: true,
          applyEdit: true,
        },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix", "source.fixAll"] } } },
          hover: { contentFormat: ["markdown"] },
        },
      },
    })) as InitializeResult;
    await conn.sendNotification("initialized", {});
    return client;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolves when `check` returns a value (re-checked on every notification), rejects after `timeoutMs`. */
  waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 15000): Promise<T> {
    return new Promise((resolve, reject) => {
      const tryIt = (): boolean => {
        const v = check();
        if (v === undefined) return false;
        this.waiters.delete(tick);
        clearTimeout(timer);
        resolve(v);
        return true;
      };
      const tick = (): void => void tryIt();
      const timer = setTimeout(() => {
        this.waiters.delete(tick);
        reject(new Error(`timed out waiting for ${what}; server log:\n${this.logs.join("\n")}`));
      }, timeoutMs);
      if (!tryIt()) this.waiters.add(tick);
    });
  }

  /** Waits for a publishDiagnostics for `path` that satisfies `pred`. */
  waitForDiagnostics(
    path: string,
    pred: (d: Diagnostic[]) => boolean = (d) => d.length > 0,
    timeoutMs?: number,
  ): Promise<Diagnostic[]> {
    return this.waitFor(
      `diagnostics for ${path}`,
      () => {
        const d = this.diagnostics.get(uri(path));
        return d && pred(d) ? d : undefined;
      },
      timeoutMs,
    );
  }

  async open(path: string, languageId: string, text = readFileSync(path, "utf8")): Promise<void> {
    this.versions.set(path, 1);
    await this.conn.sendNotification("textDocument/didOpen", {
      textDocument: { uri: uri(path), languageId, version: 1, text },
    });
  }

  async change(path: string, text: string): Promise<void> {
    const v = (this.versions.get(path) ?? 1) + 1;
    this.versions.set(path, v);
    await this.conn.sendNotification("textDocument/didChange", {
      textDocument: { uri: uri(path), version: v },
      contentChanges: [{ text }],
    });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest("shutdown"), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification("exit");
    } catch {
      // already gone
    }
    this.conn.dispose();
    await new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.proc.kill();
        resolve();
      }, 2000);
      this.proc.once("exit", () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

/** Applies LSP text edits (one file) to a text; edits must not overlap. */
export function applyEdits(
  text: string,
  edits: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    newText: string;
  }[],
): string {
  // As a strict client reads positions: lines end at "\r\n", "\n" or "\r"; a column must lie on its line.
  const starts = [0];
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "\n" && text[i] !== "\r") continue;
    ends.push(i);
    if (text[i] === "\r" && text[i + 1] === "\n") i++;
    starts.push(i + 1);
  }
  ends.push(text.length);
  const off = (p: { line: number; character: number }): number => {
    if (p.line >= starts.length) throw new Error(`edit at line ${p.line}: the text has ${starts.length} lines`);
    const length = ends[p.line]! - starts[p.line]!;
    if (p.character > length) throw new Error(`edit at ${p.line}:${p.character} on a ${length}-character line`);
    return starts[p.line]! + p.character;
  };
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}
