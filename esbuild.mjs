// Bundles the three entry points: the VS Code client, the language server and the CLI.
import * as esbuild from "esbuild";
import { existsSync } from "node:fs";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";

const { version } = JSON.parse(readFileSync("package.json", "utf8"));

// mainFields: prefer ESM builds (jsonc-parser's UMD build hides its requires from the bundler).
const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: false,
  logLevel: "warning",
  mainFields: ["module", "main"],
  define: { __WTL_VERSION__: JSON.stringify(version) },
  // yaml's Node build reads process.env.LOG_TOKENS / LOG_STREAM for every token it parses (a getenv each: about a
  // third of its parse time); its browser build is the same code without those debug hooks. See README, design notes.
  alias: { yaml: "./node_modules/yaml/browser/index.js" },
};
const entries = [
  { entryPoints: ["client/src/extension.ts"], outfile: "client/out/extension.js", external: ["vscode"] },
  { entryPoints: ["server/src/server.ts"], outfile: "server/out/server.js" },
  { entryPoints: ["server/src/cli.ts"], outfile: "server/out/cli.js" },
].filter((e) => existsSync(e.entryPoints[0]));

await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));

// The HCL reader loads its WebAssembly (web-tree-sitter's runtime and the Terraform grammar) from next to the
// bundles (server/src/cli/hcl-wasm.ts).
mkdirSync("server/out", { recursive: true });
for (const [from, name] of [
  ["node_modules/web-tree-sitter/web-tree-sitter.wasm", "web-tree-sitter.wasm"],
  ["node_modules/@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm", "tree-sitter-terraform.wasm"],
])
  copyFileSync(from, `server/out/${name}`);
