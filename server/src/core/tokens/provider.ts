// Which Cloudflare provider generation a Terraform module is pinned to: `.terraform.lock.hcl` (the exact version
// Terraform chose) wins over `required_providers { cloudflare = { version = "~> 4.0" } }`. Provider v3/v4 write
// tokens as `cloudflare_api_token` with `policy { … }` blocks; `cloudflare_account_token`, `policies = [{ … }]`
// and `jsonencode` resources need v5 (facts-2026-12.md "Tokens").
import type { Host } from "../host.js";
import { dirname, join, relative } from "../path.js";
import type { HclBody, HclParser } from "./hcl.js";

export interface ProviderPin {
  /** Highest provider major version the module allows (3, 4, 5, …). */
  major: number;
  /** The constraint or locked version as written, e.g. "~> 4.0" or "4.52.0 (locked)". */
  written: string;
  file: string;
}

/** Token syntax generation for a pin: 4 for provider v3/v4 (policy blocks), 5 otherwise. */
export function syntaxFor(pin: ProviderPin | undefined): 4 | 5 | undefined {
  if (!pin) return undefined;
  return pin.major < 5 ? 4 : 5;
}

const CLOUDFLARE_SOURCE = /(^|\/)cloudflare\/cloudflare$/;

/** The pin written in one module's files (parsed .tf bodies and, when present, its lock file's body). */
export function pinOfModule(
  files: { path: string; body: HclBody }[],
  lock?: { path: string; body: HclBody },
): ProviderPin | undefined {
  if (lock) {
    for (const b of lock.body.blocks) {
      if (b.type !== "provider" || !CLOUDFLARE_SOURCE.test(b.labels[0]?.value ?? "")) continue;
      const v = literal(b.body, "version");
      const major = v ? Number(v.split(".")[0]) : NaN;
      if (Number.isInteger(major)) return { major, written: `${v} (locked)`, file: lock.path };
    }
  }
  for (const f of files) {
    for (const t of f.body.blocks) {
      if (t.type !== "terraform") continue;
      for (const rp of t.body.blocks) {
        if (rp.type !== "required_providers") continue;
        const cf = rp.body.attributes.find((a) => a.name === "cloudflare");
        if (cf?.value.kind !== "object") continue;
        const version = cf.value.entries.find((e) => e.key === "version")?.value;
        if (version?.kind !== "literal" || typeof version.value !== "string") continue;
        const major = highestMajor(version.value);
        if (major !== undefined) return { major, written: version.value, file: f.path };
      }
    }
  }
  return undefined;
}

function literal(body: HclBody, name: string): string | undefined {
  const a = body.attributes.find((x) => x.name === name);
  return a?.value.kind === "literal" && typeof a.value.value === "string" ? a.value.value : undefined;
}

type Version = [number, number, number];

function parse(v: string): Version | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}

function cmp(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The highest major version a Terraform version constraint allows, or undefined when it cannot be read. */
export function highestMajor(constraint: string): number | undefined {
  const tests: ((v: Version) => boolean)[] = [];
  for (const part of constraint.split(",")) {
    const m = /^\s*(~>|>=|<=|!=|=|>|<)?\s*(\S+)\s*$/.exec(part);
    const v = m ? parse(m[2]!) : undefined;
    if (!m || !v) return undefined;
    const op = m[1] ?? "=";
    const pieces = m[2]!.split(".").length;
    if (op === "~>") {
      const upper: Version = pieces >= 3 ? [v[0], v[1] + 1, 0] : [v[0] + 1, 0, 0];
      tests.push((x) => cmp(x, v) >= 0 && cmp(x, upper) < 0);
    } else if (op === "=") tests.push((x) => cmp(x, v) === 0);
    else if (op === "!=") tests.push((x) => cmp(x, v) !== 0);
    else if (op === ">=") tests.push((x) => cmp(x, v) >= 0);
    else if (op === ">") tests.push((x) => cmp(x, v) > 0);
    else if (op === "<=") tests.push((x) => cmp(x, v) <= 0);
    else tests.push((x) => cmp(x, v) < 0);
  }
  // Candidate versions per major: round ones and every version the constraint names (exact pins, bounds).
  const named = [...constraint.matchAll(/\d+(?:\.\d+){0,2}/g)]
    .map((m) => parse(m[0])!)
    .flatMap((v): Version[] => [v, [v[0], v[1], v[2] + 1], [v[0], v[1] + 1, 0]]);
  for (let major = 9; major >= 0; major--) {
    const candidates: Version[] = [[major, 0, 0], [major, 999, 999], ...named.filter((v) => v[0] === major)];
    if (candidates.some((c) => tests.every((t) => t(c)))) return major;
  }
  return undefined;
}

const SKIP = new Set([
  "node_modules",
  ".git",
  ".terraform",
  ".wrangler",
  "dist",
  "test",
  "tests",
  "__tests__",
  "fixtures",
  "testdata",
  "examples",
]);
/** Directory names that hold a repository's Terraform next to (not below) a Worker's config. */
const TERRAFORM_DIRS = new Set(["terraform", "infra", "infrastructure", "iac", "tf", "deploy", "ops", "opentofu"]);

function moduleAt(host: Host, dir: string, parser: HclParser): { pin?: ProviderPin; subdirs: string[] } {
  const tf: { path: string; body: HclBody }[] = [];
  let lock: { path: string; body: HclBody } | undefined;
  const subdirs: string[] = [];
  for (const e of host.readDirectory(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) {
      if (!SKIP.has(e.name) && !e.name.startsWith(".")) subdirs.push(p);
      continue;
    }
    if (!e.name.endsWith(".tf") && e.name !== ".terraform.lock.hcl") continue;
    const text = host.readFile(p);
    if (text === undefined || text.length > 1024 * 1024 || !/cloudflare/.test(text)) continue;
    const body = parser.parse(text).body;
    if (e.name === ".terraform.lock.hcl") lock = { path: p, body };
    else tf.push({ path: p, body });
  }
  return { pin: pinOfModule(tf, lock), subdirs };
}

/** The first pinning module breadth-first below `root` (bounded; test and example folders skipped). */
export function findProviderPin(host: Host, root: string, parser: HclParser, maxDepth = 4): ProviderPin | undefined {
  const queue: { dir: string; depth: number }[] = [{ dir: root, depth: 0 }];
  let seen = 0;
  while (queue.length && seen++ < 300) {
    const { dir, depth } = queue.shift()!;
    const m = moduleAt(host, dir, parser);
    if (m.pin) return m.pin;
    if (depth < maxDepth) for (const d of m.subdirs) queue.push({ dir: d, depth: depth + 1 });
  }
  return undefined;
}

/** The repository a path belongs to: the nearest directory upward holding `.git`, else `start` itself. */
export function repositoryRoot(host: Host, start: string): string {
  for (let d = start, i = 0; i < 64; i++) {
    if (host.readDirectory(d).some((e) => e.name === ".git")) return d;
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return start;
}

/**
 * The pin Terraform generated for a config should follow: Terraform below the config's directory, else in a
 * Terraform folder (`terraform/`, `infra/`, …) or the directory itself of each ancestor up to the repository root.
 * The file is given relative to the repository root.
 */
export function providerPinFor(host: Host, configDir: string, parser: HclParser): ProviderPin | undefined {
  const root = repositoryRoot(host, configDir);
  let pin = findProviderPin(host, configDir, parser);
  for (let d = configDir; !pin && d !== root;) {
    const up = dirname(d);
    if (up === d) break;
    d = up;
    const m = moduleAt(host, d, parser);
    pin = m.pin;
    for (const sub of m.subdirs)
      if (!pin && TERRAFORM_DIRS.has(sub.slice(sub.lastIndexOf("/") + 1))) pin = findProviderPin(host, sub, parser, 2);
  }
  return pin && { ...pin, file: relative(root, pin.file) || pin.file };
}
