// Analysis of ~1,000 wrangler configs (the shared corpus' configs replicated with varied names) against a bare
// parse of the same texts. The budget (issue "Analysis core"): the full `minimal` analysis of every config and
// env at most twice the bare parse. One run, median of 5 passes after a warm-up; prints times and the ratio,
// asserts nothing. The core is bundled with esbuild first, as it ships. Run: node bench/analysis.mjs
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { parseTOML } from "toml-eslint-parser";
import { parseTree } from "jsonc-parser";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import * as esbuild from "esbuild";

const repoRootForBuild = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const bundle = join(tmpdir(), `wtl-bench-core-${process.pid}.cjs`);
await esbuild.build({
  stdin: {
    contents: `export { MemoryHost } from "./host"; export { analyzeMinimal } from "./minimal"; export { readConfigFile, environments } from "./model/wrangler";`,
    resolveDir: join(repoRootForBuild, "server/src/core"),
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "cjs",
  outfile: bundle,
  mainFields: ["module", "main"],
  logLevel: "warning",
});
const { MemoryHost, analyzeMinimal, readConfigFile, environments } = createRequire(import.meta.url)(bundle);

const TARGET = 1000;
const PASSES = 9;
const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const corpus = resolve(repoRoot, "../shared/corpus");
if (!existsSync(corpus)) {
  console.error(`corpus not found at ${corpus}`);
  process.exit(1);
}
const walk = (dir, out = []) => {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
};
const seeds = walk(corpus)
  .filter((f) => /\/wrangler[^/]*\.(toml|json|jsonc)$/.test(f))
  .map((f) => ({ ext: f.slice(f.lastIndexOf(".")), text: readFileSync(f, "utf8") }))
  .filter((s) => readConfigFile(`/x/wrangler${s.ext}`, s.text).root);

// Each pass gets its own texts (a pass number in a comment) so the content cache never answers for it.
function configsFor(pass) {
  const out = [];
  for (let i = 0; out.length < TARGET; i++) {
    const s = seeds[i % seeds.length];
    const comment = s.ext === ".toml" ? `# pass ${pass} copy ${i}\n` : `// pass ${pass} copy ${i}\n`;
    out.push({ path: `/ws/w${i}/wrangler${s.ext}`, ext: s.ext, text: comment + s.text });
  }
  return out;
}

function bare(configs) {
  for (const c of configs)
    c.ext === ".toml" ? parseTOML(c.text, { tomlVersion: "1.0" }) : parseTree(c.text, [], { allowTrailingComma: true });
}

function analysis(configs, everyEnv) {
  const host = new MemoryHost(new Map(configs.map((c) => [c.path, c.text])));
  let requirements = 0;
  for (const c of configs) {
    const file = readConfigFile(c.path, c.text);
    for (const env of everyEnv ? [undefined, ...environments(file)] : [undefined]) {
      const a = analyzeMinimal(host, {
        cwd: "/ws",
        path: c.path,
        env,
        command: "deploy",
        accountId: "0123456789abcdef0123456789abcdef",
      });
      if (!("error" in a)) requirements += a.requirements.length;
    }
  }
  return requirements;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};
bare(configsFor(-1));
analysis(configsFor(-2), true);
const bareTimes = [];
const oneTimes = [];
const everyTimes = [];
for (let p = 0; p < PASSES; p++) {
  const a = configsFor(p * 3);
  const b = configsFor(p * 3 + 1);
  const c = configsFor(p * 3 + 2);
  bareTimes.push(time(() => bare(a)));
  oneTimes.push(time(() => analysis(b, false)));
  everyTimes.push(time(() => analysis(c, true)));
}
const mb = median(bareTimes);
const mo = median(oneTimes);
const me = median(everyTimes);
console.log(`${TARGET} configs from ${seeds.length} corpus seeds, median of ${PASSES} passes`);
console.log(`bare parse (toml-eslint-parser / jsonc-parser):          ${mb.toFixed(1)} ms`);
console.log(
  `minimal analysis, \`deploy\` of each config:              ${mo.toFixed(1)} ms  (ratio ${(mo / mb).toFixed(2)}, budget 2.00)`,
);
console.log(
  `minimal analysis, \`deploy\` of each config and every env: ${me.toFixed(1)} ms  (ratio ${(me / mb).toFixed(2)})`,
);
