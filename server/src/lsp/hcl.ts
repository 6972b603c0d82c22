// Loads the Terraform grammar for token definitions in *.tf files. The .wasm files sit next to the bundled
// server (server/out) in the extension, or in node_modules when running from a checkout. Loading happens once,
// in the background; until it is done (or if it fails) analyses run without HCL and say so in the log.
import { readFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { createHclParser, type HclParser } from "../core/tokens/hcl.js";

function findFile(name: string, packageDir: string): string | undefined {
  const candidates = [join(__dirname, name), join(__dirname, "..", "..", "node_modules", packageDir, name)];
  try {
    candidates.push(join(dirname(require.resolve(`${packageDir}/package.json`)), name));
  } catch {
    // not resolvable from the bundle: the first candidates are all there is
  }
  return candidates.find((p) => existsSync(p));
}

export class HclLoader {
  private parser: HclParser | undefined;
  private loading: Promise<HclParser | undefined> | undefined;

  constructor(private readonly log: (message: string) => void) {}

  get(): HclParser | undefined {
    return this.parser;
  }

  /** Starts loading (once); resolves with the parser, or undefined when the grammar is missing or broken. */
  load(): Promise<HclParser | undefined> {
    return (this.loading ??= this.doLoad());
  }

  private async doLoad(): Promise<HclParser | undefined> {
    const language = findFile("tree-sitter-terraform.wasm", "@tree-sitter-grammars/tree-sitter-hcl");
    if (!language) {
      this.log("Terraform grammar (tree-sitter-terraform.wasm) not found; *.tf token definitions are not read");
      return undefined;
    }
    const runtime = findFile("web-tree-sitter.wasm", "web-tree-sitter");
    try {
      this.parser = await createHclParser({ runtime: runtime ? readFileSync(runtime) : undefined, language: readFileSync(language) });
      return this.parser;
    } catch (err) {
      this.log(`could not load the Terraform grammar: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }
}
