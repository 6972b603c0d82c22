// CI layouts that hide the wrangler command one step away: script files, task runners, make/just, workspaces.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { findCiDeploys } from "../../server/src/core/ci/index.js";
import { FIXTURES, at, loadRepo } from "./helpers.js";

function scan(name: string) {
  const { host, files } = loadRepo(join(FIXTURES, name));
  const r = findCiDeploys(host, "/repo");
  const chain = (d: (typeof r.deploys)[number]) =>
    d.via.map((l) => `${l.file.slice("/repo/".length)}: ${at(files, l).text}`);
  const problem = (code: string, text: string) =>
    r.problems.find((p) => p.code === code && at(files, { file: p.file, span: p.span }).text === text);
  return { r, files, chain, problem };
}

test("script files: wrangler-action preCommands with a matrix-named script, $0 / BASH_SOURCE dirs, $1 defaults, source, bash -eo, sh -c", () => {
  const { r, files, chain, problem } = scan("shell-scripts");
  const migrations = r.deploys.filter((d) => d.command.kind === "d1-migrations-apply");
  assert.deepEqual(
    migrations.map((d) => d.env),
    ["calibration", "mainnet"],
    "one script per matrix value",
  );
  for (const d of migrations) {
    assert.equal(d.workingDirectory, "/repo/db", 'cd "$(dirname "$0")"');
    assert.equal(d.command.remote, true);
    assert.equal(d.token?.secret, "CLOUDFLARE_API_TOKEN", "the action's apiToken reaches its preCommands");
    assert.equal(d.accountId?.secret, "CLOUDFLARE_ACCOUNT_ID");
  }
  assert.deepEqual(chain(migrations[1]!), [
    ".github/workflows/deploy.yml: ../db/deploy-${{ matrix.environment }}.sh",
    "db/deploy-mainnet.sh: npx wrangler d1 migrations apply DB --env mainnet --remote",
  ]);
  const script = r.deploys.find((d) => d.label.endsWith("deploy script"))!;
  assert.equal(script.command.kind, "deploy");
  assert.equal(script.env, "production", "ENVIRONMENT=${1:-staging} with the argument production");
  assert.equal(script.workingDirectory, "/repo/worker", 'cd "$SCRIPT_DIR/../worker" with SCRIPT_DIR from BASH_SOURCE');
  assert.equal(script.accountId?.value, "0123456789abcdef0123456789abcdef", "exported by a sourced file");
  assert.equal(script.token?.secret, "DEPLOY_TOKEN", "the job env reaches the script");
  assert.deepEqual(at(files, script.via[1]!), { text: 'npx wrangler deploy --env "$ENVIRONMENT"', line: 9, column: 1 });
  const bash = r.deploys.find((d) => d.label.endsWith("bash script"))!;
  assert.equal(bash.command.kind, "pages-deploy");
  assert.equal(bash.via[1]!.file, "/repo/scripts/publish-docs.sh");
  const shc = r.deploys.find((d) => d.label.endsWith("sh -c"))!;
  assert.equal(shc.workingDirectory, "/repo/docs");
  assert.equal(
    at(files, shc.location).text,
    "npx wrangler pages deploy dist --project-name docs",
    "mapped inside the quotes",
  );
  assert.equal(r.deploys.length, 6);
  // What cannot be followed is said, on the step line.
  assert.equal(problem("ci-script-not-found", "./scripts/missing-deploy.sh")?.severity, "info");
  assert.match(
    problem("ci-script-not-shell", "node scripts/release.mjs")!.message,
    /not a shell script and mentions wrangler/,
  );
  assert.match(
    problem("ci-dynamic-command", "./scripts/${{ inputs.target }}.sh")!.message,
    /known only when the job runs/,
  );
});

test("run-s / npm-run-all / concurrently: script names, `deploy:*` patterns (one segment), groups, npm: shorthands, quoted commands", () => {
  const { r, files, chain, problem } = scan("task-runners");
  const by = (label: string) => r.deploys.filter((d) => d.label.endsWith(label)).map((d) => d.command.argv.join(" "));
  assert.deepEqual(
    by("run-s with a pattern"),
    ["deploy", "d1 migrations apply DB --remote"],
    "deploy:* does not match deploy:infra:dns",
  );
  assert.deepEqual(by("npm-run-all groups"), ["deploy --env production", "pages deploy dist --project-name docs"]);
  assert.deepEqual(by("concurrently"), ["versions upload", "queues create jobs"]);
  const worker = r.deploys[0]!;
  assert.deepEqual(chain(worker), [
    ".github/workflows/deploy.yml: npm run deploy",
    "package.json: run-s build deploy:*",
    "package.json: wrangler deploy",
  ]);
  assert.equal(worker.token?.secret, "CLOUDFLARE_API_TOKEN");
  const queue = r.deploys.find((d) => d.command.argv[0] === "queues")!;
  const inner = queue.via[queue.via.length - 1]!;
  assert.equal(at(files, inner).text, "wrangler queues create jobs", "inside the quoted concurrently argument");
  assert.equal(inner.file, "/repo/package.json");
  assert.match(
    problem("ci-script-not-found", "npm run typo")!.message,
    /No script matches `depoly:\*` \(package\.json\); nothing it would run is analysed \(in package\.json\)\./,
    "on the workflow line, naming the file",
  );
  assert.equal(r.deploys.length, 6);
});

test("make and just: prerequisites first, variables (file, command line, $(MAKE)), just parameters, dependency arguments, working-directory", () => {
  const { r, chain, problem } = scan("make-just");
  const make = r.deploys.filter((d) => d.label.endsWith("make with a variable"));
  assert.deepEqual(
    make.map((d) => d.command.argv.join(" ")),
    ["d1 migrations apply DB --remote", "deploy", "deploy --env production"],
    "migrate (a prerequisite) first; both branches of the if",
  );
  for (const d of make) assert.equal(d.workingDirectory, "/repo/backend/worker", "cd $(WORKER_DIR)");
  assert.deepEqual(chain(make[0]!), [
    ".github/workflows/deploy.yml: make deploy ENV=prod",
    "Makefile: deploy",
    "Makefile: cd $(WORKER_DIR) && $(WRANGLER) d1 migrations apply DB --remote",
  ]);
  const just = r.deploys.filter((d) => d.label.endsWith("just with an argument"));
  assert.deepEqual(
    just.map((d) => [d.command.kind, d.env, d.workingDirectory]),
    [
      ["d1-migrations-apply", "production", "/repo/backend/worker"],
      ["deploy", "production", "/repo/backend/worker"],
    ],
    "(migrate env) passes the argument on; [working-directory] applies",
  );
  assert.equal(just[0]!.token?.secret, "CLOUDFLARE_API_TOKEN");
  assert.ok(problem("ci-script-not-found", "make -C infra publish"));
  assert.match(problem("ci-script-not-found", "just release")!.message, /Recipe `release` is not defined/);
  assert.equal(r.deploys.length, 5);
});

test("turbo and pnpm workspaces: every package's script, `--` arguments passed on, workspace bins, filters by name and directory, pnpm's own deploy", () => {
  const { r, chain, problem } = scan("monorepo");
  const turbo = r.deploys.filter((d) => d.label.endsWith("Deploy Workers (staging)"));
  assert.deepEqual(
    turbo.map((d) => [d.workingDirectory.slice("/repo/".length), d.command.kind, d.env]),
    [
      ["apps/api", "deploy", "staging"],
      ["apps/docs", "pages-deploy", "staging"],
      ["apps/workers-observability", "deploy", "staging"],
    ],
  );
  const obs = turbo[2]!;
  assert.deepEqual(
    chain(obs).map((c) => c.split("\n")[0]),
    [
      ".github/workflows/main.yml: pnpm turbo deploy -- -e staging",
      "apps/workers-observability/package.json: run-wrangler-deploy",
      "packages/tools/bin/run-wrangler-deploy: wrangler deploy \\",
    ],
    'the deploy script runs a bin of @repo/tools, a bash script whose "$@" carries -e staging',
  );
  assert.equal(obs.token?.secret, "CLOUDFLARE_API_TOKEN");
  assert.equal(obs.packageManager, "pnpm");
  const by = (label: string) =>
    r.deploys
      .filter((d) => d.label.endsWith(label))
      .map((d) => `${d.workingDirectory.slice("/repo/".length)} ${d.command.argv.join(" ")}`);
  assert.deepEqual(by("filter run"), ["apps/api deploy --env production"]);
  assert.deepEqual(by("filter exec by directory"), ["apps/api d1 migrations apply DB --remote"]);
  assert.deepEqual(by("dependents selector"), ["apps/docs pages deploy dist --project-name docs"]);
  assert.deepEqual(by("turbo dry run"), [], "turbo --dry-run runs nothing");
  assert.match(
    problem("ci-pnpm-deploy", "pnpm --filter api deploy")!.message,
    /pnpm's own command.*"deploy" script of api/,
  );
  assert.ok(
    problem("ci-workspace-selection", 'pnpm --filter "...docs" run deploy'),
    "a selector that is only approximated says so",
  );
});

test("nx (run-commands with dependsOn, inferred package scripts, other executors), npm -w and yarn workspace", () => {
  const { r, chain, problem } = scan("monorepo-nx");
  const by = (label: string) =>
    r.deploys
      .filter((d) => d.label.endsWith(label))
      .map((d) => `${d.workingDirectory.slice("/repo/".length)} ${d.command.argv.join(" ")}`);
  assert.deepEqual(
    by("nx run"),
    [
      "apps/api deploy --dry-run --outdir dist",
      "apps/api d1 migrations apply DB --remote --env production",
      "apps/api deploy --env production",
    ],
    "dependsOn first",
  );
  assert.deepEqual(by("nx run-many"), [...by("nx run"), "apps/web pages deploy dist --project-name web"]);
  assert.deepEqual(by("npm workspace"), ["apps/web pages deploy dist --project-name web"]);
  assert.deepEqual(by("yarn workspace"), ["apps/web pages deploy dist --project-name web"]);
  const api = r.deploys.find(
    (d) => d.label.endsWith("nx run") && d.env === "production" && d.command.kind === "deploy",
  )!;
  assert.deepEqual(chain(api), [
    ".github/workflows/deploy.yml: npx nx run api:deploy",
    "apps/api/project.json: wrangler deploy --env production",
  ]);
  assert.match(
    problem("ci-unresolved-runner", "npx nx run-many -t deploy")!.message,
    /executor @acme\/nx-cloudflare:deploy/,
  );
  assert.ok(problem("ci-script-not-found", "npx nx deploy shop"));
});

test("local composite actions: inputs (passed and default), github.action_path scripts, wrangler-action inside, through a reusable workflow's secrets", () => {
  const { r, chain, problem } = scan("composite");
  assert.equal(r.deploys.length, 3);
  const pages = r.deploys[0]!;
  assert.equal(pages.command.kind, "pages-deploy");
  assert.equal(
    pages.token?.secret,
    "CF_WRANGLER_TOKEN",
    "apiToken: ${{ inputs.CF_WRANGLER_TOKEN }} from the caller's with:",
  );
  assert.equal(pages.accountId?.value, "1234b123e4a1a12345ff01aa4321f12a");
  assert.equal(pages.label, "publish.yml › docs › Publish docs › Publish to Pages");
  const [prod, staging] = r.deploys.slice(1);
  assert.deepEqual(
    [prod!.env, prod!.token?.secret, prod!.workingDirectory],
    ["production", "PROD_CLOUDFLARE_TOKEN", "/repo/api"],
    "explicit secrets: reach the action's token input",
  );
  assert.deepEqual([staging!.env, staging!.token?.secret], ["staging", "CF_TOKEN"], "secrets: inherit keeps the name");
  assert.deepEqual(chain(prod!), [
    ".github/workflows/publish.yml: ./.github/workflows/deploy.yml",
    ".github/workflows/deploy.yml: ./.github/actions/migrate",
    ".github/actions/migrate/action.yml: ${{ github.action_path }}/migrate.sh ${{ inputs.environment }}",
    '.github/actions/migrate/migrate.sh: npx wrangler d1 migrations apply DB --remote --env "$1"',
  ]);
  assert.match(problem("ci-script-not-shell", "./.github/actions/node-deploy")!.message, /runs node20/);
  assert.ok(problem("ci-action-not-found", "./.github/actions/deploy-worker"));
});

test("wrangler-action@v4 (preCommands/postCommands scripts with the action's token), cf deploy (analysed as wrangler deploy, said so), Cloud Foundry's cf deploy left alone", () => {
  const { r, chain, problem } = scan("action-v4-cf");
  const app = r.deploys.filter((d) => d.label.startsWith("deploy.yml › app"));
  assert.deepEqual(
    app.map((d) => d.command.argv.join(" ")),
    ["d1 migrations apply DB --remote", "versions upload", "versions list"],
    "pre, command, post in order",
  );
  for (const d of app) {
    assert.equal(d.token?.secret, "CLOUDFLARE_API_TOKEN");
    assert.equal(d.accountId?.secret, "CLOUDFLARE_ACCOUNT_ID");
    assert.equal(d.workingDirectory, "/repo/app");
  }
  assert.deepEqual(chain(app[2]!), [
    ".github/workflows/deploy.yml: bash ./scripts/smoke.sh",
    "app/scripts/smoke.sh: npx wrangler versions list",
  ]);
  const cf = r.deploys.find((d) => d.label.endsWith("cf CLI"))!;
  assert.equal(cf.command.kind, "deploy");
  assert.equal(cf.workingDirectory, "/repo/web");
  assert.equal(cf.token?.secret, "WEB_TOKEN");
  assert.match(
    problem("ci-cf-cli", "npx cf deploy")!.message,
    /analysed as `wrangler deploy`.*cloudflare\.config\.ts is code and is not read/,
  );
  assert.equal(r.deploys.length, 4, "cf deploy app.mtar (Cloud Foundry) is not a Cloudflare deploy");
});

test("a wrapper script that execs another through $(cd … && pwd) directories; $(npm bin)/wrangler; loops end with a finding", async () => {
  const { MemoryHost } = await import("../../server/src/core/host.js");
  const files = new Map([
    [
      "/r/.github/workflows/deploy.yml",
      "on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy/worker/deploy.sh prod\n      - run: make deploy\n      - run: ./scripts/again.sh\n",
    ],
    [
      "/r/deploy/worker/deploy.sh",
      '#!/bin/bash\n# Usage: ./deploy.sh [dev|prod]\nset -e\nDEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"\nPROJECT_ROOT="$(cd "$DEPLOY_DIR/../.." && pwd)"\nENV="${1:-dev}"\nexec "$PROJECT_ROOT/scripts/deploy.sh" "$ENV"\n',
    ],
    ["/r/scripts/deploy.sh", '#!/bin/bash\ncd "$(dirname "$0")/../worker"\n$(npm bin)/wrangler deploy --env "$1"\n'],
    ["/r/scripts/again.sh", "#!/bin/sh\n./scripts/again.sh\n"],
    ["/r/Makefile", "deploy:\n\t$(MAKE) deploy\n"],
  ]);
  const r = findCiDeploys(new MemoryHost(files), "/r");
  assert.equal(r.deploys.length, 1);
  assert.deepEqual(
    [r.deploys[0]!.command.argv.join(" "), r.deploys[0]!.env, r.deploys[0]!.workingDirectory],
    ["deploy --env prod", "prod", "/r/worker"],
  );
  assert.deepEqual(
    r.deploys[0]!.via.map((l) => l.file),
    ["/r/.github/workflows/deploy.yml", "/r/deploy/worker/deploy.sh", "/r/scripts/deploy.sh"],
  );
  assert.deepEqual(r.problems.map((p) => p.code).sort(), ["ci-script-cycle", "ci-script-cycle"]);
});

test("a script named with a matrix value runs each script; one known only at run time is reported", async () => {
  const { MemoryHost } = await import("../../server/src/core/host.js");
  const files = new Map([
    [
      "/r/.github/workflows/deploy.yml",
      "on: push\njobs:\n  d:\n    strategy:\n      matrix:\n        env: [staging, production]\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm run deploy:${{ matrix.env }}\n      - run: npm run deploy:${{ github.ref_name }}\n",
    ],
    [
      "/r/package.json",
      JSON.stringify({
        scripts: {
          "deploy:staging": "wrangler deploy --env staging",
          "deploy:production": "wrangler deploy --env production",
        },
      }),
    ],
  ]);
  const r = findCiDeploys(new MemoryHost(files), "/r");
  assert.deepEqual(
    r.deploys.map((d) => d.env),
    ["staging", "production"],
  );
  assert.deepEqual(
    r.problems.map((p) => p.code),
    ["ci-dynamic-command"],
  );
});
