// Token definitions in a workspace: every Terraform module directory's *.tf files (read together, so secrets and
// locals in other files of the module are linked), and *.json files shaped like Cloudflare create-token bodies.
import { unreadable, type Host } from "../host.js";
import { Database } from "../db.js";
import { join, relative } from "../path.js";
import type { Problem } from "../problems.js";
import type { TokenDefinition } from "../model/token.js";
import type { HclParser } from "./hcl.js";
import { readTerraformDirectory } from "./terraform.js";
import type { TerraformFile } from "./terraform.js";
import { looksLikeTokenJson, readJsonTokens } from "./json.js";

export { traversalPath } from "./hcl.js";
export { createHclParser } from "./hcl-parser.js";
export type { HclParser, HclFile, HclBody, HclBlock, HclAttribute, HclExpr } from "./hcl.js";
export { readTerraformTokens, readTerraformDirectory, TOKEN_RESOURCE_TYPES } from "./terraform.js";
export type { TerraformFile, TerraformTokens } from "./terraform.js";
export { readJsonToken, readJsonTokens, looksLikeTokenJson } from "./json.js";

/** Files larger than this (in UTF-16 code units) are not read. */
export const MAX_TOKEN_FILE_SIZE = 1024 * 1024;

const SKIP_DIRS = new Set(["node_modules", ".git", ".terraform", ".wrangler", ".hg", ".svn"]);
const MAX_DEPTH = 24;
const MAX_DIRS = 20000;

export interface FindTokensOptions {
  /** Root-relative globs (`**`, `*`, `?`) limiting which .json files are considered; default: every .json file. */
  jsonGlobs?: string[];
}

export interface FoundTokens {
  tokens: TokenDefinition[];
  /** Problems reading the files (syntax errors, files too large, Terraform not readable), each with its file. */
  problems: (Problem & { file: string })[];
  /** Every file that was read for token definitions (for watching). */
  files: string[];
}

/**
 * Discovers token definitions under `root` (absolute). `parser` may be undefined when the HCL parser could not be
 * loaded: Terraform files then get one problem each instead of being read. Readings are kept in `db` per file
 * (JSON) or per module directory (Terraform) while their texts are the same.
 */
export function findTokenDefinitions(
  host: Host,
  root: string,
  parser: HclParser | undefined,
  opts: FindTokensOptions = {},
  db: Database = new Database({ once: true }),
): FoundTokens {
  const out: FoundTokens = { tokens: [], problems: [], files: [] };
  const globs = opts.jsonGlobs ?? [];
  // The folders and their candidate files (listings only), kept while no listing changed; then each file is read.
  const folders = db.tracked("token-files", `${root}\u0000${globs.join("\u0000")}`, host, [], (h) =>
    tokenFiles(h, root, globs),
  );
  for (const f of folders) {
    const tf: TerraformFile[] = [];
    let lock: TerraformFile | undefined;
    for (const { path: p, kind } of f.files) {
      const text = readCapped(host, p, out);
      if (text === undefined) continue;
      if (kind === "lock") lock = { path: p, text };
      else if (kind === "tf") tf.push({ path: p, text });
      else {
        const r = db.memo("token-json", p, [text], () =>
          looksLikeTokenJson(text) ? readJsonTokens(p, text) : undefined,
        );
        if (!r) continue;
        if (r.tokens.length === 0) {
          // Shaped like a token but broken where no body can be read (e.g. cut after `"permission_groups":`):
          // its syntax problems say why no token is read from it; a well-formed JSON of another shape says nothing.
          for (const pr of r.problems) out.problems.push({ ...pr, file: p });
          continue;
        }
        out.files.push(p);
        out.tokens.push(...r.tokens);
        for (const pr of r.problems) out.problems.push({ ...pr, file: p });
      }
    }
    if (tf.length && tf.some((x) => /\bcloudflare_(api|account)_token\b/.test(x.text))) {
      if (!parser) {
        for (const x of tf) {
          out.problems.push({
            code: "hcl-unavailable",
            severity: "warning",
            message: "Terraform files were not read: the HCL parser could not be loaded",
            span: { start: 0, end: 0 },
            file: x.path,
          });
        }
      } else {
        const inputs = [parser, ...[...tf, ...(lock ? [lock] : [])].flatMap((x) => [x.path, x.text])];
        const r = db.memo("terraform-module", f.dir, inputs, () => readTerraformDirectory(parser, tf, lock));
        out.files.push(...tf.map((x) => x.path), ...(lock ? [lock.path] : []));
        out.tokens.push(...r.tokens);
        out.problems.push(...r.problems);
      }
    }
  }
  return out;
}

interface TokenFolder {
  dir: string;
  /** In listing order: the lock file, *.tf files, and *.json / *.jsonc files the globs allow. */
  files: { path: string; kind: "lock" | "tf" | "json" }[];
}

/** The folders under root, in walk order (a folder before its subfolders), with the files that can hold tokens. */
function tokenFiles(host: Host, root: string, globList: string[]): TokenFolder[] {
  const globs = globList.length ? globList.map(globRegex) : undefined;
  const out: TokenFolder[] = [];
  let dirs = 0;
  const walk = (dir: string, depth: number) => {
    if (depth > MAX_DEPTH || ++dirs > MAX_DIRS) return;
    const entries = host.readDirectory(dir);
    const files: TokenFolder["files"] = [];
    for (const e of entries) {
      if (e.isDirectory) continue;
      const p = join(dir, e.name);
      const lower = e.name.toLowerCase();
      if (lower === ".terraform.lock.hcl") files.push({ path: p, kind: "lock" });
      else if (lower.endsWith(".tf")) files.push({ path: p, kind: "tf" });
      else if (
        (lower.endsWith(".json") || lower.endsWith(".jsonc")) &&
        (!globs || globs.some((re) => re.test(relative(root, p))))
      )
        files.push({ path: p, kind: "json" });
    }
    if (files.length) out.push({ dir, files });
    for (const e of entries) {
      if (e.isDirectory && !SKIP_DIRS.has(e.name)) walk(join(dir, e.name), depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

function readCapped(host: Host, path: string, out: FoundTokens): string | undefined {
  const text = host.readFile(path);
  if (text === undefined) {
    // A warning, as for files over MAX_TOKEN_FILE_SIZE: the file may hold no token at all.
    const why = unreadable(host, path);
    if (why) out.problems.push({ ...why, severity: "warning" });
    return undefined;
  }
  if (text.length > MAX_TOKEN_FILE_SIZE) {
    out.problems.push({
      code: "file-too-large",
      severity: "warning",
      message: `Not read for token definitions: the file is larger than ${MAX_TOKEN_FILE_SIZE / 1024} KiB`,
      span: { start: 0, end: 0 },
      file: path,
    });
    return undefined;
  }
  return text;
}

/** A root-relative glob as a regular expression: `**` any path, `*` within a segment, `?` one character. */
export function globRegex(glob: string): RegExp {
  let re = "";
  const g = glob.replace(/^\.\//, "");
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === "*" && g[i + 1] === "*") {
      if (g[i + 2] === "/") {
        re += "(?:.*/)?";
        i += 2;
      } else {
        re += ".*";
        i += 1;
      }
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
