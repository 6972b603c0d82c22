// Loads the Terraform grammar for token definitions in *.tf files, once and in the background (the loading
// itself is shared with the CLI: server/src/node/hcl-wasm.ts). Until it is done, or if it fails, analyses run
// without HCL and say so in the log.
import type { HclParser } from "../core/index.js";
import { nodeHclParser } from "../node/hcl-wasm.js";

export class HclLoader {
  private parser: HclParser | undefined;
  private loading: Promise<HclParser | undefined> | undefined;

  constructor(private readonly log: (message: string) => void) {}

  get(): HclParser | undefined {
    return this.parser;
  }

  /** Starts loading (once); resolves with the parser, or undefined when the grammar is missing or broken. */
  load(): Promise<HclParser | undefined> {
    return (this.loading ??= nodeHclParser().then(
      (p) => (this.parser = p),
      (err: unknown) => {
        this.log(
          `could not load the Terraform grammar: ${err instanceof Error ? err.message : String(err)}; *.tf token definitions are not read`,
        );
        return undefined;
      },
    ));
  }
}
