// What a CLI command gets from the process: the working directory, the environment and the two output streams.
// Its own module so the commands and main.ts (which dispatches to them) do not import each other.
export interface Io {
  cwd: string;
  /** The process environment (CLOUDFLARE_ACCOUNT_ID); none when absent. The core reads no environment itself. */
  env?: Record<string, string | undefined>;
  stdout(s: string): void;
  stderr(s: string): void;
}
