// Loads a fixture directory into an in-memory host rooted at /repo.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { MemoryHost } from "../../server/src/core/host.js";
import { SourceFile } from "../../server/src/core/source.js";
import type { Location } from "../../server/src/core/source.js";

export const FIXTURES = new URL("../fixtures/ci/", import.meta.url).pathname;

export function loadRepo(dir: string, mount = "/repo"): { host: MemoryHost; files: Map<string, string> } {
  const files = new Map<string, string>();
  (function walk(d: string, rel: string): void {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p, `${rel}/${n}`);
      else files.set(`${mount}${rel}/${n}`, readFileSync(p, "utf8"));
    }
  })(dir, "");
  return { host: new MemoryHost(files), files };
}

/** The text at a location, and its 1-based line/column. */
export function at(files: Map<string, string>, loc: Location): { text: string; line: number; column: number } {
  const src = new SourceFile(loc.file, files.get(loc.file) ?? "");
  return { text: src.text.slice(loc.span.start, loc.span.end), ...src.lineColumn(loc.span.start) };
}
