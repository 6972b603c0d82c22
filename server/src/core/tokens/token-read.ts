// One Terraform token resource: its name, owner, policies (v4 `policy` blocks, v5 `policies` lists, dynamic
// blocks, for expressions) and its IP and TTL conditions.
import type { Span } from "../source.js";
import type { GrantedResource, TokenDefinition, TokenPolicy } from "../model/token.js";
import type { HclAttribute, HclBlock, HclExpr } from "./hcl.js";
import {
  deref,
  evaluate,
  sourceText,
  staticString,
  staticValue,
  type Located,
  type ModuleCtx,
  type ParsedTf,
} from "./module.js";
import { readGroups, type TokenProblems } from "./groups.js";
import { readResources } from "./resources.js";
import { dynamicPolicies, evaluatedPolicies } from "./policies.js";

/** The resource types that define a token, and who owns the token each makes. */
export const TOKEN_RESOURCE_TYPES: Record<string, "user" | "account"> = {
  cloudflare_api_token: "user",
  cloudflare_account_token: "account",
};

type Problems = TokenProblems;

export function readToken(b: HclBlock, owner: "user" | "account", f: ParsedTf, ctx: ModuleCtx): TokenDefinition {
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

  const hasV4 = readV4Policies(b, address, f, ctx, token, problems);
  const policiesAttr = attr("policies");
  if (policiesAttr) readV5Policies(policiesAttr, address, f, ctx, token, problems);
  if (!policiesAttr && !hasV4) {
    problems.push({ message: `${address} has no policy`, span: b.typeSpan });
  }
  readDates(b, f, ctx, token, problems);

  readCondition(b, f, ctx, token, problems);
  return token;
}

/** v4: repeated `policy` blocks and `dynamic "policy"` blocks; true when the token has any. */
function readV4Policies(
  b: HclBlock,
  address: string,
  f: ParsedTf,
  ctx: ModuleCtx,
  token: TokenDefinition,
  problems: Problems,
): boolean {
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
  return policyBlocks.length > 0 || dynamic.length > 0;
}

/** v5: `policies = [{ … }]`, a literal list or an expression evaluated to one. */
function readV5Policies(
  policiesAttr: HclAttribute,
  address: string,
  f: ParsedTf,
  ctx: ModuleCtx,
  token: TokenDefinition,
  problems: Problems,
): void {
  token.terraformVersion = 5;
  token.policiesSpan = policiesAttr.value.span;
  const list = deref({ expr: policiesAttr.value, file: f }, ctx);
  if (list.expr.kind === "tuple") {
    for (const item of list.expr.items) {
      const it = deref({ expr: item, file: list.file }, ctx);
      const where = it.file === f ? it.expr.span : policiesAttr.value.span;
      if (it.expr.kind !== "object") {
        problems.push({
          message: `cannot resolve a policy of ${address}: ${sourceText(it)}`,
          span: where,
          affectsGrants: true,
        });
        continue;
      }
      const get = (k: string) =>
        it.expr.kind === "object" ? it.expr.entries.find((en) => en.key === k)?.value : undefined;
      const pol = readPolicy(
        where,
        get("effect"),
        get("permission_groups"),
        get("resources"),
        5,
        it.file,
        ctx,
        problems,
        where,
      );
      if (it.file !== f) respanPolicy(pol, where);
      token.policies.push(pol);
    }
  } else {
    token.policies.push(...evaluatedPolicies(policiesAttr.value, f, ctx, address, problems));
  }
}

/** `expires_on` and `not_before`: kept when they evaluate to a string, reported when unresolved. */
function readDates(b: HclBlock, f: ParsedTf, ctx: ModuleCtx, token: TokenDefinition, problems: Problems): void {
  for (const key of ["expires_on", "not_before"] as const) {
    const a = b.body.attributes.find((x) => x.name === key);
    if (!a) continue;
    const v = evaluate({ expr: a.value, file: f }, ctx);
    if (v.t === "prim" && typeof v.v === "string") {
      if (key === "expires_on") token.expiresOn = { value: v.v, span: a.value.span };
      else token.notBefore = { value: v.v, span: a.value.span };
    } else if (!(v.t === "prim" && v.v === null)) {
      problems.push({
        message: `cannot resolve ${key}: ${sourceText({ expr: a.value, file: f })}${v.t === "unknown" ? ` (${v.why})` : ""}`,
        span: a.value.span,
      });
    }
  }
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
    else
      problems.push({
        message: `cannot resolve the policy effect (read as "allow"): ${sourceText({ expr: effectExpr, file: f })}`,
        span: effectExpr.span,
        affectsGrants: true,
      });
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
      problems.push({
        message: `cannot resolve condition: ${sourceText({ expr: a.value, file: f })}`,
        span: a.value.span,
      });
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
    problems.push({
      message: `cannot resolve request_ip.${what}: ${sourceText(l)}${why}`,
      span: l.file === f ? l.expr.span : lists.span,
    });
    return [];
  };
  token.ipCondition = { in: read(lists.in, "in"), notIn: read(lists.notIn, "not_in"), span: lists.span };
}
