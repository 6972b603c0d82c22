// Where the rule pages (docs/rules/<id>.md) are on this machine: they ship with the package and the .vsix, next
// to the bundles' parent folder (server/out → ../../docs/rules), or above the sources when run from source.
// Diagnostics, the CLI's Markdown and SARIF output and the audit report link to them by file URI, so the links
// work offline and point at a page that exists.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

let found: string | null | undefined;

/** The docs/rules folder, looked for from this script's folder upwards (at most 4 levels); undefined when absent. */
export function ruleDocsDir(start: string = __dirname): string | undefined {
  if (found !== undefined && start === __dirname) return found ?? undefined;
  let dir = start;
  let hit: string | undefined;
  for (let i = 0; i < 5; i++) {
    const p = join(dir, "docs", "rules");
    if (existsSync(join(p, "missing-group.md"))) {
      hit = p;
      break;
    }
    dir = dirname(dir);
  }
  if (start === __dirname) found = hit ?? null;
  return hit;
}

/** file: URI of the folder, ending in "/", or undefined when the pages are not installed. */
export function ruleDocsBase(): string | undefined {
  const dir = ruleDocsDir();
  return dir ? pathToFileURL(dir).href + "/" : undefined;
}

/** The page of a rule as a file: URI (undefined when the page does not exist). */
export function ruleDocsUri(rule: string): string | undefined {
  const dir = ruleDocsDir();
  return dir && existsSync(join(dir, `${rule}.md`)) ? pathToFileURL(join(dir, `${rule}.md`)).href : undefined;
}
