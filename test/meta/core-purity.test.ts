// The core is pure analysis: no vscode, no LSP, no file system, no network, no processes. Two checks: every
// import in server/src/core names an allowed module, and the whole core bundles for a neutral platform with
// no Node built-in left over.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import * as esbuild from "esbuild";

const root = join(import.meta.dirname, "..", "..");
const coreDir = join(root, "server/src/core");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

const FORBIDDEN = /^(vscode|vscode-languageserver.*|vscode-languageclient.*|vscode-jsonrpc.*|node:.*|fs|fs\/.*|path|child_process|net|http|https|os|worker_threads|dgram|tls|url|process)$/;

test("core files import no editor, LSP or Node I/O module", () => {
  const bad: string[] = [];
  for (const f of files(coreDir)) {
    const text = readFileSync(f, "utf8");
    for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)/g)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (FORBIDDEN.test(spec)) bad.push(`${relative(root, f)} imports ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
});

test("the core bundles for a neutral platform (no Node built-ins reachable)", async () => {
  const entry = files(coreDir).map((f) => `export * as m${Math.abs(hash(f))} from ${JSON.stringify(f)};`).join("\n");
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: coreDir, loader: "ts" },
    bundle: true,
    write: false,
    platform: "neutral",
    format: "esm",
    mainFields: ["module", "main"],
    logLevel: "silent",
    metafile: true,
  }).catch((e: { errors?: { text: string }[] }) => ({ errors: e.errors ?? [{ text: String(e) }] }));
  const errors = "errors" in result ? result.errors.map((e) => e.text) : [];
  assert.deepEqual(errors, []);
});

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}
