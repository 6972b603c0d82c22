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
import type { Span } from "../source.js";
import type { GrantedResource, TokenDefinition, TokenPolicy } from "../model/token.js";
import { traversalPath } from "./hcl.js";
import type { HclBlock, HclExpr, HclParser } from "./hcl.js";
import { deref, evaluate, moduleContext, moduleInfo, sourceText, staticString, staticValue, type Located, type ModuleCtx, type ParsedTf } from "./module.js";
import { readGroups, type TokenProblems } from "./groups.js";
import { readResources } from "./resources.js";
import { dynamicPolicies, evaluatedPolicies } from "./policies.js";

export const TOKEN_RESOURCE_TYPES: Record<string, "user" | "account"> = {
  cloudflare_api_token: "user",
  cloudflare_account_token: "account",
};

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
export function readTerraformTokens(parser: HclParser, path: string, text: string): { tokens: TokenDefinition[]; problems: Problem[] } {
  const r = readTerraformDirectory(parser, [{ path, text }]);
  return { tokens: r.tokens, problems: r.problems.map(({ file: _file, ...p }) => p) };
}

/** Reads every .tf file of one module directory together, so locals, variables, data sources and secret resources in other files are seen. */
export function readTerraformDirectory(parser: HclParser, files: TerraformFile[], lockFile?: TerraformFile): TerraformTokens {
  const parsed: ParsedTf[] = [];
  const problems: (Problem & { file: string })[] = [];
  for (const f of files) {
    const r = parser.parse(f.text);
    parsed.push({ path: f.path, text: f.text, body: r.body });
    for (const p of r.problems) problems.push({ ...p, file: f.path });
  }
  const ctx = moduleContext(parsed);
  const lock = lockFile ? { path: lockFile.path, text: lockFile.text, body: parser.parse(lockFile.text).body } : undefined;
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

// ---------------------------------------------------------------------------------------------------------
// One token resource

type Problems = TokenProblems;

function readToken(b: HclBlock, owner: "user" | "account", f: ParsedTf, ctx: ModuleCtx): TokenDefinition {
  const address = `${b.labels[0]!.value}.${b.labels[1]!.value}`;
  const problems: Problems = [];
  const attr = (name: string) => b.body.attributes.find((a) => a.name === name);
  const nameAttr = attr("name");
  const name = nameAttr ? staticString({ expr: nameAttr.value, file: f }, ctx) : undefined;

  const token: TokenDefinition = {
    format: "terraform",
    owner,
    file: f.path,
    span: b.span,
    name: name ?? address,
    nameSpan: nameAttr?.value.span,
    ...(attr("account_id") ? { accountIdText: sourceText({ expr: attr("account_id")!.value, file: f }) } : {}),
    address,
    policies: [],
    secretLinks: [],
    problems,
  };

  // v4: repeated policy blocks.
  const policyBlocks = b.body.blocks.filter((x) => x.type === "policy");
  for (const pb of policyBlocks) {
    const body = pb.body;
    const pg = body.attributes.find((a) => a.name === "permission_groups");
    const res = body.attributes.find((a) => a.name === "resources");
    const eff = body.attributes.find((a) => a.name === "effect");
    token.policies.push(readPolicy(pb.span, eff?.value, pg?.value, res?.value, 4, f, ctx, problems, pb.span));
  }
  const dynamic = b.body.blocks.filter((d) => d.type === "dynamic" && d.labels[0]?.value === "policy");
  for (const d of dynamic) token.policies.push(...dynamicPolicies(d, f, ctx, address, problems));
  if (policyBlocks.length || dynamic.length) token.terraformVersion = 4;
  token.policies.sort((x, y) => x.span.start - y.span.start);
  if (policyBlocks.length) token.policiesSpan = policyBlocks[policyBlocks.length - 1]!.span;

  // v5: policies = [{ … }]
  const policiesAttr = attr("policies");
  if (policiesAttr) {
    token.terraformVersion = 5;
    token.policiesSpan = policiesAttr.value.span;
    const list = deref({ expr: policiesAttr.value, file: f }, ctx);
    if (list.expr.kind === "tuple") {
      for (const item of list.expr.items) {
        const it = deref({ expr: item, file: list.file }, ctx);
        const where = it.file === f ? it.expr.span : policiesAttr.value.span;
        if (it.expr.kind !== "object") {
          problems.push({ message: `cannot resolve a policy of ${address}: ${sourceText(it)}`, span: where, affectsGrants: true });
          continue;
        }
        const get = (k: string) => it.expr.kind === "object" ? it.expr.entries.find((en) => en.key === k)?.value : undefined;
        const pol = readPolicy(where, get("effect"), get("permission_groups"), get("resources"), 5, it.file, ctx, problems, where);
        if (it.file !== f) respanPolicy(pol, where);
        token.policies.push(pol);
      }
    } else {
      token.policies.push(...evaluatedPolicies(policiesAttr.value, f, ctx, address, problems));
    }
  }
  if (!policiesAttr && policyBlocks.length === 0 && dynamic.length === 0) {
    problems.push({ message: `${address} has no policy`, span: b.typeSpan });
  }

  for (const key of ["expires_on", "not_before"] as const) {
    const a = attr(key);
    if (!a) continue;
    const v = evaluate({ expr: a.value, file: f }, ctx);
    if (v.t === "prim" && typeof v.v === "string") {
      if (key === "expires_on") token.expiresOn = { value: v.v, span: a.value.span };
      else token.notBefore = { value: v.v, span: a.value.span };
    } else if (!(v.t === "prim" && v.v === null)) {
      problems.push({ message: `cannot resolve ${key}: ${sourceText({ expr: a.value, file: f })}${v.t === "unknown" ? ` (${v.why})` : ""}`, span: a.value.span });
    }
  }

  readCondition(b, f, ctx, token, problems);
  return token;
}

function respanPolicy(p: TokenPolicy, where: Span): void {
  p.span = where;
  p.groupsSpan = where;
  p.resourcesSpan = where;
  for (const g of p.groups) g.span = where;
  const fix = (rs: GrantedResource[]) => {
    for (const r of rs) {
      r.span = where;
      r.keySpan = where;
      if (Array.isArray(r.value)) fix(r.value);
    }
  };
  fix(p.resources);
}

function readPolicy(
  span: Span,
  effectExpr: HclExpr | undefined,
  groupsExpr: HclExpr | undefined,
  resourcesExpr: HclExpr | undefined,
  version: 4 | 5,
  f: ParsedTf,
  ctx: ModuleCtx,
  problems: Problems,
  fallback: Span,
): TokenPolicy {
  let effect: "allow" | "deny" = "allow";
  if (effectExpr) {
    const v = staticString({ expr: effectExpr, file: f }, ctx);
    if (v === "allow" || v === "deny") effect = v;
    else problems.push({ message: `cannot resolve the policy effect (read as "allow"): ${sourceText({ expr: effectExpr, file: f })}`, span: effectExpr.span, affectsGrants: true });
  }
  const policy: TokenPolicy = {
    span,
    effect,
    groups: [],
    groupsSpan: groupsExpr?.span ?? fallback,
    resources: [],
    resourcesSpan: resourcesExpr?.span ?? fallback,
  };
  if (!groupsExpr) problems.push({ message: "policy without permission_groups", span: fallback, affectsGrants: true });
  else policy.groups = readGroups(groupsExpr, f, version, ctx, problems);
  if (!resourcesExpr) problems.push({ message: "policy without resources", span: fallback, affectsGrants: true });
  else policy.resources = readResources({ expr: resourcesExpr, file: f }, ctx, problems, f, resourcesExpr.span);
  return policy;
}

// ---------------------------------------------------------------------------------------------------------
// Conditions

function readCondition(b: HclBlock, f: ParsedTf, ctx: ModuleCtx, token: TokenDefinition, problems: Problems): void {
  const lists: { in?: Located; notIn?: Located; span: Span } | undefined = (() => {
    const blk = b.body.blocks.find((x) => x.type === "condition");
    if (blk) {
      const rip = blk.body.blocks.find((x) => x.type === "request_ip");
      if (!rip) return undefined;
      const get = (k: string) => {
        const a = rip.body.attributes.find((x) => x.name === k);
        return a ? { expr: a.value, file: f } : undefined;
      };
      return { in: get("in"), notIn: get("not_in"), span: blk.span };
    }
    const a = b.body.attributes.find((x) => x.name === "condition");
    if (!a) return undefined;
    const c = deref({ expr: a.value, file: f }, ctx);
    const rip = c.expr.kind === "object" ? c.expr.entries.find((en) => en.key === "request_ip")?.value : undefined;
    const r = rip ? deref({ expr: rip, file: c.file }, ctx) : undefined;
    if (!r || r.expr.kind !== "object") {
      problems.push({ message: `cannot resolve condition: ${sourceText({ expr: a.value, file: f })}`, span: a.value.span });
      return { span: a.span };
    }
    const get = (k: string) => {
      const v = r.expr.kind === "object" ? r.expr.entries.find((en) => en.key === k)?.value : undefined;
      return v ? { expr: v, file: r.file } : undefined;
    };
    return { in: get("in"), notIn: get("not_in"), span: a.span };
  })();
  if (!lists) return;
  const read = (l: Located | undefined, what: string): string[] => {
    if (!l) return [];
    const value = evaluate(l, ctx);
    const v = staticValue(l, ctx);
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
    if (v === null) return [];
    const why = value.t === "unknown" ? ` (${value.why})` : "";
    problems.push({ message: `cannot resolve request_ip.${what}: ${sourceText(l)}${why}`, span: l.file === f ? l.expr.span : lists.span });
    return [];
  };
  token.ipCondition = { in: read(lists.in, "in"), notIn: read(lists.notIn, "not_in"), span: lists.span };
}

// ---------------------------------------------------------------------------------------------------------
// GitHub secrets holding a token's value

function linkSecrets(files: ParsedTf[], ctx: ModuleCtx, tokens: TokenDefinition[]): void {
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
      if (!token.secretLinks.some((l) => l.secret === secret && l.location.file === f.path && l.location.span.start === nameAttr.value.span.start)) {
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
