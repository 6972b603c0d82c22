// A reduced engine the server runs until the core workspace facade is wired: it finds wrangler configs under
// the root and reports their parse problems as findings. No permissions, hovers or lenses.
import type { Host } from "../core/host.js";
import type { Finding } from "../core/findings.js";
import { join } from "../core/path.js";
import { parseConfigText } from "../core/parse/index.js";
import type { Engine, EngineResult } from "./engine.js";

const SKIP = new Set(["node_modules", ".git", ".wrangler", "dist"]);

function configsUnder(host: Host, root: string, depth = 0, out: string[] = []): string[] {
  if (depth > 6) return out;
  for (const e of host.readDirectory(root)) {
    if (e.isDirectory) {
      if (!SKIP.has(e.name)) configsUnder(host, join(root, e.name), depth + 1, out);
    } else if (/^wrangler\.(toml|json|jsonc)$/.test(e.name)) out.push(join(root, e.name));
  }
  return out;
}

export const parseOnlyEngine: Engine = {
  analyzeWorkspace(host, root): EngineResult {
    const files = configsUnder(host, root);
    const findings: Finding[] = [];
    for (const file of files) {
      const text = host.readFile(file);
      if (text === undefined) continue;
      for (const p of parseConfigText(file, text).problems) {
        findings.push({ rule: p.code, severity: p.severity, message: p.message, location: { file, span: p.span }, related: [], fixes: [] });
      }
    }
    return { findings, summary: { configs: files.length, deploys: 0, tokens: 0 }, hover: () => undefined, lenses: () => [], files };
  },
  generateMinimal: () => ({ error: "Token generation is not available in this build." }),
  listEnvironments: () => [],
};
