// Dispatches `wrangler-token-lint <command>` to the command modules; owns --help and exit codes
// (0 ok, 1 findings at or above --fail-on, 2 unusable input).
import { minimalCommand, MINIMAL_HELP } from "./minimal.js";
import { checkCommand, CHECK_HELP } from "./check.js";
import { recordCommand } from "./record.js";
import { auditCommand, AUDIT_HELP } from "./audit.js";
import { diffCommand, DIFF_HELP } from "./diff.js";
import { VERSION } from "./version.js";
import type { Io } from "./io.js";

export type { Io } from "./io.js";

const HELP = `wrangler-token-lint — least-privilege Cloudflare API tokens for Workers and Pages deploys

Usage: wrangler-token-lint <command> [options]

Commands:
  minimal [PATH]     the exact token one wrangler command needs (groups, resources, and why)
  check [PATH]       every finding of a workspace: tokens broader or narrower than their deploys
  record -- CMD      run a wrangler command through a local recording proxy; compare its API calls with minimal
  audit [PATH]       read the live token from Cloudflare (GET only) and check it against the deploys that use it
  diff [PATH]        what a branch changes in what deploys need and tokens grant, against a git base revision
  help               this text (also --help); --version prints the version

${MINIMAL_HELP}
${CHECK_HELP}
wrangler-token-lint record [--upstream URL] [--config PATH] [--env NAME] [--existing] [--owner account|user]
                           [--format text|json] -- CMD…

  Runs CMD (e.g. npx wrangler deploy) with CLOUDFLARE_API_BASE_URL pointing at a proxy on 127.0.0.1 that
  forwards to the upstream API (default https://api.cloudflare.com/client/v4) and records each call's method and
  path template. Then prints the calls, the permission group each needs, and what the static prediction for the
  same config, env and command misses or adds. The token is forwarded, never printed or stored; bodies are not
  logged. When CMD fails it names the call that failed, the Cloudflare error and the group that call needed.
  --existing: compare with the prediction for an account where the Worker and its resources already exist.
  --owner: compare with the token for this owner (default account, as minimal predicts it). Calls the predicted
  token would be refused where wrangler goes on (the account-level routes write, GET /memberships for an
  account-owned token) are judged by wrangler's fallback. CLOUDFLARE_ACCOUNT_ID is read as wrangler reads it.
  See docs/record.md.

${AUDIT_HELP}
${DIFF_HELP}
Network: only record and audit open connections, and only when you run them.

Exit codes: 0 success; 1 (check, audit) findings at or above --fail-on, (diff) the branch widens a token or
makes a deploy need a group its token lacks; 2 unusable input (no config, unknown
env, unreadable or broken file, bad option; for audit also: no reading token, the API refused or was not reached).
`;

export async function main(argv: string[], io?: Io): Promise<number> {
  const sink: Io = io ?? {
    cwd: process.cwd(),
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  };
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case "minimal":
      return minimalCommand(rest, sink);
    case "check":
      return checkCommand(rest, sink);
    case "record":
      return recordCommand(rest, sink);
    case "audit":
      return auditCommand(rest, sink);
    case "diff":
      return diffCommand(rest, sink);
    case "--version":
    case "-V":
    case "version":
      sink.stdout(`${VERSION}\n`);
      return 0;
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
