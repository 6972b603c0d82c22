// The project config, `.wrangler-token-lint.json` at the workspace root (JSONC allowed): rule severities, token
// globs and token secrets, merged under the options the adapter passes (settings, command-line flags).
import type { Host } from "./host.js";
import type { Problem, Severity } from "./problems.js";
import type { TokenDefinition } from "./model/token.js";
import { join } from "./path.js";
import { parseConfigText } from "./parse/index.js";
import { get, str } from "./parse/tree.js";

export type SeveritySetting = Severity | "off";

export interface WorkspaceOptions {
  /** Per-rule severity overrides ("off" disables a rule). */
  ruleSeverities?: Record<string, SeveritySetting>;
  /** Root-relative globs limiting which JSON files are read as token definitions. */
  tokenGlobs?: string[];
  /** Token definition (name, Terraform address or root-relative file) → the CI secret names it is stored under. */
  tokenSecrets?: Record<string, string[]>;
  /** Today as YYYY-MM-DD (for suggested expiry dates); the core reads no clock. */
  today?: string;
  /** Token definitions from outside the workspace files (the live token `audit` reads), linked to these CI secrets. */
  extraTokens?: { token: TokenDefinition; secrets: string[] }[];
}

/** The project config file, read from the workspace root. */
export const PROJECT_CONFIG = ".wrangler-token-lint.json";

/** Reads `.wrangler-token-lint.json` (JSONC allowed) and merges it under the given options. */
export function withProjectConfig(host: Host, root: string, opts: WorkspaceOptions): { options: WorkspaceOptions; problems: (Problem & { file: string })[] } {
  const path = join(root, PROJECT_CONFIG);
  const text = host.readFile(path);
  if (text === undefined) return { options: opts, problems: [] };
  const doc = parseConfigText(path.replace(/\.json$/, ".jsonc"), text);
  const problems = doc.problems.map((p) => ({ ...p, file: path }));
  const raw = doc.root;
  const fileOpts: WorkspaceOptions = {};
  const rules = get(raw, "rules");
  if (rules?.kind === "object") {
    fileOpts.ruleSeverities = {};
    for (const e of rules.entries) {
      const v = str(e.value);
      if (v === "error" || v === "warning" || v === "info" || v === "off") fileOpts.ruleSeverities[e.key] = v;
      else problems.push({ code: "project-config", severity: "warning", message: `rules.${e.key} must be "error", "warning", "info" or "off"`, span: e.value.span, file: path });
    }
  }
  const globs = get(raw, "tokenGlobs");
  if (globs?.kind === "array") fileOpts.tokenGlobs = globs.items.map(str).filter((s): s is string => !!s);
  const secrets = get(raw, "tokenSecrets");
  if (secrets?.kind === "object") {
    fileOpts.tokenSecrets = {};
    for (const e of secrets.entries) {
      const v = e.value;
      fileOpts.tokenSecrets[e.key] = v.kind === "array" ? v.items.map(str).filter((s): s is string => !!s) : str(v) ? [str(v)!] : [];
    }
  }
  return {
    options: {
      ruleSeverities: { ...fileOpts.ruleSeverities, ...opts.ruleSeverities },
      tokenGlobs: opts.tokenGlobs?.length ? opts.tokenGlobs : fileOpts.tokenGlobs,
      tokenSecrets: { ...fileOpts.tokenSecrets, ...opts.tokenSecrets },
      today: opts.today,
    },
    problems,
  };
}
