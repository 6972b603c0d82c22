// A mock of Cloudflare's token-reading endpoints on 127.0.0.1 (v4 envelope), for `audit` and the editor's
// *Audit Live Token…*: GET /user/tokens/verify, /user/tokens/{id}, /user/tokens?name=&page=&per_page=, and the
// same under /accounts/{account_id}/tokens. Shapes follow the API reference (Token: id, name, status, issued_on,
// modified_on, last_used_on, expires_on, not_before, condition.request_ip, policies; list pages with
// result_info {page, per_page, count, total_count, total_pages}, per_page 5..50; the account list leaves out
// expired tokens unless include_expired=true). Refusals use the codes the audit explains: 6003/6111 for a
// malformed bearer value, 1000 for an unknown token, 9109 with a documentation_url for a token without read
// rights, 7003 for an unknown token id. Every request is recorded (method, path, whether a bearer was sent, never
// its value); anything but GET is answered 405 and lands in `refused`, which tests assert empty.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface MockToken {
  id: string;
  name: string;
  /** "user", or the id of the account that owns it. */
  owner: "user" | { account: string };
  status: "active" | "disabled" | "expired";
  policies: unknown[];
  expires_on?: string;
  not_before?: string;
  condition?: unknown;
  issued_on?: string;
  modified_on?: string;
  last_used_on?: string;
  /** Returned in the details answer although the real API never does on GET: the audit must drop it. */
  leakedValue?: string;
}

/** A bearer value the mock accepts, and what it may read. */
export interface MockReader {
  value: string;
  /** The token this value belongs to (what verify answers with). */
  id: string;
  /** "user" reads the user's tokens; "account:<id>" that account's tokens; "none" nothing. A list allows several. */
  reads: string[];
  /** Account-owned reader tokens verify only under their account. */
  ownerAccount?: string;
}

export interface MockTokenRequest {
  method: string;
  path: string;
  bearer: boolean;
  status: number;
}

export interface TokenMock {
  /** API base: http://127.0.0.1:PORT/client/v4 */
  url: string;
  requests: MockTokenRequest[];
  /** Requests other than GET. */
  refused: string[];
  close(): Promise<void>;
}

const DOCS = "https://developers.cloudflare.com/fundamentals/api/reference/permissions/";

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function fail(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  extra: Record<string, unknown> = {},
): number {
  send(res, status, { success: false, errors: [{ code, message, ...extra }], messages: [], result: null });
  return status;
}

function details(t: MockToken): Record<string, unknown> {
  const { owner: _owner, leakedValue, ...rest } = t;
  return leakedValue ? { ...rest, value: leakedValue } : rest;
}

function listed(t: MockToken): Record<string, unknown> {
  const { owner: _owner, leakedValue: _v, ...rest } = t;
  return rest;
}

function handle(req: IncomingMessage, res: ServerResponse, o: { tokens: MockToken[]; readers: MockReader[] }): number {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const path = url.pathname.replace(/^\/client\/v4/, "");
  const auth = String(req.headers.authorization ?? "");
  const value = auth.replace(/^Bearer /, "");
  if (!auth.startsWith("Bearer ") || !/^[A-Za-z0-9_-]+$/.test(value)) {
    send(res, 400, {
      success: false,
      errors: [
        {
          code: 6003,
          message: "Invalid request headers",
          error_chain: [{ code: 6111, message: "Invalid format for Authorization header" }],
        },
      ],
      messages: [],
      result: null,
    });
    return 400;
  }
  const reader = o.readers.find((r) => r.value === value);
  const m = /^(?:\/user|\/accounts\/([0-9a-f]{32}))\/tokens(?:\/([^/]+))?$/.exec(path);
  if (!m) return fail(res, 404, 7000, "No route for that URI");
  const account = m[1];
  const leaf = m[2];
  if (!reader) return fail(res, 401, 1000, "Invalid API Token");
  if (leaf === "verify") {
    if ((account ?? "user") !== (reader.ownerAccount ?? "user")) return fail(res, 401, 1000, "Invalid API Token");
    send(res, 200, {
      success: true,
      errors: [],
      messages: [{ code: 10000, message: "This API Token is valid and active", type: null }],
      result: { id: reader.id, status: "active" },
    });
    return 200;
  }
  const scope = account ? `account:${account}` : "user";
  if (!reader.reads.includes(scope))
    return fail(res, 403, 9109, "Unauthorized to access requested resource", { documentation_url: DOCS });
  const owned = o.tokens.filter((t) =>
    account ? typeof t.owner === "object" && t.owner.account === account : t.owner === "user",
  );
  if (leaf) {
    const t = owned.find((x) => x.id === leaf);
    if (!t) return fail(res, 404, 7003, `Could not route to ${path}, perhaps your object identifier is invalid?`);
    send(res, 200, { success: true, errors: [], messages: [], result: details(t) });
    return 200;
  }
  const perPage = Number(url.searchParams.get("per_page") ?? "20");
  const page = Number(url.searchParams.get("page") ?? "1");
  if (!(perPage >= 5 && perPage <= 50) || !(page >= 1))
    return fail(res, 400, 1001, "per_page must be between 5 and 50");
  const name = url.searchParams.get("name");
  const withExpired = !account || url.searchParams.get("include_expired") === "true";
  // The name filter matches a part of the name, case-insensitively (the client must keep exact names itself).
  const all = owned.filter(
    (t) => (withExpired || t.status !== "expired") && (!name || t.name.toLowerCase().includes(name.toLowerCase())),
  );
  const slice = all.slice((page - 1) * perPage, page * perPage);
  const info = {
    page,
    per_page: perPage,
    count: slice.length,
    total_count: all.length,
    total_pages: Math.max(1, Math.ceil(all.length / perPage)),
  };
  send(res, 200, { success: true, errors: [], messages: [], result: slice.map(listed), result_info: info });
  return 200;
}

export async function startTokenMock(o: { tokens: MockToken[]; readers: MockReader[] }): Promise<TokenMock> {
  const requests: MockTokenRequest[] = [];
  const refused: string[] = [];
  const server = createServer((req, res) => {
    const method = req.method ?? "GET";
    const path = (req.url ?? "/").replace(/^\/client\/v4/, "");
    const bearer = typeof req.headers.authorization === "string";
    let status: number;
    if (method !== "GET") {
      refused.push(`${method} ${path}`);
      status = fail(res, 405, 10405, "Method not allowed in this mock");
    } else {
      try {
        status = handle(req, res, o);
      } catch (e) {
        status = fail(res, 500, 0, `mock failure: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    requests.push({ method, path, bearer, status });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/client/v4`,
    requests,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
