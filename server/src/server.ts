// Language server entry. The transport comes from argv: --node-ipc (VS Code), --stdio (other editors) or
// --socket=<port>.
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { startServer } from "./lsp/start.js";
import { parseOnlyEngine } from "./lsp/parse-engine.js";

startServer(createConnection(ProposedFeatures.all), parseOnlyEngine);
