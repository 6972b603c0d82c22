// Minimal-token generation for the editor commands: the core's `minimal` analysis for one config, environment,
// command and owner, rendered by the core's renderMinimal, as `wrangler-token-lint minimal` renders it.
import type { Host } from "../core/index.js";
import { analyzeMinimal } from "../core/index.js";
import { environments as configEnvironments, readConfigFile } from "../core/index.js";
import { dirname } from "../core/index.js";
import { providerPinFor } from "../core/index.js";
import { renderMinimal } from "../core/index.js";
import type { GenerateOptions } from "./engine.js";

export function generateMinimal(host: Host, opts: GenerateOptions): { text: string } | { error: string } {
  const a = analyzeMinimal(host, {
    cwd: dirname(opts.config),
    path: opts.config,
    env: opts.env,
    command: opts.command,
    owner: opts.owner ?? "account",
  });
  if ("error" in a) return { error: a.error };
  // The repository's pinned Cloudflare provider decides the Terraform syntax (v3/v4: policy blocks, no account tokens).
  const provider =
    opts.format === "terraform" && opts.hcl ? providerPinFor(host, dirname(opts.config), opts.hcl) : undefined;
  const { text, manual } = renderMinimal(a, opts.format, { provider });
  return {
    text: manual.length ? [text.replace(/\n$/, ""), ...manual.map((m) => `add by hand: ${m}`)].join("\n") + "\n" : text,
  };
}

/** Environment names ([env.NAME]) declared in a config; [] when it cannot be read. */
export function listEnvironments(host: Host, config: string): string[] {
  const text = host.readFile(config);
  if (text === undefined) return [];
  return configEnvironments(readConfigFile(config, text));
}
