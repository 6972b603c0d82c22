// Preloaded (node --require) into every process the benchmark times: on exit, writes the process' peak resident
// memory in KB to the file named by WTL_BENCH_RSS. Costs the same in each process.
process.on("exit", () => {
  if (process.env.WTL_BENCH_RSS) require("node:fs").writeFileSync(process.env.WTL_BENCH_RSS, String(process.resourceUsage().maxRSS));
});
