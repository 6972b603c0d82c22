// What the language server needs from the analysis, declared structurally so the LSP layer depends on a shape:
// the core workspace facade (analyzeWorkspace) plus the minimal-token generation the commands use. server.ts
// passes the real functions; tests could pass others.
import type { Host } from "../core/index.js";
import type { Finding, Fix } from "../core/index.js";
import type { Problem } from "../core/index.js";
import type { Span } from "../core/index.js";
import type { HclParser } from "../core/index.js";
import type { DeployAnalysis, TokenAnalysis } from "../core/index.js";
import type { TokenStatus } from "../core/index.js";

export interface EngineOptions {
  ruleSeverities?: Record<string, "error" | "warning" | "info" | "off">;
  tokenGlobs?: string[];
  tokenSecrets?: Record<string, string[]>;
  /** Today as YYYY-MM-DD (the core reads no clock). */
  today?: string;
}

export interface EngineLens {
  span: Span;
  title: string;
  command?: { id: string; args: unknown[] };
  /** The Token Permissions view node the lens opens. */
  target?: { kind: "token" | "deploy"; id: string };
}

export interface EngineResult {
  findings: Finding[];
  /** Problems reading files (syntax errors, unknown keys), each with its file. */
  problems?: (Problem & { file: string })[];
  summary: { configs: number; deploys: number; tokens: number };
  hover(file: string, offset: number): { markdown: string; span: Span } | undefined;
  lenses(file: string): EngineLens[];
  /** Every file whose change can alter the result. */
  files: string[];
  /** Wrangler configs the analysis read. */
  configs?: { path: string }[];
  /** The linked tokens and analysed deploys (for inlay hints and the Token Permissions view). */
  tokens?: TokenAnalysis[];
  deploys?: DeployAnalysis[];
  tokenStatus?(t: TokenAnalysis): TokenStatus;
  /** The whole-token "rewrite to minimal" fix at a position, if any. */
  rewrite?(file: string, offset: number): Fix | undefined;
}

export type GenerateFormat = "api" | "terraform" | "url" | "json" | "text";

/** What *Generate Minimal Token…* asks for one config command. */
export interface GenerateOptions {
  config: string;
  env?: string;
  command?: string;
  format: GenerateFormat;
  owner?: "account" | "user";
  hcl?: HclParser;
}

export interface Engine {
  analyzeWorkspace(host: Host, root: string, opts: EngineOptions, deps: { hcl?: HclParser }): EngineResult;
  generateMinimal(host: Host, opts: GenerateOptions): { text: string } | { error: string };
  listEnvironments(host: Host, config: string): string[];
  /** Rule ids that have a docs page (problems from parsers have none). */
  ruleIds: ReadonlySet<string>;
  /**
   * A file changed (its text), appeared or disappeared: the engine's workspace database re-derives what read it.
   * Called for every document event and watched-file event.
   */
  changed?(path: string, kind: "content" | "created" | "deleted"): void;
  /** Every change is reported through `changed` from now on (file watching works): kept values are not re-read. */
  trustChanges?(on: boolean): void;
  /** The files the last analysis depended on, including those behind values its database reused unread. */
  readPaths?(): Iterable<string>;
}
