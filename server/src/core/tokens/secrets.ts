// GitHub secrets holding a token's value: a `github_actions_secret` (or environment, organization, Dependabot,
// Codespaces secret) whose value is a token's `.value` links that secret back to the token.
import type { TokenDefinition } from "../model/token.js";
import { traversalPath } from "./hcl.js";
import { deref, staticString, type Located, type ModuleCtx, type ParsedTf } from "./module.js";
import { TOKEN_RESOURCE_TYPES } from "./token-read.js";

/** GitHub provider resources that store a secret, and the attributes that carry its value. */
const SECRET_RESOURCE_TYPES = new Set([
  "github_actions_secret",
  "github_actions_environment_secret",
  "github_actions_organization_secret",
  "github_dependabot_secret",
  "github_dependabot_organization_secret",
  "github_codespaces_secret",
]);
const SECRET_VALUE_ATTRS = ["plaintext_value", "value"];

export function linkSecrets(files: ParsedTf[], ctx: ModuleCtx, tokens: TokenDefinition[]): void {
  const byAddress = new Map(tokens.map((t) => [t.address!, t]));
  for (const f of files) {
    for (const b of f.body.blocks) {
      if (b.type !== "resource" || b.labels.length < 2 || !SECRET_RESOURCE_TYPES.has(b.labels[0]!.value)) continue;
      const valueAttr = b.body.attributes.find((a) => SECRET_VALUE_ATTRS.includes(a.name));
      const nameAttr = b.body.attributes.find((a) => a.name === "secret_name");
      if (!valueAttr || !nameAttr) continue;
      const address = tokenAddressOf({ expr: valueAttr.value, file: f }, ctx);
      if (!address) continue;
      const token = byAddress.get(address);
      const secret = staticString({ expr: nameAttr.value, file: f }, ctx);
      if (!token || !secret) continue;
      if (
        !token.secretLinks.some(
          (l) =>
            l.secret === secret && l.location.file === f.path && l.location.span.start === nameAttr.value.span.start,
        )
      ) {
        token.secretLinks.push({ secret, location: { file: f.path, span: nameAttr.value.span } });
      }
    }
  }
}

/** `cloudflare_api_token.X.value` (also `[0]`/`["k"]`-indexed, through locals) → "cloudflare_api_token.X". */
function tokenAddressOf(loc: Located, ctx: ModuleCtx): string | undefined {
  const d = deref(loc, ctx);
  const path = traversalPath(d.expr);
  if (!path || path.length < 3 || typeof path[0] !== "string" || !(path[0] in TOKEN_RESOURCE_TYPES)) return undefined;
  if (path[path.length - 1] !== "value" || typeof path[1] !== "string") return undefined;
  return `${path[0]}.${path[1]}`;
}
