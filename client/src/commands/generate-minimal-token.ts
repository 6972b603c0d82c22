// "Wrangler Token Lint: Generate Minimal Token…": config → environment → command → format, then the result in
// a new untitled editor, with Copy and Open Dashboard Link offered.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { SERVER_COMMANDS, type GenerateResult, type TokenFormat } from "../../../server/src/lsp/protocol";
import { pickCommand, pickConfig, pickEnvironment, serverCommand } from "./pick";

const FORMATS: { label: string; description: string; format: TokenFormat; language: string }[] = [
  { label: "API request body", description: "POST /user/tokens JSON", format: "api", language: "json" },
  { label: "Terraform", description: "cloudflare_api_token resource", format: "terraform", language: "terraform" },
  { label: "Dashboard link", description: "pre-filled token template URL", format: "url", language: "plaintext" },
  { label: "Analysis JSON", description: "requirements with reasons", format: "json", language: "json" },
  { label: "Text report", description: "each group and why it is needed", format: "text", language: "plaintext" },
];

/** Opens text in a new untitled editor, falling back to plain text when the language is not installed. */
export async function openUntitled(content: string, language: string): Promise<vscode.TextDocument> {
  let doc: vscode.TextDocument;
  const known = await vscode.languages.getLanguages();
  doc = await vscode.workspace.openTextDocument({ content, language: known.includes(language) ? language : "plaintext" });
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

export interface GenerateChoice {
  config: string;
  env: string;
  command: string;
  format: TokenFormat;
}

export async function generateMinimalToken(client: LanguageClient, preset?: Partial<GenerateChoice>): Promise<vscode.TextDocument | undefined> {
  const config = preset?.config ? { uri: preset.config, label: preset.config } : await pickConfig(client, false);
  if (!config) return undefined;
  const env = preset?.env ?? (await pickEnvironment(client, config));
  if (env === undefined) return undefined;
  const command = preset?.command ?? (await pickCommand());
  if (!command) return undefined;
  const format = preset?.format ?? (await vscode.window.showQuickPick(FORMATS, { title: "Output format" }))?.format;
  if (!format) return undefined;

  const args = { config: config.uri, env, command, format };
  const result = await serverCommand<GenerateResult>(client, SERVER_COMMANDS.generateMinimal, args);
  if ("error" in result) {
    void vscode.window.showErrorMessage(`Could not generate a token: ${result.error}`);
    return undefined;
  }
  const doc = await openUntitled(result.text, FORMATS.find((f) => f.format === format)!.language);
  void offerActions(client, args, result.text);
  return doc;
}

async function offerActions(client: LanguageClient, args: GenerateChoice, text: string): Promise<void> {
  const choice = await vscode.window.showInformationMessage("Minimal token generated.", "Copy", "Open Dashboard Link");
  if (choice === "Copy") {
    await vscode.env.clipboard.writeText(text);
  } else if (choice === "Open Dashboard Link") {
    const url = args.format === "url" ? text : await serverCommand<GenerateResult>(client, SERVER_COMMANDS.generateMinimal, { ...args, format: "url" }).then((r) => ("text" in r ? r.text : undefined));
    const link = url?.trim().split(/\s+/).find((s) => /^https:\/\//.test(s));
    if (link) await vscode.env.openExternal(vscode.Uri.parse(link));
    else void vscode.window.showWarningMessage("No dashboard link for this token.");
  }
}
