// Shared set-up for the token tests: one HCL parser per test process, the shared corpus location.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { nodeHclParser } from "../../server/src/node/hcl-wasm.js";
import type { HclParser } from "../../server/src/core/tokens/hcl.js";

export function hclParser(): Promise<HclParser> {
  return nodeHclParser();
}

export const FIXTURES = join(__dirname, "..", "fixtures", "tokens");

/** The team's shared corpus, next to the repository (../shared/corpus from the repository root). */
export function corpusDir(): string {
  const dir = join(__dirname, "..", "..", "..", "shared", "corpus");
  if (!existsSync(dir)) throw new Error(`shared corpus not found at ${dir}`);
  return dir;
}

/** Files under dir whose names end with one of the extensions (recursive, skipping node_modules and .git). */
export function filesUnder(dir: string, exts: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name === "node_modules" || name === ".git") continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (exts.some((e) => name.endsWith(e))) out.push(p);
    }
  };
  walk(dir);
  return out;
}
