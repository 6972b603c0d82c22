// The rings, by allow-list. The core (server/src/core) is pure analysis: it imports only the core and the parser
// and validation packages named below, and bundles for a neutral platform with no Node built-in left over. The
// client (client/src) imports only vscode, the language client and the server's protocol.ts; the adapters reach the
// core only through server/src/core/index.ts. Imports are read
// with the TypeScript compiler's syntax tree: import and export declarations, `import type`, `typeof import()`,
// dynamic import() and require().
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import * as esbuild from "esbuild";

const root = join(import.meta.dirname, "..", "..");
const coreDir = join(root, "server/src/core");
const clientDir = join(root, "client/src");

/** Packages the core may import: parsers of the config and token formats, and the options schema. */
const CORE_PACKAGES = new Set(["jsonc-parser", "toml-eslint-parser", "yaml", "zod"]);
/** Packages the core may name in types only: the adapter passes the loaded module in (tokens/hcl-parser.ts). */
const CORE_TYPE_ONLY_PACKAGES = new Set(["web-tree-sitter"]);
/** Packages the client may import. */
const CLIENT_PACKAGES = new Set(["vscode", "vscode-languageclient", "vscode-languageclient/node"]);
/** Server files the client may import: the protocol, and the token reader that runs in the extension host. */
const CLIENT_SERVER_FILES = new Set([
  "server/src/lsp/protocol.ts",
  // *Audit Live Token…* reads the token from Cloudflare in the extension host so that the reading token goes neither
  // to the language server nor to a log (docs/audit.md); the CLI's `audit` uses the same reader.
  "server/src/node/token-api.ts",
  // *Review Token Permission Changes…* picks the base and lists its files from what VS Code's git extension answers,
  // in the extension host; the pure rules for that live in the core's review folder, imported by the client alone.
  "server/src/core/review/editor-base.ts",
  // The document selector (client/src/selector.ts) and the config picker name the files the server reads from
  // the one list of them, a small pure module with no import but core/path.ts.
  "server/src/core/files.ts",
]);

/** Adapter files that import core modules directly. The client bundles the token reader: through the core's index
 * it would carry the whole core into the extension (about 400 kB), for two small pure modules. */
const DIRECT_CORE_IMPORTS = new Map<string, string[]>([
  ["server/src/node/token-api.ts", ["server/src/core/audit/errors.ts", "server/src/core/audit/live.ts"]],
]);

/** Imports outside the allow-list that another change is moving (file → specifier), with its issue. */
const CLIENT_PENDING = new Map<string, string>([]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

interface ImportRef {
  spec: string;
  typeOnly: boolean;
}

/** Every module a source file names, and whether only types come from it. */
function importsOf(file: string, text = readFileSync(file, "utf8")): ImportRef[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: ImportRef[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const c = n.importClause;
      const namedTypes =
        c?.namedBindings &&
        ts.isNamedImports(c.namedBindings) &&
        !c.name &&
        c.namedBindings.elements.length > 0 &&
        c.namedBindings.elements.every((e) => e.isTypeOnly);
      out.push({ spec: n.moduleSpecifier.text, typeOnly: !!c && (c.isTypeOnly || !!namedTypes) });
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      out.push({ spec: n.moduleSpecifier.text, typeOnly: n.isTypeOnly });
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      out.push({ spec: n.argument.literal.text, typeOnly: true });
    } else if (ts.isCallExpression(n) && n.arguments.length >= 1 && ts.isStringLiteralLike(n.arguments[0]!)) {
      const dynamic = n.expression.kind === ts.SyntaxKind.ImportKeyword;
      const req = ts.isIdentifier(n.expression) && n.expression.text === "require";
      if (dynamic || req) out.push({ spec: (n.arguments[0] as ts.StringLiteralLike).text, typeOnly: false });
    } else if (
      ts.isImportEqualsDeclaration(n) &&
      ts.isExternalModuleReference(n.moduleReference) &&
      ts.isStringLiteral(n.moduleReference.expression)
    ) {
      out.push({ spec: n.moduleReference.expression.text, typeOnly: n.isTypeOnly });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** The repository-relative .ts file a relative specifier names (`./x.js`, `../x`), or undefined for a package. */
function target(file: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const p = relative(root, resolve(dirname(file), spec)).replace(/\.(js|ts)$/, "");
  return `${p}.ts`;
}

function packageName(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

test("the core imports only the core and its named parser and validation packages", () => {
  const bad: string[] = [];
  for (const f of sources(coreDir)) {
    for (const { spec, typeOnly } of importsOf(f)) {
      const t = target(f, spec);
      const where = `${relative(root, f)} imports ${spec}`;
      if (t !== undefined) {
        if (!t.startsWith("server/src/core/")) bad.push(`${where} (outside the core)`);
      } else if (CORE_TYPE_ONLY_PACKAGES.has(packageName(spec))) {
        if (!typeOnly) bad.push(`${where} (types only)`);
      } else if (!CORE_PACKAGES.has(packageName(spec))) bad.push(where);
    }
  }
  assert.deepEqual(bad, []);
});

test("the client imports only vscode, the language client and the server's protocol", () => {
  const bad: string[] = [];
  const pending = new Set(CLIENT_PENDING.keys());
  for (const f of sources(clientDir)) {
    for (const { spec } of importsOf(f)) {
      const t = target(f, spec);
      const where = `${relative(root, f)} imports ${spec}`;
      if (CLIENT_PENDING.get(relative(root, f)) === spec) pending.delete(relative(root, f));
      else if (t !== undefined) {
        if (!t.startsWith("client/src/") && !CLIENT_SERVER_FILES.has(t)) bad.push(where);
      } else if (!CLIENT_PACKAGES.has(spec)) bad.push(where);
    }
  }
  assert.deepEqual(bad, []);
  assert.deepEqual([...pending], [], "pending imports that are gone: remove them from CLIENT_PENDING");
});

test("the adapters (lsp, cli, node and the entry files) import the core only through server/src/core/index.ts", () => {
  const adapters = [
    ...sources(join(root, "server/src/lsp")),
    ...sources(join(root, "server/src/cli")),
    ...sources(join(root, "server/src/node")),
    join(root, "server/src/server.ts"),
    join(root, "server/src/cli.ts"),
  ];
  const bad: string[] = [];
  for (const f of adapters) {
    for (const { spec } of importsOf(f)) {
      const t = target(f, spec);
      if (!t?.startsWith("server/src/core/") || t === "server/src/core/index.ts") continue;
      if (DIRECT_CORE_IMPORTS.get(relative(root, f))?.includes(t)) continue;
      bad.push(`${relative(root, f)} imports ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
});

test("the server's protocol has no runtime import (the client bundles it)", () => {
  const runtime = importsOf(join(root, "server/src/lsp/protocol.ts")).filter((i) => !i.typeOnly);
  assert.deepEqual(runtime, []);
});

test("the import reader sees every form of import", () => {
  const text = [
    `import a from "pkg-a";`,
    `import type { B } from "pkg-b";`,
    `import { type C, type D } from "pkg-c";`,
    `import { type E, f } from "pkg-e";`,
    `export * from "pkg-f";`,
    `export type { G } from "pkg-g";`,
    `type H = typeof import("pkg-h");`,
    `const i = await import("pkg-i");`,
    `const j = require("pkg-j");`,
  ].join("\n");
  assert.deepEqual(importsOf("sample.ts", text), [
    { spec: "pkg-a", typeOnly: false },
    { spec: "pkg-b", typeOnly: true },
    { spec: "pkg-c", typeOnly: true },
    { spec: "pkg-e", typeOnly: false },
    { spec: "pkg-f", typeOnly: false },
    { spec: "pkg-g", typeOnly: true },
    { spec: "pkg-h", typeOnly: true },
    { spec: "pkg-i", typeOnly: false },
    { spec: "pkg-j", typeOnly: false },
  ]);
});

test("the core bundles for a neutral platform (no Node built-ins reachable)", async () => {
  const entry = sources(coreDir)
    .map((f) => `export * as m${Math.abs(hash(f))} from ${JSON.stringify(f)};`)
    .join("\n");
  const result = await esbuild
    .build({
      stdin: { contents: entry, resolveDir: coreDir, loader: "ts" },
      bundle: true,
      write: false,
      platform: "neutral",
      format: "esm",
      mainFields: ["module", "main"],
      logLevel: "silent",
      metafile: true,
    })
    .catch((e: { errors?: { text: string }[] }) => ({ errors: e.errors ?? [{ text: String(e) }] }));
  const errors = "errors" in result ? result.errors.map((e) => e.text) : [];
  assert.deepEqual(errors, []);
});

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}
