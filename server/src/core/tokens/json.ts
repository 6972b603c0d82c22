// Cloudflare create-token JSON bodies (POST /user/tokens, POST /accounts/{id}/tokens; shared research
// permissions.md §3, from the API schema and cloudflare-typescript's TokenPolicy): found by shape, so a file may
// hold one body, an array of bodies, or an API response with the body (or a list of them) under "result".
// Permission groups are `{ "id": … }` and/or `{ "name": … }`; names and dashboard labels ("Workers Scripts:
// Edit") resolve through the catalog. Uses jsonc-parser directly because files may hold an array at the top.
import { parseTree } from "jsonc-parser";
import type { Node as JsonNode, ParseError } from "jsonc-parser";
import { catalog } from "../permissions/catalog.js";
import type { Problem } from "../problems.js";
import { syntaxErrorSpan } from "../parse/toml.js";
import { clampTree } from "../parse/jsonc.js";
import type { Span } from "../source.js";
import type { GrantedGroup, GrantedResource, TokenDefinition, TokenPolicy } from "../model/token.js";
import { workerRole } from "../permissions/worker-roles.js";

type Problems = { message: string; span: Span; affectsGrants?: boolean }[];

/** Cheap test before parsing: the text mentions both "policies" and "permission_groups" as keys. */
export function looksLikeTokenJson(text: string): boolean {
  return /"policies"\s*:/.test(text) && /"permission_groups"\s*:/.test(text);
}

/** The token bodies in a JSON/JSONC file. Never throws. */
export function readJsonToken(path: string, text: string): TokenDefinition[] {
  return readJsonTokens(path, text).tokens;
}

/** The token bodies in a JSON/JSONC file and the file's syntax problems. Never throws. */
export function readJsonTokens(path: string, text: string): { tokens: TokenDefinition[]; problems: Problem[] } {
  const errors: ParseError[] = [];
  let root: JsonNode | undefined;
  try {
    root = clampTree(parseTree(text, errors, { allowTrailingComma: true, disallowComments: false }), text.length);
  } catch {
    root = undefined;
  }
  // The same span rule as config files (inside the text, one problem per place; parse/toml.ts syntaxErrorSpan).
  const problems: Problem[] = [];
  for (const e of errors.slice(0, 20)) {
    const span = syntaxErrorSpan(text, e.offset, e.length);
    if (problems.some((p) => p.span.start === span.start)) continue;
    problems.push({ code: "json-syntax", severity: "error", message: "JSON syntax error", span });
  }
  const tokens: TokenDefinition[] = [];
  if (root) {
    try {
      find(root, path, text, tokens, 0);
    } catch {
      // Nesting too deep for the stack: whatever was read so far is kept.
    }
  }
  return { tokens, problems };
}

const spanOf = (n: JsonNode): Span => ({ start: n.offset, end: n.offset + n.length });

function prop(obj: JsonNode | undefined, key: string): JsonNode | undefined {
  if (!obj || obj.type !== "object") return undefined;
  for (const p of obj.children ?? []) {
    const [k, v] = p.children ?? [];
    if (k && k.value === key) return v;
  }
  return undefined;
}

function propNode(obj: JsonNode, key: string): JsonNode | undefined {
  return (obj.children ?? []).find((p) => p.children?.[0]?.value === key);
}

function isTokenBody(n: JsonNode): boolean {
  const pols = prop(n, "policies");
  if (!pols || pols.type !== "array") return false;
  const items = pols.children ?? [];
  return (
    items.length > 0 &&
    items.every((i) => i.type === "object") &&
    items.some((i) => prop(i, "permission_groups") !== undefined || prop(i, "resources") !== undefined)
  );
}

function find(n: JsonNode, path: string, text: string, out: TokenDefinition[], depth: number): void {
  if (depth > 8) return;
  if (n.type === "object") {
    if (isTokenBody(n)) {
      out.push(readBody(n, path));
      return;
    }
    for (const p of n.children ?? []) {
      const v = p.children?.[1];
      if (v && (v.type === "object" || v.type === "array")) find(v, path, text, out, depth + 1);
    }
  } else if (n.type === "array") {
    for (const c of n.children ?? [])
      if (c.type === "object" || c.type === "array") find(c, path, text, out, depth + 1);
  }
}

function readBody(n: JsonNode, path: string): TokenDefinition {
  const problems: Problems = [];
  const nameNode = prop(n, "name");
  const policiesNode = prop(n, "policies")!;
  const token: TokenDefinition = {
    format: "api-json",
    owner: "unknown",
    file: path,
    span: spanOf(n),
    name: typeof nameNode?.value === "string" ? nameNode.value : "(unnamed token)",
    nameSpan: nameNode ? spanOf(nameNode) : undefined,
    policies: [],
    policiesSpan: spanOf(policiesNode),
    secretLinks: [],
    problems,
  };
  for (const p of policiesNode.children ?? []) token.policies.push(readPolicy(p, problems));
  for (const key of ["expires_on", "not_before"] as const) {
    const v = prop(n, key);
    if (v && typeof v.value === "string") {
      if (key === "expires_on") token.expiresOn = { value: v.value, span: spanOf(v) };
      else token.notBefore = { value: v.value, span: spanOf(v) };
    }
  }
  // The API's key is "request.ip" (create-via-api docs, cloudflare-go `json:"request.ip"`); its reference page
  // renders it "request_ip", so both are read (facts-2026-12.md "Tokens").
  const condProp = propNode(n, "condition");
  const rip = prop(prop(n, "condition"), "request.ip") ?? prop(prop(n, "condition"), "request_ip");
  if (condProp && rip) {
    const list = (k: string) =>
      (prop(rip, k)?.children ?? []).filter((c) => typeof c.value === "string").map((c) => c.value as string);
    token.ipCondition = { in: list("in"), notIn: list("not_in"), span: spanOf(condProp) };
  }
  return token;
}

function readPolicy(p: JsonNode, problems: Problems): TokenPolicy {
  const effectNode = prop(p, "effect");
  const groupsNode = prop(p, "permission_groups");
  const resourcesNode = prop(p, "resources");
  let effect: "allow" | "deny" = "allow";
  if (effectNode) {
    if (effectNode.value === "allow" || effectNode.value === "deny") effect = effectNode.value;
    else problems.push({ message: `effect must be "allow" or "deny" (read as "allow")`, span: spanOf(effectNode) });
  }
  const policy: TokenPolicy = {
    span: spanOf(p),
    effect,
    groups: [],
    groupsSpan: groupsNode ? spanOf(groupsNode) : spanOf(p),
    resources: [],
    resourcesSpan: resourcesNode ? spanOf(resourcesNode) : spanOf(p),
  };
  if (!groupsNode || groupsNode.type !== "array")
    problems.push({
      message: "policy without a permission_groups list",
      span: spanOf(groupsNode ?? p),
      affectsGrants: true,
    });
  else for (const g of groupsNode.children ?? []) policy.groups.push(readGroup(g, problems));
  if (!resourcesNode || resourcesNode.type !== "object")
    problems.push({
      message: "policy without a resources object",
      span: spanOf(resourcesNode ?? p),
      affectsGrants: true,
    });
  else policy.resources = readResources(resourcesNode, problems);
  return policy;
}

const HEX32 = /^[0-9a-fA-F]{32}$/;

function readGroup(g: JsonNode, problems: Problems): GrantedGroup {
  const span = spanOf(g);
  let id: string | undefined;
  let name: string | undefined;
  if (g.type === "object") {
    const idv = prop(g, "id")?.value;
    const namev = prop(g, "name")?.value;
    if (typeof idv === "string") id = idv;
    if (typeof namev === "string") name = namev;
  } else if (g.type === "string" && typeof g.value === "string") {
    // Not the API's shape, but seen in hand-written lists: a bare id or name.
    if (HEX32.test(g.value)) id = g.value;
    else name = g.value;
  }
  const written = name ?? id ?? "";
  // Per-Worker groups ("Individual Workers Editor") have no published id: they are known by name only.
  const role = name !== undefined ? workerRole(name) : undefined;
  if (id !== undefined) {
    const byId = catalog().byId(id);
    if (byId) return { id: id.toLowerCase(), written, name: byId.name, span };
    if (role) return { id, written, name: role.name, span };
    const byName = name ? catalog().lookup(name) : undefined;
    problems.push({ message: `permission group id ${id} is not in the catalog`, span, affectsGrants: !byName });
    return { id: id.toLowerCase(), written, name: byName?.name, span };
  }
  if (name !== undefined) {
    const byName = catalog().lookup(name);
    if (byName) return { id: byName.id, written, name: byName.name, span };
    if (role) return { written, name: role.name, span };
    problems.push({ message: `unknown permission group "${name}"`, span, affectsGrants: true });
    return { written, span };
  }
  problems.push({ message: "permission group without an id or a name", span, affectsGrants: true });
  return { written: "", span };
}

function readResources(obj: JsonNode, problems: Problems): GrantedResource[] {
  const out: GrantedResource[] = [];
  for (const p of obj.children ?? []) {
    const [k, v] = p.children ?? [];
    if (!k || typeof k.value !== "string") continue;
    let value: string | GrantedResource[];
    if (v?.type === "object") value = readResources(v, problems);
    else if (v && typeof v.value === "string") value = v.value;
    else {
      value = "";
      problems.push({
        message: `resource ${k.value} must map to "*" or an object`,
        span: spanOf(v ?? p),
        affectsGrants: true,
      });
    }
    out.push({ key: k.value, value, span: spanOf(p), keySpan: spanOf(k) });
  }
  return out;
}
