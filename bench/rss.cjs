// Preloaded (node --require) into every process the benchmark times: on exit, writes the process' peak resident
// memory (KB) and CPU time (user + system, ms) as JSON to the file named by WTL_BENCH_RSS. Costs the same in each.
process.on("exit", () => {
  if (!process.env.WTL_BENCH_RSS) return;
  const u = process.resourceUsage();
  require("node:fs").writeFileSync(
    process.env.WTL_BENCH_RSS,
    JSON.stringify({ maxRSS: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }),
  );
});
