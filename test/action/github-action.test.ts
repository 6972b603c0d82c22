// The GitHub Action (action.yml) run locally: its steps' own shell text is run with bash, with the
// `${{ inputs.* }}` / `${{ github.action_path }}` / `${{ steps.run.outputs.* }}` expressions replaced as the runner
// would, against repositories built here with real git commits and cloned as actions/checkout (fetch-depth: 0)
// leaves them. GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, RUNNER_TEMP and the event file are files in a temp folder. No
// network: the build step finds the bundle made by `npm run build`, and the SARIF upload step is only inspected.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { Repo, GIT_ENV } from "../review/repo.js";
import { BASE_FILES, SHOP_CONFIG } from "../review/workspace.js";
import { sarifValidator } from "../cli/sarif.js";

const root = join(import.meta.dirname, "..", "..");
const action = parse(readFileSync(join(root, "action.yml"), "utf8")) as {
  inputs: Record<string, { default?: string }>;
  runs: {
    using: string;
    steps: {
      name: string;
      id?: string;
      if?: string;
      uses?: string;
      run?: string;
      env?: Record<string, string>;
      with?: Record<string, string>;
      "working-directory"?: string;
    }[];
  };
};
const validate = sarifValidator(root);
const D1 = `\n[[env.production.d1_databases]]\nbinding = "DB"\ndatabase_name = "orders"\n`;

let tmp: string;
let origin: Repo;
let baseSha: string;
let workspace: string;
before(() => {
  assert.ok(
    existsSync(join(root, "server", "out", "cli.js")),
    "server/out/cli.js is missing: run `npm run build` first",
  );
  tmp = mkdtempSync(join(tmpdir(), "wtl-action-"));
  origin = Repo.create();
  origin.write(BASE_FILES);
  baseSha = origin.commit("base");
  origin.git("checkout", "-q", "-b", "add-binding");
  origin.write({ "wrangler.toml": SHOP_CONFIG + D1 });
  origin.commit("shop: D1 by name");
  origin.git("checkout", "-q", "main");
  workspace = join(tmp, "workspace");
  const c = spawnSync("git", ["clone", "-q", origin.dir, workspace], {
    env: { ...process.env, ...GIT_ENV },
    encoding: "utf8",
  });
  assert.equal(c.status, 0, c.stderr);
  new Repo(workspace).git("checkout", "-q", "add-binding");
});
after(() => {
  origin?.remove();
  rmSync(tmp, { recursive: true, force: true });
});

/** The value of one expression the action's steps use. */
function value(expr: string, inputs: Record<string, string>, outputs: Record<string, string>): string {
  if (expr === "github.action_path") return root;
  const input = /^inputs\.([\w-]+)$/.exec(expr);
  if (input) return inputs[input[1]!] ?? action.inputs[input[1]!]?.default ?? "";
  const out = /^steps\.run\.outputs\.([\w-]+)$/.exec(expr);
  if (out) return outputs[out[1]!] ?? "";
  throw new Error(`unexpected expression in action.yml: ${expr}`);
}

/** Replaces the expressions in a step's text, as the runner does before the shell sees it. */
function expand(text: string, inputs: Record<string, string>, outputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => value(expr, inputs, outputs));
}

/** The `if:` conditions action.yml uses: `always()`, `REF == 'x'`, `REF != ''`, joined by &&. */
function evalIf(cond: string, inputs: Record<string, string>, outputs: Record<string, string>): boolean {
  const inner = cond.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, "$1");
  return inner.split("&&").every((part) => {
    const p = part.trim();
    if (p === "always()") return true;
    const m = /^([\w.-]+)\s*(==|!=)\s*'(.*)'$/.exec(p);
    if (!m) throw new Error(`unexpected condition: ${p}`);
    const v = value(m[1]!, inputs, outputs);
    return m[2] === "==" ? v === m[3] : v !== m[3];
  });
}

function readOutputs(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

/** Runs every bash step of the action in order (skipping `uses:` steps), like a runner would. */
function runAction(name: string, inputs: Record<string, string>, github: Record<string, string>) {
  const dir = mkdtempSync(join(tmp, `${name}-`));
  const files = { summary: join(dir, "summary.md"), output: join(dir, "output") };
  writeFileSync(files.summary, "earlier step's summary\n");
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith("GITHUB_") && !k.startsWith("INPUT_") && !k.startsWith("RUNNER_")) base[k] = v;
  Object.assign(
    base,
    GIT_ENV,
    { GITHUB_WORKSPACE: workspace, GITHUB_ACTION_PATH: root, GITHUB_STEP_SUMMARY: files.summary, RUNNER_TEMP: dir },
    github,
  );
  const log: { step: string; status: number | null; stdout: string; stderr: string }[] = [];
  for (const step of action.runs.steps) {
    if (step.uses) continue;
    const outputs = readOutputs(files.output);
    if (step.if && !evalIf(step.if, inputs, outputs)) continue;
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, inputs, outputs)]));
    const cwd = step["working-directory"] ? expand(step["working-directory"], inputs, outputs) : workspace;
    const r = spawnSync("bash", ["-e", "-c", expand(step.run!, inputs, outputs)], {
      cwd,
      encoding: "utf8",
      env: { ...base, ...stepEnv, GITHUB_OUTPUT: step.id ? files.output : join(dir, "ignored") },
    });
    log.push({ step: step.name, status: r.status, stdout: r.stdout, stderr: r.stderr });
    if (r.status !== 0) break;
  }
  return { log, outputs: readOutputs(files.output), summary: readFileSync(files.summary, "utf8"), dir };
}

function cli(...args: string[]) {
  return spawnSync(process.execPath, [join(root, "bin", "wrangler-token-lint.js"), ...args], {
    cwd: workspace,
    encoding: "utf8",
    env: { ...process.env, ...GIT_ENV },
  });
}

test("action.yml: a composite action whose actions are pinned by commit and whose shell text holds no input", () => {
  assert.equal(action.runs.using, "composite");
  for (const s of action.runs.steps) {
    if (s.uses)
      assert.match(s.uses, /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/, `${s.name}: pin ${s.uses} by its full commit SHA`);
    if (s.run) assert.doesNotMatch(s.run, /\$\{\{/, `${s.name}: expressions belong in env:, not in the shell text`);
  }
  const upload = action.runs.steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
  assert.ok(upload, "the SARIF upload step");
  assert.equal(upload.with?.sarif_file, "${{ steps.run.outputs.sarif-file }}");
  assert.match(upload.if ?? "", /always\(\)/, "SARIF is uploaded before the verdict fails the job");
  const names = action.runs.steps.map((s) => s.name);
  assert.ok(names.indexOf("Verdict") > names.indexOf(upload.name), "the verdict comes last");
});

test("pull request: diff against origin/<base branch>; summary, SARIF of the new findings, exit 1 at the verdict", () => {
  const r = runAction("pr", { command: "diff" }, { GITHUB_EVENT_NAME: "pull_request", GITHUB_BASE_REF: "main" });
  const steps = r.log.map((l) => `${l.step}: ${l.status}`);
  assert.deepEqual(
    steps,
    ["Build wrangler-token-lint: 0", "Run wrangler-token-lint: 0", "Verdict: 1"],
    r.log.map((l) => l.stderr).join("\n"),
  );
  assert.equal(r.outputs["exit-code"], "1");
  const run = r.log[1]!;
  assert.match(run.stdout, /^Permission review: base origin\/main \([0-9a-f]{7}\) → head working tree/);
  assert.match(r.log[2]!.stderr, /exited with 1/);
  const md = cli("diff", "--base", "origin/main", "--format", "markdown").stdout;
  assert.ok(md.includes("D1: Edit"), md);
  assert.equal(r.summary, "earlier step's summary\n" + md + "\n", "the Markdown report is appended to the summary");
  const sarifFile = r.outputs["sarif-file"]!;
  assert.equal(sarifFile, join(r.dir, "wrangler-token-lint-diff.sarif"));
  const log = JSON.parse(readFileSync(sarifFile, "utf8"));
  assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
  assert.deepEqual(
    log.runs[0].results.map((x: { ruleId: string }) => x.ruleId),
    ["missing-group"],
    "only the finding new on the branch",
  );
});

test("push: diff against the event's `before` commit; fail: false leaves the job green", () => {
  const event = join(tmp, "push.json");
  writeFileSync(event, JSON.stringify({ before: baseSha, after: "x" }));
  const r = runAction(
    "push",
    { command: "diff", fail: "false" },
    { GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: event },
  );
  assert.deepEqual(
    r.log.map((l) => `${l.step}: ${l.status}`),
    ["Build wrangler-token-lint: 0", "Run wrangler-token-lint: 0"],
  );
  assert.match(r.log[1]!.stdout, new RegExp(`^Permission review: base ${baseSha} \\(${baseSha.slice(0, 7)}\\)`));
  assert.equal(r.outputs["exit-code"], "1");
});

test("check: every finding, its Markdown in the summary and its SARIF; the exit code is check's", () => {
  const r = runAction(
    "check",
    { command: "check", args: "--today 2026-12-01" },
    { GITHUB_EVENT_NAME: "pull_request", GITHUB_BASE_REF: "main" },
  );
  const direct = cli("check", workspace, "--today", "2026-12-01", "--format", "markdown");
  assert.equal(r.outputs["exit-code"], String(direct.status));
  assert.ok(r.summary.includes(direct.stdout), r.summary);
  assert.ok(validate(JSON.parse(readFileSync(r.outputs["sarif-file"]!, "utf8"))));
});

test("a base that cannot be read: exit 2 at the verdict, no SARIF to upload, the reason in the log", () => {
  const r = runAction(
    "bad-base",
    { command: "diff", base: "no-such-ref" },
    { GITHUB_EVENT_NAME: "pull_request", GITHUB_BASE_REF: "main" },
  );
  assert.equal(r.outputs["exit-code"], "2");
  assert.equal(r.outputs["sarif-file"], undefined);
  assert.match(r.log[1]!.stderr, /cannot read revision "no-such-ref"/);
  assert.equal(r.log.at(-1)!.status, 2);
  const wrong = runAction("bad-command", { command: "deploy" }, {});
  assert.equal(wrong.log[1]!.status, 2);
  assert.match(wrong.log[1]!.stderr, /input command must be check or diff/);
});

test("the README's example workflow is least-privilege: no top-level permission, two job permissions, pinned actions", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const m = /<!-- example-workflow -->\n```yaml\n([\s\S]*?)```/.exec(readme);
  assert.ok(m, "the README marks its example workflow");
  const wf = parse(m[1]!) as {
    permissions: unknown;
    jobs: Record<
      string,
      { permissions: Record<string, string>; steps: { uses?: string; with?: Record<string, unknown> }[] }
    >;
  };
  assert.deepEqual(wf.permissions, {});
  for (const job of Object.values(wf.jobs)) {
    assert.deepEqual(job.permissions, { contents: "read", "security-events": "write" });
    const uses = job.steps.map((s) => s.uses).filter((u): u is string => !!u);
    for (const u of uses.slice(0, -1))
      assert.match(u, /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/, `${u}: pinned by its full commit SHA`);
    // The action itself has no public home yet: the example says where to point it, pinned by commit.
    assert.equal(uses.at(-1), "YOUR-ORG/wrangler-token-lint@FULL-COMMIT-SHA");
    const checkout = job.steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    assert.equal(checkout?.with?.["fetch-depth"], 0, "diff needs the base branch's history");
    assert.equal(checkout?.with?.["persist-credentials"], false);
  }
});
