// "Wrangler Token Lint: Show Required Permissions": the Token Permissions view, with the deploys of the active
// config (or a picked one) revealed: each CI command or env that uses it, the groups it needs and why.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import type { PermissionsView } from "../view";
import { pickConfig } from "./pick";

/** Returns the ids of the nodes revealed (none: the view is shown as it is). */
export async function showRequiredPermissions(
  client: LanguageClient,
  view: PermissionsView,
  preset?: { config?: string },
): Promise<string[]> {
  const config = preset?.config ? { uri: preset.config, label: preset.config } : await pickConfig(client, true);
  if (!config) return [];
  view.refresh(0);
  const nodes = await view.deploysOf(config.uri);
  if (!nodes.length) {
    await view.reveal("section:deploys");
    void vscode.window.showInformationMessage(`No deploy of ${config.label} is known yet.`);
    return [];
  }
  for (const n of nodes.slice().reverse()) await view.reveal(n.id);
  return nodes.map((n) => n.id);
}
