// Piped output is complete: the CLI sets the exit code and lets stdout drain instead of calling process.exit()
// right after writing (which cut a pipe at 64 KiB). A generated workspace whose SARIF log is far above that is
// checked through the BUILT CLI with stdout in a shell pipe, and compared byte for byte with a redirected run.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "wrangler-token-lint.js");
const dir = mkdtempSync(join(tmpdir(), "wtl-pipe-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Workers, each with a D1 binding and a token definition without expiry or IP condition (findings for each). */
function generate(count: number): void {
  for (let i = 0; i < count; i++) {
    const w = join(dir, `worker-${i}`);
    mkdirSync(w);
    writeFileSync(
      join(w, "wrangler.toml"),
      `name = "api-${i}"\nmain = "src/index.js"\ncompatibility_date = "2025-06-01"\naccount_id = "0123456789abcdef0123456789abcdef"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "orders-${i}"\n`,
    );
    writeFileSync(
      join(w, "cloudflare-api-token.json"),
      JSON.stringify(
        {
          name: `api deploy ${i}`,
          policies: [
            {
              effect: "allow",
              permission_groups: [{ id: "e086da7e2179491d91ee5f35b3ca210a", name: "Workers Scripts Write" }],
              resources: { "com.cloudflare.api.account.0123456789abcdef0123456789abcdef": "*" },
            },
          ],
        },
        null,
        2,
      ),
    );
  }
}

/**
 * stdout into a real OS pipe (a shell pipeline; Node's own child pipes are socket pairs, which do not show the cut)
 * whose reader starts late, so the 64 KiB pipe buffer fills and the CLI must wait for it to drain.
 */
function runPiped(args: string[]): Promise<{ out: Buffer }> {
  return new Promise((resolve, reject) => {
    const script = '"$0" "$@" | { sleep 1; cat; }';
    const child = spawn("sh", ["-c", script, process.execPath, bin, ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const parts: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => parts.push(b));
    child.on("error", reject);
    child.on("close", () => resolve({ out: Buffer.concat(parts) }));
  });
}

/** The same command with stdout redirected to a file, as the issue compared it. */
function runToFile(args: string[], file: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const fd = openSync(file, "w");
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ["ignore", fd, "pipe"] });
    child.on("error", reject);
    child.on("close", (code) => {
      closeSync(fd);
      resolve(code);
    });
  });
}

generate(150);

for (const format of ["sarif", "json"]) {
  test(`--format ${format} piped to a late reader arrives whole and parses`, async () => {
    const args = ["check", dir, "--format", format, "--today", "2026-11-23", "--fail-on", "info"];
    const piped = await runPiped(args);
    const file = join(dir, `out.${format}`);
    const fileCode = await runToFile(args, file);
    const written = readFileSync(file);
    assert.ok(piped.out.length > 65536, `the output is above 64 KiB (${piped.out.length} bytes)`);
    assert.equal(piped.out.length, written.length, "piped and redirected outputs have the same length");
    assert.ok(piped.out.equals(written), "and the same bytes");
    const parsed = JSON.parse(piped.out.toString("utf8"));
    const count = format === "sarif" ? parsed.runs[0].results.length : parsed.findings.length;
    assert.ok(count >= 150, `one finding per Worker at least (${count})`);
    assert.equal(fileCode, 1, "--fail-on info: the findings still set exit code 1");
  });
}
