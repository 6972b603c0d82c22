// CLI entry: `wrangler-token-lint <command> …`. Commands live in cli/; this file only dispatches.
// The exit code is set, never forced: process.exit() right after a write cuts piped output (stdout to a pipe is
// asynchronous), so the process ends by itself once stdout and stderr have drained.
import { main } from "./cli/main.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(
      `wrangler-token-lint: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    process.exitCode = 3;
  },
);
