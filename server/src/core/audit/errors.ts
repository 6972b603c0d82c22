// Cloudflare API refusals while reading a token, explained in words: what the answer means and which
// permission the reading token lacks. Pure; the HTTP client (node/token-api.ts) hands in status and errors.
//
// Sources for the codes: the v4 error envelope `errors[{code, message, documentation_url}]` (API reference,
// `ResponseInfo`; 403 answers carry documentation_url since the 2026-08-20 changelog, shared facts-2026-12.md);
// 1000 "Invalid API Token" from /user/tokens/verify for a token that is not a valid user token (wrangler's
// whoami reads it as "an account API token", shared wrangler.md §3.8); 6003/6111 "Invalid request headers /
// Invalid format for Authorization header" for a malformed bearer value (kissgyorgy/cloudflare-dyndns#40);
// 9109 "Unauthorized to access requested resource" (terraform-provider-cloudflare#3227) and 10000
// "Authentication error" for a valid token without the needed permission; account-owned tokens answer 401 on
// /user/tokens/verify (benvinegar/counterscale#268). Accepted permissions per endpoint: API Tokens Read / Write
// for /user/tokens…, Account API Tokens Read / Write for /accounts/{account_id}/tokens… (API reference).
import type { TokenOwner } from "./live.js";

export interface ApiErrorEntry {
  code: number;
  message: string;
  documentationUrl?: string;
}

/** One refused or failed call: HTTP status (0 when no answer came), the envelope's errors, what was asked. */
export interface ApiFailure {
  status: number;
  errors: ApiErrorEntry[];
  /** "verify" (GET …/tokens/verify), "get" (GET …/tokens/{id}) or "list" (GET …/tokens?name=). */
  call: "verify" | "get" | "list";
  owner: TokenOwner;
  accountId?: string;
  tokenId?: string;
  /** Network error text when status is 0. */
  network?: string;
}

/** The permission a reading token needs for the user or account token endpoints. */
export function readPermission(owner: TokenOwner): string {
  return owner === "account"
    ? "Account API Tokens Read (dashboard: Account › Account API Tokens › Read) on that account"
    : "API Tokens Read (dashboard: User › API Tokens › Read)";
}

/** The endpoint path of a call, for messages (ids as given, never the token value). */
export function callPath(f: Pick<ApiFailure, "call" | "owner" | "accountId" | "tokenId">): string {
  const base = f.owner === "account" ? `/accounts/${f.accountId ?? "{account_id}"}/tokens` : "/user/tokens";
  return f.call === "verify" ? `${base}/verify` : f.call === "get" ? `${base}/${f.tokenId ?? "{token_id}"}` : base;
}

/** Text from the network, made safe to print: no control characters, bounded length. */
export function clean(s: string, max = 200): string {
  const t = s.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

function has(f: ApiFailure, ...codes: number[]): boolean {
  return f.errors.some((e) => codes.includes(e.code));
}

/** What went wrong, in words, with the permission the reading token lacks when that is the cause. */
export function explainApiFailure(f: ApiFailure): string {
  const path = `GET ${callPath(f)}`;
  const said = f.errors.length
    ? ` Cloudflare answered: ${f.errors.map((e) => `${e.code} ${clean(e.message).replace(/[.!?]+$/, "")}`).join("; ")}.`
    : "";
  const docs = [
    ...new Set(f.errors.map((e) => e.documentationUrl).filter((u): u is string => !!u && /^https:\/\//.test(u))),
  ]
    .map((u) => ` See ${clean(u, 300)}`)
    .join("");
  const need = readPermission(f.owner);
  let why: string;
  if (f.status === 0)
    why = `${path}: no answer (${clean(f.network ?? "network error")}). Check the network and the API base URL.`;
  else if (has(f, 6003, 6100, 6101, 6102, 6103, 6111)) {
    why = `${path} (HTTP ${f.status}): the API did not accept the reading token's format. Put the bare token in the variable: no quotes, no "Bearer " prefix.`;
  } else if (f.call === "verify" && f.owner === "user" && (f.status === 401 || has(f, 1000))) {
    why = `${path} (HTTP ${f.status}): the token is not a valid user-owned token. If it is account-owned (its value starts with cfat_), pass --account-id so the account endpoint is asked; otherwise it is revoked or mistyped.`;
  } else if (f.status === 401 || has(f, 1000, 9106)) {
    why = `${path} (HTTP ${f.status}): the reading token was not accepted: it is revoked, expired, mistyped, or belongs to another owner (an account-owned token cannot read /user/tokens, a user token cannot read another account's tokens).`;
  } else if (f.status === 403 || has(f, 9109, 10000)) {
    why = `${path} (HTTP ${f.status}): the reading token is valid but may not read ${f.owner === "account" ? "this account's" : "your"} tokens. It needs ${need}.`;
    if (f.call === "list")
      why +=
        " With the account-level right to list only its own tokens, the list holds only tokens the reading token's creator made.";
  } else if (f.status === 404 || has(f, 7003, 7000, 1003)) {
    why = `${path} (HTTP ${f.status}): no such token is visible to the reading token. ${f.owner === "user" ? "An account-owned token needs --account-id." : "A user-owned token needs --owner user (and no account endpoint)."}`;
  } else if (f.status === 429) why = `${path} (HTTP 429): rate limited by the API; try again in a minute.`;
  else if (f.status >= 500) why = `${path} (HTTP ${f.status}): the API failed; try again later.`;
  else why = `${path} (HTTP ${f.status}): the API refused the request.`;
  return why + said + docs;
}
