// Loads the Terraform grammar for token definitions in *.tf files, once and in the background (the loading
// itself is shared with the CLI: server/src/node/hcl-wasm.ts). Analyses wait for it; if it fails they run without
// HCL and say so in the log.
import type { HclParser } from "../core/index.js";
import { nodeHclParser } from "../node/hcl-wasm.js";

export class HclLoader {
  private loading: Promise<HclParser | undefined> | undefined;

  constructor(private readonly log: (message: string) => void) {}

  /** Starts loading (once); resolves with the parser, or undefined when the grammar is missing or broken. */
  load(): Promise<HclParser | undefined> {
    return (this.loading ??= nodeHclParser().catch((err: unknown) => {
      this.log(
        `could not load the Terraform grammar: ${err instanceof Error ? err.message : String(err)}; *.tf token definitions are not read`,
      );
      return undefined;
    }));
  }
}
