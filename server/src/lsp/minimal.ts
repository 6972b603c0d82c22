// Minimal-token generation for the editor commands: the core's `minimal` analysis for one config, environment
// and command, rendered in the format the user picked (the same renderings as `wrangler-token-lint minimal`).
import type { Host } from "../core/index.js";
import { analyzeMinimal } from "../core/index.js";
import { dashboardUrl, terraform } from "../core/index.js";
import { environments as configEnvironments, readConfigFile } from "../core/index.js";
import { dirname } from "../core/index.js";
import type { HclParser } from "../core/index.js";
import { providerPinFor } from "../core/index.js";
import { renderText } from "../core/index.js";
import type { GenerateFormat } from "./engine.js";

export function generateMinimal(host: Host, opts: { config: string; env?: string; command?: string; format: GenerateFormat; hcl?: HclParser }): { text: string } | { error: string } {
  const a = analyzeMinimal(host, { cwd: dirname(opts.config), path: opts.config, env: opts.env, command: opts.command });
  if ("error" in a) return { error: a.error };
  const r = a.result;
  switch (opts.format) {
    case "json":
      return { text: JSON.stringify(r, null, 2) + "\n" };
    case "api":
      return { text: JSON.stringify(r.token, null, 2) + "\n" };
    case "terraform":
      // The repository's pinned Cloudflare provider decides the syntax (v3/v4: policy blocks, no account tokens).
      return { text: terraform(r.token.name, a.requirements, r.accountId ?? undefined, undefined, { provider: opts.hcl ? providerPinFor(host, dirname(opts.config), opts.hcl) : undefined }) };
    case "url": {
      const { url, manual } = dashboardUrl(r.token.name, a.requirements, r.accountId ?? undefined);
      return { text: [url, ...manual.map((m) => `add by hand: ${m}`)].join("\n") + "\n" };
    }
    default:
      return { text: renderText(a) };
  }
}

/** Environment names ([env.NAME]) declared in a config; [] when it cannot be read. */
export function listEnvironments(host: Host, config: string): string[] {
  const text = host.readFile(config);
  if (text === undefined) return [];
  return configEnvironments(readConfigFile(config, text));
}
