// Script files a CI step runs (`./scripts/deploy.sh`, `bash x.sh`, `sh -c '…'`, `source env.sh`,
// `../db/deploy-${{ matrix.environment }}.sh`): read from the repository — never run — and scanned like the
// step itself, with the script's arguments and directory known. A script that is missing, has a name known
// only at run time, or is not a shell script (node, python …) is reported, never passed over.
import type { Location } from "../source.js";
import { basename, dirname, relative, resolve } from "../path.js";
import { MAX_DEPTH, problem, type Invocation, type ShellSource, type ShellState } from "./shell-types.js";
import { dispatch, scanInto } from "./scripts.js";
import { followTaskRunner } from "./task-runners.js";
import { findWorkspace } from "./workspaces.js";
import { expandLocal } from "./shell-expand.js";

const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh"]);
const INTERPRETERS = new Set(["node", "tsx", "ts-node", "python", "python3", "deno", "ruby", "perl", "zx"]);
const SHELL_VALUED = new Set(["-o", "+o", "-O", "+O", "--rcfile", "--init-file"]);
const DEPLOYISH = /deploy|publish|release|wrangler|migrat/i;

/** Follows a command that runs a script file or shell text; false when the command is none of those. */
export function followShellFile(inv: Invocation): boolean {
  const { cmd, args } = inv;
  if (cmd.includes("$")) {
    const known = expandLocal(cmd, inv.state, inv.ctx);
    if (known !== undefined && known !== cmd) {
      dispatch({ ...inv, cmd: known });
      return true;
    }
  }
  if (followTaskRunner(inv)) return true;
  if (cmd === "source" || cmd === ".") {
    if (args[0] !== undefined) runFiles(inv, args[0], args.slice(1), inv.argLocs.slice(1), true);
    return true;
  }
  const base = basename(cmd);
  if (SHELLS.has(base) && (cmd === base || /^\/(usr\/)?bin\//.test(cmd) || cmd.startsWith("/usr/bin/env")))
    return shellCommand(inv);
  if (INTERPRETERS.has(base)) return interpreter(inv);
  if (cmd.includes("/") || /\.(sh|bash)$/.test(cmd)) {
    runFiles(inv, cmd, args, inv.argLocs, false);
    return true;
  }
  const bin = findWorkspace(inv.ctx, inv.state.cwd)?.bins.get(cmd);
  if (bin) {
    runFiles(inv, bin, args, inv.argLocs, false);
    return true;
  }
  if (cmd.includes("$") && DEPLOYISH.test([cmd, ...args].join(" "))) {
    problem(
      inv,
      "ci-dynamic-command",
      "info",
      `Not followed: the command \`${cmd}\` is known only when the job runs; what it runs is not analysed.`,
    );
    return true;
  }
  return false;
}

/** `bash [-eux] file args…` and `sh -c 'text'`. */
function shellCommand(inv: Invocation): boolean {
  const { args } = inv;
  let i = 0;
  while (i < args.length && /^[-+]/.test(args[i]!) && args[i] !== "--" && args[i] !== "-") {
    const a = args[i]!;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(a)) {
      const body = args[i + 1];
      if (body !== undefined) scanText(inv, i + 1, body);
      return true;
    }
    i += SHELL_VALUED.has(a) || /^[-+][a-zA-Z]*[oO]$/.test(a) ? 2 : 1;
  }
  if (args[i] === "--") i++;
  const file = args[i];
  if (file === undefined || file === "-") return true; // reads commands from stdin (a heredoc): not followed
  runFiles(inv, file, args.slice(i + 1), inv.argLocs.slice(i + 1), false);
  return true;
}

/** `sh -c '…'`: the quoted text runs in a child shell. */
function scanText(inv: Invocation, index: number, body: string): void {
  const w = inv.argWords[index];
  const loc = inv.argLocs[index] ?? inv.loc;
  const exact = w && w.raw.length === w.text.length + 2 && /^(['"]).*\1$/s.test(w.raw);
  const src: ShellSource = {
    file: loc.file,
    text: body,
    spanOf: exact ? (s, e) => inv.src.spanOf(w.start + 1 + s, w.start + 1 + e) : () => loc.span,
  };
  scanInto(src, { ...inv.ctx, depth: (inv.ctx.depth ?? 0) + 1 }, {}, childState(inv, [], []), inv.hits);
}

/** `node scripts/deploy.mjs`: not a shell script; said so when it mentions wrangler. */
function interpreter(inv: Invocation): boolean {
  const file = inv.args.find((a) => !a.startsWith("-") && /\.[cm]?[jt]sx?$|\.py$|\.rb$|\.pl$/.test(a));
  if (!file) return false;
  const path = resolve(inv.state.cwd, file);
  const text = file.includes("$") ? undefined : inv.ctx.host.readFile(path);
  if (text !== undefined ? /\bwrangler\b/.test(text) : DEPLOYISH.test(file))
    notShell(inv, relative(inv.ctx.root, path), text !== undefined);
  return true;
}

function notShell(inv: Invocation, shown: string, mentions: boolean): void {
  problem(
    inv,
    "ci-script-not-shell",
    "info",
    `Not followed: \`${shown}\` is not a shell script${mentions ? " and mentions wrangler" : ""}; the wrangler commands it runs are not analysed.`,
  );
}

/** Runs every file a script word can name (an expression with known values names several). */
function runFiles(inv: Invocation, word: string, args: string[], argLocs: Location[], share: boolean): void {
  let names: string[] | undefined = [word];
  if (word.includes("$")) {
    const local = expandLocal(word, inv.state, inv.ctx);
    names = local !== undefined ? [local] : inv.ctx.expand?.(word, inv.loc, inv.state.vars);
    if (!names || names.some((n) => n.includes("$"))) {
      problem(
        inv,
        "ci-dynamic-command",
        "info",
        `Not followed: the script \`${word}\` is named by an expression known only when the job runs; the commands it runs are not analysed.`,
      );
      return;
    }
  }
  // The caller's shell expands the arguments before the script starts.
  const expanded = args.map((a) =>
    a.includes("$") && !a.includes("${{") ? (expandLocal(a, inv.state, inv.ctx) ?? a) : a,
  );
  for (const n of names) runFile(inv, n, expanded, argLocs, share);
}

function runFile(inv: Invocation, name: string, args: string[], argLocs: Location[], share: boolean): void {
  const { ctx } = inv;
  if (name.startsWith("~")) return;
  const path = resolve(inv.state.cwd, name);
  const shown = relative(ctx.root, path);
  const text = ctx.host.readFile(path);
  if (text === undefined) {
    if (/\.(sh|bash)$/.test(name) || DEPLOYISH.test(name) || name.startsWith("./") || name.startsWith("../")) {
      problem(
        inv,
        "ci-script-not-found",
        "info",
        `The script \`${name}\` was not found (looked for ${shown}); the commands it runs are not analysed.`,
      );
    }
    return;
  }
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(text);
  const interp = shebang
    ? basename(shebang[1] === "/usr/bin/env" ? (shebang[2] ?? "") : shebang[1]!)
    : /\.([cm]?[jt]sx?|py|rb|pl)$/.test(name)
      ? "node"
      : "sh";
  if (!SHELLS.has(interp)) {
    if (/\bwrangler\b/.test(text) || DEPLOYISH.test([name, ...args].join(" ")))
      notShell(inv, shown, /\bwrangler\b/.test(text));
    return;
  }
  const running = ctx.running ?? new Set<string>();
  const depth = ctx.depth ?? 0;
  if (running.has(path) || depth >= MAX_DEPTH) {
    problem(
      inv,
      "ci-script-cycle",
      "warning",
      `The script ${shown} runs itself (directly or through other scripts); not followed further.`,
    );
    return;
  }
  const src: ShellSource = { file: path, text, spanOf: (s, e) => ({ start: s, end: e }) };
  const childCtx = {
    ...ctx,
    via: [...(ctx.via ?? []), inv.loc],
    depth: depth + 1,
    running: new Set(running).add(path),
    inSubstitution: false,
  };
  const state = share ? inv.state : childState(inv, args, argLocs);
  state.scriptDir = dirname(path);
  if (share && args.length) state.positional = { args, locs: argLocs };
  const prevDir = inv.state.scriptDir;
  scanInto(src, childCtx, {}, state, inv.hits);
  if (share) inv.state.scriptDir = prevDir;
}

/** A child shell: the exported variables (and the command's inline ones), the same directory. */
function childState(inv: Invocation, args: string[], argLocs: Location[]): ShellState {
  const env = new Map(inv.state.env);
  for (const [k, v] of inv.inline) env.set(k, v);
  return { cwd: inv.state.cwd, dirStack: [], env, vars: new Map(env), positional: { args, locs: argLocs } };
}
