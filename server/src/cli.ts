// CLI entry: `wrangler-token-lint <command> …`. Commands live in cli/; this file only dispatches.
import { main } from "./cli/main.js";

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`wrangler-token-lint: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    process.exit(3);
  },
);
