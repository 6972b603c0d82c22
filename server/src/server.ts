// Language server entry. The transport comes from argv: --node-ipc (VS Code), --stdio (other editors) or
// --socket=<port>.
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { analyzeWorkspace } from "./core/index.js";
import { RULES } from "./core/index.js";
import { startServer } from "./lsp/start.js";
import { generateMinimal, listEnvironments } from "./lsp/minimal.js";

startServer(createConnection(ProposedFeatures.all), {
  analyzeWorkspace: (host, root, opts, deps) => analyzeWorkspace(host, root, { ...opts, today: new Date().toISOString().slice(0, 10) }, deps),
  generateMinimal,
  listEnvironments,
  ruleIds: new Set(RULES.map((r) => r.id)),
});
