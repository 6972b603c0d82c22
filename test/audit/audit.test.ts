// The audit's pure half: the API's token object read into the token model (value dropped, request.ip read),
// and the workspace analysis with the live token added, on a real repository that holds no token definition
// (the corpus project cheqd__data-api: two wrangler-action deploys using CLOUDFLARE_API_TOKEN, a route on one
// zone, the account id from a secret). Findings, their places, the policy diff and the replacement are checked
// value by value.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { MemoryHost } from "../../server/src/core/host.js";
import { readLiveToken, liveTokenFile, withoutLiveFiles } from "../../server/src/core/audit/live.js";
import { auditWorkspace, type AuditReport } from "../../server/src/core/audit/report.js";
import { explainApiFailure } from "../../server/src/core/audit/errors.js";
import { renderAuditMarkdown, renderAuditText } from "../../server/src/core/audit/render.js";
import { nodeHclParser } from "../../server/src/node/hcl-wasm.js";
import { readTree } from "../rules/harness.js";
import { ACCOUNT, IDS, LEAKED_VALUE, MOCK_TOKENS, ZONE } from "../mock/token-scenario.js";

const CORPUS = join(import.meta.dirname, "..", "..", "..", "shared", "corpus", "cheqd__data-api");
const ROOT = "/repo";
const TODAY = "2026-11-23";

/** The API's details answer for one scenario token (what GET /user/tokens/{id} returns, value included). */
function answer(id: string): Record<string, unknown> {
  const t = MOCK_TOKENS.find((x) => x.id === id)!;
  const { owner: _o, leakedValue, ...rest } = t;
  return leakedValue ? { ...rest, value: leakedValue } : rest;
}

function host(files: Map<string, string>): MemoryHost {
  return new MemoryHost(new Map([...files].map(([rel, text]) => [`${ROOT}/${rel}`, text])));
}

const corpus = readTree(CORPUS);

async function audit(
  id: string,
  o: {
    owner?: "user" | "account";
    secret?: string;
    files?: Map<string, string>;
    tokenSecrets?: Record<string, string[]>;
  } = {},
): Promise<AuditReport> {
  const owner = o.owner ?? "user";
  const live = readLiveToken(answer(id), { owner, accountId: owner === "account" ? ACCOUNT : undefined });
  assert.ok(!("error" in live), JSON.stringify(live));
  return auditWorkspace(
    host(o.files ?? corpus),
    ROOT,
    live,
    { secret: o.secret ?? "CLOUDFLARE_API_TOKEN", today: TODAY, tokenSecrets: o.tokenSecrets },
    { hcl: await nodeHclParser() },
  );
}

test("the API's token object becomes a token definition; the secret value never enters it", () => {
  const live = readLiveToken(answer(IDS.template), { owner: "user" });
  assert.ok(!("error" in live));
  assert.ok(!live.text.includes(LEAKED_VALUE) && !live.text.includes('"value"'), "the value is not copied");
  assert.ok(!JSON.stringify(live.definition).includes(LEAKED_VALUE));
  assert.equal(live.definition.file, liveTokenFile({ owner: "user" }, IDS.template));
  assert.equal(live.definition.owner, "user");
  assert.deepEqual(live.definition.live, {
    id: IDS.template,
    status: "active",
    accountId: undefined,
    issuedOn: "2025-02-03T10:00:00Z",
    modifiedOn: "2025-02-03T10:00:00Z",
    lastUsedOn: "2026-11-20T08:12:00Z",
  });
  assert.deepEqual(
    live.definition.policies.map((p) => p.groups.map((g) => g.name)),
    [
      [
        "Workers Scripts Write",
        "Workers KV Storage Write",
        "Workers Tail Read",
        "Workers R2 Storage Write",
        "Account Settings Read",
      ],
      ["Workers Routes Write"],
      ["User Details Read", "Memberships Read"],
    ],
  );
  assert.equal(live.definition.expiresOn, undefined);
  assert.equal(live.definition.ipCondition, undefined);
  assert.deepEqual(live.definition.problems, []);
});

test('the condition is read under "request.ip" and request_ip; nested account → zone resources stay nested', () => {
  const live = readLiveToken(answer(IDS.account), { owner: "account", accountId: ACCOUNT });
  assert.ok(!("error" in live));
  assert.deepEqual(
    { in: live.definition.ipCondition?.in, notIn: live.definition.ipCondition?.notIn },
    { in: ["192.0.2.0/24"], notIn: ["192.0.2.7/32"] },
  );
  const nested = live.definition.policies[1]!.resources[0]!;
  assert.equal(nested.key, `com.cloudflare.api.account.${ACCOUNT}`);
  assert.ok(Array.isArray(nested.value) && nested.value[0]!.key === "com.cloudflare.api.account.zone.*");
  assert.equal(live.definition.file, `cloudflare-api:/accounts/${ACCOUNT}/tokens/${IDS.account}`);
});

test("answers of the wrong shape give an error, never a throw; unknown group ids are problems", () => {
  for (const bad of [
    null,
    3,
    "x",
    [],
    {},
    { id: "nothex" },
    { id: IDS.template },
    { id: IDS.template, policies: [] },
    { id: IDS.template, policies: "x" },
    { id: IDS.template, policies: [null, 1] },
  ]) {
    const r = readLiveToken(bad, { owner: "user" });
    assert.ok("error" in r, JSON.stringify(bad));
  }
  const odd = readLiveToken(
    {
      id: IDS.template,
      name: 7,
      policies: [
        {
          effect: "allow",
          permission_groups: [{ id: "ffffffffffffffffffffffffffffffff" }, "junk"],
          resources: { a: 1, "com.cloudflare.api.account.*": "*" },
        },
      ],
    },
    { owner: "user" },
  );
  assert.ok(!("error" in odd));
  assert.equal(odd.name, "(unnamed token)");
  assert.deepEqual(
    odd.definition.problems.map((p) => p.message),
    ["permission group id ffffffffffffffffffffffffffffffff is not in the catalog"],
  );
});

test("no Host answers for a live token's file, even when the wrapped host has one by that name", () => {
  const file = liveTokenFile({ owner: "user" }, IDS.template);
  const h = withoutLiveFiles(
    new MemoryHost(
      new Map([
        [file, "// wrangler-token-lint: ignore[unneeded-group]"],
        ["/a", "x"],
      ]),
    ),
  );
  assert.equal(h.readFile(file), undefined);
  assert.equal(h.fileExists(file), false);
  assert.equal(h.readFile("/a"), "x");
});

test("the template token on a repository without token files: findings on the live token, placed at the step", async () => {
  const r = await audit(IDS.template);
  assert.deepEqual(
    r.deploys.map((d) => `${d.file}:${d.line} ${d.command}${d.env ? ` (${d.env})` : ""}`),
    [
      ".github/workflows/release.yml:69 wrangler secret bulk",
      ".github/workflows/release.yml:68 wrangler deploy",
      ".github/workflows/staging.yml:34 wrangler secret bulk",
      ".github/workflows/staging.yml:33 wrangler deploy --env staging (staging)",
    ],
  );
  const live = r.findings.filter((f) => f.tokenPath !== null).map((f) => `${f.severity} ${f.rule} ${f.tokenPath}`);
  assert.deepEqual(live, [
    'warning all-accounts policies[0].resources["com.cloudflare.api.account.*"]',
    'warning all-zones policies[1].resources["com.cloudflare.api.account.zone.*"]',
    "warning no-expiry expires_on",
    "warning unneeded-group policies[0].permission_groups[1]",
    "warning unneeded-group policies[0].permission_groups[2]",
    "warning unneeded-group policies[0].permission_groups[3]",
    "warning unneeded-group policies[0].permission_groups[4]",
    "warning unneeded-group policies[2].permission_groups[0]",
    "warning unneeded-group policies[2].permission_groups[1]",
    "info no-ip-condition condition.request_ip",
    "info user-token-where-account-fits ",
  ]);
  for (const f of r.findings.filter((x) => x.tokenPath !== null))
    assert.deepEqual(f.at && `${f.at.file}:${f.at.line}:${f.at.column}`, ".github/workflows/release.yml:69:11");
  // The repository's own problem in a file the deploys read is reported with its place.
  assert.deepEqual(
    r.findings.filter((f) => f.tokenPath === null).map((f) => `${f.rule} ${f.at?.file}:${f.at?.line}`),
    ["deprecated-key wrangler.toml:18"],
  );
  assert.deepEqual(r.summary, { deploys: 4, errors: 0, warnings: 10, infos: 2 });
});

test("the policy diff and the replacement for the template token", async () => {
  const r = await audit(IDS.template);
  assert.deepEqual(r.diff, {
    remove: [
      { group: "Workers KV Storage Write", id: "f7f0eda5697f475c90846e879bab8666", policy: 1 },
      { group: "Workers Tail Read", id: "05880cd1bdc24d8bae0be2136972816b", policy: 1 },
      { group: "Workers R2 Storage Write", id: "bf7481a1826f439697cb59a20b22293e", policy: 1 },
      { group: "Account Settings Read", id: "c1fde68c7bcc44588cbb6ddbc16d6480", policy: 1 },
      { group: "User Details Read", id: "8acbe5bb0d54464ab867149d7f7cf8ac", policy: 3 },
      { group: "Memberships Read", id: "3518d0f75557482e952c6762d3e64903", policy: 3 },
    ],
    readInstead: [],
    add: [],
    narrow: [
      { policy: 1, from: ["com.cloudflare.api.account.*"], to: ["com.cloudflare.api.account.<ACCOUNT_ID>"] },
      { policy: 2, from: ["com.cloudflare.api.account.zone.*"], to: [`com.cloudflare.api.account.zone.${ZONE}`] },
    ],
    expiry: { suggest: "2027-02-21T00:00:00Z" },
    ipCondition: {
      suggest: "condition.request_ip.in with the egress IP ranges of your CI runners, where they are fixed",
    },
    unknown: [],
  });
  const rep = r.replacement!;
  assert.equal(rep.owner, "account");
  assert.equal(rep.endpoint, "POST /accounts/{account_id}/tokens");
  assert.deepEqual(rep.body, {
    name: "CI deploy",
    policies: [
      {
        effect: "allow",
        permission_groups: [{ id: "e086da7e2179491d91ee5f35b3ca210a", name: "Workers Scripts Write" }],
        resources: { "com.cloudflare.api.account.<ACCOUNT_ID>": "*" },
      },
      {
        effect: "allow",
        permission_groups: [{ id: "28f4b596e7d643029c524985477ae49a", name: "Workers Routes Write" }],
        resources: { [`com.cloudflare.api.account.zone.${ZONE}`]: "*" },
      },
    ],
    expires_on: "2027-02-21T00:00:00Z",
  });
  assert.match(rep.terraform, /resource "cloudflare_account_token" "ci_deploy"/);
  assert.match(rep.dashboard.url, /^https:\/\/dash\.cloudflare\.com\/\?to=\/:account\/api-tokens&/);
  assert.ok(
    r.notes.some((n) => n.includes("keeps the <ACCOUNT_ID> placeholder")),
    r.notes.join("\n"),
  );
});

test("an account-owned token: the account fills the placeholder, its IP condition and expiry are kept", async () => {
  const r = await audit(IDS.account, { owner: "account" });
  assert.deepEqual(
    r.findings.filter((f) => f.tokenPath !== null).map((f) => `${f.rule} ${f.tokenPath}`),
    [
      `all-zones policies[1].resources["com.cloudflare.api.account.${ACCOUNT}"]["com.cloudflare.api.account.zone.*"]`,
      "unneeded-group policies[0].permission_groups[1]",
      "per-worker-scoping-possible policies[0].permission_groups[0]",
    ],
  );
  assert.deepEqual(r.diff!.narrow, [
    {
      policy: 2,
      from: [`com.cloudflare.api.account.${ACCOUNT} › com.cloudflare.api.account.zone.*`],
      to: [`com.cloudflare.api.account.zone.${ZONE}`],
    },
  ]);
  assert.equal(r.diff!.expiry, null);
  assert.equal(r.diff!.ipCondition, null);
  assert.equal(r.replacement!.endpoint, `POST /accounts/${ACCOUNT}/tokens`);
  assert.deepEqual(Object.keys(r.replacement!.body.policies[0]!.resources), [`com.cloudflare.api.account.${ACCOUNT}`]);
  assert.deepEqual(r.replacement!.body.condition, { request_ip: { in: ["192.0.2.0/24"], not_in: ["192.0.2.7/32"] } });
  assert.equal(r.replacement!.body.expires_on, "2027-03-01T00:00:00Z");
});

test("expired and not-yet-valid tokens are errors at their date; the expired one gets a new expiry in the diff", async () => {
  const expired = await audit(IDS.expired);
  const e = expired.findings.find((f) => f.rule === "inactive-token")!;
  assert.equal(e.severity, "error");
  assert.equal(e.tokenPath, "expires_on");
  assert.match(
    e.message,
    /expired on 2026-06-01T00:00:00Z; the 4 deploys that use it fail with "Authentication error \[code: 10000\]"/,
  );
  assert.deepEqual(expired.diff!.expiry, { suggest: "2027-02-21T00:00:00Z" });
  const future = await audit(IDS.future);
  const f = future.findings.find((x) => x.rule === "inactive-token")!;
  assert.equal(f.tokenPath, "not_before");
  assert.match(f.message, /is not valid before 2027-01-01T00:00:00Z: the 4 deploys that use it fail .* until then/);
  assert.ok(!future.findings.some((x) => x.rule === "no-ip-condition"), "it has an IP condition");
  // A disabled token: the API's status is the cause.
  const live = readLiveToken({ ...answer(IDS.twinB) }, { owner: "user" });
  assert.ok(!("error" in live));
  const disabled = auditWorkspace(host(corpus), ROOT, live, { secret: "CLOUDFLARE_API_TOKEN", today: TODAY });
  assert.deepEqual(
    disabled.findings.filter((x) => x.rule === "inactive-token").map((x) => `${x.tokenPath}: ${x.message}`),
    [
      `status: Token "preview deploy" (live token ${IDS.twinB}) is disabled; the 4 deploys that use it fail with "Authentication error [code: 10000]"`,
    ],
  );
});

test("a secret no deploy uses: hygiene only, said in a note, no diff and no replacement", async () => {
  const r = await audit(IDS.template, { secret: "CF_DEPLOY_TOKEN" });
  assert.deepEqual(r.deploys, []);
  assert.ok(!r.findings.some((f) => f.rule === "unneeded-group"));
  assert.ok(r.findings.some((f) => f.rule === "all-accounts") && r.findings.some((f) => f.rule === "no-expiry"));
  assert.equal(r.diff, null);
  assert.equal(r.replacement, null);
  assert.ok(
    r.findings.every((f) => f.at === null || f.tokenPath === null),
    "no step to place live-token findings at",
  );
  assert.match(
    r.notes[0]!,
    /No CI deploy under this folder uses the secret CF_DEPLOY_TOKEN.*The deploys here use CLOUDFLARE_API_TOKEN/,
  );
});

test("a deploy that cannot be analysed: its needs are unknown, so nothing is called unneeded", async () => {
  const files = new Map([
    [
      ".github/workflows/deploy.yml",
      "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: cloudflare/wrangler-action@v3\n        with:\n          apiToken: ${{ secrets.CLOUDFLARE_API_TOKEN }}\n          workingDirectory: missing-app\n",
    ],
  ]);
  const r = await audit(IDS.template, { files });
  assert.equal(r.deploys.length, 1);
  assert.ok(r.deploys[0]!.error, "the deploy says why it is not analysed");
  assert.ok(!r.findings.some((f) => f.rule === "unneeded-group"));
  assert.equal(r.diff, null);
  assert.ok(
    r.notes.some((n) => n.includes("Its needs are unknown")),
    r.notes.join("\n"),
  );
});

test("a token definition in the repository for the same secret is named in a note", async () => {
  const shop = readTree(join(import.meta.dirname, "..", "fixtures", "lsp", "shop"));
  // The fixture's editor settings link deploy-token.json to the secret; the audit takes the same setting.
  const r = await audit(IDS.template, { files: shop, tokenSecrets: { "deploy-token.json": ["CLOUDFLARE_API_TOKEN"] } });
  assert.ok(
    r.notes.some((n) => n.includes('"shop deploy" in deploy-token.json')),
    r.notes.join("\n"),
  );
  // The file definition's own findings are check's business, not the audit's.
  assert.ok(r.findings.every((f) => f.tokenPath !== null || f.at?.file !== "deploy-token.json"));
});

test("the text and Markdown renderings carry the diff and the replacement, and no secret value", async () => {
  const r = await audit(IDS.template);
  r.requests = ["GET https://api.cloudflare.com/client/v4/user/tokens/x → 200"];
  const text = renderAuditText(r);
  assert.match(text, /Policy diff \(live token → minimal token\):\n {2}- remove Workers KV Storage Write \(policy 1\)/);
  assert.match(
    text,
    / {2}~ narrow policy 2: com\.cloudflare\.api\.account\.zone\.\* → com\.cloudflare\.api\.account\.zone\.afe3/,
  );
  assert.match(text, /Minimal replacement \(account-owned; POST \/accounts\/\{account_id\}\/tokens\):/);
  assert.match(text, /Requests made \(GET only\):\n {2}GET https:\/\/api\.cloudflare\.com/);
  const md = renderAuditMarkdown(r, new Set(["unneeded-group"]));
  assert.match(
    md,
    /\| 🟠 \| \[`unneeded-group`\]\(docs\/rules\/unneeded-group\.md\) \| `live token policies\[0\]\.permission_groups\[1\]` \|/,
  );
  assert.match(md, /```diff\n- remove Workers KV Storage Write/);
  for (const out of [text, md, JSON.stringify(r)]) assert.ok(!out.includes(LEAKED_VALUE));
});

test("API refusals are explained with the permission the reading token lacks", () => {
  const user = explainApiFailure({
    status: 403,
    errors: [
      {
        code: 9109,
        message: "Unauthorized to access requested resource",
        documentationUrl: "https://developers.cloudflare.com/x",
      },
    ],
    call: "get",
    owner: "user",
    tokenId: IDS.template,
  });
  assert.equal(
    user,
    `GET /user/tokens/${IDS.template} (HTTP 403): the reading token is valid but may not read your tokens. It needs API Tokens Read (dashboard: User › API Tokens › Read). Cloudflare answered: 9109 Unauthorized to access requested resource. See https://developers.cloudflare.com/x`,
  );
  const acct = explainApiFailure({
    status: 403,
    errors: [{ code: 10000, message: "Authentication error" }],
    call: "list",
    owner: "account",
    accountId: ACCOUNT,
  });
  assert.match(
    acct,
    /It needs Account API Tokens Read .* on that account\. With the account-level right to list only its own tokens/,
  );
  assert.match(
    explainApiFailure({
      status: 400,
      errors: [{ code: 6003, message: "Invalid request headers" }],
      call: "verify",
      owner: "user",
    }),
    /did not accept the reading token's format/,
  );
  assert.match(
    explainApiFailure({
      status: 401,
      errors: [{ code: 1000, message: "Invalid API Token" }],
      call: "verify",
      owner: "user",
    }),
    /not a valid user-owned token\. If it is account-owned \(its value starts with cfat_\), pass --account-id/,
  );
  assert.match(
    explainApiFailure({ status: 404, errors: [], call: "get", owner: "user", tokenId: IDS.template }),
    /no such token is visible .* An account-owned token needs --account-id/,
  );
  assert.match(
    explainApiFailure({
      status: 0,
      errors: [],
      call: "get",
      owner: "user",
      network: "fetch failed: connect ECONNREFUSED 127.0.0.1:9",
    }),
    /no answer \(fetch failed: connect ECONNREFUSED/,
  );
  assert.match(explainApiFailure({ status: 429, errors: [], call: "list", owner: "user" }), /rate limited/);
  assert.match(explainApiFailure({ status: 502, errors: [], call: "list", owner: "user" }), /the API failed/);
  // A documentation_url that is not https is not repeated; control characters from the network are removed.
  const odd = explainApiFailure({
    status: 403,
    errors: [{ code: 9109, message: "bad\u001b[31mred\nline", documentationUrl: "javascript:alert(1)" }],
    call: "get",
    owner: "user",
  });
  assert.ok(!odd.includes("javascript:") && !odd.includes("\u001b") && !odd.includes("\n"), odd);
});
