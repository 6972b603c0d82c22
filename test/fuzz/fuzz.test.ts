// The short fuzz run (the long one is `npm run fuzz`, bench/fuzz.mjs): mutated corpus files and test fixtures,
// and generated TOML / JSON / JSONC / YAML / HCL / token JSON, each dropped into a small valid workspace and
// analysed whole (test/fuzz/cases.ts): nothing throws, no rule fails, every range lies inside its file.
// Inputs that once failed stay as regression fixtures in test/fixtures/fuzz/ (`<id>.<kind>.txt`, byte for byte).
// The seed is fixed so the run is the same everywhere; FUZZ_SEED=<n> explores others, FUZZ_RUNS=<n> scales it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { nodeHclParser } from "../../server/src/node/hcl-wasm.js";
import { generated, mutatedSeed, REGRESSIONS, regressionKind, seeds, violations, type FuzzInput } from "./cases.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);

function holds(hcl: Awaited<ReturnType<typeof nodeHclParser>>) {
  return (input: FuzzInput) => {
    const v = violations(input, hcl);
    if (v.length) throw new Error(`${input.kind} from ${input.origin}: ${v.join("; ")}`);
  };
}

test("the seeds: corpus files and fixtures of every kind", () => {
  const all = seeds();
  const kinds = new Set(all.map((s) => s.kind));
  for (const k of ["toml", "json", "jsonc", "workflow", "gitlab", "hcl", "token-json"])
    assert.ok(kinds.has(k as FuzzInput["kind"]), `no ${k} seed`);
  assert.ok(all.some((s) => s.origin.startsWith("..")) || all.length > 400, "the corpus is missing");
});

test("regression inputs (test/fixtures/fuzz) keep the property", async () => {
  const hcl = await nodeHclParser();
  const names = existsSync(REGRESSIONS)
    ? readdirSync(REGRESSIONS)
        .filter((n) => regressionKind(n))
        .sort()
    : [];
  for (const name of names) {
    const input: FuzzInput = {
      kind: regressionKind(name)!,
      text: readFileSync(join(REGRESSIONS, name), "utf8"),
      origin: `test/fixtures/fuzz/${name}`,
    };
    assert.deepEqual(violations(input, hcl), [], name);
  }
});

test(`mutated corpus files and fixtures (${Math.round(RUNS * 0.6)} cases)`, async () => {
  const hcl = await nodeHclParser();
  fc.assert(fc.property(mutatedSeed(seeds()), holds(hcl)), { numRuns: Math.round(RUNS * 0.6), seed: SEED });
});

test(`generated TOML, JSON, JSONC, YAML, HCL and token JSON (${Math.round(RUNS * 0.4)} cases)`, async () => {
  const hcl = await nodeHclParser();
  fc.assert(fc.property(generated(), holds(hcl)), { numRuns: Math.round(RUNS * 0.4), seed: SEED + 1 });
});
