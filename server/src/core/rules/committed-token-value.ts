// committed-token-value: a live API token value is written into a file of the repository. The finding points at
// it without ever printing the value.
import type { Rule } from "./rule.js";
import { environments, resolveConfig } from "../model/wrangler.js";

/** Cloudflare API tokens are 40 characters of [A-Za-z0-9_-]; newer ones carry a "cf" prefix and are longer. */
export function looksLikeToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{40,}$/.test(value) && /[0-9]/.test(value) && /[A-Za-z]/.test(value) && !/^[0-9a-f]{32,40}$/.test(value);
}

const TOKEN_NAMES = /^(CLOUDFLARE_API_TOKEN|CF_API_TOKEN|CLOUDFLARE_TOKEN|CF_TOKEN|API_TOKEN)$/i;

export const rule: Rule = {
  id: "committed-token-value",
  title: "API token value committed in a file",
  defaultSeverity: "error",
  fixable: false,
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
        message: "An API token value is written in this file: revoke it in the Cloudflare dashboard, then pass it as a CI secret (for example ${{ secrets.CLOUDFLARE_API_TOKEN }})",
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
          if (!TOKEN_NAMES.test(e.key) || e.value.kind !== "string" || !looksLikeToken(e.value.value as string)) continue;
          const k = `${c.path}:${e.value.span.start}`;
          if (seen.has(k)) continue;
          seen.add(k);
          out.push({
            message: `vars.${e.key} holds an API token value in plain text: revoke it, and use \`wrangler secret put ${e.key}\` instead of a var`,
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
