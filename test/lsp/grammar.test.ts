// The TOML grammar: the committed JSON is what the generator writes, every pattern compiles, and the manifest
// points at files that exist. (How it colours is seen in the code-server screenshots.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { REPO } from "./harness";

const GRAMMAR = join(REPO, "syntaxes/toml.tmLanguage.json");

test("toml.tmLanguage.json is the generator's output", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "wtl-grammar-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, "toml.tmLanguage.json");
  const r = spawnSync(process.execPath, [join(REPO, "syntaxes/gen-toml-grammar.mjs")], {
    env: { ...process.env, GRAMMAR_OUT: out },
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(out, "utf8"), readFileSync(GRAMMAR, "utf8"));
});

test("every grammar pattern compiles and the key/value rule matches wrangler.toml lines", () => {
  const g = JSON.parse(readFileSync(GRAMMAR, "utf8")) as Record<string, unknown>;
  const found: string[] = [];
  (function walk(o: unknown): void {
    if (!o || typeof o !== "object") return;
    for (const [k, v] of Object.entries(o)) {
      if ((k === "match" || k === "begin" || k === "end") && typeof v === "string") found.push(v);
      else walk(v);
    }
  })(g);
  assert.ok(found.length > 20);
  for (const re of found) assert.doesNotThrow(() => new RegExp(re), re);
  const repo = g.repository as Record<string, { begin?: string; match?: string }>;
  const kv = new RegExp(repo.keyValue!.begin!);
  assert.deepEqual(kv.exec('compatibility_date = "2025-06-01"')?.[1], "compatibility_date");
  assert.deepEqual(kv.exec('env.production.vars = { A = "b" }')?.[1], "env.production.vars");
  assert.deepEqual(
    new RegExp(repo.arrayTable!.match!).exec("[[env.production.kv_namespaces]]")?.[2],
    "env.production.kv_namespaces",
  );
  assert.deepEqual(new RegExp(repo.table!.match!).exec('[env."my env"]')?.[2], 'env."my env"');
});

test("the manifest's languages and grammars point at files in the package", () => {
  const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
    contributes: {
      languages: { id: string; configuration?: string; filenames?: string[] }[];
      grammars: { language: string; path: string; scopeName: string }[];
    };
    icon: string;
  };
  for (const l of pkg.contributes.languages)
    if (l.configuration) assert.ok(existsSync(join(REPO, l.configuration)), l.configuration);
  for (const gr of pkg.contributes.grammars) assert.ok(existsSync(join(REPO, gr.path)), gr.path);
  assert.equal(JSON.parse(readFileSync(GRAMMAR, "utf8")).scopeName, pkg.contributes.grammars[0]!.scopeName);
  assert.ok(pkg.contributes.languages.find((l) => l.id === "toml")?.filenames?.includes("wrangler.toml"));
  assert.ok(existsSync(join(REPO, pkg.icon)));
});

test("the Terraform grammar: every pattern compiles, block headers, attributes and ignore comments are matched", () => {
  const g = JSON.parse(readFileSync(join(REPO, "syntaxes/terraform.tmLanguage.json"), "utf8")) as {
    scopeName: string;
    repository: Record<string, { match?: string; patterns?: { match?: string }[] }>;
  };
  const found: string[] = [];
  (function walk(o: unknown): void {
    if (!o || typeof o !== "object") return;
    for (const [k, v] of Object.entries(o)) {
      if ((k === "match" || k === "begin" || k === "end") && typeof v === "string") found.push(v);
      else walk(v);
    }
  })(g);
  assert.ok(found.length > 10);
  for (const re of found) assert.doesNotThrow(() => new RegExp(re), re);
  const header = new RegExp(g.repository.blockHeader!.match!);
  assert.equal(header.exec('resource "cloudflare_account_token" "deploy" {')?.[1], "resource");
  assert.equal(
    header.exec('resource "cloudflare_account_token" "deploy" {')?.[2]?.trim(),
    '"cloudflare_account_token" "deploy"',
  );
  assert.equal(header.exec("  policy {")?.[1], "policy");
  const attr = new RegExp(g.repository.attribute!.match!);
  assert.equal(attr.exec("  account_id = var.account_id")?.[1], "account_id");
  assert.equal(attr.exec("  a == b"), null);
  const ignore = new RegExp(g.repository.comments!.patterns![0]!.match!);
  assert.equal(ignore.exec("# wrangler-token-lint: ignore[unneeded-group]")?.[6], "unneeded-group");
  const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
    contributes: {
      languages: { id: string; extensions?: string[] }[];
      grammars: { language: string; scopeName: string }[];
    };
  };
  assert.ok(pkg.contributes.languages.find((l) => l.id === "terraform")?.extensions?.includes(".tf"));
  assert.equal(pkg.contributes.grammars.find((x) => x.language === "terraform")?.scopeName, g.scopeName);
});
