// Dispatches `wrangler-token-lint <command>` to the command modules; owns --help and exit codes
// (0 ok, 1 findings at or above --fail-on, 2 unusable input).
import { minimalCommand, MINIMAL_HELP } from "./minimal.js";
import { checkCommand, CHECK_HELP } from "./check.js";

export interface Io {
  cwd: string;
  stdout(s: string): void;
  stderr(s: string): void;
}

const HELP = `wrangler-token-lint — least-privilege Cloudflare API tokens for Workers and Pages deploys

Usage: wrangler-token-lint <command> [options]

Commands:
  minimal [PATH]     the exact token one wrangler command needs (groups, resources, and why)
  check [PATH]       every finding of a workspace: tokens broader or narrower than their deploys
  help               this text

${MINIMAL_HELP}
${CHECK_HELP}
Exit codes: 0 success; 1 (check) findings at or above --fail-on; 2 unusable input (no config, unknown env,
unreadable or broken file, bad option).
`;

export async function main(argv: string[], io?: Io): Promise<number> {
  const sink: Io = io ?? {
    cwd: process.cwd(),
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  };
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case "minimal":
      return minimalCommand(rest, sink);
    case "check":
      return checkCommand(rest, sink);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      sink.stdout(HELP);
      return cmd === undefined ? 2 : 0;
    default:
      sink.stderr(`wrangler-token-lint: unknown command "${cmd}" (see --help)\n`);
      return 2;
  }
}
