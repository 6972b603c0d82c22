// "Wrangler Token Lint: Generate Minimal Token…": what the token is for (a CI job or step: the union of its
// wrangler commands; or one command of a config and environment), then the format, then the result in a new
// untitled editor with a real file name (minimal-token.tf / .json) and its language, with Copy and Open
// Dashboard Link offered.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import {
  SERVER_COMMANDS,
  type DeployInfo,
  type GenerateResult,
  type TokenFormat,
} from "../../../server/src/lsp/protocol";
import { pickCommand, pickConfig, pickEnvironment, serverCommand } from "./pick";

export const FORMATS: { label: string; description: string; format: TokenFormat; language: string; file: string }[] = [
  {
    label: "API request body",
    description: "JSON for POST /accounts/{account_id}/tokens (or /user/tokens)",
    format: "api",
    language: "json",
    file: "minimal-token.json",
  },
  {
    label: "Terraform",
    description:
      "cloudflare_account_token (cloudflare_api_token when a user-level group or a provider below v5 needs it)",
    format: "terraform",
    language: "terraform",
    file: "minimal-token.tf",
  },
  {
    label: "Dashboard link",
    description: "pre-filled token template URL",
    format: "url",
    language: "plaintext",
    file: "minimal-token-link.txt",
  },
  {
    label: "Analysis JSON",
    description: "requirements with reasons",
    format: "json",
    language: "json",
    file: "minimal-token-analysis.json",
  },
  {
    label: "Text report",
    description: "each group and why it is needed",
    format: "text",
    language: "plaintext",
    file: "minimal-token.txt",
  },
];

/** An untitled name not used by an open document: minimal-token.tf, minimal-token-2.tf, … */
function freeName(name: string): vscode.Uri {
  const open = new Set(vscode.workspace.textDocuments.filter((d) => d.isUntitled).map((d) => d.uri.path));
  const dot = name.indexOf(".");
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? name : `${name.slice(0, dot)}-${i}${name.slice(dot)}`;
    if (!open.has(candidate)) return vscode.Uri.from({ scheme: "untitled", path: candidate });
  }
}

/** Opens text in a new untitled editor named `name`, in `language` when it is installed (else plain text). */
export async function openUntitled(content: string, language: string, name?: string): Promise<vscode.TextDocument> {
  const known = await vscode.languages.getLanguages();
  const lang = known.includes(language) ? language : "plaintext";
  let doc: vscode.TextDocument;
  if (name) {
    doc = await vscode.workspace.openTextDocument(freeName(name));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), content);
    await vscode.workspace.applyEdit(edit);
    if (doc.languageId !== lang) doc = await vscode.languages.setTextDocumentLanguage(doc, lang);
  } else {
    doc = await vscode.workspace.openTextDocument({ content, language: lang });
  }
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

export interface GenerateChoice {
  config?: string;
  env?: string;
  command?: string;
  /** DeployInfo ids: a CI job's or step's commands. */
  deploys?: string[];
  /** A CI job label ("deploy.yml › deploy"): all its commands. */
  job?: string;
  format: TokenFormat;
}

type Target = { deploys: string[]; what: string } | { config: string; env: string; command: string; what: string };

/** The picker: CI jobs, then CI steps, then "one wrangler command…". */
async function pickTarget(client: LanguageClient): Promise<Target | "single" | undefined> {
  const deploys = await serverCommand<DeployInfo[]>(client, SERVER_COMMANDS.listDeploys, {});
  if (!deploys.length) return "single";
  type Item = vscode.QuickPickItem & { ids?: string[] };
  const items: Item[] = [{ label: "CI jobs", kind: vscode.QuickPickItemKind.Separator }];
  const jobs = new Map<string, DeployInfo[]>();
  for (const d of deploys) jobs.set(d.job, [...(jobs.get(d.job) ?? []), d]);
  for (const [job, list] of jobs)
    items.push({
      label: job,
      description: list.map((d) => `wrangler ${d.command}`).join(" + "),
      detail: `job: the union of its ${list.length} command${list.length === 1 ? "" : "s"}`,
      ids: list.map((d) => d.id),
    });
  items.push({ label: "CI steps", kind: vscode.QuickPickItemKind.Separator });
  for (const d of deploys)
    items.push({
      label: d.label,
      description: `wrangler ${d.command}${d.env ? ` (env ${d.env})` : ""}`,
      detail: d.config ? `config ${d.config}` : undefined,
      ids: [d.id],
    });
  items.push(
    { label: "", kind: vscode.QuickPickItemKind.Separator },
    { label: "One wrangler command…", description: "pick a config, environment and command" },
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: "Generate Minimal Token: for what?",
    placeHolder: "A CI job (all its wrangler commands), a step, or one command",
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  return picked.ids ? { deploys: picked.ids, what: picked.label } : "single";
}

async function pickSingle(client: LanguageClient, preset?: Partial<GenerateChoice>): Promise<Target | undefined> {
  const config = preset?.config ? { uri: preset.config, label: preset.config } : await pickConfig(client, false);
  if (!config) return undefined;
  const env = preset?.env ?? (await pickEnvironment(client, config));
  if (env === undefined) return undefined;
  const command = preset?.command ?? (await pickCommand());
  if (!command) return undefined;
  return { config: config.uri, env, command, what: `wrangler ${command}` };
}

async function target(client: LanguageClient, preset?: Partial<GenerateChoice>): Promise<Target | undefined> {
  if (preset?.deploys) return { deploys: preset.deploys, what: "CI" };
  if (preset?.job) {
    const all = await serverCommand<DeployInfo[]>(client, SERVER_COMMANDS.listDeploys, {});
    const ids = all.filter((d) => d.job === preset.job).map((d) => d.id);
    if (!ids.length) throw new Error(`no CI job ${preset.job} in the analysis`);
    return { deploys: ids, what: preset.job };
  }
  if (preset?.config || preset?.command) return pickSingle(client, preset);
  const t = await pickTarget(client);
  return t === "single" ? pickSingle(client, preset) : t;
}

export async function generateMinimalToken(
  client: LanguageClient,
  preset?: Partial<GenerateChoice>,
): Promise<vscode.TextDocument | undefined> {
  const t = await target(client, preset);
  if (!t) return undefined;
  const format =
    preset?.format ?? (await vscode.window.showQuickPick(FORMATS, { title: `Output format (${t.what})` }))?.format;
  if (!format) return undefined;
  const args =
    "deploys" in t ? { deploys: t.deploys, format } : { config: t.config, env: t.env, command: t.command, format };
  const result = await serverCommand<GenerateResult>(client, SERVER_COMMANDS.generateMinimal, args);
  if ("error" in result) {
    void vscode.window.showErrorMessage(`Could not generate a token: ${result.error}`);
    return undefined;
  }
  const f = FORMATS.find((x) => x.format === format)!;
  const doc = await openUntitled(result.text, f.language, f.file);
  void offerActions(client, args, result.text);
  return doc;
}

async function offerActions(
  client: LanguageClient,
  args: Record<string, unknown> & { format: TokenFormat },
  text: string,
): Promise<void> {
  const choice = await vscode.window.showInformationMessage("Minimal token generated.", "Copy", "Open Dashboard Link");
  if (choice === "Copy") {
    await vscode.env.clipboard.writeText(text);
  } else if (choice === "Open Dashboard Link") {
    const url =
      args.format === "url"
        ? text
        : await serverCommand<GenerateResult>(client, SERVER_COMMANDS.generateMinimal, { ...args, format: "url" }).then(
            (r) => ("text" in r ? r.text : undefined),
          );
    const link = url
      ?.trim()
      .split(/\s+/)
      .find((s) => /^https:\/\//.test(s));
    if (link) await vscode.env.openExternal(vscode.Uri.parse(link));
    else void vscode.window.showWarningMessage("No dashboard link for this token.");
  }
}
