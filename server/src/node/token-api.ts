// The only HTTP client besides `record`'s proxy: reads one API token's details from Cloudflare with GET requests
// (nothing is ever changed), for `audit` and the editor's *Audit Live Token…*. Endpoints (Cloudflare API
// reference): GET /user/tokens/{id}, GET /accounts/{account_id}/tokens/{id}, the list endpoints with the `name`
// filter (changelog 2026-06-25, shared facts-2026-12.md) and page/per_page (max 50) pagination, and
// GET …/tokens/verify for --self. The reading token goes only into the Authorization header of these requests to
// the API base; it is never put in a message, a log line or a file. Plain http is refused except to loopback.
import { callPath, clean, explainApiFailure, type ApiErrorEntry, type ApiFailure } from "../core/audit/errors.js";
import type { LiveTokenSource, TokenOwner } from "../core/audit/live.js";

export const DEFAULT_API_BASE = "https://api.cloudflare.com/client/v4";
const PER_PAGE = 50;
const MAX_PAGES = 40;
const HEX32 = /^[0-9a-f]{32}$/i;

export interface TokenApiOptions {
  /** API base, e.g. https://api.cloudflare.com/client/v4 (CLOUDFLARE_API_BASE_URL overrides it for tests). */
  base: string;
  /** The reading token. */
  token: string;
  timeoutMs?: number;
}

export type Lookup = { by: "id"; id: string } | { by: "name"; name: string } | { by: "self" };

export type LookupResult =
  | { ok: true; result: unknown; source: LiveTokenSource; requests: string[] }
  | { ok: false; message: string; requests: string[] };

/** Why the options cannot be used, or undefined. Checked before any request is made. */
export function checkApiOptions(o: TokenApiOptions): string | undefined {
  let url: URL;
  try {
    url = new URL(o.base);
  } catch {
    return `the API base "${clean(o.base, 100)}" is not a URL`;
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback))
    return `the API base must be an https:// URL (plain http only to 127.0.0.1), got ${url.protocol}//${url.host}`;
  if (!o.token) return "no reading token";
  if (/[\s\u0000-\u001f\u007f]/.test(o.token))
    return "the reading token contains whitespace or control characters (put the bare token in the variable)";
  return undefined;
}

interface Answer {
  status: number;
  body?: { success?: unknown; errors?: unknown; result?: unknown; result_info?: unknown };
  network?: string;
}

function errorsOf(body: Answer["body"]): ApiErrorEntry[] {
  if (!body || !Array.isArray(body.errors)) return [];
  return body.errors
    .filter((e): e is Record<string, unknown> => typeof e === "object" && e !== null)
    .map((e) => ({
      code: Number(e.code) || 0,
      message: typeof e.message === "string" ? e.message : "",
      documentationUrl: typeof e.documentation_url === "string" ? e.documentation_url : undefined,
    }));
}

class Client {
  readonly requests: string[] = [];
  constructor(private readonly o: TokenApiOptions) {}

  async get(path: string): Promise<Answer> {
    const url = this.o.base.replace(/\/+$/, "") + path;
    let a: Answer;
    try {
      const res = await fetch(url, {
        method: "GET",
        headers: {
          authorization: `Bearer ${this.o.token}`,
          accept: "application/json",
          "user-agent": "wrangler-token-lint",
        },
        redirect: "error",
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 30000),
      });
      const text = await res.text();
      let body: Answer["body"];
      try {
        body = JSON.parse(text) as Answer["body"];
      } catch {
        body = undefined;
      }
      a = { status: res.status, body };
    } catch (e) {
      const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : "";
      a = { status: 0, network: `${e instanceof Error ? e.message : String(e)}${cause}` };
    }
    this.requests.push(`GET ${url} → ${a.status || "no answer"}`);
    return a;
  }
}

function ok(a: Answer): boolean {
  return a.status >= 200 && a.status < 300 && !!a.body && a.body.success !== false;
}

function failure(a: Answer, f: Omit<ApiFailure, "status" | "errors" | "network">): string {
  if (a.status >= 200 && a.status < 300 && !a.body)
    return `GET ${callPath(f)}: the answer is not JSON; is the API base right?`;
  return explainApiFailure({ ...f, status: a.status, errors: errorsOf(a.body), network: a.network });
}

function basePath(src: LiveTokenSource): string {
  return src.owner === "account" ? `/accounts/${src.accountId}/tokens` : "/user/tokens";
}

async function getById(
  c: Client,
  src: LiveTokenSource,
  id: string,
): Promise<{ result: unknown } | { message: string }> {
  const a = await c.get(`${basePath(src)}/${id}`);
  if (!ok(a)) return { message: failure(a, { call: "get", owner: src.owner, accountId: src.accountId, tokenId: id }) };
  return { result: a.body!.result };
}

async function findByName(
  c: Client,
  src: LiveTokenSource,
  name: string,
): Promise<{ id: string } | { message: string }> {
  const matches: { id: string; status: string }[] = [];
  for (let page = 1; ; page++) {
    if (page > MAX_PAGES)
      return {
        message: `more than ${MAX_PAGES * PER_PAGE} tokens are listed for that name filter: pass --token-id instead`,
      };
    const q = new URLSearchParams({ name, page: String(page), per_page: String(PER_PAGE) });
    if (src.owner === "account") q.set("include_expired", "true");
    const a = await c.get(`${basePath(src)}?${q.toString()}`);
    if (!ok(a)) return { message: failure(a, { call: "list", owner: src.owner, accountId: src.accountId }) };
    const items = Array.isArray(a.body!.result) ? (a.body!.result as unknown[]) : [];
    for (const it of items) {
      const t = it as { id?: unknown; name?: unknown; status?: unknown };
      // The filter's matching rule is not documented: keep exact names only.
      if (t.name === name && typeof t.id === "string" && HEX32.test(t.id))
        matches.push({ id: t.id, status: typeof t.status === "string" ? t.status : "?" });
    }
    const info = a.body!.result_info as { total_pages?: unknown } | undefined;
    const total = typeof info?.total_pages === "number" ? info.total_pages : undefined;
    if (items.length < PER_PAGE || (total !== undefined && page >= total)) break;
  }
  const where = src.owner === "account" ? `account ${src.accountId}` : "your user";
  if (!matches.length)
    return {
      message: `no token named "${clean(name, 120)}" among the tokens of ${where} that the reading token can list${src.owner === "user" ? " (an account-owned token needs --account-id)" : ""}`,
    };
  if (matches.length > 1)
    return {
      message: `${matches.length} tokens of ${where} are named "${clean(name, 120)}": ${matches.map((m) => `${m.id} (${m.status})`).join(", ")}; pass --token-id`,
    };
  return { id: matches[0]!.id };
}

async function verify(c: Client, src: LiveTokenSource): Promise<{ id: string } | { message: string }> {
  const a = await c.get(`${basePath(src)}/verify`);
  if (!ok(a)) return { message: failure(a, { call: "verify", owner: src.owner, accountId: src.accountId }) };
  const id = (a.body!.result as { id?: unknown } | undefined)?.id;
  return typeof id === "string" && HEX32.test(id)
    ? { id }
    : { message: `GET ${callPath({ call: "verify", ...src })}: the answer holds no token id` };
}

/** Which owner --self should ask first: the value's prefix (cfat_ account, cfut_ user; token-formats docs). */
function selfOwners(token: string, given: { owner?: TokenOwner; accountId?: string }): TokenOwner[] {
  if (given.owner) return [given.owner];
  if (token.startsWith("cfat_")) return ["account"];
  if (token.startsWith("cfut_")) return ["user"];
  return given.accountId ? ["account", "user"] : ["user"];
}

/** Reads the token's details. Never throws; never puts the reading token into a message. */
export async function fetchLiveToken(
  o: TokenApiOptions,
  lookup: Lookup,
  given: { owner?: TokenOwner; accountId?: string },
): Promise<LookupResult> {
  const bad = checkApiOptions(o);
  if (bad) return { ok: false, message: bad, requests: [] };
  const c = new Client(o);
  const done = (r: { result: unknown } | { message: string }, src: LiveTokenSource): LookupResult =>
    "message" in r
      ? { ok: false, message: r.message, requests: c.requests }
      : { ok: true, result: r.result, source: src, requests: c.requests };
  if (lookup.by === "self") {
    const errors: string[] = [];
    for (const owner of selfOwners(o.token, given)) {
      if (owner === "account" && !given.accountId) {
        errors.push("an account-owned token (cfat_…) is verified through its account: pass --account-id");
        continue;
      }
      const src: LiveTokenSource = { owner, accountId: given.accountId };
      const v = await verify(c, src);
      if ("id" in v) return done(await getById(c, src, v.id), src);
      errors.push(v.message);
    }
    return { ok: false, message: errors.join("\n"), requests: c.requests };
  }
  const owner = given.owner ?? (given.accountId ? "account" : "user");
  if (owner === "account" && !given.accountId)
    return { ok: false, message: "an account-owned token needs --account-id", requests: [] };
  const src: LiveTokenSource = { owner, accountId: given.accountId };
  if (lookup.by === "id") return done(await getById(c, src, lookup.id), src);
  const found = await findByName(c, src, lookup.name);
  if ("message" in found) return { ok: false, message: found.message, requests: c.requests };
  return done(await getById(c, src, found.id), src);
}
