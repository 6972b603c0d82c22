// `wrangler-token-lint audit` through the BUILT CLI (npm test builds first) against the token-endpoints mock on
// 127.0.0.1: user and account tokens, wildcard resources, expired, not_before ahead, IP conditions, a reading
// token without read rights, list pagination, --self. Every run is also checked for the one thing that must never
// happen: a token value (the reading tokens, and the value the mock wrongly returns) in stdout or stderr, in
// every output format and on every error path. And the mock must have seen GET requests only.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startTokenMock, type TokenMock } from "../mock/token-mock.js";
import { ACCOUNT, ALL_SECRET_VALUES, IDS, MOCK_READERS, MOCK_TOKENS, READERS, ZONE } from "../mock/token-scenario.js";
import { sarifValidator } from "./sarif.js";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "wrangler-token-lint.js");
const CORPUS = join(root, "..", "shared", "corpus", "cheqd__data-api");

let mock: TokenMock;
before(async () => {
  mock = await startTokenMock({ tokens: MOCK_TOKENS, readers: MOCK_READERS });
});
after(async () => {
  assert.deepEqual(mock.refused, [], "only GET requests");
  assert.ok(
    mock.requests.every((r) => r.method === "GET" && r.bearer),
    "every request is a GET with a bearer",
  );
  await mock.close();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function audit(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  assert.ok(
    existsSync(join(root, "server", "out", "cli.js")),
    "server/out/cli.js is missing: run `npm run build` first",
  );
  const full: Record<string, string | undefined> = {
    ...process.env,
    CLOUDFLARE_API_TOKEN: READERS.user,
    CLOUDFLARE_API_BASE_URL: mock.url,
    ...env,
  };
  for (const [k, v] of Object.entries(full)) if (v === undefined) delete full[k];
  const r = await new Promise<Run>((resolve) => {
    const child = spawn(process.execPath, [bin, "audit", CORPUS, "--today", "2026-11-23", ...args], {
      cwd: root,
      env: full,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  for (const v of ALL_SECRET_VALUES) {
    assert.ok(!r.stdout.includes(v) && !r.stderr.includes(v), `a token value was printed (audit ${args.join(" ")})`);
    // Not even a recognisable part of one.
    assert.ok(
      !r.stdout.includes(v.slice(5, 25)) && !r.stderr.includes(v.slice(5, 25)),
      `part of a token value was printed (audit ${args.join(" ")})`,
    );
  }
  return r;
}

const FORMATS = ["text", "json", "sarif", "markdown"];

test("a user-owned template token: findings in every format, exit 0 below --fail-on, 1 at it", async () => {
  for (const format of FORMATS) {
    const r = await audit(["--token-id", IDS.template, "--format", format]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    if (format === "text") {
      assert.match(
        r.stdout,
        /^Live token "CI deploy" \(6247ac8d9c10ba11154a2b82d35953b7\)\n {2}user-owned · status active · no expiry · no IP condition/,
      );
      assert.match(
        r.stdout,
        /warning \[unneeded-group\] live token policies\[0\]\.permission_groups\[1\]: Workers KV Storage: Edit/,
      );
      assert.match(
        r.stdout,
        / {2}~ narrow policy 1: com\.cloudflare\.api\.account\.\* → com\.cloudflare\.api\.account\.<ACCOUNT_ID>/,
      );
      assert.match(
        r.stdout,
        /Requests made \(GET only\):\n {2}GET http:\/\/127\.0\.0\.1:\d+\/client\/v4\/user\/tokens\/6247ac8d9c10ba11154a2b82d35953b7 → 200/,
      );
    }
    if (format === "json") {
      const j = JSON.parse(r.stdout);
      assert.equal(j.schemaVersion, 1);
      assert.equal(j.token.id, IDS.template);
      assert.deepEqual(
        j.diff.remove.map((x: { group: string }) => x.group),
        [
          "Workers KV Storage Write",
          "Workers Tail Read",
          "Workers R2 Storage Write",
          "Account Settings Read",
          "User Details Read",
          "Memberships Read",
        ],
      );
      assert.deepEqual(
        j.replacement.body.policies.map((p: { permission_groups: { name: string }[] }) => p.permission_groups[0]!.name),
        ["Workers Scripts Write", "Workers Routes Write"],
      );
    }
    if (format === "markdown") assert.match(r.stdout, /^## Live token audit: “CI deploy”/);
  }
  assert.equal((await audit(["--token-id", IDS.template, "--fail-on", "warning"])).code, 1);
  assert.equal((await audit(["--token-id", IDS.template, "--rule", "unneeded-group=error"])).code, 1);
});

test("--format sarif validates and places live-token findings at the step, with a logical location", async () => {
  const validate = sarifValidator(root);
  const r = await audit(["--token-id", IDS.template, "--format", "sarif"]);
  const log = JSON.parse(r.stdout);
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  const results: {
    ruleId: string;
    message: { text: string };
    locations: {
      physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } };
      logicalLocations?: { fullyQualifiedName: string }[];
    }[];
  }[] = log.runs[0].results;
  const kv = results.find((x) => x.ruleId === "unneeded-group" && x.message.text.includes("Workers KV"))!;
  assert.equal(kv.locations[0]!.physicalLocation!.artifactLocation.uri, ".github/workflows/release.yml");
  assert.equal(kv.locations[0]!.physicalLocation!.region.startLine, 69);
  assert.equal(
    kv.locations[0]!.logicalLocations![0]!.fullyQualifiedName,
    `cloudflare-api-token/${IDS.template}/policies[0].permission_groups[1]`,
  );
  assert.match(
    kv.message.text,
    /^Live token 6247ac8d9c10ba11154a2b82d35953b7 \(policies\[0\]\.permission_groups\[1\]\): /,
  );
  // A secret nobody uses: the findings have only a logical location, and the log is still valid.
  const none = JSON.parse(
    (await audit(["--token-id", IDS.template, "--format", "sarif", "--secret", "NOBODY"])).stdout,
  );
  assert.ok(validate(none), JSON.stringify(validate.errors, null, 2));
  assert.ok(
    none.runs[0].results.every((x: { locations: { physicalLocation?: unknown }[] }) =>
      x.locations.every((l) => !l.physicalLocation),
    ),
  );
});

test("an account-owned token with an IP condition: asked at its account, the condition is kept", async () => {
  const r = await audit(["--token-id", IDS.account, "--account-id", ACCOUNT, "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.token.owner, "account");
  assert.deepEqual(j.token.ipCondition, { in: ["192.0.2.0/24"], notIn: ["192.0.2.7/32"] });
  assert.ok(!j.findings.some((f: { rule: string }) => f.rule === "no-ip-condition"));
  assert.equal(j.replacement.endpoint, `POST /accounts/${ACCOUNT}/tokens`);
  assert.deepEqual(j.replacement.body.condition, { request_ip: { in: ["192.0.2.0/24"], not_in: ["192.0.2.7/32"] } });
  assert.deepEqual(
    j.requests.map((q: string) => q.replace(/http:\/\/127\.0\.0\.1:\d+\/client\/v4/, "")),
    [`GET /accounts/${ACCOUNT}/tokens/${IDS.account} → 200`],
  );
});

test("expired and not-yet-valid tokens fail the run (error findings), naming the date", async () => {
  const expired = await audit(["--token-id", IDS.expired]);
  assert.equal(expired.code, 1);
  assert.match(
    expired.stdout,
    /error \[inactive-token\] live token expires_on: Token "old deploy" .* expired on 2026-06-01T00:00:00Z/,
  );
  assert.match(expired.stdout, /\+ set expires_on, e\.g\. 2027-02-21T00:00:00Z/);
  const future = await audit(["--token-id", IDS.future, "--format", "json"]);
  assert.equal(future.code, 1);
  const f = JSON.parse(future.stdout).findings.find((x: { rule: string }) => x.rule === "inactive-token");
  assert.equal(f.tokenPath, "not_before");
  assert.equal((await audit(["--token-id", IDS.expired, "--fail-on", "none"])).code, 0);
});

test("--token-name pages through the list and keeps exact names only; duplicates and misses are errors", async () => {
  const before = mock.requests.length;
  const r = await audit(["--token-name", "nightly deploy", "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).token.id, IDS.nightly);
  // 61 tokens contain "nightly deploy"; with 50 per page the exact one is on page 2, then its details.
  assert.deepEqual(
    mock.requests.slice(before).map((q) => q.path),
    [
      "/user/tokens?name=nightly+deploy&page=1&per_page=50",
      "/user/tokens?name=nightly+deploy&page=2&per_page=50",
      `/user/tokens/${IDS.nightly}`,
    ],
  );
  const twins = await audit(["--token-name", "preview deploy"]);
  assert.equal(twins.code, 2);
  assert.match(
    twins.stderr,
    /2 tokens of your user are named "preview deploy": aaaa0000aaaa0000aaaa0000aaaa0000 \(active\), bbbb0000bbbb0000bbbb0000bbbb0000 \(disabled\); pass --token-id/,
  );
  const miss = await audit(["--token-name", "no such token"]);
  assert.equal(miss.code, 2);
  assert.match(
    miss.stderr,
    /no token named "no such token" among the tokens of your user .*an account-owned token needs --account-id/,
  );
});

test("--self: the reading token audits itself (user, and account-owned by its cfat_ prefix)", async () => {
  const user = await audit(["--self", "--format", "json"], { CLOUDFLARE_API_TOKEN: READERS.self });
  assert.equal(user.code, 0, user.stderr);
  const j = JSON.parse(user.stdout);
  assert.equal(j.token.id, IDS.self);
  assert.ok(
    j.findings.some(
      (f: { rule: string; message: string }) => f.rule === "unneeded-group" && f.message.includes("API Tokens Read"),
    ),
    "the read right itself is not needed by the deploys",
  );
  assert.deepEqual(
    j.requests.map((q: string) => q.replace(/^GET \S+\/client\/v4/, "")),
    [`/user/tokens/verify → 200`, `/user/tokens/${IDS.self} → 200`],
  );
  const acct = await audit(["--self", "--account-id", ACCOUNT, "--format", "json"], {
    CLOUDFLARE_API_TOKEN: READERS.accountSelf,
  });
  assert.equal(acct.code, 0, acct.stderr);
  assert.equal(JSON.parse(acct.stdout).token.id, IDS.account);
  const noAccount = await audit(["--self"], { CLOUDFLARE_API_TOKEN: READERS.accountSelf });
  assert.equal(noAccount.code, 2);
  assert.match(noAccount.stderr, /account-owned token \(cfat_…\) is verified through its account: pass --account-id/);
});

test("refusals and failures are explained, exit 2, and print no token value", async () => {
  const noRead = await audit(["--token-id", IDS.template], { CLOUDFLARE_API_TOKEN: READERS.noRead });
  assert.equal(noRead.code, 2);
  assert.match(
    noRead.stderr,
    /HTTP 403\): the reading token is valid but may not read your tokens\. It needs API Tokens Read \(dashboard: User › API Tokens › Read\)\. Cloudflare answered: 9109 Unauthorized to access requested resource\. See https:\/\/developers\.cloudflare\.com\//,
  );
  assert.equal(noRead.stdout, "");
  const noReadAcct = await audit(["--token-id", IDS.account, "--account-id", ACCOUNT], {
    CLOUDFLARE_API_TOKEN: READERS.noRead,
  });
  assert.match(
    noReadAcct.stderr,
    /It needs Account API Tokens Read \(dashboard: Account › Account API Tokens › Read\) on that account/,
  );
  const unknown = await audit(["--self"], { CLOUDFLARE_API_TOKEN: READERS.unknown });
  assert.match(unknown.stderr, /GET \/user\/tokens\/verify \(HTTP 401\): the token is not a valid user-owned token/);
  const wrongOwner = await audit(["--token-id", IDS.account]);
  assert.match(
    wrongOwner.stderr,
    /\(HTTP 404\): no such token is visible to the reading token\. An account-owned token needs --account-id/,
  );
  const malformed = await audit(["--token-id", IDS.template], { CLOUDFLARE_API_TOKEN: `${READERS.user} extra` });
  assert.equal(malformed.code, 2);
  assert.match(malformed.stderr, /contains whitespace or control characters/);
  const noToken = await audit(["--token-id", IDS.template], { CLOUDFLARE_API_TOKEN: undefined });
  assert.equal(noToken.code, 2);
  assert.match(noToken.stderr, /set CLOUDFLARE_API_TOKEN to a token that may read API tokens: API Tokens Read/);
  const otherVar = await audit(["--token-id", IDS.template, "--token-env", "CF_READER", "--format", "json"], {
    CLOUDFLARE_API_TOKEN: undefined,
    CF_READER: READERS.user,
  });
  assert.equal(otherVar.code, 0, otherVar.stderr);
  const down = await audit(["--token-id", IDS.template], { CLOUDFLARE_API_BASE_URL: "http://127.0.0.1:9/client/v4" });
  assert.equal(down.code, 2);
  assert.match(down.stderr, /no answer \(fetch failed/);
  const plain = await audit(["--token-id", IDS.template], {
    CLOUDFLARE_API_BASE_URL: "http://api.example.invalid/client/v4",
  });
  assert.equal(plain.code, 2);
  assert.match(plain.stderr, /the API base must be an https:\/\/ URL/);
});

test("usage errors exit 2 without a request, and never echo a value given where an id belongs", async () => {
  const before = mock.requests.length;
  const valueAsId = await audit(["--token-id", READERS.user]);
  assert.equal(valueAsId.code, 2);
  assert.match(valueAsId.stderr, /--token-id must be the token's 32-character hex id \(not its value\)/);
  for (const args of [
    [],
    ["--token-id", IDS.template, "--self"],
    ["--self", "--owner", "account"],
    ["--token-id", IDS.template, "--format", "xml"],
    ["--token-id", IDS.template, "--secret", "not a name"],
    ["--token-id", IDS.template, "--rule", "nope=off"],
    ["--token-name", "x", "--account-id", "123"],
  ]) {
    const r = await audit(args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.stderr, /^wrangler-token-lint audit: /);
  }
  assert.equal(mock.requests.length, before, "no request was made");
  const help = await audit(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Opt-in network: besides `record`, the only command\s+that opens a connection/);
  assert.match(help.stdout, /only GET requests/);
});

test("the zone of the corpus route is what the replacement names", async () => {
  const r = JSON.parse((await audit(["--token-id", IDS.template, "--format", "json"])).stdout);
  assert.deepEqual(Object.keys(r.replacement.body.policies[1].resources), [`com.cloudflare.api.account.zone.${ZONE}`]);
});
