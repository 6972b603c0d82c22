// Task runners that run package.json scripts or shell commands: npm-run-all / run-s / run-p (script names
// and `deploy:*` patterns), concurrently (quoted commands and `npm:deploy:*` shorthands), make and just
// (make-just.ts), and the cf CLI's `cf deploy`.
import { relative } from "../path.js";
import { findPackageJson } from "./package-json.js";
import { problem, type Invocation, type ShellSource } from "./shell-types.js";
import { makeHit, runScript, scanInto } from "./scripts.js";
import { followMake, followJust } from "./make-just.js";

const RUN_ALL_VALUED = new Set(["--max-parallel", "--npm-path"]);
const CONCURRENTLY_VALUED = new Set([
  "-n",
  "--names",
  "-c",
  "--prefix-colors",
  "-p",
  "--prefix",
  "-l",
  "--prefix-length",
  "-t",
  "--timestamp-format",
  "--name-separator",
  "-s",
  "--success",
  "-m",
  "--max-processes",
  "--restart-tries",
  "--restart-after",
  "--default-input-target",
  "-ks",
  "--kill-signal",
  "--hide",
  "--pad-prefix",
]);

/** True when the command is a task runner this module follows. */
export function followTaskRunner(inv: Invocation): boolean {
  const inner = unwrapExec(inv);
  if (inner !== inv) return followTaskRunner(inner);
  switch (inv.cmd) {
    case "npm-run-all":
    case "npm-run-all2":
    case "run-s":
    case "run-p":
      runAll(inv);
      return true;
    case "concurrently":
      concurrently(inv);
      return true;
    case "make":
    case "gmake":
    case "$(MAKE)":
    case "${MAKE}":
      followMake(inv);
      return true;
    case "just":
      followJust(inv);
      return true;
    case "cf":
      return cfDeploy(inv);
    default:
      return false;
  }
}

/** `npx run-s …`, `bunx concurrently …`: the command after the runner's options. */
function unwrapExec(inv: Invocation): Invocation {
  if (inv.cmd !== "npx" && inv.cmd !== "bunx") return inv;
  let i = 0;
  while (i < inv.args.length && inv.args[i]!.startsWith("-"))
    i += inv.args[i] === "-p" || inv.args[i] === "--package" ? 2 : 1;
  const cmd = inv.args[i];
  if (cmd === undefined) return inv;
  const name = cmd.replace(/^(@[^/]+\/)?([^@]+)(@.*)?$/, "$2");
  return {
    ...inv,
    cmd: name,
    args: inv.args.slice(i + 1),
    argLocs: inv.argLocs.slice(i + 1),
    argWords: inv.argWords.slice(i + 1),
  };
}

/** npm-run-all's pattern: `*` stays within one `:` segment, `**` crosses them. */
export function taskPattern(p: string): RegExp {
  const esc = p
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*\*/g, "\u0000")
    .replace(/\*/g, "[^:]*")
    .replace(/\u0000/g, ".*")
    .replace(/\?/g, "[^:]");
  return new RegExp(`^${esc}$`);
}

function runAll(inv: Invocation): void {
  const tasks: string[] = [];
  for (let i = 0; i < inv.args.length; i++) {
    const a = inv.args[i]!;
    if (a === "--") break;
    if (a.startsWith("-")) {
      if (RUN_ALL_VALUED.has(a)) i++;
      continue;
    }
    tasks.push(a);
  }
  for (const t of tasks) runPattern(inv, t, "npm");
}

/** Runs every script whose name matches a task (`deploy:*`), with the task's own arguments (`"deploy -- --env x"`). */
function runPattern(inv: Invocation, task: string, pm: string): void {
  const [pattern, ...rest] = task.trim().split(/\s+/);
  if (!pattern) return;
  if (pattern.includes("$")) {
    problem(
      inv,
      "ci-dynamic-command",
      "info",
      `Not followed: the script name \`${pattern}\` is known only when the job runs; the commands it runs are not analysed.`,
    );
    return;
  }
  const pkg = findPackageJson(inv.ctx, inv.state.cwd);
  const names = pkg ? [...pkg.scripts.keys()].filter((n) => taskPattern(pattern).test(n)) : [];
  if (!names.length) {
    const where = pkg
      ? relative(inv.ctx.root, pkg.file)
      : `no package.json above ${relative(inv.ctx.root, inv.state.cwd)}`;
    problem(
      inv,
      "ci-script-not-found",
      "info",
      `No script matches \`${pattern}\` (${where}); nothing it would run is analysed.`,
    );
    return;
  }
  const dd = rest.indexOf("--");
  const args = dd >= 0 ? rest.slice(dd + 1) : [];
  for (const name of names)
    runScript(inv, {
      name,
      args,
      argLocs: args.map(() => inv.loc),
      pm,
      preAndPost: true,
      cwd: inv.state.cwd,
      binFallback: false,
    });
}

function concurrently(inv: Invocation): void {
  for (let i = 0; i < inv.args.length; i++) {
    const a = inv.args[i]!;
    if (a.startsWith("-")) {
      if (CONCURRENTLY_VALUED.has(a)) i++;
      continue;
    }
    const short = /^(npm|yarn|pnpm|bun):(.+)$/.exec(a);
    if (short) {
      runPattern(inv, short[2]!, short[1]!);
      continue;
    }
    scanArg(inv, i);
  }
}

/** One quoted command argument, scanned in a child shell. */
export function scanArg(inv: Invocation, index: number): void {
  const w = inv.argWords[index];
  const loc = inv.argLocs[index] ?? inv.loc;
  const body = inv.args[index]!;
  const exact = w && w.raw.length === w.text.length + 2 && /^(['"]).*\1$/s.test(w.raw);
  const src: ShellSource = {
    file: loc.file,
    text: body,
    spanOf: exact ? (s, e) => inv.src.spanOf(w.start + 1 + s, w.start + 1 + e) : () => loc.span,
  };
  const env = new Map(inv.state.env);
  for (const [k, v] of inv.inline) env.set(k, v);
  scanInto(
    src,
    { ...inv.ctx, depth: (inv.ctx.depth ?? 0) + 1 },
    {},
    { cwd: inv.state.cwd, dirStack: [], env, vars: new Map(env) },
    inv.hits,
  );
}

/**
 * `cf deploy` (the cf CLI, a release candidate in Nov 2026: it runs wrangler or Vite and reads
 * cloudflare.config.ts). Analysed as `wrangler deploy` of the config found, and said so. Cloud Foundry's own
 * `cf deploy app.mtar` is left alone.
 */
function cfDeploy(inv: Invocation): boolean {
  if (inv.args[0] !== "deploy" || inv.args.some((a) => /\.mtar$/.test(a))) return false;
  inv.hits.push(makeHit(inv.ctx, inv.state, inv.args, inv.argLocs, inv.loc, inv.inline, undefined));
  const hasTs = ["cloudflare.config.ts", "cloudflare.config.js", "cloudflare.config.mjs"].find((n) =>
    inv.ctx.host.fileExists(`${inv.state.cwd}/${n}`),
  );
  problem(
    inv,
    "ci-cf-cli",
    "info",
    `\`cf deploy\` is analysed as \`wrangler deploy\` of the wrangler config found here${hasTs ? `; ${hasTs} is code and is not read, so what it adds is not analysed` : ""}.`,
  );
  return true;
}
