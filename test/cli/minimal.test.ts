// `wrangler-token-lint minimal` through the BUILT CLI (server/out/cli.js, made by `npm run build`): who owns the
// token (--owner, default account), where the account id comes from (config, --account-id, CLOUDFLARE_ACCOUNT_ID
// or CF_ACCOUNT_ID in the environment, as wrangler reads them), and how PATH is found.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "wrangler-token-lint.js");
const work = mkdtempSync(join(tmpdir(), "wtl-minimal-"));
after(() => rmSync(work, { recursive: true, force: true }));
// The live oracle's no-account project: a plain Worker without account_id.
const project = join(work, "project");
cpSync(join(root, "test", "oracle", "cases", "no-account"), project, { recursive: true });
mkdirSync(join(project, "nested", "a", "b"), { recursive: true });
mkdirSync(join(work, "empty"));

const ACCOUNT = "0123456789abcdef0123456789abcdef";

function run(
  args: string[],
  env: Record<string, string> = {},
  cwd = project,
): { code: number; stdout: string; stderr: string } {
  assert.ok(
    existsSync(join(root, "server", "out", "cli.js")),
    "server/out/cli.js is missing: run `npm run build` first",
  );
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== "CLOUDFLARE_ACCOUNT_ID" && k !== "CF_ACCOUNT_ID"),
  );
  const r = spawnSync(process.execPath, [bin, "minimal", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...clean, ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function json(args: string[], env: Record<string, string> = {}) {
  const r = run([...args, "--format", "json"], env);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as {
    owner: string;
    accountId: string | null;
    requirements: { group: string; scope: string }[];
    notes: string[];
  };
}

test("no account id: an account-owned token by default, without Memberships Read, and how to give the id", () => {
  const r = json([]);
  assert.equal(r.owner, "account");
  assert.deepEqual(
    r.requirements.map((q) => q.group),
    ["Workers Scripts Write"],
  );
  assert.ok(
    r.notes.some((n) => /account-owned: it cannot hold Memberships Read.*9106/.test(n)),
    r.notes.join("\n"),
  );
  assert.ok(
    r.notes.some((n) =>
      n.includes("account_id in the config, CLOUDFLARE_ACCOUNT_ID in the environment, or --account-id"),
    ),
  );
  const text = run([]).stdout;
  assert.match(text, /^Owner: account \(POST \/accounts\/\{account_id\}\/tokens/m);
  assert.match(run(["--format", "terraform"]).stdout, /resource "cloudflare_account_token"/);
});

test("--owner user adds Memberships Read where wrangler looks the account up", () => {
  const r = json(["--owner", "user"]);
  assert.equal(r.owner, "user");
  assert.deepEqual(
    r.requirements.map((q) => `${q.group} (${q.scope})`),
    ["Workers Scripts Write (account)", "Memberships Read (user)"],
  );
  assert.match(
    run(["--owner", "user", "--format", "terraform"]).stdout,
    /resource "cloudflare_api_token"[\s\S]*# Memberships Read/,
  );
  // With an account id there is no lookup: the owner changes nothing but the token's kind.
  const withId = json(["--owner", "user", "--account-id", ACCOUNT]);
  assert.deepEqual(
    withId.requirements.map((q) => q.group),
    ["Workers Scripts Write"],
  );
});

test("the account id is read from CLOUDFLARE_ACCOUNT_ID (or CF_ACCOUNT_ID); --account-id wins", () => {
  for (const name of ["CLOUDFLARE_ACCOUNT_ID", "CF_ACCOUNT_ID"]) {
    const r = json(["--owner", "user"], { [name]: ACCOUNT });
    assert.equal(r.accountId, ACCOUNT, name);
    assert.deepEqual(
      r.requirements.map((q) => q.group),
      ["Workers Scripts Write"],
      `${name}: no account lookup`,
    );
    assert.ok(!r.notes.some((n) => n.includes("looks the account up")), name);
  }
  assert.equal(
    json(["--account-id", "fedcba9876543210fedcba9876543210"], { CLOUDFLARE_ACCOUNT_ID: ACCOUNT }).accountId,
    "fedcba9876543210fedcba9876543210",
  );
});

test("PATH: an empty directory searches upward, or says no config was found; a missing absolute path is echoed", () => {
  const nested = run(["nested/a/b"]);
  assert.equal(nested.code, 0, nested.stderr);
  assert.match(nested.stdout, /— wrangler\.toml \(Worker noacct-worker\)/);
  const empty = run([join(work, "empty")]);
  assert.equal(empty.code, 2);
  assert.equal(
    empty.stderr,
    `wrangler-token-lint minimal: No wrangler config (wrangler.json, wrangler.jsonc or wrangler.toml) found from ${join(work, "empty")}\n`,
  );
  const missing = run(["/nonexistent/abs/path"]);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, "wrangler-token-lint minimal: /nonexistent/abs/path: no such file or directory\n");
  assert.equal(run(["no/such/dir"]).stderr, "wrangler-token-lint minimal: no/such/dir: no such file or directory\n");
});

test("--command: an unknown or unlisted command is unsupported (exit 2), a local one needs nothing, an API one never does", () => {
  for (const cmd of ["frobnicate", "d1 insights DB"]) {
    const r = run(["--command", cmd, "--account-id", "0123456789abcdef0123456789abcdef"]);
    assert.equal(r.code, 2, r.stdout);
    assert.match(
      r.stderr,
      /^wrangler-token-lint minimal: unsupported command: `wrangler [a-z0-9 ]+` .*no token is computed for it\.\n$/,
    );
    assert.doesNotMatch(r.stdout + r.stderr, /No permission group is needed/);
  }
  const local = run(["--command", "build"]);
  assert.equal(local.code, 0, local.stderr);
  assert.match(local.stdout, /No permission group is needed\./);
  const d1 = run(["--command", "d1 create mydb", "--account-id", "0123456789abcdef0123456789abcdef"]);
  assert.equal(d1.code, 0, d1.stderr);
  assert.match(d1.stdout, /D1: Edit {2}\[D1 Write · account\][\s\S]*POST \/accounts\/\{account_id\}\/d1\/database/);
  assert.doesNotMatch(d1.stdout, /No permission group is needed/);
});
