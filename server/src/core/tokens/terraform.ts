// Terraform token definitions: `resource "cloudflare_api_token"` (user-owned) and `resource
// "cloudflare_account_token"` (account-owned) in provider v4 form (repeated `policy { … }` blocks, permission
// groups as id strings) and v5 form (`policies = [{ … }]`, permission groups as `{ id = … }` objects, resources
// as a map or `jsonencode({ … })`). Formats: shared research permissions.md §3 (sources there: the provider's
// docs, examples and migration testdata; cloudflare/tf-migrate testdata).
// Group ids are resolved from literals, the v4 data source's name maps (`data.cloudflare_api_token_permission_
// groups.X.account["…"]`), the v5 list data sources (`one([for g in data.X.result : g if g.name == "…"]).id`,
// `data.X.result[0].id` with a `name` filter), and `local.*` / `var.*` values written in the same module.
// GitHub secrets fed from a token's `.value` are linked back to the token.
import { catalog } from "../permissions/catalog.js";
import type { Scope } from "../permissions/catalog.js";
import type { Problem } from "../problems.js";
import type { Span } from "../source.js";
import type { GrantedGroup, GrantedResource, TokenDefinition, TokenPolicy } from "../model/token.js";
import { traversalPath } from "./hcl.js";
import type { HclBlock, HclBody, HclExpr, HclParser, HclStep } from "./hcl.js";

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

/** v4 data source attribute → catalog scope (`permissions` is the deprecated all-scopes map). */
const V4_MAPS: Record<string, Scope | undefined> = { account: "account", zone: "zone", user: "user", r2: "r2-bucket", permissions: undefined };

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
export function readTerraformDirectory(parser: HclParser, files: TerraformFile[]): TerraformTokens {
  const parsed: ParsedTf[] = [];
  const problems: (Problem & { file: string })[] = [];
  for (const f of files) {
    const r = parser.parse(f.text);
    parsed.push({ path: f.path, text: f.text, body: r.body });
    for (const p of r.problems) problems.push({ ...p, file: f.path });
  }
  const ctx = moduleContext(parsed);
  const tokens: TokenDefinition[] = [];
  for (const f of parsed) {
    for (const b of f.body.blocks) {
      if (b.type !== "resource" || b.labels.length < 2) continue;
      const owner = TOKEN_RESOURCE_TYPES[b.labels[0]!.value];
      if (owner) tokens.push(readToken(b, owner, f, ctx));
    }
  }
  linkSecrets(parsed, ctx, tokens);
  return { tokens, problems };
}

interface ParsedTf {
  path: string;
  text: string;
  body: HclBody;
}

interface Located {
  expr: HclExpr;
  file: ParsedTf;
}

interface ModuleCtx {
  locals: Map<string, Located>;
  variables: Map<string, Located | undefined>;
  data: Map<string, { block: HclBlock; file: ParsedTf }>;
}

function moduleContext(files: ParsedTf[]): ModuleCtx {
  const ctx: ModuleCtx = { locals: new Map(), variables: new Map(), data: new Map() };
  for (const f of files) {
    for (const b of f.body.blocks) {
      if (b.type === "locals") for (const a of b.body.attributes) ctx.locals.set(a.name, { expr: a.value, file: f });
      else if (b.type === "variable" && b.labels[0]) {
        const d = b.body.attributes.find((a) => a.name === "default");
        ctx.variables.set(b.labels[0].value, d ? { expr: d.value, file: f } : undefined);
      } else if (b.type === "data" && b.labels.length >= 2) {
        const key = `${b.labels[0]!.value}.${b.labels[1]!.value}`;
        if (!ctx.data.has(key)) ctx.data.set(key, { block: b, file: f });
      }
    }
  }
  return ctx;
}

// ---------------------------------------------------------------------------------------------------------
// References and static values

const MAX_DEPTH = 12;

/**
 * Follows `local.x` / `var.x` (with a default) to the expression they stand for, applying attribute and index
 * steps to object and tuple literals on the way. Returns the input unchanged when it is not such a reference.
 */
function deref(loc: Located, ctx: ModuleCtx, depth = 0): Located {
  if (depth > MAX_DEPTH) return loc;
  const e = loc.expr;
  let root: string | undefined;
  let steps: HclStep[] = [];
  if (e.kind === "traversal" && e.base.kind === "var") {
    root = e.base.name;
    steps = e.steps;
  } else if (e.kind === "call" && (e.name === "sensitive" || e.name === "nonsensitive" || e.name === "tostring") && e.args.length === 1) {
    return deref({ expr: e.args[0]!, file: loc.file }, ctx, depth + 1);
  } else return loc;
  if ((root !== "local" && root !== "var") || steps[0]?.kind !== "attr") return loc;
  const name = steps[0].name;
  const target = root === "local" ? ctx.locals.get(name) : ctx.variables.get(name);
  if (!target) return loc;
  let cur: Located = deref(target, ctx, depth + 1);
  for (let i = 1; i < steps.length; i++) {
    const s = steps[i]!;
    const key = s.kind === "attr" ? s.name : s.kind === "index" ? literalKey(s.key, cur.file, ctx, depth) : undefined;
    const next = key === undefined ? undefined : member(cur.expr, key);
    if (next) {
      cur = deref({ expr: next, file: cur.file }, ctx, depth + 1);
      continue;
    }
    // Not a literal structure: keep the remaining steps on whatever the reference stood for.
    if (cur.expr.kind === "var" || cur.expr.kind === "traversal" || cur.expr.kind === "call") {
      const rest = steps.slice(i);
      const base = cur.expr.kind === "traversal" ? cur.expr.base : cur.expr;
      const prior = cur.expr.kind === "traversal" ? cur.expr.steps : [];
      return { expr: { kind: "traversal", base, steps: [...prior, ...rest], span: e.span }, file: cur.file };
    }
    return loc;
  }
  return cur;
}

function literalKey(e: HclExpr, file: ParsedTf, ctx: ModuleCtx, depth: number): string | number | undefined {
  const v = staticValue({ expr: e, file }, ctx, depth + 1);
  return typeof v === "string" || typeof v === "number" ? v : undefined;
}

function member(e: HclExpr, key: string | number): HclExpr | undefined {
  if (e.kind === "object") return e.entries.find((en) => en.key === String(key))?.value;
  if (e.kind === "tuple" && typeof key === "number") return e.items[key];
  return undefined;
}

const UNRESOLVED = Symbol("unresolved");
type Static = string | number | boolean | null | Static[] | { [k: string]: Static };

/** The value of an expression when it is fixed in the source (literals, locals, variable defaults), else UNRESOLVED. */
function staticValue(loc: Located, ctx: ModuleCtx, depth = 0): Static | typeof UNRESOLVED {
  if (depth > MAX_DEPTH) return UNRESOLVED;
  const e = loc.expr;
  switch (e.kind) {
    case "literal":
      return e.value;
    case "template": {
      let out = "";
      for (const p of e.parts) {
        if (typeof p === "string") out += p;
        else {
          const v = staticValue({ expr: p, file: loc.file }, ctx, depth + 1);
          if (v === UNRESOLVED || (typeof v === "object" && v !== null)) return UNRESOLVED;
          out += v === null ? "" : String(v);
        }
      }
      return out;
    }
    case "tuple": {
      const items: Static[] = [];
      for (const it of e.items) {
        const v = staticValue({ expr: it, file: loc.file }, ctx, depth + 1);
        if (v === UNRESOLVED) return UNRESOLVED;
        items.push(v);
      }
      return items;
    }
    case "object": {
      const out: Record<string, Static> = {};
      for (const en of e.entries) {
        const k = en.keyExpr.kind === "var" ? en.key : staticValue({ expr: en.keyExpr, file: loc.file }, ctx, depth + 1);
        if (typeof k !== "string") return UNRESOLVED;
        const v = staticValue({ expr: en.value, file: loc.file }, ctx, depth + 1);
        if (v === UNRESOLVED) return UNRESOLVED;
        out[k] = v;
      }
      return out;
    }
    case "traversal":
    case "call": {
      if (e.kind === "call" && e.name === "jsonencode" && e.args.length === 1) {
        const v = staticValue({ expr: e.args[0]!, file: loc.file }, ctx, depth + 1);
        return v === UNRESOLVED ? UNRESOLVED : JSON.stringify(v);
      }
      const d = deref(loc, ctx, depth + 1);
      if (d.expr === e) return UNRESOLVED;
      return staticValue(d, ctx, depth + 1);
    }
    default:
      return UNRESOLVED;
  }
}

function staticString(loc: Located, ctx: ModuleCtx): string | undefined {
  const v = staticValue(loc, ctx);
  return typeof v === "string" ? v : undefined;
}

function sourceText(loc: Located | { file: ParsedTf; span: Span }, span?: Span): string {
  const s = span ?? ("expr" in loc ? loc.expr.span : loc.span);
  return loc.file.text.slice(s.start, s.end).replace(/\s+/g, " ").trim();
}

// ---------------------------------------------------------------------------------------------------------
// One token resource

type Problems = { message: string; span: Span }[];

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
  for (const d of b.body.blocks) {
    if (d.type === "dynamic" && d.labels[0]?.value === "policy") {
      problems.push({ message: `cannot resolve a dynamic "policy" block in ${address}: its policies are not read`, span: d.span });
    }
  }
  if (policyBlocks.length) {
    token.terraformVersion = 4;
    token.policiesSpan = policyBlocks[policyBlocks.length - 1]!.span;
  }

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
          problems.push({ message: `cannot resolve a policy of ${address}: ${sourceText(it)}`, span: where });
          continue;
        }
        const get = (k: string) => it.expr.kind === "object" ? it.expr.entries.find((en) => en.key === k)?.value : undefined;
        const pol = readPolicy(where, get("effect"), get("permission_groups"), get("resources"), 5, it.file, ctx, problems, where);
        if (it.file !== f) respanPolicy(pol, where);
        token.policies.push(pol);
      }
    } else {
      problems.push({ message: `cannot resolve the policies of ${address}: ${sourceText({ expr: policiesAttr.value, file: f })}`, span: policiesAttr.value.span });
    }
  }
  if (!policiesAttr && policyBlocks.length === 0) {
    problems.push({ message: `${address} has no policy`, span: b.typeSpan });
  }

  for (const key of ["expires_on", "not_before"] as const) {
    const a = attr(key);
    if (!a) continue;
    const v = staticString({ expr: a.value, file: f }, ctx);
    if (v !== undefined) {
      if (key === "expires_on") token.expiresOn = { value: v, span: a.value.span };
      else token.notBefore = { value: v, span: a.value.span };
    } else if (!(a.value.kind === "literal" && a.value.value === null)) {
      problems.push({ message: `cannot resolve ${key}: ${sourceText({ expr: a.value, file: f })}`, span: a.value.span });
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
    else problems.push({ message: `cannot resolve the policy effect (read as "allow"): ${sourceText({ expr: effectExpr, file: f })}`, span: effectExpr.span });
  }
  const policy: TokenPolicy = {
    span,
    effect,
    groups: [],
    groupsSpan: groupsExpr?.span ?? fallback,
    resources: [],
    resourcesSpan: resourcesExpr?.span ?? fallback,
  };
  if (!groupsExpr) problems.push({ message: "policy without permission_groups", span: fallback });
  else {
    const list = deref({ expr: groupsExpr, file: f }, ctx);
    if (list.expr.kind === "tuple") {
      for (const item of list.expr.items) {
        const g = readGroup({ expr: item, file: list.file }, version, ctx, problems, list.file === f ? undefined : groupsExpr.span);
        if (g) policy.groups.push(g);
      }
    } else {
      problems.push({ message: `cannot resolve permission_groups: ${sourceText({ expr: groupsExpr, file: f })}`, span: groupsExpr.span });
    }
  }
  if (!resourcesExpr) problems.push({ message: "policy without resources", span: fallback });
  else policy.resources = readResources({ expr: resourcesExpr, file: f }, ctx, problems, f, resourcesExpr.span);
  return policy;
}

// ---------------------------------------------------------------------------------------------------------
// Permission groups

/** Reads one entry of permission_groups; `spanOverride` when the list came from another file. */
function readGroup(item: Located, version: 4 | 5, ctx: ModuleCtx, problems: Problems, spanOverride?: Span): GrantedGroup | undefined {
  const span = spanOverride ?? item.expr.span;
  let idExpr: Located = item;
  const d = deref(item, ctx);
  if (d.expr.kind === "object") {
    // v5 `{ id = "…" }` (a v4 list of objects is not valid, but read it the same way).
    const idEntry = d.expr.entries.find((en) => en.key === "id");
    if (!idEntry) {
      problems.push({ message: `permission group without an id: ${sourceText(d)}`, span });
      return { written: sourceText(d), span };
    }
    idExpr = { expr: idEntry.value, file: d.file };
  } else if (version === 5 && d.expr.kind === "literal") {
    problems.push({ message: `v5 permission_groups entries are objects: write { id = "…" }`, span });
  }
  const r = resolveGroupId(idExpr, ctx, 0);
  const group: GrantedGroup = { written: r.written ?? sourceText(idExpr), span };
  if (r.id) group.id = r.id.toLowerCase();
  if (r.name) group.name = r.name;
  if (r.problem) problems.push({ message: r.problem, span });
  return group;
}

interface GroupResolution {
  id?: string;
  name?: string;
  written?: string;
  problem?: string;
}

const HEX32 = /^[0-9a-fA-F]{32}$/;

function resolveGroupId(loc: Located, ctx: ModuleCtx, depth: number): GroupResolution {
  const written = sourceText(loc);
  const d = deref(loc, ctx);
  const e = d.expr;
  if (e.kind === "literal" && typeof e.value === "string") {
    if (HEX32.test(e.value)) {
      const g = catalog().byId(e.value);
      return g
        ? { id: e.value, name: g.name, written: e.value }
        : { id: e.value, written: e.value, problem: `permission group id ${e.value} is not in the catalog` };
    }
    return byName(e.value, undefined, e.value, `"${e.value}" is not a permission group id`);
  }
  const path = traversalPath(e);
  // v4: data.cloudflare_api_token_permission_groups.X.account["Name"]
  if (path && path.length === 5 && path[0] === "data" && typeof path[4] === "string" && typeof path[3] === "string" && path[3] in V4_MAPS) {
    return byName(path[4], V4_MAPS[path[3]], `${path[3]}["${path[4]}"]`);
  }
  // v5: one([for g in data.X.Y.result : g if g.name == "Name"]).id, [for …][0].id, data.X.Y.result[0].id
  if (e.kind === "traversal" && depth < MAX_DEPTH) {
    const last = e.steps[e.steps.length - 1];
    if (last?.kind === "attr" && last.name === "id") {
      const baseSteps = e.steps.slice(0, -1);
      const name = listLookupName(e.base, baseSteps, d.file, ctx);
      if (name) return byName(name.name, name.scope, name.name);
    }
  }
  return { written, problem: `cannot resolve permission group ${written}` };
}

function byName(name: string, scope: Scope | undefined, written: string, notFound?: string): GroupResolution {
  const g = catalog().lookup(name, scope) ?? (scope ? catalog().lookup(name) : undefined);
  if (g) return { id: g.id, name: g.name, written };
  return { written, problem: notFound ?? `unknown permission group "${name}"${scope ? ` (${scope})` : ""}` };
}

const LIST_SOURCES = /permission_groups(_list)?$/;

/** The group name selected by a v5 list data source lookup, or undefined. */
function listLookupName(base: HclExpr, steps: HclStep[], file: ParsedTf, ctx: ModuleCtx): { name: string; scope?: Scope } | undefined {
  // one([for …])
  if (steps.length === 0 && base.kind === "call" && base.name === "one" && base.args.length === 1) {
    const a = deref({ expr: base.args[0]!, file }, ctx);
    return forFilterName(a.expr, a.file, ctx);
  }
  // [for …][0]
  if (steps.length === 1 && steps[0]!.kind === "index" && base.kind === "for") return forFilterName(base, file, ctx);
  // data.T.X.result[0]
  const path = traversalPath({ kind: "traversal", base, steps, span: base.span });
  if (path && path.length === 5 && path[0] === "data" && path[3] === "result" && path[4] === 0 && typeof path[1] === "string" && LIST_SOURCES.test(path[1])) {
    const src = ctx.data.get(`${path[1]}.${path[2]}`);
    if (!src) return undefined;
    const nameAttr = src.block.body.attributes.find((a) => a.name === "name");
    const scopeAttr = src.block.body.attributes.find((a) => a.name === "scope");
    const raw = nameAttr ? staticString({ expr: nameAttr.value, file: src.file }, ctx) : undefined;
    if (!raw) return undefined;
    const scopeRaw = scopeAttr ? staticString({ expr: scopeAttr.value, file: src.file }, ctx) : undefined;
    return { name: urlDecode(raw), scope: scopeFromFilter(scopeRaw) };
  }
  return undefined;
}

function forFilterName(e: HclExpr, file: ParsedTf, ctx: ModuleCtx): { name: string; scope?: Scope } | undefined {
  if (e.kind !== "for" || !e.tuple || !e.cond) return undefined;
  const coll = traversalPath(e.collection);
  if (!coll || coll[0] !== "data" || typeof coll[1] !== "string" || !LIST_SOURCES.test(coll[1]) || coll[coll.length - 1] !== "result") return undefined;
  return condName(e.cond, e.valueVar, file, ctx);
}

function condName(c: HclExpr, v: string, file: ParsedTf, ctx: ModuleCtx): { name: string; scope?: Scope } | undefined {
  if (c.kind !== "binary") return undefined;
  if (c.op === "&&") return condName(c.left, v, file, ctx) ?? condName(c.right, v, file, ctx);
  if (c.op !== "==") return undefined;
  const isName = (x: HclExpr) => {
    const p = traversalPath(x);
    return !!p && p.length === 2 && p[0] === v && p[1] === "name";
  };
  const other = isName(c.left) ? c.right : isName(c.right) ? c.left : undefined;
  if (!other) return undefined;
  const s = staticString({ expr: other, file }, ctx);
  return s ? { name: s } : undefined;
}

function urlDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

function scopeFromFilter(s: string | undefined): Scope | undefined {
  if (!s) return undefined;
  const v = urlDecode(s);
  if (v.includes("r2")) return "r2-bucket";
  if (v.includes("zone")) return "zone";
  if (v.includes("user")) return "user";
  if (v.includes("account")) return "account";
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Resources

function readResources(loc: Located, ctx: ModuleCtx, problems: Problems, tokenFile: ParsedTf, whereSpan: Span, depth = 0): GrantedResource[] {
  const d = deref(loc, ctx);
  const e = d.expr;
  const sameFile = d.file === tokenFile;
  if (e.kind === "call" && e.name === "jsonencode" && e.args.length === 1 && depth < MAX_DEPTH) {
    return readResources({ expr: e.args[0]!, file: d.file }, ctx, problems, tokenFile, whereSpan, depth + 1);
  }
  if (e.kind === "object") {
    const out: GrantedResource[] = [];
    for (const en of e.entries) {
      const key = resourceKey({ expr: en.keyExpr, file: d.file }, en.key, ctx);
      const vLoc = deref({ expr: en.value, file: d.file }, ctx);
      let value: string | GrantedResource[];
      if (vLoc.expr.kind === "object" || (vLoc.expr.kind === "call" && vLoc.expr.name === "jsonencode")) {
        value = readResources(vLoc, ctx, problems, tokenFile, sameFile ? en.value.span : whereSpan, depth + 1);
      } else {
        const s = staticString(vLoc, ctx);
        if (s !== undefined && s.trim().startsWith("{")) value = jsonResources(s, sameFile ? en.value.span : whereSpan, problems);
        else if (s !== undefined) value = s;
        else {
          value = sourceText(vLoc);
          problems.push({ message: `cannot resolve the value of resource ${key}: ${value}`, span: sameFile ? en.value.span : whereSpan });
        }
      }
      out.push({ key, value, span: sameFile ? en.span : whereSpan, keySpan: sameFile ? en.keySpan : whereSpan });
    }
    return out;
  }
  const s = staticString(d, ctx);
  if (s !== undefined && s.trim().startsWith("{")) return jsonResources(s, whereSpan, problems);
  problems.push({ message: `cannot resolve resources: ${sourceText(d)}`, span: whereSpan });
  return [];
}

/** A resource key with local values filled in and other interpolations left as written (`${var.account_id}`). */
function resourceKey(loc: Located, fallback: string, ctx: ModuleCtx): string {
  const e = loc.expr;
  if (e.kind === "literal") return String(e.value);
  if (e.kind === "var") return e.name;
  if (e.kind !== "template") return fallback;
  let out = "";
  for (const p of e.parts) {
    if (typeof p === "string") {
      out += p;
      continue;
    }
    const path = traversalPath(p);
    const v = path && path[0] === "local" ? staticValue({ expr: p, file: loc.file }, ctx) : UNRESOLVED;
    out += typeof v === "string" || typeof v === "number" ? String(v) : `\${${sourceText({ expr: p, file: loc.file })}}`;
  }
  return out;
}

/** Resources written as a JSON string (v5.13+ without jsonencode). Spans are the string's. */
function jsonResources(s: string, span: Span, problems: Problems): GrantedResource[] {
  let v: unknown;
  try {
    v = JSON.parse(s);
  } catch {
    problems.push({ message: "resources is not valid JSON", span });
    return [];
  }
  const conv = (o: unknown): GrantedResource[] =>
    o && typeof o === "object" && !Array.isArray(o)
      ? Object.entries(o as Record<string, unknown>).map(([key, val]) => ({
          key,
          value: typeof val === "string" ? val : conv(val),
          span,
          keySpan: span,
        }))
      : [];
  return conv(v);
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
    const v = staticValue(l, ctx);
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
    if (v === null) return [];
    problems.push({ message: `cannot resolve request_ip.${what}: ${sourceText(l)}`, span: l.file === f ? l.expr.span : lists.span });
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
