// The long fuzz run's worker process (bench/fuzz.mjs forks it with a heap limit, so running out of memory ends
// only this process): analyses one input at a time through the property of test/fuzz/cases.ts and answers with
// what broke, the time the analysis took and this process's memory.
import { performance } from "node:perf_hooks";
import cases from "../test/fuzz/cases.ts"; // CommonJS under tsx: its exports arrive as the default
import hclWasm from "../server/src/node/hcl-wasm.ts";

const hcl = await hclWasm.nodeHclParser();
process.send({ ready: true });
process.on("message", ({ id, input }) => {
  const t0 = performance.now();
  const violations = cases.violations(input, hcl);
  const ms = performance.now() - t0;
  const m = process.memoryUsage();
  process.send({ id, violations, ms, rss: m.rss, heap: m.heapUsed });
});
