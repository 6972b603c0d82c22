// Extension entry: starts the language client, registers the commands, and shows the analysis status.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import {
  BASE_FILE_REQUEST,
  CLIENT_COMMANDS,
  REVIEW_CHANGED_NOTIFICATION,
  STATUS_NOTIFICATION,
  type BaseFileParams,
  type StatusParams,
  type TokenFormat,
} from "../../server/src/lsp/protocol";
import { baseFileText, reviewChanges, stopReview } from "./commands/review";
import { createClient, CLIENT_NAME } from "./client";
import { Status } from "./status";
import { generateMinimalToken } from "./commands/generate-minimal-token";
import { showRequiredPermissions } from "./commands/show-required-permissions";
import {
  auditLiveToken,
  forgetReadingToken,
  READING_TOKEN_KEY,
  type AuditOutcome,
  type AuditPreset,
} from "./commands/audit";
import type { AuditReport, TreeSection } from "../../server/src/lsp/protocol";
import { PermissionsView, VIEW_ID, type ViewNode } from "./view";

let client: LanguageClient | undefined;

/** What activate returns, for the extension tests. */
export interface ExtensionApi {
  client(): LanguageClient | undefined;
  /** Resolves once the server is running. */
  ready(): Promise<void>;
  /** The last audit's report (the data a Token Permissions view can show). */
  lastAudit(): AuditReport | undefined;
  /** Whether a reading token is kept in SecretStorage (never the value). */
  hasReadingToken(): Promise<boolean>;
  /** The Token Permissions view's sections as shown (server sections, then the last audit). */
  viewSections(): Promise<TreeSection[]>;
  /** The ids of the view's selected nodes. */
  viewSelection(): string[];
}

/** A command argument from a code lens or a test: config given as a file path or URI. */
interface Preset {
  config?: string;
  env?: string;
  command?: string;
  format?: TokenFormat;
  deploys?: string[];
  job?: string;
}

function preset(arg: unknown): Preset | undefined {
  if (typeof arg !== "object" || arg === null) return undefined;
  const p = { ...(arg as Preset) };
  if (p.config && !/^[a-z][a-z0-9+.-]*:/i.test(p.config)) p.config = vscode.Uri.file(p.config).toString();
  return p;
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  const status = new Status();
  context.subscriptions.push(output, status);
  let starting: Promise<void> = Promise.resolve();
  let lastAudit: AuditReport | undefined;
  const view = new PermissionsView(
    () => client,
    () => lastAudit,
  );
  context.subscriptions.push(view);

  const start = async (): Promise<void> => {
    const c = createClient(context, output);
    client = c;
    c.onNotification(STATUS_NOTIFICATION, (p: StatusParams) => {
      status.update(p);
      view.refresh();
    });
    c.onNotification(REVIEW_CHANGED_NOTIFICATION, () => view.refresh());
    c.onRequest(BASE_FILE_REQUEST, (p: BaseFileParams) => baseFileText(p));
    await c.start();
  };
  const running = async (): Promise<LanguageClient> => {
    await starting;
    if (!client) throw new Error("The Wrangler Token Lint server is not running.");
    return client;
  };
  const report = (what: string) => (err: unknown) => {
    output.error(`${what} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    void vscode.window.showErrorMessage(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
  };

  const restart = async (): Promise<void> => {
    await starting.catch(() => undefined);
    starting = (async () => {
      const old = client;
      client = undefined;
      status.stopped();
      await old?.stop().catch(() => undefined);
      await start();
    })();
    await starting.catch(report("Restart Server"));
  };
  const audited = (r: AuditReport): void => {
    lastAudit = r;
    view.refresh(0);
  };
  context.subscriptions.push(...registerCommands(context, { view, running, report, restart, audited }), {
    dispose: () => void client?.stop(),
  });

  // wranglerTokenLint.enable is per folder (resource scope), so the server always runs and checks it per folder.
  starting = start();
  starting.catch(report("Starting the language server"));
  return {
    client: () => client,
    ready: () => starting,
    lastAudit: () => lastAudit,
    hasReadingToken: async () => (await context.secrets.get(READING_TOKEN_KEY)) !== undefined,
    viewSections: () => view.sections(),
    viewSelection: () => view.tree.selection.map((v) => v.node.id),
  };
}

/** What the commands need from the running extension. */
interface CommandContext {
  view: PermissionsView;
  running(): Promise<LanguageClient>;
  report(what: string): (err: unknown) => void;
  restart(): Promise<void>;
  audited(report: AuditReport): void;
}

function registerCommands(context: vscode.ExtensionContext, x: CommandContext): vscode.Disposable[] {
  const { view, running, report } = x;
  return [
    vscode.commands.registerCommand(CLIENT_COMMANDS.generateMinimalToken, (arg?: unknown) =>
      running()
        .then((c) => generateMinimalToken(c, preset(arg)))
        .catch(report("Generate Minimal Token")),
    ),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showRequiredPermissions, (arg?: unknown) =>
      running()
        .then((c) => showRequiredPermissions(c, view, preset(arg)))
        .catch(report("Show Required Permissions")),
    ),
    vscode.commands.registerCommand(CLIENT_COMMANDS.revealInView, (arg?: { id?: string }) =>
      running()
        .then(() => (arg?.id ? view.reveal(arg.id) : view.reveal("section:tokens")))
        .catch(report("Token Permissions")),
    ),
    vscode.commands.registerCommand(CLIENT_COMMANDS.reviewChanges, (arg?: unknown) =>
      running()
        .then((c) =>
          reviewChanges(
            c,
            () => vscode.commands.executeCommand(`${VIEW_ID}.focus`),
            () => view.refresh(0),
            typeof arg === "object" && arg !== null ? (arg as { base?: string }) : undefined,
          ),
        )
        .catch(report("Review Token Permission Changes")),
    ),
    vscode.commands.registerCommand(CLIENT_COMMANDS.stopReview, () =>
      running()
        .then((c) => stopReview(c))
        .then(() => view.refresh(0))
        .catch(report("Stop Review")),
    ),
    vscode.commands.registerCommand("wranglerTokenLint.refreshView", () => view.refresh(0)),
    vscode.commands.registerCommand("wranglerTokenLint.generateForNode", (v?: ViewNode) => {
      const n = v?.node;
      if (!n) return undefined;
      // A CI command by its node id (its job's other commands are the job's own entry in the picker); a config by its env.
      const p: Preset =
        n.kind === "deploy"
          ? { deploys: [n.id] }
          : { config: n.data?.config, env: n.data?.env ?? "", command: n.data?.command ?? "deploy" };
      return running()
        .then((c) => generateMinimalToken(c, p))
        .catch(report("Generate Minimal Token"));
    }),
    vscode.commands.registerCommand(CLIENT_COMMANDS.auditLiveToken, (arg?: unknown) =>
      running()
        .then((c) => auditLiveToken(context, c, typeof arg === "object" && arg !== null ? (arg as AuditPreset) : {}))
        .then((r: AuditOutcome | undefined) => {
          if (r) x.audited(r.report);
          return r;
        })
        .catch(report("Audit Live Token")),
    ),
    vscode.commands.registerCommand(CLIENT_COMMANDS.forgetReadingToken, () =>
      forgetReadingToken(context).catch(report("Forget Audit Reading Token")),
    ),
    vscode.commands.registerCommand(CLIENT_COMMANDS.restartServer, () => x.restart()),
  ];
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
