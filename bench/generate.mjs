// Generates the benchmark's monorepo: N Workers (wrangler.toml / wrangler.json / wrangler.jsonc in turn, each with
// bindings and `[env.staging]` / `[env.production]` sections), N/5 GitHub workflows deploying them (wrangler-action
// with `apiToken`, and `wrangler deploy` run steps with CLOUDFLARE_API_TOKEN from a secret), and N/20 token
// definitions (half Terraform `cloudflare_api_token` with a `github_actions_secret` fed from its value, half
// create-token API bodies linked through `tokenSecrets` in the project file). Deterministic: the same N and salt
// give the same files. The salt goes into a comment of every file, so two workspaces never share a text.
// Usage as a script: node bench/generate.mjs DIR [configs=1000]
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const ACCOUNT = "0123456789abcdef0123456789abcdef";
const GROUPS = {
  scripts: "e086da7e2179491d91ee5f35b3ca210a",
  kv: "f7f0eda5697f475c90846e879bab8666",
  r2: "bf7481a1826f439697cb59a20b22293e",
  d1: "09b2857d1c31407795e75e3fed8617a1",
  routes: "28f4b596e7d643029c524985477ae49a",
  queues: "366f57075ffc42689627bcf8242a1b6d",
};
const hex = (i, n) => ((i * 2654435761) >>> 0).toString(16).padStart(n, "0").slice(-n);
const dbId = (i) => `${hex(i, 8)}-0000-4000-8000-${hex(i + 7, 12)}`;

/** The wrangler config of Worker i as a plain object (written as TOML or JSON). */
function workerConfig(i) {
  const c = { name: `worker-${i}`, main: "src/index.js", compatibility_date: "2025-06-01" };
  if (i % 2 === 0) c.account_id = ACCOUNT;
  c.vars = { MODE: "dev", WORKER: String(i) };
  c.kv_namespaces = [{ binding: "KV", id: hex(i, 32) }];
  if (i % 3 === 0) c.r2_buckets = [{ binding: "FILES", bucket_name: `files-${i}` }];
  if (i % 5 === 0) c.d1_databases = [{ binding: "DB", database_name: `db-${i}`, database_id: dbId(i) }];
  if (i % 7 === 0) c.queues = { producers: [{ binding: "JOBS", queue: `jobs-${i}` }] };
  if (i % 4 === 1) c.services = [{ binding: "API", service: `worker-${i - 1}` }];
  if (i % 11 === 0) {
    c.durable_objects = { bindings: [{ name: "ROOM", class_name: "Room" }] };
    c.migrations = [{ tag: "v1", new_sqlite_classes: ["Room"] }];
  }
  c.env = {
    staging: { vars: { MODE: "staging" }, kv_namespaces: [{ binding: "KV", id: hex(i + 1, 32) }], workers_dev: true },
    production: {
      vars: { MODE: "production" },
      routes: [{ pattern: `w${i}.example.com/*`, zone_name: "example.com" }],
      kv_namespaces: [{ binding: "KV", id: hex(i + 2, 32) }],
      ...(i % 3 === 0 ? { r2_buckets: [{ binding: "FILES", bucket_name: `files-${i}-prod` }] } : {}),
      ...(i % 5 === 0
        ? { d1_databases: [{ binding: "DB", database_name: `db-${i}-prod`, database_id: dbId(i + 1) }] }
        : {}),
    },
  };
  return c;
}

const tomlValue = (v) =>
  Array.isArray(v)
    ? `[${v.map(tomlValue).join(", ")}]`
    : typeof v === "object"
      ? `{ ${Object.entries(v)
          .map(([k, x]) => `${k} = ${tomlValue(x)}`)
          .join(", ")} }`
      : JSON.stringify(v);

/** TOML with tables for objects, arrays of tables for binding lists, inline values for the rest. */
function toToml(obj, prefix = "") {
  const lines = [];
  const tables = [];
  for (const [k, v] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v) && v.length && typeof v[0] === "object" && k !== "routes")
      tables.push(() => v.flatMap((item) => [``, `[[${path}]]`, ...toToml(item, path).body]));
    else if (v && typeof v === "object" && !Array.isArray(v) && k !== "vars") {
      const inner = toToml(v, path);
      tables.push(() => (inner.body.length ? [``, `[${path}]`, ...inner.all] : inner.all));
    } else if (k === "vars" && prefix === "")
      tables.push(() => [``, `[vars]`, ...Object.entries(v).map(([a, b]) => `${a} = ${JSON.stringify(b)}`)]);
    else lines.push(`${k} = ${tomlValue(v)}`);
  }
  const rest = tables.flatMap((t) => t());
  return { body: lines, all: [...lines, ...rest] };
}

function configText(i, salt) {
  const c = workerConfig(i);
  switch (i % 4) {
    case 2:
      return {
        file: "wrangler.json",
        text: JSON.stringify({ $schema: "node_modules/wrangler/config-schema.json", ...c }, null, 2) + "\n",
      };
    case 3:
      return {
        file: "wrangler.jsonc",
        text: `// worker ${i} (${salt})\n` + JSON.stringify(c, null, 2).replace(/\n}$/, ",\n}") + "\n",
      };
    default:
      return { file: "wrangler.toml", text: `# worker ${i} (${salt})\n` + toToml(c).all.join("\n") + "\n" };
  }
}

/** One workflow deploying Workers [first, first + count) with the token stored in `secret`. */
function workflow(w, first, count, secret, configFiles, salt) {
  const steps = [];
  for (let i = first; i < first + count; i++) {
    const dir = `workers/w${i}`;
    if (i % 3 === 0)
      steps.push(
        `      - uses: cloudflare/wrangler-action@v3`,
        `        with:`,
        `          apiToken: \${{ secrets.${secret} }}`,
        `          accountId: ${ACCOUNT}`,
        `          workingDirectory: ${dir}`,
        `          command: deploy --env production`,
      );
    else if (i % 3 === 1)
      steps.push(
        `      - name: deploy worker ${i} to staging`,
        `        working-directory: ${dir}`,
        `        run: npx wrangler deploy --env staging`,
        `        env:`,
        `          CLOUDFLARE_API_TOKEN: \${{ secrets.${secret} }}`,
        `          CLOUDFLARE_ACCOUNT_ID: ${ACCOUNT}`,
      );
    else
      steps.push(
        `      - run: npx wrangler deploy --config ${dir}/${configFiles[i]} --env production`,
        `        env:`,
        `          CLOUDFLARE_API_TOKEN: \${{ secrets.${secret} }}`,
      );
  }
  return [
    `# workflow ${w} (${salt})`,
    `name: deploy ${w}`,
    "on:",
    "  push:",
    "    branches: [main]",
    "permissions:",
    "  contents: read",
    "jobs:",
    "  deploy:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: actions/checkout@v4",
    ...steps,
    "",
  ].join("\n");
}

function terraformToken(t, salt) {
  return `# token ${t} (${salt})
data "cloudflare_api_token_permission_groups" "all" {}

resource "cloudflare_api_token" "deploy_${t}" {
  name = "deploy ${t}"

  policy {
    permission_groups = [
      data.cloudflare_api_token_permission_groups.all.account["Workers Scripts Write"],
      data.cloudflare_api_token_permission_groups.all.account["Workers KV Storage Write"],
      data.cloudflare_api_token_permission_groups.all.account["Workers R2 Storage Write"],
    ]
    resources = {
      "com.cloudflare.api.account.${ACCOUNT}" = "*"
    }
  }

  policy {
    permission_groups = [data.cloudflare_api_token_permission_groups.all.zone["Workers Routes Write"]]
    resources = {
      "com.cloudflare.api.account.zone.*" = "*"
    }
  }
  expires_on = "2027-01-01T00:00:00Z"
}

resource "github_actions_secret" "deploy_${t}" {
  repository      = "monorepo"
  secret_name     = "CF_TOKEN_${t}"
  plaintext_value = cloudflare_api_token.deploy_${t}.value
}
`;
}

function jsonToken(t) {
  const account = `com.cloudflare.api.account.${ACCOUNT}`;
  return (
    JSON.stringify(
      {
        name: `deploy ${t}`,
        policies: [
          {
            effect: "allow",
            permission_groups: [{ id: GROUPS.scripts }, { id: GROUPS.kv }, { id: GROUPS.d1 }, { id: GROUPS.queues }],
            resources: { [account]: "*" },
          },
          {
            effect: "allow",
            permission_groups: [{ id: GROUPS.routes }],
            resources: { [account]: { "com.cloudflare.api.account.zone.*": "*" } },
          },
        ],
        expires_on: "2027-01-01T00:00:00Z",
      },
      null,
      2,
    ) + "\n"
  );
}

/**
 * Writes the monorepo under `root` and returns what was written.
 * @param {string} root
 * @param {{ configs: number, salt?: string }} opts
 */
export function generateMonorepo(root, { configs, salt = "bench" }) {
  const files = new Map();
  const configFiles = [];
  for (let i = 0; i < configs; i++) {
    const { file, text } = configText(i, salt);
    configFiles.push(file);
    files.set(`workers/w${i}/${file}`, text);
    files.set(`workers/w${i}/src/index.js`, "export default { fetch: () => new Response('ok') };\n");
  }
  const workflows = Math.max(1, Math.round(configs / 5));
  const tokens = Math.max(1, Math.round(configs / 20));
  const tokenSecrets = {};
  for (let t = 0; t < tokens; t++) {
    if (t % 2 === 0) files.set(`infra/tokens/token-${t}.tf`, terraformToken(t, salt));
    else {
      files.set(`tokens/token-${t}.json`, jsonToken(t));
      tokenSecrets[`tokens/token-${t}.json`] = [`CF_TOKEN_${t}`];
    }
  }
  for (let w = 0; w < workflows; w++) {
    const first = Math.floor((w * configs) / workflows);
    const next = Math.floor(((w + 1) * configs) / workflows);
    const secret = `CF_TOKEN_${Math.floor((w * tokens) / workflows)}`;
    files.set(`.github/workflows/deploy-${w}.yml`, workflow(w, first, next - first, secret, configFiles, salt));
  }
  files.set(".wrangler-token-lint.json", JSON.stringify({ tokenSecrets }, null, 2) + "\n");
  for (const [rel, text] of files) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return {
    root,
    configs: configFiles.map((f, i) => join(root, `workers/w${i}/${f}`)),
    workflows,
    tokens,
    files: files.size,
    bytes: [...files.values()].reduce((s, t) => s + Buffer.byteLength(t), 0),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, n = "1000"] = process.argv.slice(2);
  if (!dir) {
    console.error("usage: node bench/generate.mjs DIR [configs]");
    process.exit(2);
  }
  const r = generateMonorepo(dir, { configs: Number(n) });
  console.log(
    `${r.configs.length} configs, ${r.workflows} workflows, ${r.tokens} tokens, ${r.files} files, ${(r.bytes / 1024).toFixed(0)} KiB in ${dir}`,
  );
}
