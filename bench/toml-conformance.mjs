// How many files of the TOML project's conformance suite (toml-test, the TOML 1.0.0 file list) each TOML parser
// accepts (valid/) and rejects (invalid/), from one run. Needs the team's shared folder next to the repository.
// Run: node --import tsx bench/toml-conformance.mjs
import { readFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseTOML } from "toml-eslint-parser";
import iarna from "@iarna/toml";
import * as smol from "smol-toml";
import { parseToml } from "../server/src/core/parse/toml.ts";

const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const suite = resolve(repoRoot, "../shared/data/toml-test");
if (!existsSync(suite)) {
  console.error(`toml-test not found at ${suite} (the shared folder must sit next to the repository)`);
  process.exit(1);
}
const list = readFileSync(join(suite, "files-toml-1.0.0"), "utf8")
  .split("\n")
  .filter((l) => l.endsWith(".toml"));
const files = list.map((f) => ({ f, valid: f.startsWith("valid/"), bytes: readFileSync(join(suite, f)) }));
const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }); // the BOM is left for the parser to judge

/** Each entry: a name and a function that returns true when the parser accepts the text (as TOML 1.0). */
const parsers = [
  // Default mode reads TOML 1.1-only text too, but with a warning: here any problem counts as a rejection.
  [
    "parseToml (this project), default mode",
    (t) => {
      const d = parseToml(t);
      return d.root !== undefined && d.problems.length === 0;
    },
  ],
  ["parseToml (this project), 1.0-strict", (t) => parseToml(t, { version: "1.0-strict" }).root !== undefined],
  ["toml-eslint-parser 1.0.3, tomlVersion 1.0", (t) => accepts(() => parseTOML(t, { tomlVersion: "1.0" }))],
  ["toml-eslint-parser 1.0.3, default (TOML 1.1)", (t) => accepts(() => parseTOML(t))],
  ["@iarna/toml 3.0.0", (t) => accepts(() => iarna.parse(t))],
  ["smol-toml 1.9.1", (t) => accepts(() => smol.parse(t))],
];

function accepts(fn) {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

const nValid = files.filter((x) => x.valid).length;
const nInvalid = files.length - nValid;
const rows = [];
for (const [name, accept] of parsers) {
  for (const mode of ["utf8 (lenient)", "utf8 (strict)"]) {
    let validOk = 0;
    let invalidOk = 0;
    for (const { valid, bytes } of files) {
      let text;
      if (mode === "utf8 (strict)") {
        try {
          text = strict.decode(bytes);
        } catch {
          if (!valid) invalidOk++; // undecodable bytes: rejected before any parser sees them
          continue;
        }
      } else text = bytes.toString("utf8");
      const ok = accept(text);
      if (valid && ok) validOk++;
      if (!valid && !ok) invalidOk++;
    }
    rows.push({
      parser: name,
      decoding: mode,
      "valid accepted": `${validOk}/${nValid}`,
      "invalid rejected": `${invalidOk}/${nInvalid}`,
    });
  }
}
console.log(`toml-test, files-toml-1.0.0: ${nValid} valid, ${nInvalid} invalid files`);
console.table(rows);
