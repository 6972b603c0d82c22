// A live token as the Cloudflare API returns it (GET /user/tokens/{id}, GET /accounts/{account_id}/tokens/{id};
// field list from the API reference and cloudflare-typescript's `Token`: id, name, status, issued_on,
// modified_on, last_used_on, expires_on, not_before, condition.request_ip {in, not_in}, policies [{id, effect,
// permission_groups [{id, name, meta}], resources}]) turned into the engine's token model. Pure.
//
// Only the fields above are copied, into a canonical create-token-shaped JSON text that the JSON token reader
// (tokens/json.ts) then reads like any other token body. Anything else in the answer, in particular a `value`
// (the secret, which the API returns only when a token is created or rolled), never enters the text, the model
// or any output.
import type { Host } from "../host.js";
import type { TokenDefinition } from "../model/token.js";
import { readJsonTokens } from "../tokens/json.js";

export type TokenOwner = "user" | "account";

/** Where the live token lives: its owner and, for account-owned tokens, the account. */
export interface LiveTokenSource {
  owner: TokenOwner;
  accountId?: string;
}

/** A live token read into the engine's model, with the canonical text its spans point into. */
export interface LiveToken {
  id: string;
  name: string;
  owner: TokenOwner;
  accountId?: string;
  /** The canonical JSON the definition was read from (no secret value can be in it). */
  text: string;
  definition: TokenDefinition;
}

/** Virtual files of live tokens start with this; no Host answers for them (see withoutLiveFiles). */
export const LIVE_FILE_PREFIX = "cloudflare-api:";

/** The live token's virtual file name: its API path, e.g. `cloudflare-api:/user/tokens/<id>`. */
export function liveTokenFile(src: LiveTokenSource, id: string): string {
  const base = src.owner === "account" ? `/accounts/${src.accountId ?? "{account_id}"}/tokens` : "/user/tokens";
  return `${LIVE_FILE_PREFIX}${base}/${id}`;
}

export function isLiveFile(path: string): boolean {
  return path.startsWith(LIVE_FILE_PREFIX);
}

/** A Host that never answers for live-token files, so no real file can stand in for one. */
export function withoutLiveFiles(host: Host): Host {
  return {
    readFile: (p) => (isLiveFile(p) ? undefined : host.readFile(p)),
    fileExists: (p) => !isLiveFile(p) && host.fileExists(p),
    readDirectory: (p) => (isLiveFile(p) ? [] : host.readDirectory(p)),
    realPath: (p) => (isLiveFile(p) ? undefined : host.realPath?.(p)),
  };
}

const HEX32 = /^[0-9a-f]{32}$/i;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function copyResources(v: unknown): Json {
  const out: Json = {};
  if (!isObject(v)) return out;
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === "string") out[k] = val;
    else if (isObject(val)) {
      const inner: Json = {};
      for (const [ik, iv] of Object.entries(val)) if (typeof iv === "string") inner[ik] = iv;
      out[k] = inner;
    }
  }
  return out;
}

function copyPolicy(p: unknown): Json | undefined {
  if (!isObject(p)) return undefined;
  const groups = Array.isArray(p.permission_groups)
    ? p.permission_groups.filter(isObject).map((g) => {
        const o: Json = {};
        if (typeof g.id === "string") o.id = g.id;
        if (typeof g.name === "string") o.name = g.name;
        return o;
      })
    : [];
  const out: Json = {
    effect: typeof p.effect === "string" ? p.effect : "allow",
    permission_groups: groups,
    resources: copyResources(p.resources),
  };
  if (typeof p.id === "string") out.id = p.id;
  return out;
}

/** The fields of the answer that are copied, in the order they are written. */
const DATES = ["expires_on", "not_before", "issued_on", "modified_on", "last_used_on"] as const;

/**
 * Reads one token object (the API answer's `result`). Never throws; a shape it cannot use gives `error`.
 * `file` defaults to the token's API path (liveTokenFile).
 */
export function readLiveToken(result: unknown, src: LiveTokenSource, file?: string): LiveToken | { error: string } {
  if (!isObject(result)) return { error: "the API answer holds no token object" };
  const id = typeof result.id === "string" ? result.id : "";
  if (!HEX32.test(id)) return { error: "the API answer holds no token id" };
  const name = typeof result.name === "string" ? result.name : "(unnamed token)";
  const body: Json = { id, name };
  if (typeof result.status === "string") body.status = result.status;
  for (const k of DATES) if (typeof result[k] === "string") body[k] = result[k];
  const cond = isObject(result.condition) ? result.condition : undefined;
  // The API reference writes request_ip; the create-via-API docs and cloudflare-go write "request.ip".
  const rip =
    cond &&
    (isObject(cond.request_ip) ? cond.request_ip : isObject(cond["request.ip"]) ? cond["request.ip"] : undefined);
  if (rip && (strings(rip.in).length || strings(rip.not_in).length))
    body.condition = { request_ip: { in: strings(rip.in), not_in: strings(rip.not_in) } };
  const policies = Array.isArray(result.policies) ? result.policies.map(copyPolicy).filter((p): p is Json => !!p) : [];
  body.policies = policies;
  if (!policies.length) return { error: `token ${id} has no policies in the API answer` };
  const text = JSON.stringify(body, null, 2) + "\n";
  const path = file ?? liveTokenFile(src, id);
  const read = readJsonTokens(path, text).tokens;
  const definition = read[0];
  if (!definition || read.length !== 1) return { error: `token ${id}: its policies could not be read` };
  definition.owner = src.owner;
  definition.live = {
    id,
    status: typeof body.status === "string" ? body.status : undefined,
    accountId: src.accountId,
    issuedOn: typeof body.issued_on === "string" ? body.issued_on : undefined,
    modifiedOn: typeof body.modified_on === "string" ? body.modified_on : undefined,
    lastUsedOn: typeof body.last_used_on === "string" ? body.last_used_on : undefined,
  };
  return { id, name, owner: src.owner, accountId: src.accountId, text, definition };
}
