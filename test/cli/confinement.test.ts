// Reads stay inside the workspace root (real paths): a workflow's `--config ../../../etc/passwd` and
// `--config ../outside/wrangler.toml`, a link to `/`, a link to an outside folder, a file link to an outside
// config and a `self -> .` loop, on a real disk, through the core with the disk Host, the built CLI and the
// language server. Nothing outside is read or named; each refusal is a finding; the loop is read once.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeWorkspace } from "../../server/src/core/workspace.js";
import { diskHost } from "../../server/src/node/disk-host.js";
import { LspClient, uri } from "../lsp/harness.js";

const repo = join(import.meta.dirname, "..", "..");
const base = mkdtempSync(join(tmpdir(), "wtl-confine-"));
after(() => rmSync(base, { recursive: true, force: true }));
const ws = join(base, "ws");
const outside = join(base, "outside");
mkdirSync(join(ws, ".github", "workflows"), { recursive: true });
mkdirSync(join(ws, "app"), { recursive: true });
mkdirSync(outside, { recursive: true });
writeFileSync(
  join(outside, "wrangler.toml"),
  'name = "outside-secret-worker"\nmain = "x.js"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "outside-db"\ndatabase_id = "x"\n',
);
writeFileSync(
  join(ws, "app", "wrangler.toml"),
  'name = "inside-app"\nmain = "x.js"\naccount_id = "0123456789abcdef0123456789abcdef"\n',
);
const WORKFLOW = join(ws, ".github", "workflows", "deploy.yml");
const STEP = (cmd: string, extra = "") =>
  `      - run: ${cmd}\n${extra}        env:\n          CLOUDFLARE_API_TOKEN: \${{ secrets.CLOUDFLARE_API_TOKEN }}\n          CLOUDFLARE_ACCOUNT_ID: 0123456789abcdef0123456789abcdef\n`;
writeFileSync(
  WORKFLOW,
  "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n" +
    STEP("npx wrangler deploy --config ../../../etc/passwd") +
    STEP("npx wrangler deploy --config ../outside/wrangler.toml") +
    STEP("npx wrangler deploy --config outlink/wrangler.toml") +
    STEP("npx wrangler deploy", "        working-directory: app\n"),
);
symlinkSync("/", join(ws, "rootlink"));
symlinkSync(".", join(ws, "self"));
symlinkSync(outside, join(ws, "outlink"));
mkdirSync(join(ws, "linked"));
symlinkSync(join(outside, "wrangler.toml"), join(ws, "linked", "wrangler.toml"));

/** Nothing from outside the root shows: not the outside Worker, not the host's files. */
function assertNothingFromOutside(out: string, relativeOnly = false): void {
  assert.doesNotMatch(out, /outside-secret-worker|outside-db/, "an outside config was read");
  assert.doesNotMatch(
    out,
    /root:x:0|\/bin\/(ba)?sh|etc\/shadow|"\/etc|rootlink\/(etc|usr|bin|proc)/,
    "host files were read or named",
  );
  const b = base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  assert.doesNotMatch(out, new RegExp(relativeOnly ? b : `${b}/(?!ws/)`), "a path outside the root was named");
}

test("the core with the disk host refuses every outside read and says where", () => {
  const r = analyzeWorkspace(diskHost(), ws, { today: "2026-11-23" });
  const outsideFindings = r.findings.filter((f) => f.rule === "outside-workspace");
  const lines = outsideFindings.map(
    (f) => `${f.location.file.slice(ws.length + 1)}@${f.location.span.start}: ${f.message}`,
  );
  const text = r.host.readFile(WORKFLOW)!;
  const at = (s: string) => text.indexOf(s);
  assert.ok(
    lines.some((l) =>
      l.startsWith(
        `.github/workflows/deploy.yml@${at("npx wrangler deploy --config ../../../etc")}: \`--config ../../../etc/passwd\` is outside the workspace`,
      ),
    ),
    lines.join("\n"),
  );
  assert.ok(
    lines.some((l) =>
      l.startsWith(
        `.github/workflows/deploy.yml@${at("npx wrangler deploy --config ../outside")}: \`--config ../outside/wrangler.toml\` is outside`,
      ),
    ),
    lines.join("\n"),
  );
  assert.ok(
    lines.some((l) =>
      l.startsWith(
        `.github/workflows/deploy.yml@${at("npx wrangler deploy --config outlink")}: \`--config outlink/wrangler.toml\` leads outside the workspace through a symbolic link`,
      ),
    ),
    lines.join("\n"),
  );
  for (const link of ["rootlink", "outlink", "linked/wrangler.toml"])
    assert.ok(
      lines.some((l) => l.startsWith(`${link}@0: \`${link}\` leads outside`)),
      `${link}:\n${lines.join("\n")}`,
    );
  const loops = r.problems.filter((p) => p.code === "link-loop");
  assert.deepEqual(
    loops.map((p) => `${p.file.slice(ws.length + 1)}: ${p.message}`),
    ["self: `self` is a link to a folder already read as `.`: not read again"],
  );
  // The loop is read once: the one inside config, not one per `self/self/…` level.
  assert.deepEqual(
    r.configs.map((c) => c.path.slice(ws.length + 1)),
    ["app/wrangler.toml"],
  );
  assert.equal(r.deploys.filter((d) => d.configPath?.endsWith("app/wrangler.toml")).length, 1);
  assertNothingFromOutside(
    JSON.stringify({ findings: r.findings, problems: r.problems, files: r.files.map((f) => f.slice(ws.length)) }),
  );
});

test("the CLI reports the refusals in every format and prints nothing from outside", () => {
  for (const format of ["text", "json", "sarif", "markdown"]) {
    const r = spawnSync(
      process.execPath,
      [join(repo, "bin", "wrangler-token-lint.js"), "check", ws, "--format", format, "--today", "2026-11-23"],
      { cwd: base, encoding: "utf8" },
    );
    assert.equal(r.stderr, "", format);
    assert.match(r.stdout, /outside-workspace/, format);
    assert.match(r.stdout, /link-loop/, format);
    assertNothingFromOutside(r.stdout, true);
  }
});

test("the language server publishes the refusals on the workflow and reads nothing outside", async (t) => {
  const c = await LspClient.start(ws);
  t.after(() => c.stop());
  await c.open(WORKFLOW, "yaml");
  const d = await c.waitForDiagnostics(WORKFLOW, (ds) => ds.filter((x) => x.code === "outside-workspace").length === 3);
  assertNothingFromOutside(JSON.stringify(d));
  const hover = await c.request<{ contents: { value: string } } | null>("textDocument/hover", {
    textDocument: { uri: uri(WORKFLOW) },
    position: { line: 11, character: 20 },
  });
  assertNothingFromOutside(JSON.stringify(hover));
  assertNothingFromOutside(JSON.stringify([...c.diagnostics]));
});
