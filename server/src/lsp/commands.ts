// workspace/executeCommand: the requests behind the client's "Generate Minimal Token…" and "Show Required
// Permissions" commands, and the fix-all command for clients without source actions on save.
import type { Connection, ExecuteCommandParams } from "vscode-languageserver";
import { basename, relative } from "../core/index.js";
import { isConfigName } from "../core/index.js";
import type { Engine } from "./engine.js";
import type { Diagnostics } from "./diagnostics.js";
import type { OverlayHost } from "./workspace.js";
import { fixAllEdit } from "./code-actions.js";
import { auditLiveToken } from "./audit.js";
import { generateForDeploys, listDeploys } from "./generate-union.js";
import { pathToUri, uriToPath } from "./convert.js";
import {
  SERVER_COMMANDS,
  type ConfigInfo,
  type GenerateArgs,
  type GenerateResult,
  type TokenFormat,
} from "./protocol.js";

const FORMATS = new Set<TokenFormat>(["api", "terraform", "url", "json", "text"]);

export const COMMAND_IDS: string[] = Object.values(SERVER_COMMANDS);

export class Commands {
  constructor(
    private readonly connection: Connection,
    private readonly engine: Engine,
    private readonly diagnostics: Diagnostics,
    private readonly host: OverlayHost,
  ) {}

  async execute(params: ExecuteCommandParams): Promise<unknown> {
    const arg = (params.arguments?.[0] ?? {}) as Record<string, unknown>;
    switch (params.command) {
      case SERVER_COMMANDS.listConfigs:
        return this.listConfigs(typeof arg.folder === "string" ? arg.folder : undefined);
      case SERVER_COMMANDS.listEnvironments: {
        const path = typeof arg.config === "string" ? uriToPath(arg.config) : undefined;
        return path ? this.engine.listEnvironments(this.host, path) : [];
      }
      case SERVER_COMMANDS.listDeploys:
        return listDeploys(this.diagnostics);
      case SERVER_COMMANDS.generateMinimal:
        return this.generate(arg);
      case SERVER_COMMANDS.applyFixAll: {
        const path = typeof arg.uri === "string" ? uriToPath(arg.uri) : undefined;
        if (path) await this.diagnostics.settled(path);
        const edit = path ? fixAllEdit(path, this.diagnostics, this.host) : undefined;
        if (!edit) return { applied: false };
        const r = await this.connection.workspace.applyEdit({
          label: "Fix all safe wrangler-token-lint problems",
          edit,
        });
        return { applied: r.applied };
      }
      case SERVER_COMMANDS.auditLiveToken:
        return auditLiveToken(arg, this.host, this.diagnostics, this.engine.ruleIds);
      default:
        throw new Error(`unknown command ${params.command}`);
    }
  }

  /** Wrangler configs of the analysed folders (analysing first where nothing has run yet), sorted by label. */
  async listConfigs(folderUri?: string): Promise<ConfigInfo[]> {
    const folderPath = folderUri ? uriToPath(folderUri) : undefined;
    const roots = this.diagnostics.roots().filter((r) => !folderPath || r === folderPath);
    const out = new Map<string, ConfigInfo>();
    for (const root of roots) {
      const analysis = this.diagnostics.analysisOf(root) ?? (await this.diagnostics.analyzeNow(root));
      const configs =
        analysis?.result.configs?.map((c) => c.path) ??
        [...(analysis?.files ?? [])].filter((f) => isConfigName(basename(f)));
      for (const f of configs) {
        if (this.host.fileExists(f)) out.set(f, { uri: pathToUri(f), label: relative(root, f) });
      }
    }
    return [...out.values()].sort((a, b) => a.label.localeCompare(b.label));
  }

  private async generate(arg: Record<string, unknown>): Promise<GenerateResult> {
    const hcl = await this.diagnostics.hclParser();
    const a = arg as Partial<GenerateArgs>;
    const format =
      typeof a.format === "string" && FORMATS.has(a.format as TokenFormat) ? (a.format as TokenFormat) : "api";
    if (Array.isArray(a.deploys))
      return generateForDeploys(
        a.deploys.filter((d): d is string => typeof d === "string"),
        format,
        this.diagnostics,
        this.host,
        hcl,
      );
    const config = typeof a.config === "string" ? uriToPath(a.config) : undefined;
    if (!config) return { error: "No wrangler config given." };
    return this.engine.generateMinimal(this.host, {
      config,
      env: typeof a.env === "string" && a.env !== "" ? a.env : undefined,
      command: typeof a.command === "string" && a.command !== "" ? a.command : undefined,
      format,
      owner: a.owner === "user" || a.owner === "account" ? a.owner : undefined,
      hcl,
    });
  }
}
