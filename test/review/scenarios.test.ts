// `wrangler-token-lint diff` through the BUILT CLI on repositories built here with real git commits: one base on
// main (test/review/workspace.ts), one branch per scenario. Each scenario's report is compared with its goldens in
// every format (test/golden/review/<scenario>.{txt,json,md,sarif.json}, the last with the SARIF results); the whole
// SARIF log is validated against the SARIF 2.1.0 schema and must hold only findings new in head.
// UPDATE_GOLDEN=1 rewrites the goldens: review them.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Repo, GIT_ENV } from "./repo.js";
import { ADMIN_CONFIG, ADMIN_GROUPS, ADMIN_TOKEN, BASE_FILES, SHOP_CONFIG, ZONE_A, ZONE_B } from "./workspace.js";
import { sarifValidator } from "../cli/sarif.js";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "wrangler-token-lint.js");
const goldens = join(root, "test", "golden", "review");
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const validate = sarifValidator(root);

interface Scenario {
  name: string;
  /** What the branch does, as a commit message. */
  what: string;
  change(r: Repo): void;
  exit: 0 | 1;
}

const D1_BINDING = `
[[env.production.d1_databases]]
binding = "DB"
database_name = "orders"
`;

const ZONE_SETTINGS_POLICY = `,
    {
      "effect": "allow",
      "permission_groups": [{ "id": "3030687196b94b638145a3953da2b699", "name": "Zone Settings Write" }],
      "resources": { "com.cloudflare.api.account.zone.*": "*" }
    }`;

export const SCENARIOS: Scenario[] = [
  {
    name: "add-binding",
    what: "shop: a D1 database created by name in production",
    change: (r) => r.write({ "wrangler.toml": SHOP_CONFIG + D1_BINDING }),
    exit: 1,
  },
  {
    name: "add-route-new-zone",
    what: "shop: a second route, on another zone",
    change: (r) =>
      r.write({
        "wrangler.toml": SHOP_CONFIG.replace(
          `zone_id = "${ZONE_A}" },`,
          `zone_id = "${ZONE_A}" },\n  { pattern = "shop.example.net/*", zone_id = "${ZONE_B}" },`,
        ),
      }),
    exit: 1,
  },
  {
    name: "widen-token",
    what: "admin token: Zone Settings Write on every zone",
    change: (r) =>
      r.write({ "tokens/admin.json": ADMIN_TOKEN([ADMIN_GROUPS.scripts, ADMIN_GROUPS.tail], ZONE_SETTINGS_POLICY) }),
    exit: 1,
  },
  {
    name: "narrow-token",
    what: "admin token: drop Workers Tail Read, which no deploy needs",
    change: (r) => r.write({ "tokens/admin.json": ADMIN_TOKEN([ADMIN_GROUPS.scripts]) }),
    exit: 0,
  },
  {
    name: "rename-config",
    what: "admin: wrangler.toml becomes wrangler.jsonc",
    change: (r) => {
      r.git("rm", "-q", "admin/wrangler.toml");
      r.write({
        "admin/wrangler.jsonc": `{\n  "name": "admin",\n  "main": "src/index.js",\n  "compatibility_date": "2025-06-01",\n  "account_id": "0123456789abcdef0123456789abcdef"\n}\n`,
      });
    },
    exit: 0,
  },
  {
    name: "move-workflow",
    what: "admin: the workflow is renamed to deploy-admin.yml",
    change: (r) => r.move(".github/workflows/admin.yml", ".github/workflows/deploy-admin.yml"),
    exit: 0,
  },
  {
    name: "delete-deploy",
    what: "admin: the Worker and its workflow are removed",
    change: (r) => {
      r.git("rm", "-q", "-r", "admin", ".github/workflows/admin.yml");
    },
    exit: 0,
  },
];

let repo: Repo;
before(() => {
  repo = Repo.create();
  repo.write(BASE_FILES);
  repo.commit("base: shop and admin, each with its workflow and token");
  for (const s of SCENARIOS) {
    repo.git("checkout", "-q", "-b", s.name, "main");
    s.change(repo);
    repo.commit(s.what);
  }
  repo.git("checkout", "-q", "main");
  assert.ok(ADMIN_CONFIG.includes("admin"));
});
after(() => repo?.remove());

function diff(cwd: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  assert.ok(
    existsSync(join(root, "server", "out", "cli.js")),
    "server/out/cli.js is missing: run `npm run build` first",
  );
  const r = spawnSync(process.execPath, [bin, "diff", ...args, "--today", "2026-12-01"], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...GIT_ENV },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function golden(name: string, text: string): void {
  const path = join(goldens, name);
  if (UPDATE) {
    mkdirSync(goldens, { recursive: true });
    writeFileSync(path, text);
  }
  assert.ok(existsSync(path), `missing golden test/golden/review/${name} (run with UPDATE_GOLDEN=1, then review it)`);
  assert.equal(text, readFileSync(path, "utf8"), `test/golden/review/${name} differs`);
}

for (const s of SCENARIOS) {
  test(`${s.name}: ${s.what}`, () => {
    const outputs: Record<string, string> = {};
    for (const [format, ext] of [
      ["text", "txt"],
      ["json", "json"],
      ["markdown", "md"],
      ["sarif", "sarif.json"],
    ] as const) {
      const r = diff(repo.dir, "--base", "main", "--head", s.name, "--format", format);
      assert.equal(r.stderr, "", `${format}: ${r.stderr}`);
      assert.equal(r.code, s.exit, `${format}: exit ${r.code}\n${r.stdout}`);
      outputs[format] = r.stdout;
      // SARIF: the golden holds the results without ruleIndex (the rules list is every rule, checked by the schema).
      golden(
        `${s.name}.${ext}`,
        format === "sarif"
          ? JSON.stringify(
              JSON.parse(r.stdout).runs[0].results.map(({ ruleIndex: _, ...x }: { ruleIndex: number }) => x),
              null,
              2,
            ) + "\n"
          : r.stdout,
      );
    }
    const review = JSON.parse(outputs.json!);
    assert.equal(review.fails, s.exit === 1);
    const log = JSON.parse(outputs.sarif!);
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    const results = log.runs[0].results as { ruleId: string; message: { text: string } }[];
    assert.deepEqual(
      results.map((x) => `${x.ruleId}: ${x.message.text}`),
      review.findings.new.map((f: { rule: string; message: string }) => `${f.rule}: ${f.message}`),
      "SARIF holds exactly the findings new in head",
    );
  });
}
