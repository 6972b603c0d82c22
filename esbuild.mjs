// Bundles the three entry points: the VS Code client, the language server and the CLI.
import * as esbuild from "esbuild";
import { existsSync } from "node:fs";

const common = { bundle: true, platform: "node", format: "cjs", target: "node20", sourcemap: false, logLevel: "warning" };
const entries = [
  { entryPoints: ["client/src/extension.ts"], outfile: "client/out/extension.js", external: ["vscode"] },
  { entryPoints: ["server/src/server.ts"], outfile: "server/out/server.js" },
  { entryPoints: ["server/src/cli.ts"], outfile: "server/out/cli.js" },
].filter((e) => existsSync(e.entryPoints[0]));

await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
