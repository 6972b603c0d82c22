// `wrangler-token-lint minimal`: the exact token one config + environment + command needs.
import { analyzeMinimal } from "../core/index.js";
import { MINIMAL_FORMATS, renderMinimal, type MinimalFormat } from "../core/index.js";
import { providerPinFor, type ProviderPin } from "../core/index.js";
import { dirname, resolve } from "../core/index.js";
import { nodeHclParser } from "../node/hcl-wasm.js";
import { diskHost } from "../node/disk-host.js";
import { parseArgs, UsageError } from "./args.js";
import type { Io } from "./io.js";

export const MINIMAL_HELP = `wrangler-token-lint minimal [PATH] [options]

  The least-privilege API token for one wrangler command: each permission group with the config lines and API
  calls that need it. PATH is a wrangler config file or a directory (discovered as wrangler does: wrangler.json,
  then wrangler.jsonc, then wrangler.toml, each searched upward). Default: the current directory.

  --env, -e NAME          environment ([env.NAME]); the deployed Worker is <name>-<NAME>
  --command "CMD"         the wrangler command, without "wrangler" (default "deploy"), e.g.
                          "versions upload", "pages deploy dist --project-name site", "d1 migrations apply DB --remote"
  --account-id ID         the account id wrangler gets from CI when the config has no account_id (default:
                          CLOUDFLARE_ACCOUNT_ID, or CF_ACCOUNT_ID, from the environment, as wrangler reads them)
  --resources-exist       assume the Worker and its KV/R2/D1/queues already exist (no creation on deploy)
  --owner account|user    who owns the token (default account: POST /accounts/{id}/tokens, cloudflare_account_token).
                          Without an account id wrangler looks the account up; a user-owned token then also needs
                          Memberships Read, an account-owned one does not
  --format FORMAT         text (default), json, api (create-token body), terraform, url (dashboard link)
`;

export async function minimalCommand(argv: string[], io: Io): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, {
      env: { value: true, short: "e" },
      command: { value: true },
      "account-id": { value: true },
      "resources-exist": { value: false },
      owner: { value: true, choices: ["account", "user"] },
      format: { value: true, choices: [...MINIMAL_FORMATS] },
      help: { value: false, short: "h" },
    });
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`wrangler-token-lint minimal: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (args.flags.help) {
    io.stdout(MINIMAL_HELP);
    return 0;
  }
  if (args.positionals.length > 1) {
    io.stderr(`wrangler-token-lint minimal: expected one PATH, got ${args.positionals.length}\n`);
    return 2;
  }
  const flag = (k: string) => (typeof args.flags[k] === "string" ? (args.flags[k] as string) : undefined);
  const analysis = analyzeMinimal(diskHost(), {
    cwd: io.cwd,
    path: args.positionals[0],
    env: flag("env"),
    command: flag("command"),
    accountId: flag("account-id") ?? envAccountId(io.env ?? {}),
    resourcesExist: args.flags["resources-exist"] === true,
    owner: (flag("owner") as "account" | "user" | undefined) ?? "account",
  });
  if ("error" in analysis) {
    io.stderr(`wrangler-token-lint minimal: ${analysis.unsupported ? "unsupported command: " : ""}${analysis.error}\n`);
    return 2;
  }
  const format = (flag("format") ?? "text") as MinimalFormat;
  let provider: ProviderPin | undefined;
  if (format === "terraform") {
    // Terraform follows the repository's pinned Cloudflare provider (v3/v4: policy blocks, no account tokens).
    const dir = analysis.config ? dirname(analysis.config.file.path) : resolve(io.cwd, args.positionals[0] ?? ".");
    try {
      provider = providerPinFor(diskHost(), dir, await nodeHclParser());
    } catch (e) {
      io.stderr(
        `wrangler-token-lint minimal: the repository's Terraform provider pin was not read (${e instanceof Error ? e.message : String(e)}); writing provider v5 syntax\n`,
      );
    }
  }
  const out = renderMinimal(analysis, format, { provider });
  io.stdout(out.text);
  for (const m of out.manual) io.stderr(`add by hand: ${m}\n`);
  return 0;
}

/** The account id wrangler takes from the environment: CLOUDFLARE_ACCOUNT_ID, else its deprecated name CF_ACCOUNT_ID. */
export function envAccountId(env: Record<string, string | undefined>): string | undefined {
  return env.CLOUDFLARE_ACCOUNT_ID?.trim() || env.CF_ACCOUNT_ID?.trim() || undefined;
}
