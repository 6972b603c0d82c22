// This project's whole-workspace analysis in-process (what `check` runs between reading its arguments and
// printing): analyzeWorkspace over the disk, with the Terraform reader. Needs the bundle bench.mjs builds.
// Usage: node bench/analyse.mjs BUNDLE DIR --warm WARM_DIR   (analyses WARM_DIR first, then prints {"ms": …} for DIR)
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const [bundle, dir, , warm] = process.argv.slice(2);
const { analyzeWorkspace, diskHost, nodeHclParser } = createRequire(import.meta.url)(bundle);
const hcl = await nodeHclParser();
const run = (root) => analyzeWorkspace(diskHost(), root, { today: "2026-12-01" }, { hcl });
if (warm) run(warm);
const t0 = performance.now();
const ws = run(dir);
console.log(JSON.stringify({ ms: performance.now() - t0, ...ws.summary, findings: ws.findings.length }));
