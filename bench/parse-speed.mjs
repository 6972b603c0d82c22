// Parse time of ~1,000 wrangler configs (the shared corpus' configs replicated with varied names): this project's
// parseToml/parseJsonc (parser + conversion to the shared tree) against the bare parsers. One run, median of 7
// passes after a warm-up; prints times and ratios, asserts nothing. Needs the shared folder next to the repository.
// Run: node --import tsx bench/parse-speed.mjs
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { parseTOML } from "toml-eslint-parser";
import { parseTree, parse as parseJsoncValue } from "jsonc-parser";
import * as smol from "smol-toml";
import { parseToml } from "../server/src/core/parse/toml.ts";
import { parseJsonc } from "../server/src/core/parse/jsonc.ts";

const TARGET = 1000;
const PASSES = 7;

const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const corpus = resolve(repoRoot, "../shared/corpus");
if (!existsSync(corpus)) {
  console.error(`corpus not found at ${corpus} (the shared folder must sit next to the repository)`);
  process.exit(1);
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

// The corpus configs this project reads without errors (so every contender parses the same valid texts).
const seeds = [];
for (const f of walk(corpus)) {
  if (!/\/wrangler[^/]*\.(toml|json|jsonc)$/.test(f)) continue;
  const text = readFileSync(f, "utf8");
  const toml = f.endsWith(".toml");
  if (!(toml ? parseToml(text) : parseJsonc(text)).root) continue;
  seeds.push({ toml, text });
}

// Replicate with varied worker names (and a varied id-like value) so no two texts are the same.
const configs = [];
for (let i = 0; configs.length < TARGET; i++) {
  const { toml, text } = seeds[i % seeds.length];
  const n = String(i).padStart(4, "0");
  let t = toml
    ? text.replace(/^name\s*=\s*(["']).*?\1/m, `name = "worker-${n}"`)
    : text.replace(/"name"\s*:\s*"[^"]*"/, `"name": "worker-${n}"`);
  if (t === text) t = (toml ? `# copy ${n}\n` : `// copy ${n}\n`) + text;
  configs.push({ toml, text: t });
}
const tomlCount = configs.filter((c) => c.toml).length;
const bytes = configs.reduce((s, c) => s + c.text.length, 0);

const contenders = [
  ["this project: parseToml + parseJsonc (tree with spans)", (c) => (c.toml ? parseToml(c.text) : parseJsonc(c.text))],
  [
    "bare toml-eslint-parser + jsonc-parser parseTree",
    (c) => (c.toml ? parseTOML(c.text, { tomlVersion: "1.0" }) : parseTree(c.text, [], { allowTrailingComma: true })),
  ],
  [
    "smol-toml + jsonc-parser parse (plain values, no spans)",
    (c) => (c.toml ? smol.parse(c.text) : parseJsoncValue(c.text, [], { allowTrailingComma: true })),
  ],
];

function pass(fn) {
  const t0 = performance.now();
  for (const c of configs) {
    try {
      fn(c);
    } catch {
      // the bare parsers throw on the odd file; the time still counts
    }
  }
  return performance.now() - t0;
}

// Passes alternate between the contenders, so that a busy moment on the machine does not fall on one of them only.
const times = contenders.map(() => []);
contenders.forEach(([, fn]) => pass(fn)); // warm-up
for (let i = 0; i < PASSES; i++) contenders.forEach(([, fn], k) => times[k].push(pass(fn)));
const results = contenders.map(([name], k) => {
  const t = times[k].sort((a, b) => a - b);
  return { name, median: t[Math.floor(PASSES / 2)], min: t[0], max: t[PASSES - 1] };
});

console.log(
  `${configs.length} configs (${tomlCount} TOML, ${configs.length - tomlCount} JSON/JSONC) from ${seeds.length} corpus configs, ${(bytes / 1024).toFixed(0)} KiB; median of ${PASSES} passes`,
);
const base = results[0].median;
const baseMin = results[0].min; // on a busy machine the fastest pass is the steadier figure
console.table(
  results.map((r) => ({
    contender: r.name,
    "median ms": r.median.toFixed(1),
    "min–max ms": `${r.min.toFixed(1)}–${r.max.toFixed(1)}`,
    "µs per config": ((r.median * 1000) / configs.length).toFixed(1),
    "this project ÷ it (medians)": (base / r.median).toFixed(2),
    "this project ÷ it (fastest passes)": (baseMin / r.min).toFixed(2),
  })),
);
