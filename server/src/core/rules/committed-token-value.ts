// committed-token-value: a live API token value is written into a file of the repository. The finding points at
// it without ever printing the value.
import type { Rule } from "./rule.js";
import { looksLikeToken } from "../command.js";
import { environments, resolveConfig } from "../model/wrangler.js";

/**
 * Cloudflare's token value prefixes (token-formats docs, facts-2026-12.md "Tokens"): `cfut_` user token, `cfat_`
 * account token, `cfk_` global API key, `cfoat_` wrangler OAuth token.
 */
export const TOKEN_PREFIXES: Record<string, string> = {
  cfut_: "user API token",
  cfat_: "account API token",
  cfk_: "global API key",
  cfoat_: "wrangler OAuth token",
};
export { looksLikeToken };

/** "A user API token value" for a prefixed value, else "An API token value". */
function what(value: string): string {
  const p = Object.keys(TOKEN_PREFIXES).find((k) => value.startsWith(k));
  if (!p) return "An API token value";
  const kind = TOKEN_PREFIXES[p]!;
  return `${/^[aeio]/.test(kind) ? "An" : "A"} ${kind} value (${p}…)`;
}

const TOKEN_NAMES = /^(CLOUDFLARE_API_TOKEN|CF_API_TOKEN|CLOUDFLARE_TOKEN|CF_TOKEN|API_TOKEN)$/i;

export const rule: Rule = {
  id: "committed-token-value",
  title: "API token value committed in a file",
  defaultSeverity: "error",
  fixable: false,
  fixKinds: [],
  docs: "docs/rules/committed-token-value.md",
  reads: ["configs", "deploys"],
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    const seen = new Set<string>();
    for (const d of ctx.deploys) {
      const tok = d.deploy.token;
      if (!tok || tok.origin !== "literal" || !tok.value || !looksLikeToken(tok.value)) continue;
      const k = `${tok.location.file}:${tok.location.span.start}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({
        message: `${what(tok.value)} is written in this file: revoke it in the Cloudflare dashboard, then pass it as a CI secret (for example \${{ secrets.CLOUDFLARE_API_TOKEN }})`,
        location: tok.location,
        related: [],
        fixes: [],
      });
    }
    for (const c of ctx.configs) {
      for (const env of [null, ...environments(c.file)]) {
        const vars = resolveConfig(c.file, env).get("vars");
        if (!vars || vars.node.kind !== "object") continue;
        for (const e of vars.node.entries) {
          if (!TOKEN_NAMES.test(e.key) || e.value.kind !== "string" || !looksLikeToken(e.value.value as string))
            continue;
          const k = `${c.path}:${e.value.span.start}`;
          if (seen.has(k)) continue;
          seen.add(k);
          out.push({
            message: `vars.${e.key} holds ${what(e.value.value as string).replace(/^An? /, (m) => m.toLowerCase())} in plain text: revoke it, and use \`wrangler secret put ${e.key}\` instead of a var`,
            location: { file: c.path, span: e.value.span },
            related: [],
            fixes: [],
          });
        }
      }
    }
    return out;
  },
};
