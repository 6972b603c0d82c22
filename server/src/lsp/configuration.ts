// Settings: pulled from the client per workspace folder (workspace/configuration with scopeUri), normalised,
// cached, and dropped on didChangeConfiguration so the next analysis sees the new values without a restart.
// Clients that cannot answer workspace/configuration (some editors) push settings instead; those are used as-is.
import type { Connection } from "vscode-languageserver";

export const SECTION = "wranglerTokenLint";

export type RuleSeverity = "error" | "warning" | "info" | "off";

/** The wranglerTokenLint.* settings after validation (package.json contributes.configuration is the schema). */
export interface Settings {
  /** Off: no diagnostics, lenses or hovers for the folder. */
  enable: boolean;
  /** Rule id → severity override. */
  rules: Record<string, RuleSeverity>;
  /** Extra globs (relative to the folder) of token definition files. */
  tokenGlobs: string[];
  /** Token definition (name or file) → CI secret names that hold it. */
  tokenSecrets: Record<string, string[]>;
  /** Inlay hints after permission group ids (group name and whether it is needed). */
  inlayHints: boolean;
}

export const DEFAULT_SETTINGS: Settings = { enable: true, rules: {}, tokenGlobs: [], tokenSecrets: {}, inlayHints: true };

const SEVERITIES = new Set<string>(["error", "warning", "info", "off"]);

/** Keeps the valid parts of whatever the client sent; unknown or wrongly typed values fall back to defaults. */
export function normalizeSettings(raw: unknown): Settings {
  const o = isRecord(raw) ? raw : {};
  const rules: Record<string, RuleSeverity> = {};
  if (isRecord(o.rules)) {
    for (const [id, sev] of Object.entries(o.rules)) {
      if (typeof sev === "string" && SEVERITIES.has(sev)) rules[id] = sev as RuleSeverity;
    }
  }
  const tokenGlobs = Array.isArray(o.tokenGlobs) ? o.tokenGlobs.filter((g): g is string => typeof g === "string" && g !== "") : [];
  const tokenSecrets: Record<string, string[]> = {};
  if (isRecord(o.tokenSecrets)) {
    for (const [token, secrets] of Object.entries(o.tokenSecrets)) {
      const list = typeof secrets === "string" ? [secrets] : Array.isArray(secrets) ? secrets.filter((s): s is string => typeof s === "string") : [];
      if (list.length) tokenSecrets[token] = list;
    }
  }
  return { enable: typeof o.enable === "boolean" ? o.enable : true, rules, tokenGlobs, tokenSecrets, inlayHints: typeof o.inlayHints === "boolean" ? o.inlayHints : true };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export class Configuration {
  private readonly cache = new Map<string, Promise<Settings>>();
  /** Settings pushed with didChangeConfiguration (used when the client cannot be asked). */
  private pushed: Settings = DEFAULT_SETTINGS;

  constructor(
    private readonly connection: Connection,
    /** Whether the client supports workspace/configuration. */
    private readonly canPull: boolean,
  ) {}

  /** Settings for the workspace folder with this URI. Never rejects. */
  get(folderUri: string): Promise<Settings> {
    if (!this.canPull) return Promise.resolve(this.pushed);
    let s = this.cache.get(folderUri);
    if (!s) {
      s = this.connection.workspace
        .getConfiguration({ scopeUri: folderUri, section: SECTION })
        .then(normalizeSettings, (err: unknown) => {
          this.connection.console.warn(`could not read settings for ${folderUri}: ${String(err)}`);
          this.cache.delete(folderUri);
          return DEFAULT_SETTINGS;
        });
      this.cache.set(folderUri, s);
    }
    return s;
  }

  /** didChangeConfiguration: forget pulled settings; keep pushed ones when the client sends them. */
  changed(pushedSettings: unknown): void {
    this.cache.clear();
    if (isRecord(pushedSettings) && SECTION in pushedSettings) this.pushed = normalizeSettings(pushedSettings[SECTION]);
  }
}
