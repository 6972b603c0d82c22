// Settings: pulled from the client per workspace folder (workspace/configuration with scopeUri), normalised,
// cached, and dropped on didChangeConfiguration so the next analysis sees the new values without a restart.
// Clients that cannot answer workspace/configuration (some editors) push settings instead; those are used as-is.
import type { Connection } from "vscode-languageserver";
import { defaultOptions, normalizeOptions, SERVER_OPTIONS, type Options, type SeveritySetting } from "../core/index.js";

export const SECTION = "wranglerTokenLint";

export type RuleSeverity = SeveritySetting;

/** The wranglerTokenLint.* settings the server reads, after validation through the options schema (core/options.ts). */
export type Settings = Pick<Options, (typeof SERVER_OPTIONS)[number]>;

export const DEFAULT_SETTINGS: Settings = defaultOptions(SERVER_OPTIONS);

/** Keeps the valid parts of whatever the client sent; unknown or wrongly typed values fall back to defaults. */
export function normalizeSettings(raw: unknown, warn?: (message: string) => void): Settings {
  const { options, problems } = normalizeOptions(raw, SERVER_OPTIONS);
  for (const p of problems) warn?.(`setting ${[SECTION, ...p.path].join(".")} ${p.message}; ignored`);
  return options;
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

  private readonly warn = (m: string): void => this.connection.console.warn(m);

  /** Settings for the workspace folder with this URI. Never rejects. */
  get(folderUri: string): Promise<Settings> {
    if (!this.canPull) return Promise.resolve(this.pushed);
    let s = this.cache.get(folderUri);
    if (!s) {
      s = this.connection.workspace.getConfiguration({ scopeUri: folderUri, section: SECTION }).then(
        (raw: unknown) => normalizeSettings(raw, this.warn),
        (err: unknown) => {
          this.connection.console.warn(`could not read settings for ${folderUri}: ${String(err)}`);
          this.cache.delete(folderUri);
          return DEFAULT_SETTINGS;
        },
      );
      this.cache.set(folderUri, s);
    }
    return s;
  }

  /** didChangeConfiguration: forget pulled settings; keep pushed ones when the client sends them. */
  changed(pushedSettings: unknown): void {
    this.cache.clear();
    if (isRecord(pushedSettings) && SECTION in pushedSettings)
      this.pushed = normalizeSettings(pushedSettings[SECTION], this.warn);
  }
}
