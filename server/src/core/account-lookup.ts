// Who owns the token, and what wrangler's account lookup asks of it. Without an account id (account_id in the
// config, CLOUDFLARE_ACCOUNT_ID, the CLI's --account-id) wrangler calls GET /accounts and GET /memberships in
// parallel (research/wrangler.md §3.0, oracle.md finding 14). An account-owned token cannot hold Memberships Read:
// the API refuses it with 9106 and wrangler goes on with the account GET /accounts listed. A user-owned token
// needs Memberships Read (the facts do not say which code a user token without it gets; 9109 stops wrangler).
import type { PredictedCall } from "./permissions/calls.js";
import type { Requirement } from "./permissions/require.js";
import type { Owner } from "./permissions/fallback.js";

/** Where wrangler takes the account id from, for people. */
export const ACCOUNT_ID_SOURCES = "account_id in the config, CLOUDFLARE_ACCOUNT_ID in the environment, or --account-id";

/** True when the predicted calls include wrangler's account lookup. */
export function looksAccountUp(calls: readonly PredictedCall[]): boolean {
  return calls.some((c) => c.method === "GET" && c.path === "/accounts" && c.cause.key === "account_id");
}

/** The note on the account lookup for a token of this owner (undefined: not decided yet, e.g. in `check`). */
export function accountLookupNote(owner: Owner | undefined): string {
  const skip = `Give the account id to skip the lookup: ${ACCOUNT_ID_SOURCES}.`;
  switch (owner) {
    case "account":
      return `No account id is known, so wrangler looks the account up (GET /accounts, GET /memberships). This token is account-owned: it cannot hold Memberships Read, the API refuses GET /memberships with 9106 and wrangler goes on with the account GET /accounts lists. A user-owned token (--owner user) would also need Memberships Read. ${skip}`;
    case "user":
      return `No account id is known, so wrangler looks the account up (GET /accounts, GET /memberships). This token is user-owned, so it needs Memberships Read for GET /memberships (wrangler tolerates only the refusal codes 9106 and 10000 there), and when it reaches several accounts wrangler stops in CI and asks for the account id. An account-owned token would need no Memberships Read. ${skip}`;
    default:
      return `No account id is known, so wrangler looks the account up (GET /accounts, GET /memberships). A user-owned token needs Memberships Read for the second call (wrangler tolerates only the refusal codes 9106 and 10000 there, and a refusal with 9109 stops the deploy). An account-owned token cannot hold Memberships Read; its refusal (9106) is tolerated when GET /accounts answers. ${skip}`;
  }
}

/** The owner a token body is for: the one asked for, else user when a user-level group remains. */
export function tokenOwner(asked: Owner | undefined, requirements: readonly Requirement[]): Owner {
  return asked ?? (requirements.some((r) => r.group.scope === "user") ? "user" : "account");
}
