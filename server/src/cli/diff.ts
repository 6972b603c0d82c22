// `wrangler-token-lint diff`: what a branch changes in what each deploy needs and each token grants, against a
// base revision read with git. Exit 1 when the branch widens a token or makes a deploy need a group its token
// lacks, 0 otherwise, 2 on usage or git errors.
import { realpathSync, statSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { RULES } from "../core/index.js";
import { SEVERITY_SETTINGS } from "../core/index.js";
import { openSnapshot, type Snapshot } from "../core/index.js";
import { reviewSnapshots } from "../core/index.js";
import { diskHost } from "../node/disk-host.js";
import { nodeHclParser } from "../node/hcl-wasm.js";
import { defaultBase, GitError, gitRevision, gitTop } from "../node/git-host.js";
import { optionFlags, parseArgs, UsageError, type OptionFlags } from "./args.js";
import { diffText } from "./output/text.js";
import { asJson } from "./output/json.js";
import { diffMarkdown } from "./output/markdown.js";
import { findingsSarif } from "./output/sarif.js";
import type { Io } from "./io.js";

export const DIFF_HELP = `wrangler-token-lint diff [PATH] [--base REV] [--head REV] [options]

  What this branch changes in the permissions its deploys need and its tokens grant, compared with a base
  revision: per deploy the groups and resources added or removed (with the lines behind them), per token the
  grants added or removed, and the findings new in head, fixed in head and unchanged. Both sides go through the
  same analysis as check; the base is read with git (git ls-tree, git cat-file), nothing of the workspace runs.
  PATH is the folder to analyse (default: the current directory), inside a git repository.

  --base REV              the revision to compare with (default: the merge-base of HEAD with the upstream's
                          default branch: <remote>/HEAD, else <remote>/main or master, else main or master)
  --head REV              the revision to review (default: the working tree, uncommitted changes included)
  --format FORMAT         text (default), json, markdown (PR comment, job summary), sarif (only findings new in head)
  --rule ID=SEVERITY      override a rule's severity (${SEVERITY_SETTINGS.join(", ")}) on both sides; repeatable
  --token-secret T=SECRET link a token definition to a CI secret on both sides; repeatable
  --token-glob GLOB       only read JSON token definitions matching GLOB (root-relative); repeatable
  --today YYYY-MM-DD      date used by date-dependent rules (default: today)

  Exit codes: 1 when the branch widens a token (grants something base did not, or drops a deny) or makes a
  deploy need a group its linked token lacks; 0 otherwise; 2 on a usage error, outside a git repository, or
  when a revision cannot be read.
`;

export async function diffCommand(argv: string[], io: Io): Promise<number> {
  const flags = optionFlags(argv, new Set(RULES.map((r) => r.id)));
  if ("error" in flags) return usage(io, flags.error);
  const filtered = flags.rest;
  let args;
  try {
    args = parseArgs(filtered, {
      base: { value: true },
      head: { value: true },
      format: { value: true, choices: ["text", "json", "markdown", "sarif"] },
      today: { value: true },
      help: { value: false, short: "h" },
    });
  } catch (e) {
    if (e instanceof UsageError) return usage(io, e.message);
    throw e;
  }
  if (args.flags.help) {
    io.stdout(DIFF_HELP);
    return 0;
  }
  if (args.positionals.length > 1) return usage(io, `expected one PATH, got ${args.positionals.length}`);
  const options = workspaceOptions(flags.options, args.flags.today);
  if (typeof options === "string") return usage(io, options);
  const given = args.positionals[0] ?? ".";
  let root: string;
  try {
    root = realpathSync(resolvePath(io.cwd, given));
    if (!statSync(root).isDirectory()) return usage(io, `${given}: not a directory`);
  } catch {
    return usage(io, `${given}: no such directory`);
  }
  let base: Snapshot & { settle(): Promise<boolean> };
  let head: Snapshot & { settle?(): Promise<boolean> };
  try {
    const top = realpathSync(gitTop(root));
    const b = typeof args.flags.base === "string" ? { rev: args.flags.base, label: args.flags.base } : defaultBase(top);
    base = await openSnapshot(gitRevision(top, b.rev, b.label), top);
    head =
      typeof args.flags.head === "string"
        ? await openSnapshot(gitRevision(top, args.flags.head), top)
        : { label: "working tree", host: diskHost() };
  } catch (err) {
    if (err instanceof GitError) return usage(io, err.message);
    throw err;
  }
  let hcl;
  try {
    hcl = await nodeHclParser();
  } catch (err) {
    io.stderr(
      `wrangler-token-lint: Terraform files are not read: ${err instanceof Error ? err.message : String(err)}\n`,
    );
  }
  let review;
  try {
    review = await reviewSnapshots(base, head, root, options, { hcl });
  } catch (err) {
    if (err instanceof GitError) return usage(io, err.message);
    throw err;
  }
  switch (args.flags.format ?? "text") {
    case "json":
      io.stdout(asJson(review));
      break;
    case "markdown":
      io.stdout(diffMarkdown(review));
      break;
    case "sarif":
      io.stdout(asJson(findingsSarif(review.findings.new)));
      break;
    default:
      io.stdout(diffText(review));
  }
  return review.fails ? 1 : 0;
}

function workspaceOptions(flags: OptionFlags, todayFlag: string | true | undefined) {
  const today = typeof todayFlag === "string" ? todayFlag : new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) return "--today must be YYYY-MM-DD";
  return { ...flags, today };
}

function usage(io: Io, message: string): number {
  io.stderr(`wrangler-token-lint diff: ${message}\n`);
  return 2;
}
