// Every real workflow in the shared corpus is read without a crash, and a few facts about them hold.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { findGithubDeploys } from "../../server/src/core/ci/github.js";
import { findGitlabDeploys } from "../../server/src/core/ci/gitlab.js";
import { MemoryHost } from "../../server/src/core/host.js";

const repoRoot = new URL("../../", import.meta.url).pathname;
const corpus = join(repoRoot, "..", "shared", "corpus");

function ciFilesOf(dir: string): string[] {
  const out: string[] = [];
  (function walk(d: string): void {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) {
        if (n !== "node_modules") walk(p);
      } else if (
        (/\/\.github\/workflows\//.test(p) && /\.ya?ml$/.test(n)) ||
        n === ".gitlab-ci.yml" ||
        /gitlab-wrangler-action\/templates\/.*\.ya?ml$/.test(p)
      )
        out.push(p);
    }
  })(dir);
  return out;
}

const files = existsSync(corpus) ? ciFilesOf(corpus) : [];
const results = new Map<string, ReturnType<typeof findGithubDeploys> | ReturnType<typeof findGitlabDeploys>>();

test("the shared corpus is present", () => {
  assert.ok(existsSync(corpus), `missing corpus at ../shared/corpus`);
  assert.ok(files.length >= 20, `expected at least 20 CI files, found ${files.length}`);
});

test("every corpus CI file is scanned without a crash or a YAML error", () => {
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    const repo = f.slice(0, f.indexOf("/", corpus.length + 1));
    const virtual = "/repo" + f.slice(repo.length);
    const host = new MemoryHost(new Map([[virtual, text]]));
    const r = /\.github\//.test(f) ? findGithubDeploys(host, virtual, text) : findGitlabDeploys(host, virtual, text);
    assert.deepEqual(
      r.problems.filter((p) => p.code === "yaml-syntax"),
      [],
      f,
    );
    results.set(f.slice(corpus.length + 1), r);
  }
});

test("corpus facts: env, token, working directory, command kinds", () => {
  const get = (k: string) => {
    const r = results.get(k);
    assert.ok(r, `scanned ${k}`);
    return r!;
  };
  const cheqd = get("cheqd__data-api/.github/workflows/staging.yml");
  assert.deepEqual(
    cheqd.deploys.map((d) => d.command.kind),
    ["secret-bulk", "deploy"],
  );
  assert.equal(cheqd.deploys[1]!.env, "staging");
  assert.equal(cheqd.deploys[1]!.token?.secret, "CLOUDFLARE_API_TOKEN");
  const unkey = get("unkeyed__unkey/.github/workflows/job_deploy_api_staging.yaml");
  assert.equal(unkey.deploys.length, 1);
  assert.equal(unkey.deploys[0]!.env, "preview");
  assert.equal(unkey.deploys[0]!.workingDirectory, "/repo/apps/api");
  const r2 = get("G4brym__R2-Explorer/.github/workflows/deploy.yml");
  assert.equal(r2.deploys[0]!.implicit, true);
  assert.equal(r2.deploys[0]!.workingDirectory, "/repo/packages/github-action");
  assert.equal(r2.deploys[0]!.token?.secret, "CF_API_TOKEN");
  const pages = get("kent8192__reinhardt-web/.github/workflows/deploy-website.yml");
  assert.equal(pages.deploys[0]!.command.kind, "pages-deploy");
  assert.equal(pages.deploys[0]!.command.flags["project-name"], "reinhardt-web");
  const tg = get("TBXark__ChatGPT-Telegram-Workers/.github/workflows/cloudflare.yml");
  assert.equal(tg.deploys[0]!.command.config, "wrangler.toml");
  assert.equal(tg.deploys[0]!.token?.secret, "CF_API_TOKEN");
  const wb = get("cloudflare__wildebeest/.github/workflows/deploy.yml");
  assert.ok(wb.deploys.some((d) => d.command.kind === "d1-migrations-apply"));
  assert.ok(wb.deploys.every((d) => d.accountId?.secret === "CF_ACCOUNT_ID"));
  const turbo = get("cloudflare__mcp-server-cloudflare/.github/workflows/main.yml");
  assert.ok(turbo.problems.some((p) => p.code === "ci-unresolved-runner"));
  const eidam = get("eidam__gitlab-wrangler-action/templates/1.3.0.yml");
  assert.ok(eidam.deploys.length >= 2);
  assert.ok(eidam.deploys.every((d) => d.token?.secret === "CF_API_TOKEN"));
});
