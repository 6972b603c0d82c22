// The real-editor checks as part of the test suite: the built .vsix in code-server driven by Chromium (UI check,
// the branch review on a git repository it builds, then the extension tests in code-server's extension host),
// and Neovim as a second LSP client over stdio.
// They need the tools installed by scripts/install-e2e-tools.sh (`npm run install-test-tools`); without them
// these tests fail and say so. Screenshots land in test-output/screenshots/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const tools = process.env.E2E_TOOLS ?? join(root, ".scratch/e2e-tools");

function run(script: string): void {
  // SKIP_INSTALL: installing is `npm run install-test-tools`' job; SKIP_BUILD: `npm test` built first.
  const r = spawnSync("bash", [join(root, "scripts", script)], {
    cwd: root,
    env: { ...process.env, SKIP_INSTALL: "1", SKIP_BUILD: "1" },
    encoding: "utf8",
    timeout: 15 * 60 * 1000,
  });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  assert.equal(
    r.status,
    0,
    `${script} failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ""}):\n${output.slice(-6000)}`,
  );
}

test("code-server + Chromium: the installed .vsix shows findings, fixes, hovers and generates tokens", () => {
  assert.ok(
    existsSync(join(tools, "cs/node_modules/.bin/code-server")),
    `code-server is not installed in ${tools}: run npm run install-test-tools`,
  );
  run("e2e-code-server.sh");
  assert.ok(existsSync(join(root, "test-output/screenshots")), "screenshots were saved");
});

test("Neovim over stdio gets the same findings", () => {
  run("e2e-nvim.sh");
});
