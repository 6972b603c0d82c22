// Record mode's pieces without wrangler: path templating, the comparison with a predicted token, the
// recording proxy in front of the mock, and the mock's account states.
import { test } from "node:test";
import assert from "node:assert/strict";
import { templatePath, findWranglerArgs, formatCall } from "../../server/src/core/record/template.js";
import {
  compare,
  judgeCall,
  explainFailure,
  zoneCovered,
  type RecordedCall,
} from "../../server/src/core/record/compare.js";
import {
  startRecordingProxy,
  parseRecordArgs,
  recordCommand,
  DEFAULT_UPSTREAM,
  type RecordReport,
} from "../../server/src/cli/record.js";
import { join } from "node:path";
import { startMock, fakeJwt } from "../mock/cloudflare-mock.js";

const A = "0123456789abcdef0123456789abcdef";

test("templatePath replaces ids with the trace placeholders", () => {
  const cases: [string, string][] = [
    [`/accounts/${A}/workers/services/my-worker`, "GET /accounts/{account_id}/workers/services/{script_name}"],
    [
      `/client/v4/accounts/${A}/workers/scripts/w?excludeScript=true&bindings_inherit=strict`,
      "GET /accounts/{account_id}/workers/scripts/{script_name}?excludeScript&bindings_inherit",
    ],
    [`/accounts/${A}/workers/workers/w`, "GET /accounts/{account_id}/workers/workers/{script_name}"],
    [`/accounts/${A}/workers/subdomain`, "GET /accounts/{account_id}/workers/subdomain"],
    ["/zones?name=example.com&account.id=x", "GET /zones?name&account.id"],
    ["/zones/dddd/workers/routes", "GET /zones/{zone_id}/workers/routes"],
    [
      `/accounts/${A}/r2/buckets/b/objects/dir/hello.txt`,
      "GET /accounts/{account_id}/r2/buckets/{bucket_name}/objects/{object_key}",
    ],
    [
      `/accounts/${A}/storage/kv/namespaces/ns/values/k`,
      "GET /accounts/{account_id}/storage/kv/namespaces/{namespace_id}/values/{key_name}",
    ],
    [`/accounts/${A}/queues/q1/consumers`, "GET /accounts/{account_id}/queues/{queue_id}/consumers"],
    [
      `/accounts/${A}/pages/projects/x/deployments/d1`,
      "GET /accounts/{account_id}/pages/projects/{project_name}/deployments/{deployment_id}",
    ],
    [`/accounts/${A}/workers/domains/records/r1`, "GET /accounts/{account_id}/workers/domains/records/{domain_id}"],
    [
      `/accounts/${A}/workers/scripts/w/domains/changeset?replace_state=true`,
      "GET /accounts/{account_id}/workers/scripts/{script_name}/domains/changeset?replace_state",
    ],
    ["/user/tokens/verify", "GET /user/tokens/verify"],
    ["/pages/assets/upload", "GET /pages/assets/upload"],
    [`/accounts/${A}/d1/database/auto-db`, "GET /accounts/{account_id}/d1/database/{database_id}"],
  ];
  for (const [raw, want] of cases) assert.equal(formatCall("GET", templatePath(raw)), want, raw);
  const t = templatePath(`/accounts/${A}/r2/buckets/my-bucket/objects/a%2Fb.txt`);
  assert.deepEqual(t.params, { account_id: A, bucket_name: "my-bucket", object_key: "a/b.txt" });
});

test("findWranglerArgs finds the words after wrangler", () => {
  assert.deepEqual(findWranglerArgs(["npx", "wrangler", "deploy", "--env", "prod"]), ["deploy", "--env", "prod"]);
  assert.deepEqual(findWranglerArgs(["node", "/x/node_modules/wrangler/bin/wrangler.js", "pages", "deploy"]), [
    "pages",
    "deploy",
  ]);
  assert.deepEqual(findWranglerArgs(["pnpm", "dlx", "wrangler@4.164.0", "deploy"]), ["deploy"]);
  assert.equal(findWranglerArgs(["npm", "run", "deploy"]), undefined);
});

test("parseRecordArgs", () => {
  const o = parseRecordArgs(["--env", "production", "--format=json", "--", "npx", "wrangler", "deploy"]);
  assert.ok(!("error" in o));
  assert.equal(o.env, "production");
  assert.equal(o.format, "json");
  assert.equal(o.upstream, DEFAULT_UPSTREAM);
  assert.deepEqual(o.command, ["npx", "wrangler", "deploy"]);
  assert.ok("error" in parseRecordArgs(["npx", "wrangler", "deploy"]));
  assert.ok("error" in parseRecordArgs(["--format", "yaml", "--", "x"]));
  assert.ok("error" in parseRecordArgs(["--upstream", "ftp://x", "--", "x"]));
  const e = parseRecordArgs(["--", "x"], { CLOUDFLARE_API_BASE_URL: "https://api.staging.example/client/v4" });
  assert.ok(!("error" in e) && e.upstream === "https://api.staging.example/client/v4");
});

const call = (over: Partial<RecordedCall>): RecordedCall => ({
  seq: 1,
  method: "GET",
  path: "/",
  query: [],
  auth: "token",
  status: 200,
  errors: [],
  ...over,
});
const ACCT = `com.cloudflare.api.account.${A}`;

test("judgeCall: account groups, zone groups on the right zone, JWT uploads, unknown endpoints", () => {
  const token = [
    { group: "Workers Scripts Write", scope: "account" as const, resources: [ACCT] },
    {
      group: "Workers Routes Write",
      scope: "zone" as const,
      resources: ["com.cloudflare.api.account.zone.<ZONE_ID:example.com>"],
    },
  ];
  assert.equal(
    judgeCall(call({ method: "PUT", path: "/accounts/{account_id}/workers/scripts/{script_name}" }), token).verdict,
    "covered",
  );
  assert.equal(
    judgeCall(
      call({ method: "POST", path: "/zones/{zone_id}/workers/routes", zone: { id: "z1", name: "example.com" } }),
      token,
    ).verdict,
    "covered",
  );
  const other = judgeCall(
    call({ method: "POST", path: "/zones/{zone_id}/workers/routes", zone: { id: "z2", name: "other.com" } }),
    token,
  );
  assert.equal(other.verdict, "missing");
  assert.match(other.detail!, /other\.com/);
  assert.equal(
    judgeCall(call({ method: "POST", path: "/accounts/{account_id}/workers/assets/upload", auth: "jwt" }), token)
      .verdict,
    "no-permission-needed",
  );
  assert.equal(
    judgeCall(call({ method: "GET", path: "/accounts/{account_id}/no-such-thing" }), token).verdict,
    "unknown-endpoint",
  );
  // The account-level routes PUT needs the group on all zones: refused (10000) for a zone-specific token.
  const put = call({
    method: "PUT",
    path: "/accounts/{account_id}/workers/scripts/{script_name}/routes",
    status: 403,
    errors: [{ code: 10000, message: "Authentication error" }],
  });
  assert.equal(judgeCall(put, token).verdict, "refused-all-zones");
  // Recorded with a broader token (the call went through): the zone-specific prediction would be refused and
  // wrangler would fall back to the per-zone API, which it allows.
  const broad = judgeCall({ ...put, status: 200, errors: [] }, token);
  assert.equal(broad.verdict, "tolerated");
  assert.deepEqual(broad.coveredBy, ["Workers Routes Write"]);
  assert.match(
    broad.detail!,
    /would refuse it \(10000\).*POST \/zones\/\{zone_id\}\/workers\/routes, which the token allows/,
  );
  // Without the routes group at all there is no fallback to take: missing.
  assert.equal(judgeCall({ ...put, status: 200, errors: [] }, [token[0]!]).verdict, "missing");
  assert.equal(
    judgeCall(put, [{ group: "Workers Routes Write", scope: "zone", resources: [ACCT] }]).verdict,
    "covered",
  );
  assert.equal(
    judgeCall(call({ path: "/zones", query: ["name"], zone: { name: "shop.example.com" }, listed: 0 }), []).verdict,
    "no-permission-needed",
  );
  assert.equal(
    judgeCall(call({ path: "/zones", query: ["name"], zone: { name: "example.com" }, listed: 1 }), []).verdict,
    "missing",
  );
});

test("judgeCall: the account lookup by owner; GET /accounts allowed by any group on the account", () => {
  const token = [{ group: "D1 Write", scope: "account" as const, resources: [ACCT] }];
  const accounts = call({ path: "/accounts", query: ["page"] });
  assert.equal(judgeCall(accounts, token).verdict, "covered");
  assert.deepEqual(judgeCall(accounts, token).coveredBy, [], "the lookup does not make a group look used");
  const none = judgeCall(accounts, [
    {
      group: "Workers R2 Storage Bucket Item Write",
      scope: "r2-bucket",
      resources: ["com.cloudflare.edge.r2.bucket.x_default_b"],
    },
  ]);
  assert.equal(none.verdict, "missing");
  assert.deepEqual(none.needs, ["Account Settings Read"]);
  // GET /memberships: an account-owned token is refused with 9106 and wrangler goes on; a user-owned one needs the group.
  const memberships = call({ path: "/memberships", query: ["page"] });
  const refused = { ...memberships, status: 403, errors: [{ code: 9106, message: "Forbidden" }] };
  for (const c of [memberships, refused]) {
    assert.equal(judgeCall(c, token, { owner: "account" }).verdict, "tolerated");
    assert.equal(judgeCall(c, token).verdict, "tolerated", "account-owned is the default");
    assert.equal(judgeCall(c, token, { owner: "user" }).verdict, "missing");
  }
  assert.match(judgeCall(memberships, token).detail!, /would refuse it \(9106\)/);
  assert.equal(
    judgeCall(
      memberships,
      [...token, { group: "Memberships Read", scope: "user", resources: ["com.cloudflare.api.user.<USER_ID>"] }],
      { owner: "user" },
    ).verdict,
    "covered",
  );
});

test("zoneCovered reads the token resource forms", () => {
  assert.ok(zoneCovered(["com.cloudflare.api.account.zone.<ZONE_ID:example.com>"], { name: "example.com" }));
  assert.ok(zoneCovered(["com.cloudflare.api.account.zone.abc"], { id: "abc" }));
  assert.ok(zoneCovered(["com.cloudflare.api.account.zone.*"], { id: "abc" }));
  assert.ok(zoneCovered([ACCT], { id: "abc" }));
  assert.ok(!zoneCovered(["com.cloudflare.api.account.zone.abc"], { id: "def", name: "x.com" }));
});

test("compare lists missing and extra groups; explainFailure names the refused call's group", () => {
  const calls = [
    call({
      seq: 1,
      method: "GET",
      path: "/accounts/{account_id}/workers/services/{script_name}",
      status: 404,
      errors: [{ code: 10090, message: "nope" }],
    }),
    call({
      seq: 2,
      method: "PUT",
      path: "/accounts/{account_id}/workers/scripts/{script_name}/schedules",
      status: 403,
      errors: [{ code: 10000, message: "Authentication error" }],
    }),
  ];
  const cmp = compare(calls, [
    { group: "Workers Scripts Read", scope: "account", resources: [ACCT] },
    { group: "D1 Write", scope: "account", resources: [ACCT] },
  ]);
  assert.deepEqual(cmp.missing, [
    { group: "Workers Scripts Write", calls: ["PUT /accounts/{account_id}/workers/scripts/{script_name}/schedules"] },
  ]);
  assert.deepEqual(cmp.extra, ["D1 Write"]);
  const f = explainFailure(calls)!;
  assert.equal(f.call.seq, 2);
  assert.deepEqual(f.needs, ["Workers Scripts Write"]);
  assert.match(f.message, /Authentication error \[code: 10000\]/);
  assert.equal(explainFailure([calls[0]!])!.call.seq, 1);
  assert.equal(explainFailure([]), undefined);
});

test("the recording proxy forwards to the mock, records templates, status, codes, auth kind and zone names", async () => {
  const mock = await startMock({
    accountId: A,
    expectToken: "t0k",
    fail: [{ method: "PUT", path: "/accounts/{account_id}/workers/scripts/{script_name}/routes", code: 10000 }],
  });
  const proxy = await startRecordingProxy(mock.url);
  try {
    const h = { authorization: "Bearer t0k" };
    let r = await fetch(`${proxy.url}/accounts/${A}/workers/services/w`, { headers: h });
    assert.equal(r.status, 404);
    assert.equal(((await r.json()) as { errors: { code: number }[] }).errors[0]!.code, 10090);
    r = await fetch(`${proxy.url}/zones?name=example.com&account.id=${A}`, { headers: h });
    const zid = ((await r.json()) as { result: { id: string }[] }).result[0]!.id;
    await (
      await fetch(`${proxy.url}/zones/${zid}/workers/routes`, {
        method: "POST",
        headers: { ...h, "content-type": "application/json" },
        body: JSON.stringify({ pattern: "example.com/*", script: "w" }),
      })
    ).text();
    await (
      await fetch(`${proxy.url}/accounts/${A}/workers/scripts/w/routes`, { method: "PUT", headers: h, body: "[]" })
    ).text();
    await (
      await fetch(`${proxy.url}/accounts/${A}/workers/assets/upload?base64=true`, {
        method: "POST",
        headers: { authorization: `Bearer ${fakeJwt()}` },
        body: "x",
      })
    ).text();
    r = await fetch(`${proxy.url}/accounts/${A}/workers/subdomain`, { headers: { authorization: "Bearer wrong" } });
    assert.equal(r.status, 403);
  } finally {
    await proxy.close();
    await mock.close();
  }
  const got = proxy.calls.map(
    (c) =>
      `${c.seq} ${formatCall(c.method, c)} ${c.status} ${c.auth}${c.errors.length ? " " + c.errors.map((e) => e.code).join(",") : ""}`,
  );
  assert.deepEqual(got, [
    "1 GET /accounts/{account_id}/workers/services/{script_name} 404 token 10090",
    "2 GET /zones?name&account.id 200 token",
    "3 POST /zones/{zone_id}/workers/routes 200 token",
    "4 PUT /accounts/{account_id}/workers/scripts/{script_name}/routes 403 token 10000",
    "5 POST /accounts/{account_id}/workers/assets/upload?base64 201 jwt",
    "6 GET /accounts/{account_id}/workers/subdomain 403 token 9109",
  ]);
  assert.deepEqual(proxy.calls[2]!.zone, { id: "dddddddddddddddddddddddddddddddd", name: "example.com" });
  assert.deepEqual(proxy.calls[1]!.zone, { name: "example.com", id: "dddddddddddddddddddddddddddddddd" });
  assert.deepEqual(mock.unknown, []);
});

test("the mock flags requests it cannot answer and switches account state", async () => {
  const mock = await startMock({ accountId: A, existingWorker: true, r2Buckets: ["b"], d1Databases: ["db"] });
  try {
    const h = { authorization: "Bearer t" };
    const get = async (p: string) => (await fetch(mock.url + p, { headers: h })).status;
    assert.equal(await get(`/accounts/${A}/workers/services/w`), 200);
    assert.equal(await get(`/accounts/${A}/r2/buckets/b`), 200);
    assert.equal(await get(`/accounts/${A}/r2/buckets/other`), 404);
    assert.equal(await get(`/accounts/${A}/d1/database/db`), 200);
    assert.equal(await get(`/accounts/${A}/d1/database/nope`), 404);
    assert.equal(await get(`/accounts/${A}/pages/projects/p`), 404);
    assert.equal(await get(`/accounts/${A}/something/else`), 500);
  } finally {
    await mock.close();
  }
  assert.deepEqual(mock.unknown, [`GET /accounts/${A}/something/else`]);
  const fresh = await startMock({ accountId: A });
  try {
    const r = await fetch(`${fresh.url}/accounts/${A}/workers/services/w`, { headers: { authorization: "Bearer t" } });
    assert.equal(r.status, 404);
    assert.deepEqual(((await r.json()) as { errors: unknown }).errors, [
      { code: 10090, message: "This Worker does not exist on your account." },
    ]);
  } finally {
    await fresh.close();
  }
});

test("recordCommand --format json: runs the command through the proxy, prints only the report on stdout", async () => {
  const mock = await startMock({ accountId: A, existingWorker: true });
  const script = [
    "const b = process.env.CLOUDFLARE_API_BASE_URL;",
    `const h = { authorization: "Bearer t" };`,
    `await fetch(b + "/accounts/${A}/workers/services/plain-worker", { headers: h });`,
    `const r = await fetch(b + "/accounts/${A}/workers/scripts/plain-worker/schedules", { method: "PUT", headers: h, body: "[]" });`,
    `console.log("child says hi", r.status);`,
  ].join("\n");
  let out = "";
  let err = "";
  // With the account id known (as CI sets it), the prediction needs no account lookup.
  const saved = process.env.CLOUDFLARE_ACCOUNT_ID;
  process.env.CLOUDFLARE_ACCOUNT_ID = A;
  let code: number;
  try {
    code = await recordCommand(
      ["--upstream", mock.url, "--format", "json", "--", process.execPath, "--input-type=module", "-e", script],
      { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd: join(__dirname, "cases", "plain") },
    );
  } finally {
    if (saved === undefined) delete process.env.CLOUDFLARE_ACCOUNT_ID;
    else process.env.CLOUDFLARE_ACCOUNT_ID = saved;
    await mock.close();
  }
  assert.equal(code, 0, err);
  assert.match(err, /child says hi 200/);
  const report = JSON.parse(out) as RecordReport;
  assert.deepEqual(
    report.calls.map((c) => [formatCall(c.method, c), c.verdict]),
    [
      ["GET /accounts/{account_id}/workers/services/{script_name}", "covered"],
      ["PUT /accounts/{account_id}/workers/scripts/{script_name}/schedules", "covered"],
    ],
  );
  assert.ok(!("error" in report.prediction));
  assert.deepEqual(
    report.prediction.requirements.map((r) => r.group),
    ["Workers Scripts Write"],
  );
  assert.deepEqual(report.comparison, { missing: [], extra: [], unknown: [] });
  assert.equal(report.failure, null);
  assert.match(report.notes.join(" "), /does not name wrangler/);
});

test("recordCommand text: a failing command gets the failed call and its group", async () => {
  const mock = await startMock({
    accountId: A,
    fail: [{ method: "PUT", path: "/accounts/{account_id}/workers/scripts/{script_name}/schedules", code: 10000 }],
  });
  const script = [
    `const r = await fetch(process.env.CLOUDFLARE_API_BASE_URL + "/accounts/${A}/workers/scripts/plain-worker/schedules", { method: "PUT", headers: { authorization: "Bearer t" }, body: "[]" });`,
    "process.exit(r.ok ? 0 : 1);",
  ].join("\n");
  let out = "";
  const code = await recordCommand(
    ["--upstream", mock.url, "--", process.execPath, "--input-type=module", "-e", script],
    {
      stdout: (s) => (out += s),
      stderr: () => {},
      cwd: join(__dirname, "cases", "plain"),
    },
  );
  await mock.close();
  assert.equal(code, 1);
  assert.match(out, /Recorded 1 Cloudflare API call /);
  assert.match(
    out,
    /PUT \/accounts\/\{account_id\}\/workers\/scripts\/\{script_name\}\/schedules\s+403 \[10000\]\s+Workers Scripts Write/,
  );
  assert.match(
    out,
    /The command failed\. .*\(HTTP 403: Authentication error \[code: 10000\]\); it needs Workers Scripts Write\./,
  );
});
