// Which files the analysis reads by their name and place, said once. Discovery (findConfigFiles, ciFiles), the
// language server's file watchers and loose-file roots, the client's document selector and config picker, and
// package.json's activation events all come from here; test/meta/files.test.ts checks each glob against its
// predicate (with an independent glob matcher) and package.json against ACTIVATION_GLOBS.
import { basename, dirname } from "./path.js";

/** Wrangler's discovery order: wrangler.json, then wrangler.jsonc, then wrangler.toml, each searched upward. */
export const CONFIG_NAMES = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"];

/** The project options file, read from the workspace root. */
export const PROJECT_FILE = ".wrangler-token-lint.json";

export type FileKind = "config" | "workflow" | "gitlab-ci" | "terraform" | "project" | "package-json" | "json";

/** A wrangler config name: wrangler.json/.jsonc/.toml and variants such as wrangler.staging.toml. */
export function isConfigName(name: string): boolean {
  return CONFIG_NAMES.includes(name) || /^wrangler\.[^/]+\.(toml|jsonc?)$/.test(name);
}

/** A GitHub Actions workflow: a .yml or .yaml file (or .YML, .YAML) directly in a `.github/workflows` directory. */
export function isWorkflowPath(path: string): boolean {
  return /(^|\/)\.github\/workflows\/[^/]+\.(ya?ml|YA?ML)$/.test(path);
}

/** What a file is to the analysis, by its path; undefined for files it only reads when something leads there. */
export function fileKind(path: string): FileKind | undefined {
  const name = basename(path);
  if (isConfigName(name)) return "config";
  if (isWorkflowPath(path)) return "workflow";
  if (name === ".gitlab-ci.yml") return "gitlab-ci";
  if (name.endsWith(".tf")) return "terraform";
  if (name === PROJECT_FILE) return "project";
  if (name === "package.json") return "package-json";
  if (name.endsWith(".json")) return "json"; // a create-token body, when it looks like one
  return undefined;
}

/** Globs (any depth) of every file kind: the server watches them and the client sends their unsaved text. */
export const FILE_GLOBS: { kind: FileKind; glob: string }[] = [
  { kind: "config", glob: "**/wrangler.{toml,json,jsonc}" },
  { kind: "config", glob: "**/wrangler.*.{toml,json,jsonc}" },
  { kind: "workflow", glob: "**/.github/workflows/*.{yml,yaml,YML,YAML}" },
  { kind: "gitlab-ci", glob: "**/.gitlab-ci.yml" },
  { kind: "terraform", glob: "**/*.tf" },
  { kind: "project", glob: `**/${PROJECT_FILE}` },
  { kind: "package-json", glob: "**/package.json" },
  { kind: "json", glob: "**/*.json" },
];

/** Files whose presence in a workspace folder activates the extension (`workspaceContains:` in package.json). */
export const ACTIVATION_GLOBS: string[] = [
  "**/wrangler.{toml,json,jsonc}",
  "**/wrangler.*.{toml,json,jsonc}",
  ".github/workflows/*.{yml,yaml,YML,YAML}",
  ".gitlab-ci.yml",
  "**/*.tf",
  PROJECT_FILE,
];

/** The directory a file opened outside every workspace folder is analysed in, when it is a file that has one. */
export function looseRoot(path: string): string | undefined {
  const kind = fileKind(path);
  if (kind === "config" || kind === "terraform" || kind === "gitlab-ci") return dirname(path);
  if (kind === "workflow") return dirname(dirname(dirname(path)));
  return undefined;
}
