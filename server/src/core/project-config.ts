// The options of one workspace analysis: what the adapter passes (settings, command-line flags) merged over the
// project file `.wrangler-token-lint.json` (read by project-options.ts through the options schema).
import type { TokenDefinition } from "./model/token.js";
import type { SeveritySetting } from "./options.js";
import { PROJECT_FILE } from "./files.js";

export type { SeveritySetting } from "./options.js";
export { withProjectConfig } from "./project-options.js";

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
export const PROJECT_CONFIG = PROJECT_FILE;
