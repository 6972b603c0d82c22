// Reads a configuration file's text into the shared value tree, choosing the parser by the file's extension.
import type { ParsedDocument } from "./tree.js";
import { parseToml } from "./toml.js";
import { parseJsonc } from "./jsonc.js";

export { parseToml } from "./toml.js";
export { parseJsonc } from "./jsonc.js";

/** The configuration formats this reader knows, by extension. */
export type ConfigFormat = "toml" | "jsonc";

/** The format for a path by its extension (.toml → TOML; .json/.jsonc → JSONC), or undefined. */
export function configFormat(path: string): ConfigFormat | undefined {
  const slash = path.lastIndexOf("/");
  const name = path.slice(slash + 1).toLowerCase();
  if (name.endsWith(".toml")) return "toml";
  if (name.endsWith(".json") || name.endsWith(".jsonc")) return "jsonc";
  return undefined;
}

/** Parses a configuration file by its extension. Never throws, whatever the input. */
export function parseConfigText(path: string, text: string): ParsedDocument {
  const format = configFormat(path);
  if (!format) {
    return {
      root: undefined,
      problems: [
        {
          code: "unsupported-config-format",
          severity: "error",
          message: `Not a configuration format this tool reads (expected .toml, .json or .jsonc): ${path}`,
          span: { start: 0, end: 0 },
        },
      ],
    };
  }
  try {
    return format === "toml" ? parseToml(text) : parseJsonc(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      root: undefined,
      problems: [
        {
          code: format === "toml" ? "toml-syntax" : "json-syntax",
          severity: "error",
          message: `Could not read this file: ${message}`,
          span: { start: 0, end: Math.min(1, text.length) },
        },
      ],
    };
  }
}
