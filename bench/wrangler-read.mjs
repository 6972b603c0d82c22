// wrangler's own config reader over the same configs: `unstable_readConfig({ config })` for each wrangler config
// of the workspace (its top-level environment), nothing else. Runs under the Node 22 that wrangler needs.
// Process mode: node bench/wrangler-read.mjs WRANGLER_PACKAGE_DIR DIR
// In-process mode: node bench/wrangler-read.mjs WRANGLER_PACKAGE_DIR DIR --warm WARM_DIR   (prints {"ms": …})
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { listFiles } from "./workspace-files.mjs";

const [pkg, dir, flag, warm] = process.argv.slice(2);
const { unstable_readConfig } = createRequire(import.meta.url)(pkg);

function readAll(root) {
  let bindings = 0;
  for (const config of listFiles(root).configs) {
    const c = unstable_readConfig({ config }, { hideWarnings: true });
    bindings += c.kv_namespaces.length;
  }
  return bindings;
}

if (flag === "--warm") {
  readAll(warm);
  const t0 = performance.now();
  const kv = readAll(dir);
  console.log(JSON.stringify({ ms: performance.now() - t0, kv }));
} else readAll(dir);
