// The work of action.yml's "Run wrangler-token-lint" step: runs the CLI (WTL_CLI) for `check` or `diff` on
// GITHUB_WORKSPACE, prints the text report to the log, appends the Markdown report to GITHUB_STEP_SUMMARY, writes
// the SARIF report under RUNNER_TEMP and sets the step outputs `exit-code` and `sarif-file` in GITHUB_OUTPUT.
// The base of `diff` defaults to origin/<GITHUB_BASE_REF> in a pull request and to the push's `before` commit
// (from GITHUB_EVENT_PATH); otherwise the CLI's own default (merge-base with the default branch) applies.
// Runs only node and the CLI (which runs only git); no shell, no network. Exits 0 unless it cannot run at all:
// the verdict is left to the action's last step, so the SARIF is uploaded first.
import { spawnSync } from "node:child_process";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const env = process.env;

function fail(message) {
  console.error(`wrangler-token-lint action: ${message}`);
  process.exit(2);
}

function pushBase() {
  if (env.GITHUB_EVENT_NAME !== "push" || !env.GITHUB_EVENT_PATH) return undefined;
  try {
    const before = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8")).before;
    return typeof before === "string" && /^[0-9a-f]{40}$/.test(before) && !/^0+$/.test(before) ? before : undefined;
  } catch {
    return undefined;
  }
}

function baseRevision() {
  if (env.INPUT_BASE) return env.INPUT_BASE;
  if (env.GITHUB_BASE_REF) return `origin/${env.GITHUB_BASE_REF}`;
  return pushBase();
}

function output(name, value) {
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

function main() {
  const command = env.INPUT_COMMAND || "diff";
  if (command !== "check" && command !== "diff") fail(`input command must be check or diff (got "${command}")`);
  if (!env.WTL_CLI) fail("WTL_CLI (the CLI's path) is not set");
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const path = resolve(workspace, env.INPUT_PATH || ".");
  const extra = (env.INPUT_ARGS || "").split(/\s+/).filter(Boolean);
  const args = [command, path, ...extra];
  if (command === "diff") {
    const base = baseRevision();
    if (base) args.push("--base", base);
  }
  const run = (format) =>
    spawnSync(process.execPath, [env.WTL_CLI, ...args, "--format", format], {
      cwd: workspace,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
  const text = run("text");
  if (text.error) fail(`cannot run the CLI: ${text.error.message}`);
  process.stdout.write(text.stdout);
  process.stderr.write(text.stderr);
  const code = text.status ?? 2;
  output("exit-code", String(code));
  if (code === 2) return; // unusable input: the message is in the log, and there is no report to publish
  if (env.INPUT_SUMMARY !== "false" && env.GITHUB_STEP_SUMMARY) {
    const md = run("markdown");
    if (md.status === code) appendFileSync(env.GITHUB_STEP_SUMMARY, md.stdout + "\n");
  }
  const sarif = run("sarif");
  if (sarif.status === code) {
    const file = join(env.RUNNER_TEMP || workspace, `wrangler-token-lint-${command}.sarif`);
    writeFileSync(file, sarif.stdout);
    output("sarif-file", file);
  }
}

main();
