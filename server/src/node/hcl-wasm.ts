// Node adapters (CLI and language server): loads the two WebAssembly files the HCL reader needs (web-tree-sitter's runtime and the Terraform grammar)
// and creates the parser. Bundled builds find them next to the bundle (esbuild.mjs copies them to server/out);
// from source they come from node_modules.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { HclParser } from "../core/index.js";
import { createHclParser, type TreeSitterModule } from "../core/index.js";

// Loaded with require() on purpose: esbuild then picks web-tree-sitter's CommonJS build, whose runtime does not
// depend on import.meta (the ESM build's does, which breaks inside a CommonJS bundle).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const treeSitter: TreeSitterModule = require("web-tree-sitter");

export const RUNTIME_WASM = "web-tree-sitter.wasm";
export const GRAMMAR_WASM = "tree-sitter-terraform.wasm";

const packaged: Record<string, string> = {
  [RUNTIME_WASM]: "web-tree-sitter/web-tree-sitter.wasm",
  [GRAMMAR_WASM]: "@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm",
};

/** Path of one of the wasm files: next to this script when bundled, else resolved from node_modules. */
export function locateWasm(file: string, dirs: string[] = [__dirname]): string {
  for (const dir of dirs) {
    const p = join(dir, file);
    if (existsSync(p)) return p;
  }
  try {
    return require.resolve(packaged[file] ?? file);
  } catch {
    throw new Error(`cannot find ${file} (looked in ${dirs.join(", ")} and node_modules)`);
  }
}

/** The bytes of both wasm files. Throws with a readable message when one is missing (a packaging bug). */
export function loadHclWasm(dirs?: string[]): { runtime: Uint8Array; language: Uint8Array } {
  return {
    runtime: readFileSync(locateWasm(RUNTIME_WASM, dirs)),
    language: readFileSync(locateWasm(GRAMMAR_WASM, dirs)),
  };
}

let shared: Promise<HclParser> | undefined;

/** One HCL parser per process. */
export function nodeHclParser(): Promise<HclParser> {
  return (shared ??= createHclParser(treeSitter, loadHclWasm()).catch((err: unknown) => {
    shared = undefined;
    throw err;
  }));
}
