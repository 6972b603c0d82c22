// `wrangler-token-lint check`: every finding of a workspace, as text, JSON, SARIF 2.1.0 or Markdown.
import { statSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { analyzeWorkspace, Database, relative, RULES, type HclParser, type Severity } from "../core/index.js";
import { diskHost } from "../node/disk-host.js";
import { nodeHclParser } from "../node/hcl-wasm.js";
import { OPTION_FLAGS_HELP, optionFlags, parseArgs, UsageError } from "./args.js";
import type { Io } from "./io.js";
import { report } from "./output/findings.js";
import { checkText } from "./output/text.js";
import { asJson, checkJson } from "./output/json.js";
import { checkMarkdown } from "./output/markdown.js";
import { findingsSarif } from "./output/sarif.js";
import { writeFixes } from "./fix.js";

export const CHECK_HELP = `wrangler-token-lint check [PATH] [options]

  Every finding of a workspace: CI deploys and the tokens they use, compared with what each deploy needs.
  PATH is the repository root (default: the current directory).

  --format FORMAT         text (default), json, sarif (SARIF 2.1.0 for GitHub code scanning), markdown (PR comment)
  --fail-on LEVEL         exit 1 when a finding is at or above error (default), warning or info; "none" never fails
${OPTION_FLAGS_HELP.rule}
${OPTION_FLAGS_HELP["token-secret"]}
${OPTION_FLAGS_HELP["token-glob"]}
  --today YYYY-MM-DD      date used for suggested expiry dates (default: today)
  --fix                   apply every safe fix (the editor's Fix all) to the files, say on stderr what changed,
                          then report the findings that are left
  --fix-unsafe            also apply the first fix of findings that have no safe one (review the result)
`;

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export async function checkCommand(argv: string[], io: Io): Promise<number> {
  const flags = optionFlags(argv, new Set(RULES.map((r) => r.id)));
  if ("error" in flags) return usage(io, flags.error);
  const filtered = flags.rest;
  let args;
  try {
    args = parseArgs(filtered, {
      format: { value: true, choices: ["text", "json", "sarif", "markdown"] },
      "fail-on": { value: true, choices: ["error", "warning", "info", "none"] },
      today: { value: true },
      fix: { value: false },
      "fix-unsafe": { value: false },
      help: { value: false, short: "h" },
    });
  } catch (e) {
    if (e instanceof UsageError) return usage(io, e.message);
    throw e;
  }
  if (args.flags.help) {
    io.stdout(CHECK_HELP);
    return 0;
  }
  if (args.positionals.length > 1) return usage(io, `expected one PATH, got ${args.positionals.length}`);
  const root = resolvePath(io.cwd, args.positionals[0] ?? ".");
  try {
    if (!statSync(root).isDirectory()) return usage(io, `${args.positionals[0]}: not a directory`);
  } catch {
    return usage(io, `${args.positionals[0]}: no such directory`);
  }
  const today = typeof args.flags.today === "string" ? args.flags.today : new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) return usage(io, "--today must be YYYY-MM-DD");
  let hcl: HclParser | undefined;
  try {
    hcl = await nodeHclParser();
  } catch (err) {
    io.stderr(
      `wrangler-token-lint: Terraform files are not read: ${err instanceof Error ? err.message : String(err)}\n`,
    );
  }
  const options = { ...flags.options, today };
  // One workspace database per analysis (the core keeps nothing between runs itself).
  const analyse = () => analyzeWorkspace(diskHost(), root, options, { hcl, db: new Database({ once: true }) });
  let ws = analyse();
  if (args.flags.fix || args.flags["fix-unsafe"]) {
    // Fix, then report what is left (a fresh read of the disk).
    const { files } = writeFixes(ws, root, args.flags["fix-unsafe"] === true, io);
    if (files.length) ws = analyse();
  }
  const reported = report(ws, root);
  switch (args.flags.format ?? "text") {
    case "json":
      io.stdout(checkJson(relative(io.cwd, root) || ".", ws.summary, reported));
      break;
    case "sarif":
      io.stdout(asJson(findingsSarif(reported)));
      break;
    case "markdown":
      io.stdout(checkMarkdown(reported, ws.summary));
      break;
    default:
      io.stdout(checkText(reported, ws.summary));
  }
  const failOn = (args.flags["fail-on"] as string | undefined) ?? "error";
  if (failOn === "none") return 0;
  return reported.some((r) => RANK[r.severity] >= RANK[failOn as Severity]) ? 1 : 0;
}

function usage(io: Io, message: string): number {
  io.stderr(`wrangler-token-lint check: ${message}\n`);
  return 2;
}
