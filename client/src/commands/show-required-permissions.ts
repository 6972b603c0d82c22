// "Wrangler Token Lint: Show Required Permissions": the text report (each permission group and why) for the
// active config, or a picked one, beside the editor.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { SERVER_COMMANDS, type GenerateResult } from "../../../server/src/lsp/protocol";
import { pickConfig, pickEnvironment, serverCommand } from "./pick";

export async function showRequiredPermissions(client: LanguageClient, preset?: { config?: string; env?: string; command?: string }): Promise<vscode.TextDocument | undefined> {
  const config = preset?.config ? { uri: preset.config, label: preset.config } : await pickConfig(client, true);
  if (!config) return undefined;
  const env = preset?.env ?? (await pickEnvironment(client, config));
  if (env === undefined) return undefined;
  const result = await serverCommand<GenerateResult>(client, SERVER_COMMANDS.generateMinimal, { config: config.uri, env, command: preset?.command ?? "deploy", format: "text" });
  if ("error" in result) {
    void vscode.window.showErrorMessage(`Could not compute the permissions: ${result.error}`);
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument({ content: result.text, language: "plaintext" });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  return doc;
}
