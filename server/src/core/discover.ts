// Finds the wrangler config a command uses, as wrangler does: --config wins; otherwise wrangler.json, then
// wrangler.jsonc, then wrangler.toml, each searched from the start directory upward before the next name.
import type { Host } from "./host.js";
import { dirname, join, resolve } from "./path.js";
import { CONFIG_NAMES } from "./files.js";

/** The config path for a command run in `cwd`, or undefined. `stopAt` bounds the upward search (a workspace root). */
export function findConfig(host: Host, cwd: string, explicit?: string, stopAt?: string): string | undefined {
  if (explicit) {
    const p = resolve(cwd, explicit);
    return host.fileExists(p) ? p : undefined;
  }
  for (const name of CONFIG_NAMES) {
    let dir = cwd;
    for (;;) {
      const candidate = join(dir, name);
      if (host.fileExists(candidate)) return candidate;
      if (dir === stopAt || dir === "/" || dir === ".") break;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return undefined;
}
