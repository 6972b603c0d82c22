// The extension test suite (test/e2e/suite) in VS Code desktop through @vscode/test-electron. It downloads VS
// Code, so it is for machines with internet access (not CI here); VSCODE_EXECUTABLE points it at an installed
// VS Code instead. Build first (npm run build). Run: node --import tsx test/e2e/run-electron.ts
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import * as esbuild from "esbuild";
import { runTests } from "@vscode/test-electron";
import scenario from "./scenario.json";

const root = join(__dirname, "..", "..");

async function main(): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), "wtl-electron-"));
  try {
    const suite = join(scratch, "suite", "index.js");
    await esbuild.build({
      entryPoints: [join(root, "test/e2e/suite/index.ts")],
      outfile: suite,
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      external: ["vscode"],
      logLevel: "warning",
    });
    const ws = join(scratch, "ws");
    cpSync(join(root, scenario.fixture), ws, { recursive: true });
    await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      extensionDevelopmentPath: root,
      extensionTestsPath: suite,
      launchArgs: [ws, "--disable-extensions", "--disable-workspace-trust", "--skip-welcome", "--skip-release-notes"],
    });
    return 0;
  } catch (err) {
    console.error(`extension tests failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
