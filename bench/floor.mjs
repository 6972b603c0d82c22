// The benchmark's floor: reads and parses the files `check` reads, with the same parser packages and options
// (toml-eslint-parser, jsonc-parser, yaml, web-tree-sitter with the Terraform grammar), and does nothing else.
// Process mode: node bench/floor.mjs DIR
// In-process mode: node bench/floor.mjs DIR --warm WARM_DIR   (parses WARM_DIR first, then prints {"ms": …} for DIR)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { parseTOML } from "toml-eslint-parser";
import { parseTree } from "jsonc-parser";
import { parseDocument } from "yaml";
import { listFiles } from "./workspace-files.mjs";

const require = createRequire(import.meta.url);
const { Parser, Language } = require("web-tree-sitter");

async function hclParser() {
  await Parser.init({ wasmBinary: readFileSync(require.resolve("web-tree-sitter/web-tree-sitter.wasm")) });
  const language = await Language.load(
    readFileSync(require.resolve("@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm")),
  );
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

const jsonc = (text) =>
  parseTree(text, [], { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });

function parseAll(root, hcl) {
  const f = listFiles(root);
  let n = 0;
  for (const p of f.configs) {
    const text = readFileSync(p, "utf8");
    if (p.endsWith(".toml")) {
      try {
        parseTOML(text, { tomlVersion: "1.0" });
      } catch {
        // a syntax error still costs its parse
      }
    } else jsonc(text);
    n++;
  }
  for (const p of f.workflows) {
    parseDocument(readFileSync(p, "utf8"), {
      keepSourceTokens: true,
      uniqueKeys: false,
      prettyErrors: false,
      strict: false,
    });
    n++;
  }
  for (const p of f.terraform) {
    hcl.parse(readFileSync(p, "utf8")).delete();
    n++;
  }
  for (const p of f.json) {
    jsonc(readFileSync(p, "utf8"));
    n++;
  }
  return n;
}

const [dir, flag, warm] = process.argv.slice(2);
const hcl = await hclParser();
if (flag === "--warm") {
  parseAll(warm, hcl);
  const t0 = performance.now();
  const files = parseAll(dir, hcl);
  console.log(JSON.stringify({ ms: performance.now() - t0, files }));
} else parseAll(dir, hcl);
