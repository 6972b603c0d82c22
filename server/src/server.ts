// Language server entry. The transport comes from argv: --node-ipc (VS Code), --stdio (other editors) or
// --socket=<port>.
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { analyzeWorkspace, Database, RULES } from "./core/index.js";
import { startServer } from "./lsp/start.js";
import { generateMinimal, listEnvironments } from "./lsp/minimal.js";

// The server's workspace database: every analysis of every folder reads from it and keeps its results in it, so
// an edit re-derives only what the edited file feeds.
const db = new Database();

startServer(createConnection(ProposedFeatures.all), {
  analyzeWorkspace: (host, root, opts, deps) =>
    analyzeWorkspace(host, root, { ...opts, today: new Date().toISOString().slice(0, 10) }, { ...deps, db }),
  generateMinimal,
  listEnvironments,
  ruleIds: new Set(RULES.map((r) => r.id)),
  changed: (path, kind) => db.changed(path, kind),
  trustChanges: (on) => db.trustChanges(on),
  readPaths: () => db.readPaths(),
});
