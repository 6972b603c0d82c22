// Fuzz inputs and the property they must keep, shared by the short run in `npm test` (test/fuzz/fuzz.test.ts)
// and the long one (`npm run fuzz`, bench/fuzz.mjs). An input is one file (its kind decides where it is placed)
// dropped into a small valid workspace (a config, a deploying workflow, a linked token), so a mutated file goes
// through the whole analysis: discovery, parsing, CI scanning, token reading, linking, every rule, hovers, lenses.
// The property: nothing throws, no rule fails, and every range (problems, findings, related places, fix edits,
// hovers) lies inside the text of the file it names.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import { stringify as yamlStringify } from "yaml";
import { MemoryHost } from "../../server/src/core/host.js";
import { analyzeWorkspace, type WorkspaceResult } from "../../server/src/core/workspace.js";
import type { HclParser } from "../../server/src/core/tokens/hcl.js";

export const REPO = join(import.meta.dirname, "..", "..");
export const CORPUS = join(REPO, "..", "shared", "corpus");
export const REGRESSIONS = join(REPO, "test", "fixtures", "fuzz");

export type Kind = "toml" | "json" | "jsonc" | "workflow" | "gitlab" | "hcl" | "token-json";
export interface FuzzInput {
  kind: Kind;
  text: string;
  /** Where the input came from (a seed file, "generated"), for reports. */
  origin: string;
}

const ROOT = "/fz";
const ACCOUNT = "0123456789abcdef0123456789abcdef";

/** Where each kind is placed in the workspace. */
export const PLACE: Record<Kind, string> = {
  toml: `${ROOT}/wrangler.toml`,
  json: `${ROOT}/wrangler.json`,
  jsonc: `${ROOT}/wrangler.jsonc`,
  workflow: `${ROOT}/.github/workflows/fuzz.yml`,
  gitlab: `${ROOT}/.gitlab-ci.yml`,
  hcl: `${ROOT}/infra/main.tf`,
  "token-json": `${ROOT}/fuzz-token.json`,
};

const COMPANIONS = new Map<string, string>([
  [
    `${ROOT}/wrangler.toml`,
    `name = "api"\nmain = "src/index.js"\naccount_id = "${ACCOUNT}"\nroutes = [{ pattern = "api.example.com/*", zone_name = "example.com" }]\n[[kv_namespaces]]\nbinding = "KV"\nid = "${ACCOUNT}"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "db"\ndatabase_id = "x"\n[env.production]\nname = "api-prod"\n`,
  ],
  [
    `${ROOT}/.github/workflows/deploy.yml`,
    `on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npx wrangler deploy --env production\n        env:\n          CLOUDFLARE_API_TOKEN: \${{ secrets.CLOUDFLARE_API_TOKEN }}\n      - uses: cloudflare/wrangler-action@v3\n        with:\n          apiToken: \${{ secrets.FUZZ_TOKEN }}\n          command: d1 migrations apply DB --remote\n`,
  ],
  [
    `${ROOT}/cloudflare-api-token.json`,
    JSON.stringify(
      {
        name: "deploy",
        policies: [
          {
            effect: "allow",
            permission_groups: [{ id: "e086da7e2179491d91ee5f35b3ca210a" }, { id: "f7f0eda5697f475c90846e879bab8666" }],
            resources: { [`com.cloudflare.api.account.${ACCOUNT}`]: "*" },
          },
        ],
      },
      null,
      2,
    ),
  ],
]);

/** The workspace an input is analysed in (the input replaces a companion at the same path). */
export function workspaceFor(input: FuzzInput): Map<string, string> {
  const files = new Map(COMPANIONS);
  files.set(PLACE[input.kind], input.text);
  return files;
}

function kindOf(rel: string, text: string): Kind | undefined {
  const name = rel.split("/").pop()!.toLowerCase();
  if (
    /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i.test(rel) ||
    (/\.ya?ml$/.test(name) && /\b(jobs|steps|runs-on)\s*:/.test(text))
  )
    return name === ".gitlab-ci.yml" ? "gitlab" : "workflow";
  if (name === ".gitlab-ci.yml" || (/\.ya?ml$/.test(name) && /\bscript\s*:/.test(text))) return "gitlab";
  if (/\.ya?ml$/.test(name)) return "workflow";
  if (name.endsWith(".tf")) return "hcl";
  if (name.endsWith(".toml")) return "toml";
  if (name.endsWith(".jsonc") || name.endsWith(".jsonc.tpl")) return "jsonc";
  if (name.endsWith(".json")) return /"permission_groups"|"policies"/.test(text) ? "token-json" : "json";
  return undefined;
}

/** Every corpus file and test fixture of a kind the analysis reads, as seeds (largest first dropped past 256 KB). */
export function seeds(): FuzzInput[] {
  const out: FuzzInput[] = [];
  const walk = (dir: string, base: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) {
        if (name !== "node_modules") walk(p, base);
        continue;
      }
      if (st.size > 256 * 1024) continue;
      const text = readFileSync(p, "utf8");
      const rel = relative(base, p).split("\\").join("/");
      const kind = kindOf(rel, text);
      if (kind) out.push({ kind, text, origin: relative(REPO, p) });
    }
  };
  walk(CORPUS, CORPUS);
  walk(join(REPO, "test", "fixtures"), join(REPO, "test", "fixtures"));
  return out;
}

// ---- mutations ----------------------------------------------------------------------------------------------

const SNIPPETS = [
  "{",
  "}",
  "[",
  "]",
  "[[",
  "]]",
  "(",
  ")",
  '"',
  "'",
  '"""',
  "'''",
  "`",
  "=",
  ":",
  ",",
  "#",
  "//",
  "/*",
  "*/",
  "\\",
  "\\u",
  "\n",
  "\r\n",
  "\r",
  "\t",
  " ",
  "-",
  "- ",
  "&a",
  "*a",
  "<<: *a",
  "!!str",
  "---",
  "...",
  "|",
  ">-",
  "${",
  "${{",
  "}}",
  "%{",
  "${var.x}",
  "null",
  "true",
  "0x1F",
  "1e999",
  "-0",
  "inf",
  "nan",
  "1979-05-27T07:32:00Z",
  "\u0000",
  "\uFEFF",
  "\uD800",
  "😀",
  "[env.x]",
  "[[d1_databases]]",
  "name = ",
  "account_id = ",
  "routes = [",
  '"env": {',
  "run: npx wrangler deploy",
  "uses: ",
  "npx wrangler deploy --env ",
  "working-directory: ",
  "policies = [",
  "permission_groups",
  "resource ",
  "dynamic ",
  "for_each = ",
  'resource "cloudflare_api_token" "t" {',
  "data.cloudflare_api_token_permission_groups.all.",
  "<<EOF\n",
  "EOF\n",
];

type Mutation =
  | { op: "delete"; at: number; len: number }
  | { op: "insert"; at: number; text: string }
  | { op: "duplicate"; at: number; len: number; to: number }
  | { op: "truncate"; at: number }
  | { op: "crlf" }
  | { op: "nest"; at: number; depth: number; open: string };

const snippet = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SNIPPETS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 4 }) },
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), text: snippet }),
  fc.record({
    op: fc.constant("duplicate" as const),
    at: fc.nat(),
    len: fc.integer({ min: 1, max: 300 }),
    to: fc.nat(),
  }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("crlf" as const) }),
  fc.record({
    op: fc.constant("nest" as const),
    at: fc.nat(),
    depth: fc.integer({ min: 1, max: 40 }),
    open: fc.constantFrom("{", "[", "(", '"', "- ", "a: ", "x = {"),
  }),
);

export function mutate(text: string, ms: Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const at = t.length ? (m.op === "crlf" ? 0 : m.at % (t.length + 1)) : 0;
    switch (m.op) {
      case "delete":
        t = t.slice(0, at) + t.slice(at + m.len);
        break;
      case "insert":
        t = t.slice(0, at) + m.text + t.slice(at);
        break;
      case "duplicate": {
        const piece = t.slice(at, at + m.len);
        const to = m.to % (t.length + 1);
        t = t.slice(0, to) + piece + t.slice(to);
        break;
      }
      case "truncate":
        t = t.slice(0, at);
        break;
      case "crlf":
        t = t.replace(/\r?\n/g, "\r\n");
        break;
      case "nest":
        t = t.slice(0, at) + m.open.repeat(m.depth) + t.slice(at);
        break;
    }
  }
  return t;
}

/** A seed with 1–8 mutations. */
export function mutatedSeed(all: FuzzInput[]): fc.Arbitrary<FuzzInput> {
  return fc
    .tuple(fc.constantFrom(...all), fc.array(mutation, { minLength: 1, maxLength: 8 }))
    .map(([s, ms]) => ({ kind: s.kind, text: mutate(s.text, ms), origin: s.origin }));
}

// ---- generated inputs ---------------------------------------------------------------------------------------

const WRANGLER_KEYS = [
  "name",
  "main",
  "account_id",
  "compatibility_date",
  "routes",
  "route",
  "workers_dev",
  "kv_namespaces",
  "d1_databases",
  "r2_buckets",
  "queues",
  "durable_objects",
  "vars",
  "env",
  "triggers",
  "services",
  "ai",
  "vectorize",
  "hyperdrive",
  "assets",
  "pages_build_output_dir",
  "secrets_store_secrets",
  "zone_id",
  "binding",
  "id",
  "bucket_name",
  "database_id",
  "pattern",
  "zone_name",
  "custom_domain",
  "crons",
  "producers",
  "consumers",
];
const key = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...WRANGLER_KEYS) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 6 }) },
);
const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.boolean(),
  fc.constantFrom(ACCOUNT, "example.com/*", "production", "src/index.js", "2026-01-01"),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("tree"), { maxLength: 4 }),
    fc.dictionary(key, tie("tree"), { maxKeys: 5 }),
  ),
}));
const config = fc.dictionary(key, tree, { maxKeys: 10 });

function tomlKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
}
function tomlValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(tomlValue).join(", ")}]`;
  if (v && typeof v === "object")
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${tomlKey(k)} = ${tomlValue(x)}`)
      .join(", ")} }`;
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}
/** TOML text: scalars and arrays as key = value, objects as [tables] (with dotted headers), arrays of objects as [[tables]]. */
export function toToml(obj: Record<string, unknown>, prefix = ""): string {
  const lines: string[] = [];
  const later: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${tomlKey(k)}` : tomlKey(k);
    if (v && typeof v === "object" && !Array.isArray(v))
      later.push(`[${path}]\n${toToml(v as Record<string, unknown>, path)}`);
    else if (Array.isArray(v) && v.length && v.every((x) => x && typeof x === "object" && !Array.isArray(x))) {
      for (const x of v) later.push(`[[${path}]]\n${toToml(x as Record<string, unknown>, path)}`);
    } else lines.push(`${tomlKey(k)} = ${tomlValue(v)}`);
  }
  return [...lines, ...later].join("\n") + "\n";
}

const command = fc.constantFrom(
  "deploy",
  "deploy --env production",
  "versions upload",
  "d1 migrations apply DB --remote",
  "pages deploy dist",
  "kv key put k v --binding KV --remote",
  "secret put X",
  "r2 object put b/k --file f",
  "deploy -c wrangler.toml --dry-run",
);
const step = fc.oneof(
  fc.record(
    {
      run: command.map((c) => `npx wrangler ${c}`),
      env: fc.constant({ CLOUDFLARE_API_TOKEN: "${{ secrets.CLOUDFLARE_API_TOKEN }}" }),
    },
    { requiredKeys: ["run"] },
  ),
  fc.record({
    uses: fc.constant("cloudflare/wrangler-action@v3"),
    with: fc.record(
      {
        apiToken: fc.constant("${{ secrets.FUZZ_TOKEN }}"),
        command,
        workingDirectory: fc.constantFrom(".", "app", "../x"),
      },
      { requiredKeys: [] },
    ),
  }),
  fc.record({ run: fc.constantFrom("npm run deploy", "bash deploy.sh", "echo hi", "cd app && npx wrangler deploy") }),
);
const workflow = fc.record({
  on: fc.constantFrom("push", "workflow_call", ["push", "pull_request"]),
  env: fc.dictionary(
    fc.constantFrom("CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN", "X"),
    fc.constantFrom(ACCOUNT, "${{ secrets.T }}", "x"),
  ),
  jobs: fc.dictionary(
    fc.constantFrom("deploy", "build", "a-b"),
    fc.record(
      {
        "runs-on": fc.constant("ubuntu-latest"),
        steps: fc.array(step, { maxLength: 5 }),
        strategy: fc.record({
          matrix: fc.record({ env: fc.array(fc.constantFrom("production", "staging"), { maxLength: 3 }) }),
        }),
      },
      { requiredKeys: ["steps"] },
    ),
    { minKeys: 1, maxKeys: 3 },
  ),
});

const groupRef = fc.oneof(
  fc.constantFrom(
    '"e086da7e2179491d91ee5f35b3ca210a"',
    '"f7f0eda5697f475c90846e879bab8666"',
    'data.cloudflare_api_token_permission_groups.all.account["Workers Scripts Write"]',
    'local.groups["x"]',
    "var.ids[0]",
  ),
  fc.string({ maxLength: 10 }).map((s) => JSON.stringify(s)),
);
const policyV4 = fc.record({
  effect: fc.constantFrom("allow", "deny"),
  groups: fc.array(groupRef, { maxLength: 4 }),
  resource: fc.constantFrom(
    `"com.cloudflare.api.account.${ACCOUNT}" = "*"`,
    `"com.cloudflare.api.account.zone.*" = "*"`,
    '"com.cloudflare.api.account.*" = "*"',
  ),
});
const hcl = fc
  .array(
    fc.record({
      name: fc.constantFrom("deploy", "ci", "t"),
      v5: fc.boolean(),
      policies: fc.array(policyV4, { maxLength: 3 }),
      expires: fc.boolean(),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((tokens) =>
    tokens
      .map((t) =>
        t.v5
          ? `resource "cloudflare_account_token" "${t.name}" {\n  name = "${t.name}"\n  account_id = "${ACCOUNT}"\n  policies = [${t.policies.map((p) => `{\n    effect = "${p.effect}"\n    permission_groups = [${p.groups.map((g) => `{ id = ${g} }`).join(", ")}]\n    resources = jsonencode({ ${p.resource} })\n  }`).join(", ")}]\n}\n`
          : `resource "cloudflare_api_token" "${t.name}" {\n  name = "${t.name}"\n${t.policies.map((p) => `  policy {\n    effect = "${p.effect}"\n    permission_groups = [${p.groups.join(", ")}]\n    resources = { ${p.resource} }\n  }\n`).join("")}${t.expires ? '  expires_on = "2027-01-01T00:00:00Z"\n' : ""}}\n`,
      )
      .join("\n"),
  );
const tokenJson = fc.record(
  {
    name: fc.string({ maxLength: 8 }),
    policies: fc.array(
      fc.record({
        effect: fc.constantFrom("allow", "deny"),
        permission_groups: fc.array(
          fc.record({
            id: fc.constantFrom("e086da7e2179491d91ee5f35b3ca210a", "f7f0eda5697f475c90846e879bab8666", "x"),
          }),
          { maxLength: 3 },
        ),
        resources: fc.dictionary(
          fc.constantFrom(
            `com.cloudflare.api.account.${ACCOUNT}`,
            "com.cloudflare.api.account.zone.*",
            "com.cloudflare.api.account.*",
          ),
          fc.constantFrom("*", "x"),
        ),
      }),
      { maxLength: 3 },
    ),
    expires_on: fc.constantFrom("2027-01-01T00:00:00Z", "x"),
  },
  { requiredKeys: ["policies"] },
);

/** Generated inputs of every kind, optionally mutated (0–3 mutations). */
export function generated(): fc.Arbitrary<FuzzInput> {
  const kinds: fc.Arbitrary<{ kind: Kind; text: string }>[] = [
    config.map((c) => ({ kind: "toml" as const, text: toToml(c) })),
    config.map((c) => ({ kind: "json" as const, text: JSON.stringify(c, null, 2) })),
    config.map((c) => ({
      kind: "jsonc" as const,
      text: `// generated\n${JSON.stringify(c, null, 2).replace(/\n}$/, ",\n}")}`,
    })),
    workflow.map((w) => ({ kind: "workflow" as const, text: yamlStringify(w) })),
    hcl.map((t) => ({ kind: "hcl" as const, text: t })),
    tokenJson.map((t) => ({ kind: "token-json" as const, text: JSON.stringify(t, null, 2) })),
  ];
  return fc
    .tuple(fc.oneof(...kinds), fc.array(mutation, { maxLength: 3 }))
    .map(([g, ms]) => ({ kind: g.kind, text: mutate(g.text, ms), origin: "generated" }));
}

// ---- the property -------------------------------------------------------------------------------------------

/** Analyses the input's workspace; returns what broke the property (empty when it holds). Throws are caught. */
export function violations(input: FuzzInput, hclParser: HclParser | undefined): string[] {
  const files = workspaceFor(input);
  let ws: WorkspaceResult;
  try {
    ws = analyzeWorkspace(
      new MemoryHost(files),
      ROOT,
      {
        today: "2026-11-23",
        tokenSecrets: { "fuzz-token.json": ["FUZZ_TOKEN"], "cloudflare-api-token.json": ["CLOUDFLARE_API_TOKEN"] },
      },
      { hcl: hclParser },
    );
  } catch (err) {
    return [`analysis threw: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`];
  }
  const out: string[] = [];
  const check = (what: string, file: string, start: number, end: number) => {
    const text = files.get(file);
    if (text === undefined) return; // a place outside the workspace files (the root, a refused path): no text to be inside
    if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= text.length))
      out.push(`${what} range ${start}..${end} outside ${file} (length ${text.length})`);
  };
  for (const p of ws.problems) {
    if (p.code === "internal-error") out.push(`internal error: ${p.message}`);
    check(`problem ${p.code}`, p.file, p.span.start, p.span.end);
  }
  for (const f of ws.findings) {
    check(`finding ${f.rule}`, f.location.file, f.location.span.start, f.location.span.end);
    for (const r of f.related) check(`related of ${f.rule}`, r.file, r.span.start, r.span.end);
    for (const x of f.fixes) for (const e of x.edits) check(`fix edit of ${f.rule}`, e.file, e.start, e.end);
  }
  try {
    const path = PLACE[input.kind];
    const len = input.text.length;
    for (const at of new Set([0, len >> 2, len >> 1, len - 1, len].filter((n) => n >= 0))) {
      const h = ws.hover(path, at);
      if (h) check("hover", path, h.span.start, h.span.end);
      ws.rewrite(path, at);
    }
    for (const l of ws.lenses(path)) check("lens", path, l.span.start, l.span.end);
  } catch (err) {
    out.push(`hover/lens threw: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
  return out;
}

/** The kind of a regression fixture by its file name (`<case>.<kind>.txt`). */
export function regressionKind(name: string): Kind | undefined {
  const k = /\.([a-z-]+)\.txt$/.exec(name)?.[1];
  return k && k in PLACE ? (k as Kind) : undefined;
}
