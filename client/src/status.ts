// The language status item: "N configs · M deploys · K tokens" from the server's status notification,
// summed over workspace folders.
import * as vscode from "vscode";
import type { StatusParams } from "../../server/src/lsp/protocol";
import { CLIENT_COMMANDS } from "../../server/src/lsp/protocol";
import { DOCUMENT_SELECTOR } from "./client";

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The status text for the summed counts. */
export function statusText(s: { configs: number; deploys: number; tokens: number }): string {
  return `${plural(s.configs, "config", "configs")} · ${plural(s.deploys, "deploy", "deploys")} · ${plural(s.tokens, "token", "tokens")}`;
}

export class Status implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly perFolder = new Map<string, StatusParams>();

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem("wranglerTokenLint.status", DOCUMENT_SELECTOR);
    this.item.name = "Wrangler Token Lint";
    this.item.text = "$(sync~spin) Analysing…";
    this.item.command = { title: "Generate Minimal Token…", command: CLIENT_COMMANDS.generateMinimalToken };
  }

  update(p: StatusParams): void {
    this.perFolder.set(p.folder, p);
    const all = [...this.perFolder.values()];
    const sum = { configs: 0, deploys: 0, tokens: 0, findings: 0 };
    for (const s of all) {
      sum.configs += s.configs;
      sum.deploys += s.deploys;
      sum.tokens += s.tokens;
      sum.findings += s.findings;
    }
    const failed = all.find((s) => s.error);
    this.item.text = statusText(sum);
    this.item.detail = failed ? `Analysis failed: ${failed.error}` : plural(sum.findings, "finding", "findings");
    this.item.severity = failed ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
  }

  stopped(): void {
    this.perFolder.clear();
    this.item.text = "Server stopped";
    this.item.detail = undefined;
    this.item.severity = vscode.LanguageStatusSeverity.Warning;
  }

  dispose(): void {
    this.item.dispose();
  }
}
