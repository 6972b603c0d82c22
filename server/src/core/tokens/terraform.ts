// Terraform token definitions: `resource "cloudflare_api_token"` (user-owned) and `resource
// "cloudflare_account_token"` (account-owned) in provider v4 form (repeated `policy { … }` blocks, permission
// groups as id strings) and v5 form (`policies = [{ … }]`, permission groups as `{ id = … }` objects, resources
// as a map or `jsonencode({ … })`). Formats: shared research permissions.md §3 (sources there: the provider's
// docs, examples and migration testdata; cloudflare/tf-migrate testdata).
// Group ids are resolved from literals, the v4 data source's name maps (`data.cloudflare_api_token_permission_
// groups.X.account["…"]`), the v5 list data sources (`one([for g in data.X.result : g if g.name == "…"]).id`,
// `data.X.result[0].id` with a `name` filter), and `local.*` / `var.*` values written in the same module.
// GitHub secrets fed from a token's `.value` are linked back to the token.
import type { Problem } from "../problems.js";
import type { TokenDefinition } from "../model/token.js";
import type { HclParser } from "./hcl.js";
import { moduleContext, moduleInfo, type ParsedTf } from "./module.js";
import { readToken, TOKEN_RESOURCE_TYPES } from "./token-read.js";
import { linkSecrets } from "./secrets.js";

export { TOKEN_RESOURCE_TYPES } from "./token-read.js";

export interface TerraformFile {
  path: string;
  text: string;
}

export interface TerraformTokens {
  tokens: TokenDefinition[];
  /** File-level problems (syntax errors), each with its file. */
  problems: (Problem & { file: string })[];
}

/** Reads the token resources of one .tf file (locals, variables and data sources of that file only). */
export function readTerraformTokens(
  parser: HclParser,
  path: string,
  text: string,
): { tokens: TokenDefinition[]; problems: Problem[] } {
  const r = readTerraformDirectory(parser, [{ path, text }]);
  return { tokens: r.tokens, problems: r.problems.map(({ file: _file, ...p }) => p) };
}

/** Reads every .tf file of one module directory together, so locals, variables, data sources and secret resources in other files are seen. */
export function readTerraformDirectory(
  parser: HclParser,
  files: TerraformFile[],
  lockFile?: TerraformFile,
): TerraformTokens {
  const parsed: ParsedTf[] = [];
  const problems: (Problem & { file: string })[] = [];
  for (const f of files) {
    const r = parser.parse(f.text);
    parsed.push({ path: f.path, text: f.text, body: r.body });
    for (const p of r.problems) problems.push({ ...p, file: f.path });
  }
  const ctx = moduleContext(parsed);
  const lock = lockFile
    ? { path: lockFile.path, text: lockFile.text, body: parser.parse(lockFile.text).body }
    : undefined;
  const info = moduleInfo(parsed, ctx, lock);
  const tokens: TokenDefinition[] = [];
  for (const f of parsed) {
    for (const b of f.body.blocks) {
      if (b.type !== "resource" || b.labels.length < 2) continue;
      const owner = TOKEN_RESOURCE_TYPES[b.labels[0]!.value];
      if (owner) tokens.push({ ...readToken(b, owner, f, ctx), module: info });
    }
  }
  linkSecrets(parsed, ctx, tokens);
  return { tokens, problems };
}
