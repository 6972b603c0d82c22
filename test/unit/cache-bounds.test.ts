// The workspace database stays bounded while one large file is edited again and again (issue 9: a 1 MB
// wrangler.jsonc edited 300 times grew the language server from 71 to 874 MB, each edit's parse kept). Through
// the real engine: analyzeWorkspace with one Database, as the language server runs it. Asserts what is retained
// (one entry per query and key, one text per path) and the heap after forced collections; no timing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { MemoryHost } from "../../server/src/core/host.js";
import { Database } from "../../server/src/core/db.js";
import { analyzeWorkspace } from "../../server/src/core/workspace.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const ROOT = "/ws";
const CONFIG = `${ROOT}/big/wrangler.jsonc`;

/** A wrangler.jsonc of about `bytes` characters: a Worker with KV, R2 and very many vars. */
function bigConfig(bytes: number, edit: number): string {
  const vars: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `    "VAR_${i}": "${"v".repeat(80)}${i}",`;
    vars.push(line);
    size += line.length + 1;
  }
  return [
    `// edit ${edit}`,
    "{",
    '  "name": "big-worker",',
    '  "main": "src/index.js",',
    '  "account_id": "0123456789abcdef0123456789abcdef",',
    '  "kv_namespaces": [{ "binding": "KV", "id": "0123456789abcdef0123456789abcdef" }],',
    '  "r2_buckets": [{ "binding": "FILES", "bucket_name": "files" }],',
    '  "vars": {',
    ...vars,
    `    "LAST": "${edit}"`,
    "  }",
    "}",
  ].join("\n");
}

const WORKFLOW = `name: deploy
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npx wrangler deploy
        working-directory: big
        env:
          CLOUDFLARE_API_TOKEN: \${{ secrets.BIG_TOKEN }}
`;

const TOKEN = JSON.stringify({
  name: "big-token",
  policies: [
    {
      effect: "allow",
      resources: { "com.cloudflare.api.account.0123456789abcdef0123456789abcdef": "*" },
      permission_groups: [{ id: "e086da7e2179491d91ee5f35b3ca210a", name: "Workers Scripts Write" }],
    },
  ],
});

test("editing a 1 MB wrangler.jsonc many times keeps one reading of it and a bounded heap", () => {
  const files = new Map<string, string>([
    [CONFIG, bigConfig(1024 * 1024, 0)],
    [`${ROOT}/.github/workflows/deploy.yml`, WORKFLOW],
    [`${ROOT}/tokens/big-token.json`, TOKEN],
    [`${ROOT}/.wrangler-token-lint.json`, JSON.stringify({ tokenSecrets: { "big-token": ["BIG_TOKEN"] } })],
  ]);
  const host = new MemoryHost(files);
  const db = new Database();
  const analyse = () => analyzeWorkspace(host, ROOT, { today: "2026-12-01" }, { db });

  const first = analyse();
  assert.equal(first.summary.configs, 1);
  assert.equal(first.summary.deploys, 1);
  assert.equal(first.tokens[0]?.links.length, 1, "the token is linked to the deploy of the big config");
  const counts = (): Record<string, number> => db.stats().queries;

  const heapAfter = (edits: number, from: number): number => {
    for (let i = from; i < from + edits; i++) {
      files.set(CONFIG, bigConfig(1024 * 1024, i));
      db.changed(CONFIG);
      const ws = analyse();
      assert.equal(ws.summary.configs, 1);
    }
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const early = heapAfter(5, 1);
  const entriesEarly = counts();
  const late = heapAfter(30, 6);
  const stats = db.stats();

  // One entry per query and key: thirty more edits add none.
  assert.deepEqual(stats.queries, entriesEarly);
  assert.equal(stats.queries.config, 1, "one reading of the config, not one per edit");
  // One text per path, the current one: about the files' own size, not one megabyte per edit.
  const current = [...files.values()].reduce((n, t) => n + t.length, 0);
  assert.ok(
    stats.inputChars <= current,
    `texts held: ${stats.inputChars} characters for ${current} characters of files`,
  );
  // Each kept reading of the config would hold its text and parse tree (several MB): thirty of them would show.
  const grown = (late - early) / (1024 * 1024);
  assert.ok(grown < 16, `heap grew ${grown.toFixed(1)} MB over 30 edits of a 1 MB config`);
});

test("an edit to one config re-derives only what read it: the other config's reading and analysis are kept", () => {
  const files = new Map<string, string>([
    [
      `${ROOT}/a/wrangler.toml`,
      'name = "a"\nmain = "src/index.js"\n[[kv_namespaces]]\nbinding = "KV"\nid = "0123456789abcdef0123456789abcdef"\n',
    ],
    [`${ROOT}/b/wrangler.toml`, 'name = "b"\nmain = "src/index.js"\n'],
    [
      `${ROOT}/.github/workflows/deploy.yml`,
      WORKFLOW.replace("working-directory: big", "working-directory: a") +
        "      - run: npx wrangler deploy\n        working-directory: b\n",
    ],
  ]);
  const host = new MemoryHost(files);
  for (const trusted of [false, true]) {
    const db = new Database();
    db.trustChanges(trusted);
    const before = analyzeWorkspace(host, ROOT, {}, { db });
    files.set(
      `${ROOT}/a/wrangler.toml`,
      files.get(`${ROOT}/a/wrangler.toml`)! + '[[r2_buckets]]\nbinding = "F"\nbucket_name = "f"\n',
    );
    db.changed(`${ROOT}/a/wrangler.toml`);
    const after = analyzeWorkspace(host, ROOT, {}, { db });
    const byConfig = (ws: typeof before, dir: string) =>
      ws.deploys.find((d) => d.configPath === `${ROOT}/${dir}/wrangler.toml`)!;
    assert.equal(byConfig(after, "b"), byConfig(before, "b"), `untouched deploy kept (trusted: ${trusted})`);
    assert.notEqual(byConfig(after, "a"), byConfig(before, "a"), `edited deploy analysed again (trusted: ${trusted})`);
    assert.ok(
      byConfig(after, "a").minimal!.requirements.some(
        (r) => r.resources.some((x) => x.includes("f")) || r.group.name.includes("R2"),
      ),
      "the new R2 binding is seen",
    );
    assert.equal(
      after.configs.find((c) => c.path.endsWith("b/wrangler.toml"))!.file,
      before.configs.find((c) => c.path.endsWith("b/wrangler.toml"))!.file,
    );
    files.set(
      `${ROOT}/a/wrangler.toml`,
      files.get(`${ROOT}/a/wrangler.toml`)!.replace(/\[\[r2_buckets\]\][\s\S]*$/, ""),
    );
  }
});
