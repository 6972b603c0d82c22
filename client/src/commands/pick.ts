// Pickers shared by the commands: which wrangler config, which environment, which command. Each returns
// undefined when the user cancels.
import * as vscode from "vscode";
import { ExecuteCommandRequest, type LanguageClient } from "vscode-languageclient/node";
import { SERVER_COMMANDS, type ConfigInfo } from "../../../server/src/lsp/protocol";
import { fileKind } from "../../../server/src/core/files";

export function serverCommand<T>(client: LanguageClient, command: string, arg: unknown): Promise<T> {
  return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [arg] }) as Promise<T>;
}

/** The active editor's config when it is one; otherwise a pick among the analysed configs (skipped when there is one). */
export async function pickConfig(client: LanguageClient, preferActive: boolean): Promise<ConfigInfo | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (preferActive && active?.scheme === "file" && fileKind(active.path) === "config") {
    return { uri: active.toString(), label: vscode.workspace.asRelativePath(active) };
  }
  const configs = await serverCommand<ConfigInfo[]>(client, SERVER_COMMANDS.listConfigs, {});
  if (!configs.length) {
    void vscode.window.showWarningMessage(
      "No wrangler config (wrangler.toml, wrangler.json, wrangler.jsonc or a wrangler.<name>.toml variant) found in this workspace.",
    );
    return undefined;
  }
  if (configs.length === 1) return configs[0];
  const picked = await vscode.window.showQuickPick(
    configs.map((c) => ({ label: c.label, config: c })),
    { title: "Wrangler config", placeHolder: "Which Worker's config?" },
  );
  return picked?.config;
}

/** "" is the top level (no --env). */
export async function pickEnvironment(client: LanguageClient, config: ConfigInfo): Promise<string | undefined> {
  const envs = await serverCommand<string[]>(client, SERVER_COMMANDS.listEnvironments, { config: config.uri });
  if (!envs.length) return "";
  const picked = await vscode.window.showQuickPick(
    [
      { label: "(top level)", description: "no --env", env: "" },
      ...envs.map((e) => ({ label: e, description: `--env ${e}`, env: e })),
    ],
    { title: "Environment", placeHolder: `Environment of ${config.label}` },
  );
  return picked?.env;
}

const COMMANDS = [
  { label: "deploy", description: "wrangler deploy" },
  { label: "versions upload", description: "wrangler versions upload" },
  { label: "versions deploy", description: "wrangler versions deploy" },
  { label: "secret put", description: "wrangler secret put NAME" },
];

export async function pickCommand(): Promise<string | undefined> {
  const other = { label: "Other…", description: "type a wrangler command" };
  const picked = await vscode.window.showQuickPick([...COMMANDS, other], {
    title: "Wrangler command",
    placeHolder: "The command the token runs",
  });
  if (!picked) return undefined;
  if (picked !== other) return picked.label;
  const typed = await vscode.window.showInputBox({
    title: "Wrangler command",
    prompt: "Without the leading 'wrangler', e.g. d1 migrations apply DB --remote",
  });
  return typed?.trim().replace(/^(npx\s+)?wrangler\s+/, "") || undefined;
}
