// The live tokens and reading tokens the audit tests (CLI, language server, editor) put behind the token mock.
// Group ids are the catalog's (server/src/core/data/permission-groups.json); the template token is the
// dashboard's "Edit Cloudflare Workers" template on all accounts and all zones (shared permissions.md, source T).
import type { MockReader, MockToken } from "./token-mock.js";

export const ACCOUNT = "9a7806061c88ada191ed06f989cc3dac";
export const USER = "7c5dae5552338874e5053f2534d2767a";
/** The route zone of the corpus project cheqd__data-api (its wrangler.toml). */
export const ZONE = "afe3b66243382f27140e6feeaae848b5";

const G = {
  scriptsWrite: { id: "e086da7e2179491d91ee5f35b3ca210a", name: "Workers Scripts Write" },
  kvWrite: { id: "f7f0eda5697f475c90846e879bab8666", name: "Workers KV Storage Write" },
  tailRead: { id: "05880cd1bdc24d8bae0be2136972816b", name: "Workers Tail Read" },
  r2Write: { id: "bf7481a1826f439697cb59a20b22293e", name: "Workers R2 Storage Write" },
  accountSettingsRead: { id: "c1fde68c7bcc44588cbb6ddbc16d6480", name: "Account Settings Read" },
  routesWrite: { id: "28f4b596e7d643029c524985477ae49a", name: "Workers Routes Write" },
  userDetailsRead: { id: "8acbe5bb0d54464ab867149d7f7cf8ac", name: "User Details Read" },
  membershipsRead: { id: "3518d0f75557482e952c6762d3e64903", name: "Memberships Read" },
  apiTokensRead: { id: "0cc3a61731504c89b99ec1be78b77aa0", name: "API Tokens Read" },
};

const id = (n: number): string => n.toString(16).padStart(32, "0");

export const IDS = {
  template: "6247ac8d9c10ba11154a2b82d35953b7",
  account: "d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6",
  expired: "e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0",
  future: "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0",
  self: "5e1f5e1f5e1f5e1f5e1f5e1f5e1f5e1f",
  nightly: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
  twinA: "aaaa0000aaaa0000aaaa0000aaaa0000",
  twinB: "bbbb0000bbbb0000bbbb0000bbbb0000",
};

/** A secret value the mock (wrongly) returns with the template token's details: it must never be printed. */
export const LEAKED_VALUE = "cfut_LeakedSecretValue0000NeverPrintThis0000abcdefABCDEF";

export const READERS = {
  /** A user token with API Tokens Read, and Account API Tokens Read on ACCOUNT. */
  user: "cfut_ReaderUserValue1111NeverPrintThis1111abcdefABCDEF",
  /** A valid token with no token-reading rights. */
  noRead: "ReaderNoReadValue2222NeverPrintThis2222abcd",
  /** The deploy token itself, with API Tokens Read added (for --self). */
  self: "ReaderSelfValue3333NeverPrintThis3333abcdef",
  /** An account-owned token that may read its account's tokens (for --self on an account token). */
  accountSelf: "cfat_ReaderAccountValue4444NeverPrintThis4444abcdefABC",
  /** Not known to the API. */
  unknown: "ReaderUnknownValue5555NeverPrintThis5555ab",
};

export const ALL_SECRET_VALUES = [LEAKED_VALUE, ...Object.values(READERS)];

export const MOCK_READERS: MockReader[] = [
  { value: READERS.user, id: id(0xfeed), reads: ["user", `account:${ACCOUNT}`] },
  { value: READERS.noRead, id: id(0xbad), reads: [] },
  { value: READERS.self, id: IDS.self, reads: ["user"] },
  { value: READERS.accountSelf, id: IDS.account, reads: [`account:${ACCOUNT}`], ownerAccount: ACCOUNT },
];

const policy = (groups: { id: string; name: string }[], resources: Record<string, unknown>, n: number) => ({
  id: id(0x9000 + n),
  effect: "allow",
  permission_groups: groups.map((g) => ({ ...g, meta: {} })),
  resources,
});

const filler: MockToken[] = Array.from({ length: 60 }, (_, i) => ({
  id: id(0x1000 + i),
  name: `nightly deploy #${i + 1}`,
  owner: "user" as const,
  status: "active" as const,
  policies: [policy([G.scriptsWrite], { [`com.cloudflare.api.account.${ACCOUNT}`]: "*" }, 100 + i)],
}));

export const MOCK_TOKENS: MockToken[] = [
  {
    id: IDS.template,
    name: "CI deploy",
    owner: "user",
    status: "active",
    issued_on: "2025-02-03T10:00:00Z",
    modified_on: "2025-02-03T10:00:00Z",
    last_used_on: "2026-11-20T08:12:00Z",
    leakedValue: LEAKED_VALUE,
    policies: [
      policy(
        [G.scriptsWrite, G.kvWrite, G.tailRead, G.r2Write, G.accountSettingsRead],
        { "com.cloudflare.api.account.*": "*" },
        1,
      ),
      policy([G.routesWrite], { "com.cloudflare.api.account.zone.*": "*" }, 2),
      policy([G.userDetailsRead, G.membershipsRead], { [`com.cloudflare.api.user.${USER}`]: "*" }, 3),
    ],
  },
  {
    id: IDS.account,
    name: "data-api deploy",
    owner: { account: ACCOUNT },
    status: "active",
    expires_on: "2027-03-01T00:00:00Z",
    condition: { "request.ip": { in: ["192.0.2.0/24"], not_in: ["192.0.2.7/32"] } },
    policies: [
      policy([G.scriptsWrite, G.kvWrite], { [`com.cloudflare.api.account.${ACCOUNT}`]: "*" }, 4),
      policy(
        [G.routesWrite],
        { [`com.cloudflare.api.account.${ACCOUNT}`]: { "com.cloudflare.api.account.zone.*": "*" } },
        5,
      ),
    ],
  },
  {
    id: IDS.expired,
    name: "old deploy",
    owner: "user",
    status: "expired",
    expires_on: "2026-06-01T00:00:00Z",
    policies: [
      policy([G.scriptsWrite], { [`com.cloudflare.api.account.${ACCOUNT}`]: "*" }, 6),
      policy([G.routesWrite], { [`com.cloudflare.api.account.zone.${ZONE}`]: "*" }, 7),
    ],
  },
  {
    id: IDS.future,
    name: "next deploy",
    owner: "user",
    status: "active",
    not_before: "2027-01-01T00:00:00Z",
    expires_on: "2027-06-01T00:00:00Z",
    condition: { request_ip: { in: ["198.51.100.0/24"] } },
    policies: [
      policy([G.scriptsWrite], { [`com.cloudflare.api.account.${ACCOUNT}`]: "*" }, 8),
      policy([G.routesWrite], { [`com.cloudflare.api.account.zone.${ZONE}`]: "*" }, 9),
    ],
  },
  {
    id: IDS.self,
    name: "deploy and read",
    owner: "user",
    status: "active",
    expires_on: "2027-02-01T00:00:00Z",
    policies: [
      policy([G.scriptsWrite], { [`com.cloudflare.api.account.${ACCOUNT}`]: "*" }, 10),
      policy([G.routesWrite], { [`com.cloudflare.api.account.zone.${ZONE}`]: "*" }, 11),
      policy([G.apiTokensRead], { [`com.cloudflare.api.user.${USER}`]: "*" }, 12),
    ],
  },
  ...filler,
  {
    id: IDS.nightly,
    name: "nightly deploy",
    owner: "user",
    status: "active",
    expires_on: "2027-01-15T00:00:00Z",
    policies: [
      policy([G.scriptsWrite], { [`com.cloudflare.api.account.${ACCOUNT}`]: "*" }, 13),
      policy([G.routesWrite], { [`com.cloudflare.api.account.zone.${ZONE}`]: "*" }, 14),
    ],
  },
  {
    id: IDS.twinA,
    name: "preview deploy",
    owner: "user",
    status: "active",
    policies: [policy([G.scriptsWrite], { [`com.cloudflare.api.account.${ACCOUNT}`]: "*" }, 15)],
  },
  {
    id: IDS.twinB,
    name: "preview deploy",
    owner: "user",
    status: "disabled",
    policies: [policy([G.scriptsWrite], { [`com.cloudflare.api.account.${ACCOUNT}`]: "*" }, 16)],
  },
];
