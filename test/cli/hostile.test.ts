// Hostile inputs through the built CLI (issue 9): each workspace is written to a temporary folder and checked by
// `bin/wrangler-token-lint.js check` as a separate process. Each input gives a finding or a skip message that
// says why, and the process ends normally with its documented exit code (0: nothing at or above --fail-on, 1:
// something is). No timing assertions: the spawn timeout is only a guard against a hang.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const repo = join(import.meta.dirname, "..", "..");
const base = mkdtempSync(join(tmpdir(), "wtl-hostile-"));
after(() => rmSync(base, { recursive: true, force: true }));

const ACCOUNT = "0123456789abcdef0123456789abcdef";
const CONFIG = `name = "api"\nmain = "src/index.js"\naccount_id = "${ACCOUNT}"\n`;
const workflow = (cmd: string) =>
  `on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${cmd}\n        env:\n          CLOUDFLARE_API_TOKEN: \${{ secrets.CLOUDFLARE_API_TOKEN }}\n`;

interface Finding {
  rule: string;
  severity: string;
  message: string;
  file: string;
  line: number;
}
interface Report {
  summary: { configs: number; deploys: number; tokens: number };
  findings: Finding[];
}

/** A workspace of the given files (relative path → text or bytes) under a fresh folder. */
function workspace(name: string, files: Record<string, string | Buffer>): string {
  const dir = join(base, name);
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), body);
  }
  return dir;
}

/** Runs `check DIR --format json`; asserts the process ended by itself (no signal, no crash) with `status`. */
function check(dir: string, status: number, extra: string[] = []): { report: Report; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [join(repo, "bin", "wrangler-token-lint.js"), "check", dir, "--format", "json", "--today", "2026-11-23", ...extra],
    {
      cwd: base,
      encoding: "utf8",
      timeout: 180_000,
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  assert.equal(r.error, undefined, `the process did not finish: ${r.error}`);
  assert.equal(r.signal, null, "the process was killed");
  assert.equal(r.stderr, "", "nothing on stderr (no crash, no stack trace)");
  assert.equal(r.status, status, r.stdout.slice(0, 2000));
  return { report: JSON.parse(r.stdout) as Report, stdout: r.stdout, stderr: r.stderr };
}

const rules = (r: Report, file?: string) => r.findings.filter((f) => !file || f.file === file).map((f) => f.rule);

test("a 10 MB wrangler.jsonc: one file-too-large finding, nothing in it analysed", () => {
  let text = `{\n  "name": "api",\n  "main": "src/index.js",\n  "account_id": "${ACCOUNT}",\n  "vars": {\n`;
  const line = `"${"x".repeat(80)}",\n`;
  for (let i = 0; text.length < 10 * 1024 * 1024; i++) text += `    "V${i}": ${line}`;
  text += `    "END": "1"\n  }\n}\n`;
  const dir = workspace("big-jsonc", {
    "wrangler.jsonc": text,
    ".github/workflows/deploy.yml": workflow("npx wrangler deploy"),
  });
  const { report } = check(dir, 1);
  const big = report.findings.filter((f) => f.file === "wrangler.jsonc");
  assert.deepEqual(
    big.map((f) => [f.rule, f.severity]),
    [["file-too-large", "error"]],
  );
  assert.match(big[0]!.message, /too large to read \(10\.0 MiB; the limit is 5 MiB\): nothing in it is analysed/);
  // --fail-on none: the same finding, exit 0.
  assert.deepEqual(rules(check(dir, 0, ["--fail-on", "none"]).report, "wrangler.jsonc"), ["file-too-large"]);
});

test("10,000 [env.*] sections are read whole: the deploy to the last one resolves, every env Worker is counted", () => {
  let text = CONFIG;
  for (let i = 0; i < 10_000; i++)
    text += `[env.e${i}]\nname = "api-e${i}"\n[[env.e${i}.kv_namespaces]]\nbinding = "KV"\nid = "${ACCOUNT}"\n`;
  const token = {
    name: "deploy",
    policies: [
      {
        effect: "allow",
        permission_groups: [{ id: "e086da7e2179491d91ee5f35b3ca210a" }],
        resources: { [`com.cloudflare.api.account.${ACCOUNT}`]: "*" },
      },
    ],
    expires_on: "2027-01-01T00:00:00Z",
  };
  const dir = workspace("envs", {
    "wrangler.toml": text,
    ".github/workflows/deploy.yml": workflow("npx wrangler deploy --env e9999"),
    "cloudflare-api-token.json": JSON.stringify(token),
  });
  const { report } = check(dir, 0);
  assert.deepEqual(report.summary, { configs: 1, deploys: 1, tokens: 1 });
  assert.deepEqual(
    report.findings.filter((f) => f.file === "wrangler.toml" || f.file.startsWith(".github")),
    [],
    "no finding on the config or the workflow",
  );
  // The token deploys the last env's Worker and reaches the top-level one and the 9,999 other env Workers.
  const blast = report.findings.find((f) => f.rule === "blast-radius");
  assert.match(
    blast?.message ?? "",
    /deploys api-e9999 but Workers Scripts: Edit also reaches api, api-e0, .* and 9990 more/,
  );
});

test("a 5,000-deep YAML workflow (block sequences, flow sequences): nesting-too-deep, the rest of the workspace is read", () => {
  const head = workflow("npx wrangler deploy");
  const dir = workspace("deep-yaml", {
    "wrangler.toml": CONFIG,
    ".github/workflows/block.yml": `${head}    x:\n      ${"- ".repeat(5000)}x\n`,
    ".github/workflows/flow.yml": `${head}    x: ${"[".repeat(5000)}${"]".repeat(5000)}\n`,
    ".github/workflows/ok.yml": head,
  });
  const { report } = check(dir, 1);
  const deep = (f: string) =>
    report.findings
      .filter((x) => x.file === `.github/workflows/${f}.yml`)
      .map((x) => `${x.rule} (${x.severity}): ${x.message}`);
  // Block nesting is read down to the limit (the step before it is kept); a flow nest is refused before parsing.
  assert.deepEqual(deep("block"), [
    "nesting-too-deep (error): Nesting deeper than 256 levels: what lies deeper is not read",
  ]);
  assert.deepEqual(deep("flow"), [
    "nesting-too-deep (error): Nesting deeper than 256 levels: nothing in this file is analysed",
  ]);
  assert.deepEqual(deep("ok"), []);
  assert.equal(report.summary.deploys, 2, "the deploys of ok.yml and of block.yml (above the deep part) are found");
});

test('a binary file named wrangler.toml: "not a text file", no line-ending or syntax error', () => {
  const png = readFileSync(join(repo, "images", "icon.png"));
  const noise = Buffer.alloc(2048, 0);
  for (let i = 0; i < noise.length; i++) noise[i] = 0x80 + (i % 64); // bytes that are not UTF-8, no NUL
  for (const [name, bytes] of [
    ["png", png.subarray(0, 4096)],
    ["not-utf8", Buffer.concat([Buffer.from('name = "x"\r\nmain = "a"\r'), noise])],
  ] as const) {
    const dir = workspace(`binary-${name}`, { "wrangler.toml": bytes });
    const { report } = check(dir, 1);
    assert.deepEqual(
      report.findings.map((f) => [f.file, f.rule]),
      [["wrangler.toml", "not-text"]],
      name,
    );
    assert.match(report.findings[0]!.message, /not a text file/);
  }
});

test("symbolic link loops are read once, with a link-loop message", () => {
  const dir = workspace("loops", {
    "app/wrangler.toml": CONFIG,
    ".github/workflows/deploy.yml": workflow("npx wrangler deploy --config app/wrangler.toml"),
  });
  symlinkSync(".", join(dir, "self"));
  mkdirSync(join(dir, "a"));
  mkdirSync(join(dir, "b"));
  symlinkSync(join("..", "b"), join(dir, "a", "to-b"));
  symlinkSync(join("..", "a"), join(dir, "b", "to-a"));
  const { report } = check(dir, 0, ["--fail-on", "error"]);
  assert.deepEqual(
    report.summary,
    { configs: 1, deploys: 1, tokens: 0 },
    "the config is found once, not once per loop level",
  );
  const loops = report.findings
    .filter((f) => f.rule === "link-loop")
    .map((f) => f.file)
    .sort();
  assert.ok(loops.includes("self"), JSON.stringify(loops));
  assert.ok(loops.length >= 2 && loops.length <= 3, `one message per link that loops back: ${JSON.stringify(loops)}`);
  // A real folder first reached through a link is not called a link.
  const messages = report.findings.filter((f) => f.rule === "link-loop").map((f) => `${f.file}: ${f.message}`);
  assert.ok(
    messages.includes("b: `b` was already read through the link `a/to-b`: not read again"),
    messages.join("\n"),
  );
  assert.ok(
    messages.includes("self: `self` is a link to a folder already read as `.`: not read again"),
    messages.join("\n"),
  );
});

test("`--config ../../../etc/passwd` in a workflow step: outside-workspace, nothing of /etc/passwd is printed", () => {
  const dir = workspace("passwd", {
    "wrangler.toml": CONFIG,
    ".github/workflows/deploy.yml": workflow("npx wrangler deploy --config ../../../etc/passwd"),
  });
  for (const format of ["json", "text", "sarif", "markdown"]) {
    const r = spawnSync(
      process.execPath,
      [join(repo, "bin", "wrangler-token-lint.js"), "check", dir, "--format", format, "--today", "2026-11-23"],
      { cwd: base, encoding: "utf8", timeout: 60_000 },
    );
    assert.equal(r.signal, null, format);
    assert.equal(r.stderr, "", format);
    assert.match(r.stdout, /outside-workspace/, format);
    assert.match(r.stdout, /`--config \.\.\/\.\.\/\.\.\/etc\/passwd` is outside the workspace/, format);
    assert.doesNotMatch(
      r.stdout,
      /root:x:0|\/bin\/(ba)?sh|nologin|daemon:/,
      `${format}: content of /etc/passwd was printed`,
    );
  }
  // A warning (the deploy's needs are unknown, nothing is wrong in the files): exit 0 at the default --fail-on.
  const { report } = check(dir, 0);
  const f = report.findings.find((x) => x.rule === "outside-workspace")!;
  assert.equal(f.severity, "warning");
  assert.equal(f.file, ".github/workflows/deploy.yml");
  assert.equal(f.line, 6);
});

test("300 cloudflare_api_token blocks and a trailing typo: every token is read, one hcl-syntax error at the typo", () => {
  let tf = "";
  for (let i = 0; i < 300; i++) {
    tf += `resource "cloudflare_api_token" "t${i}" {\n  name = "t${i}"\n  policy {\n    effect = "allow"\n    permission_groups = ["e086da7e2179491d91ee5f35b3ca210a"]\n    resources = { "com.cloudflare.api.account.${ACCOUNT}" = "*" }\n  }\n  expires_on = "2027-01-01T00:00:00Z"\n}\n`;
  }
  tf += `resource "cloudflare_api_token" "typo" {\n  name = "typo"\n  policy {\n    effect = "allow"\n`;
  const dir = workspace("tf-300", { "wrangler.toml": CONFIG, "infra/main.tf": tf });
  const { report } = check(dir, 1);
  assert.equal(report.summary.tokens, 301);
  const errors = report.findings.filter((f) => f.severity === "error");
  assert.deepEqual(
    errors.map((f) => [f.file, f.rule, f.line]),
    [["infra/main.tf", "hcl-syntax", tf.split("\n").length - 1]],
    "at the last line, where the block is cut off",
  );
  // The cut-off block is read as far as it goes, and what it does not say is a finding, not a guess.
  const typo = report.findings.filter((f) => f.rule === "unreadable-token-part" && /Token typo /.test(f.message));
  assert.ok(typo.length > 0, JSON.stringify(report.findings.filter((f) => /typo/.test(f.message))));
  // Each complete block has its policy read: no unreadable part in any of them.
  assert.equal(
    report.findings.filter((f) => f.rule === "unreadable-token-part" && !/Token typo /.test(f.message)).length,
    0,
  );
});
