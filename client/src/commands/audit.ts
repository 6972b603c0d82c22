// "Wrangler Token Lint: Audit Live Token…": which token (id, name, or the reading token itself) and which CI
// secret holds it, then the token's details read from Cloudflare with GET requests made here in the extension
// host (the reading token goes nowhere else: not to the language server, not to a log), then the server's audit
// of the workspace, shown as a Markdown report. The reading token is asked for once and kept in VS Code's
// SecretStorage; *Forget Audit Reading Token* removes it. Refused in an untrusted workspace.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { SERVER_COMMANDS, type AuditReport, type AuditResult } from "../../../server/src/lsp/protocol";
import { DEFAULT_API_BASE, fetchLiveToken, type Lookup } from "../../../server/src/node/token-api";
import { serverCommand } from "./pick";
import { openUntitled } from "./generate-minimal-token";

/** The SecretStorage key of the reading token. */
export const READING_TOKEN_KEY = "wranglerTokenLint.audit.readingToken";
const LAST_KEY = "wranglerTokenLint.audit.last";
const HEX32 = /^[0-9a-f]{32}$/i;

/** Answers a test or another command may give instead of the prompts. */
export interface AuditPreset {
  folder?: string;
  tokenId?: string;
  tokenName?: string;
  self?: boolean;
  accountId?: string;
  secret?: string;
  /** Used (and kept in SecretStorage) instead of asking. */
  readingToken?: string;
}

export interface AuditOutcome {
  report: AuditReport;
  document: vscode.TextDocument;
}

interface Last {
  tokenId?: string;
  tokenName?: string;
  accountId?: string;
  secret?: string;
}

const hexInput = (v: string) => (v === "" || HEX32.test(v.trim()) ? undefined : "32 hexadecimal characters");

async function askLookup(
  preset: AuditPreset,
  last: Last,
): Promise<{ lookup: Lookup; accountId?: string; secret: string } | undefined> {
  let lookup: Lookup | undefined;
  if (preset.tokenId) lookup = { by: "id", id: preset.tokenId.toLowerCase() };
  else if (preset.tokenName) lookup = { by: "name", name: preset.tokenName };
  else if (preset.self) lookup = { by: "self" };
  else {
    const how = await vscode.window.showQuickPick(
      [
        { label: "By token id", by: "id" as const, description: "32 hex characters, not the token value" },
        { label: "By token name", by: "name" as const },
        {
          label: "The reading token itself",
          by: "self" as const,
          description: "when the CI token may read its own details",
        },
      ],
      { title: "Audit Live Token: which token?" },
    );
    if (!how) return undefined;
    if (how.by === "self") lookup = { by: "self" };
    else if (how.by === "id") {
      const id = await vscode.window.showInputBox({
        title: "Token id",
        value: last.tokenId,
        validateInput: (v) => (HEX32.test(v.trim()) ? undefined : "32 hexadecimal characters"),
        ignoreFocusOut: true,
      });
      if (!id) return undefined;
      lookup = { by: "id", id: id.trim().toLowerCase() };
    } else {
      const name = await vscode.window.showInputBox({
        title: "Token name (exact)",
        value: last.tokenName,
        ignoreFocusOut: true,
      });
      if (!name) return undefined;
      lookup = { by: "name", name };
    }
  }
  let accountId = preset.accountId;
  if (accountId === undefined && !preset.tokenId && !preset.tokenName && !preset.self) {
    accountId = await vscode.window.showInputBox({
      title: "Account id of an account-owned token",
      prompt: "Leave empty for a token owned by your user",
      value: last.accountId ?? "",
      validateInput: hexInput,
      ignoreFocusOut: true,
    });
    if (accountId === undefined) return undefined;
  }
  let secret = preset.secret;
  if (!secret && !preset.tokenId && !preset.tokenName && !preset.self) {
    secret = await vscode.window.showInputBox({
      title: "CI secret that holds this token",
      value: last.secret ?? "CLOUDFLARE_API_TOKEN",
      ignoreFocusOut: true,
    });
    if (secret === undefined) return undefined;
  }
  return {
    lookup,
    accountId: accountId?.trim() ? accountId.trim().toLowerCase() : undefined,
    secret: secret?.trim() || "CLOUDFLARE_API_TOKEN",
  };
}

async function readingToken(context: vscode.ExtensionContext, preset: AuditPreset): Promise<string | undefined> {
  if (preset.readingToken) {
    await context.secrets.store(READING_TOKEN_KEY, preset.readingToken.trim());
    return preset.readingToken.trim();
  }
  const stored = await context.secrets.get(READING_TOKEN_KEY);
  if (stored) return stored;
  const typed = await vscode.window.showInputBox({
    title: "Reading token (kept in VS Code's secret storage)",
    prompt:
      "A Cloudflare API token with API Tokens Read (user tokens) or Account API Tokens Read (account tokens). Sent only to the Cloudflare API.",
    password: true,
    ignoreFocusOut: true,
  });
  if (!typed?.trim()) return undefined;
  await context.secrets.store(READING_TOKEN_KEY, typed.trim());
  return typed.trim();
}

/** The API base: the machine-scoped setting, else CLOUDFLARE_API_BASE_URL, else Cloudflare's. */
function apiBase(): string {
  const set = vscode.workspace.getConfiguration("wranglerTokenLint").get<string>("audit.apiBaseUrl");
  return set?.trim() || process.env.CLOUDFLARE_API_BASE_URL || DEFAULT_API_BASE;
}

function folderUri(preset: AuditPreset): string | undefined {
  if (preset.folder) return preset.folder;
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.toString();
}

export async function auditLiveToken(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  preset: AuditPreset = {},
): Promise<AuditOutcome | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      "Audit Live Token is not available in Restricted Mode: trust the workspace first.",
    );
    return undefined;
  }
  const last = context.workspaceState.get<Last>(LAST_KEY) ?? {};
  const asked = await askLookup(preset, last);
  if (!asked) return undefined;
  const token = await readingToken(context, preset);
  if (!token) return undefined;
  const owner = asked.accountId ? "account" : "user";
  const got = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: "Reading the token from Cloudflare…" },
    () => fetchLiveToken({ base: apiBase(), token }, asked.lookup, { accountId: asked.accountId }),
  );
  if (!got.ok) {
    const rejected = /HTTP 40[01]\b|format/.test(got.message);
    const choice = await vscode.window.showErrorMessage(
      `Audit Live Token: ${got.message}`,
      ...(rejected ? ["Forget Reading Token"] : []),
    );
    if (choice) await context.secrets.delete(READING_TOKEN_KEY);
    return undefined;
  }
  await context.workspaceState.update(LAST_KEY, {
    tokenId: asked.lookup.by === "id" ? asked.lookup.id : last.tokenId,
    tokenName: asked.lookup.by === "name" ? asked.lookup.name : last.tokenName,
    accountId: asked.accountId,
    secret: asked.secret,
  });
  const result = await serverCommand<AuditResult>(client, SERVER_COMMANDS.auditLiveToken, {
    folder: folderUri(preset),
    token: got.result,
    owner: got.source.owner ?? owner,
    accountId: got.source.accountId,
    secret: asked.secret,
    requests: got.requests,
  });
  if ("error" in result) {
    void vscode.window.showErrorMessage(`Audit Live Token: ${result.error}`);
    return undefined;
  }
  const document = await openUntitled(result.markdown, "markdown", "live-token-audit.md");
  return { report: result.report, document };
}

export async function forgetReadingToken(context: vscode.ExtensionContext): Promise<void> {
  await context.secrets.delete(READING_TOKEN_KEY);
  void vscode.window.showInformationMessage("The audit reading token was removed from VS Code's secret storage.");
}
