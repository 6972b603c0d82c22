// The npm package as it would be published: `npm pack` (offline, lifecycle scripts off: `npm run build` made the
// bundles) holds only the bundles, the WebAssembly, the permission data, the docs and the manifest; unpacked
// into an empty folder, with no node_modules anywhere above it, its bin runs `--version`, `check` and `diff`;
// `npx --package <tarball>` installs it offline (it has no runtime dependencies: the bundles hold them).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Repo, GIT_ENV } from "../review/repo.js";
import { BASE_FILES, SHOP_CONFIG } from "../review/workspace.js";

const root = join(import.meta.dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const tmp = mkdtempSync(join(tmpdir(), "wtl-pack-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

const ALLOWED = [
  /^package\.json$/,
  /^(README|CHANGELOG)\.md$/,
  /^LICENSE$/,
  /^bin\/wrangler-token-lint\.js$/,
  /^server\/out\/(cli|server)\.js$/,
  /^server\/out\/[\w-]+\.wasm$/,
  /^client\/out\/extension\.js$/,
  /^server\/src\/core\/data\/[\w-]+\.(json|md)$/,
  /^docs\/[\w/-]+\.md$/,
  /^syntaxes\/[\w.-]+\.(json|md)$/,
  /^images\/icon\.png$/,
];

function npm(...args: string[]) {
  const r = spawnSync("npm", [...args, "--ignore-scripts", "--offline", "--no-audit", "--no-fund"], {
    cwd: root,
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test("the manifest is publishable: not private, a bin, a files list, no repository link that goes nowhere", () => {
  assert.notEqual(pkg.private, true);
  assert.equal(pkg.bin["wrangler-token-lint"], "./bin/wrangler-token-lint.js");
  assert.ok(Array.isArray(pkg.files) && pkg.files.length > 0);
  if (pkg.repository !== undefined) {
    const url = typeof pkg.repository === "string" ? pkg.repository : pkg.repository.url;
    assert.match(url, /^(git\+)?https:\/\/(github\.com|gitlab\.com)\//);
    assert.doesNotMatch(url, /\.invalid\b|example\./);
  }
  assert.ok(!existsSync(join(root, ".vscodeignore")), "vsce refuses a .vscodeignore next to a files list");
});

test("npm pack holds the bundles, WebAssembly, data and docs, and nothing else", () => {
  assert.ok(
    existsSync(join(root, "server", "out", "cli.js")),
    "server/out/cli.js is missing: run `npm run build` first",
  );
  const [info] = JSON.parse(npm("pack", "--dry-run", "--json"));
  const files: string[] = info.files.map((f: { path: string }) => f.path);
  assert.deepEqual(
    files.filter((f) => !ALLOWED.some((re) => re.test(f))),
    [],
  );
  for (const f of [
    "bin/wrangler-token-lint.js",
    "server/out/cli.js",
    "server/out/web-tree-sitter.wasm",
    "server/out/tree-sitter-terraform.wasm",
    "server/src/core/data/permission-groups.json",
    "docs/diff.md",
    "README.md",
  ]) {
    assert.ok(files.includes(f), `${f} is packed`);
  }
});

test("unpacked alone, the CLI runs: --version, check on a Terraform token, diff on a git repository", () => {
  npm("pack", "--pack-destination", tmp);
  const tgz = join(tmp, `${pkg.name}-${pkg.version}.tgz`);
  const unpacked = join(tmp, "installed");
  mkdirSync(unpacked);
  const x = spawnSync("tar", ["-xzf", tgz, "-C", unpacked], { encoding: "utf8" });
  assert.equal(x.status, 0, x.stderr);
  const bin = join(unpacked, "package", "bin", "wrangler-token-lint.js");
  const run = (cwd: string, ...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, ...GIT_ENV, NODE_PATH: "" },
    });
  const v = run(tmp, "--version");
  assert.equal(v.stdout, `${pkg.version}\n`);
  assert.equal(v.status, 0);
  // As `npx` runs it: installed from the tarball into an empty npm cache, offline (nothing else to fetch).
  const npx = spawnSync(
    "npx",
    ["--offline", "--yes", "--cache", join(tmp, "npm-cache"), "--package", tgz, "wrangler-token-lint", "--version"],
    { cwd: tmp, encoding: "utf8" },
  );
  assert.equal(npx.stdout, `${pkg.version}\n`, npx.stderr);

  const repo = Repo.create();
  try {
    repo.write(BASE_FILES);
    repo.commit("base");
    const check = run(repo.dir, "check", "--today", "2026-12-01", "--format", "json");
    assert.equal(check.stderr, "", "the Terraform reader's WebAssembly is found next to the bundle");
    assert.ok(JSON.parse(check.stdout).findings.some((f: { file: string }) => f.file === "infra/shop-token.tf"));
    repo.write({
      "wrangler.toml": SHOP_CONFIG + `\n[[env.production.d1_databases]]\nbinding = "DB"\ndatabase_name = "orders"\n`,
    });
    const diff = run(repo.dir, "diff", "--base", "main", "--today", "2026-12-01");
    assert.equal(diff.status, 1, diff.stdout + diff.stderr);
    assert.match(diff.stdout, /now needs D1: Edit \(D1 Write\)/);
  } finally {
    repo.remove();
  }
});
