// What the language server needs from the analysis: the core workspace facade's three entry points, passed in
// by server.ts (tests and benchmarks can pass the same functions). Declared here structurally so the LSP layer
// depends on the shape, not on how the core builds it.
import type { Host } from "../core/host.js";
import type { Finding } from "../core/findings.js";
import type { Span } from "../core/source.js";
import type { HclParser } from "../core/tokens/hcl.js";

export interface EngineOptions {
  ruleSeverities?: Record<string, "error" | "warning" | "info" | "off">;
  tokenGlobs?: string[];
  tokenSecrets?: Record<string, string[]>;
}

export interface EngineLens {
  span: Span;
  title: string;
  command?: { id: string; args: unknown[] };
}

export interface EngineResult {
  findings: Finding[];
  summary: { configs: number; deploys: number; tokens: number };
  hover(file: string, offset: number): { markdown: string; span: Span } | undefined;
  lenses(file: string): EngineLens[];
  /** Every file whose change can alter the result. */
  files: string[];
}

export type GenerateFormat = "api" | "terraform" | "url" | "json" | "text";

export interface Engine {
  analyzeWorkspace(host: Host, root: string, opts: EngineOptions, deps: { hcl?: HclParser }): EngineResult;
  generateMinimal(host: Host, opts: { config: string; env?: string; command?: string; format: GenerateFormat }): { text: string } | { error: string };
  listEnvironments(host: Host, config: string): string[];
}
