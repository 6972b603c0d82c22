// Creates the language client: the bundled server (server/out/server.js) over node IPC, for wrangler configs,
// CI workflows and token definition files (client/src/selector.ts).
import * as vscode from "vscode";
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import { DOCUMENT_SELECTOR } from "./selector";

export const CLIENT_ID = "wranglerTokenLint"; // also the settings prefix: wranglerTokenLint.trace.server
export const CLIENT_NAME = "Wrangler Token Lint";

export { DOCUMENT_SELECTOR };

export function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath("server/out/server.js");
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    // --inspect lets a debugger attach to the server when the extension runs in development mode.
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6019"] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    diagnosticCollectionName: "wrangler-token-lint",
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}
