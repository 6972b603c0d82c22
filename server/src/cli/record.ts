// `wrangler-token-lint record [--upstream URL] [--config PATH] [--env NAME] [--existing] [--owner account|user] [--format text|json] -- <command …>`
//
// Runs a command (normally a wrangler command) with CLOUDFLARE_API_BASE_URL pointing at a recording proxy on
// 127.0.0.1, forwards every request to the real API (or --upstream), and afterwards prints the calls made,
// the permission groups each needs, the static prediction for the same config/env/command, and what the
// recording shows missing or extra, judged with the fallbacks wrangler takes (permissions/fallback.ts). The
// proxy is in record-proxy.ts; the API token passes through it untouched, never printed or stored.
import { findWranglerArgs } from "../core/index.js";
import { runRecorded, type RunResult } from "./record-proxy.js";
import {
  compare,
  explainFailure,
  callLabel,
  type RecordedCall,
  type Comparison,
  type PredictedRequirement,
} from "../core/index.js";
import { commandText, parseWranglerCommand } from "../core/index.js";
import { analyzeMinimal } from "../core/index.js";
import { diskHost } from "../node/disk-host.js";
import type { Owner } from "../core/index.js";
import { envAccountId } from "./minimal.js";

export { startRecordingProxy, runRecorded, type RecordingProxy, type RunResult } from "./record-proxy.js";

export const DEFAULT_UPSTREAM = "https://api.cloudflare.com/client/v4";

export interface RecordIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Directory the command runs in and the prediction resolves paths against; default process.cwd(). */
  cwd?: string;
}

export interface RecordOptions {
  upstream: string;
  config?: string;
  env?: string;
  existing: boolean;
  format: "text" | "json";
  /** Who will own the token the recording is compared with (default account, as `minimal` predicts it). */
  owner?: Owner;
  command: string[];
}

const USAGE =
  "usage: wrangler-token-lint record [--upstream URL] [--config PATH] [--env NAME] [--existing] [--owner account|user] [--format text|json] -- <command …>";

export function parseRecordArgs(
  args: readonly string[],
  envVars: Record<string, string | undefined> = {},
): RecordOptions | { error: string } {
  const dd = args.indexOf("--");
  const own = dd >= 0 ? args.slice(0, dd) : [];
  const command = dd >= 0 ? args.slice(dd + 1) : [...args];
  if (dd < 0) {
    // Without "--", everything that is not one of our options is the command.
    return { error: `record: put the command after "--"\n${USAGE}` };
  }
  if (command.length === 0) return { error: `record: no command given after "--"\n${USAGE}` };
  const o: RecordOptions = {
    upstream: envVars.CLOUDFLARE_API_BASE_URL || envVars.CF_API_BASE_URL || DEFAULT_UPSTREAM,
    existing: false,
    format: "text",
    command,
  };
  for (let i = 0; i < own.length; i++) {
    const a = own[i]!;
    const eq = a.indexOf("=");
    const name = eq >= 0 ? a.slice(0, eq) : a;
    const takeValue = (): string | undefined => (eq >= 0 ? a.slice(eq + 1) : own[++i]);
    switch (name) {
      case "--upstream": {
        const v = takeValue();
        if (!v || !/^https?:\/\//.test(v)) return { error: `record: --upstream needs an http(s) URL\n${USAGE}` };
        o.upstream = v;
        break;
      }
      case "--config":
      case "-c": {
        const v = takeValue();
        if (!v) return { error: `record: --config needs a path\n${USAGE}` };
        o.config = v;
        break;
      }
      case "--env":
      case "-e": {
        const v = takeValue();
        if (!v) return { error: `record: --env needs a name\n${USAGE}` };
        o.env = v;
        break;
      }
      case "--format": {
        const v = takeValue();
        if (v !== "text" && v !== "json") return { error: `record: --format must be text or json\n${USAGE}` };
        o.format = v;
        break;
      }
      case "--existing":
        o.existing = true;
        break;
      case "--owner": {
        const v = takeValue();
        if (v !== "account" && v !== "user") return { error: `record: --owner must be account or user\n${USAGE}` };
        o.owner = v;
        break;
      }
      default:
        return { error: `record: unknown option ${a}\n${USAGE}` };
    }
  }
  return o;
}

// ---------------------------------------------------------------------------------------------------------
// The command

/** The part of `minimal --format json` record mode reads. */
interface Prediction {
  requirements: (PredictedRequirement & { id?: string; confidence?: string })[];
  /** Who owns the predicted token (`minimal` writes it; older predictions without it are account-owned). */
  owner?: Owner;
  notes?: string[];
  config?: unknown;
  env?: unknown;
  command?: unknown;
}

export interface RecordReport {
  schemaVersion: 1;
  command: string[];
  wranglerArgs: string[] | null;
  exitCode: number;
  calls: (RecordedCall & { needs: string[]; verdict: string; coveredBy: string[]; detail?: string })[];
  prediction: Prediction | { error: string };
  comparison: Omit<Comparison, "calls"> | null;
  failure: {
    call: string;
    status: number;
    errors: { code: number; message: string }[];
    needs: string[];
    message: string;
  } | null;
  notes: string[];
}

export type Predictor = (o: {
  cwd: string;
  path?: string;
  env?: string;
  command: string;
  resourcesExist: boolean;
  accountId?: string;
  owner: Owner;
}) => Promise<Prediction | { error: string }>;

async function defaultPredictor(o: Parameters<Predictor>[0]): Promise<Prediction | { error: string }> {
  const a = analyzeMinimal(diskHost(), o);
  return "error" in a ? a : a.result;
}

/** Builds the report from a finished run (exported for tests and the oracle suite). */
export async function buildReport(
  opts: Pick<RecordOptions, "command" | "config" | "env" | "existing" | "owner">,
  run: RunResult,
  cwd: string,
  predictor: Predictor = defaultPredictor,
  /** CLOUDFLARE_ACCOUNT_ID as the command saw it: with it, wrangler makes no account lookup. */
  accountId?: string,
): Promise<RecordReport> {
  const notes: string[] = [];
  const wargs = findWranglerArgs(opts.command) ?? null;
  const wcmd = wargs ? wargs.join(" ") : "deploy";
  if (!wargs) notes.push(`The command does not name wrangler directly; the prediction assumes "wrangler deploy".`);
  const parsed = parseWranglerCommand(wargs ?? ["deploy"]);
  if (run.spawnError) notes.push(`The command could not be started: ${run.spawnError}`);
  let prediction: Prediction | { error: string };
  try {
    prediction = await predictor({
      cwd,
      path: opts.config ?? parsed.config,
      env: opts.env ?? parsed.env,
      command: wcmd,
      resourcesExist: opts.existing,
      accountId: accountId || undefined,
      owner: opts.owner ?? "account",
    });
  } catch (e) {
    prediction = { error: `the static analysis failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  const token = "requirements" in prediction ? prediction.requirements : [];
  const owner: Owner = ("requirements" in prediction ? prediction.owner : undefined) ?? opts.owner ?? "account";
  const cmp = compare(run.calls, token, { owner });
  const fail = run.exitCode !== 0 ? explainFailure(run.calls) : undefined;
  return {
    schemaVersion: 1,
    command: [...opts.command],
    wranglerArgs: wargs,
    exitCode: run.exitCode,
    calls: cmp.calls.map((v) => ({
      ...v.call,
      needs: v.needs,
      verdict: v.verdict,
      coveredBy: v.coveredBy,
      detail: v.detail,
    })),
    prediction,
    comparison: "requirements" in prediction ? { missing: cmp.missing, extra: cmp.extra, unknown: cmp.unknown } : null,
    failure: fail
      ? {
          call: callLabel(fail.call),
          status: fail.call.status,
          errors: fail.call.errors,
          needs: fail.needs,
          message: fail.message,
        }
      : null,
    notes,
  };
}

export function formatReportText(r: RecordReport): string {
  const lines: string[] = [];
  const n = r.calls.length;
  lines.push(
    `Recorded ${n} Cloudflare API call${n === 1 ? "" : "s"} (${commandText(r.command)} → exit code ${r.exitCode}):`,
  );
  const width = Math.max(0, ...r.calls.map((c) => callLabel(c).length));
  for (const c of r.calls) {
    const status = c.status === 0 ? "ERR" : String(c.status);
    const codes = c.errors.length ? ` [${c.errors.map((e) => e.code).join(",")}]` : "";
    const need =
      c.verdict === "no-permission-needed"
        ? c.auth === "jwt" || c.detail?.includes("JWT")
          ? "upload JWT, no token permission"
          : "no permission needed"
        : c.verdict === "unknown-endpoint"
          ? "? endpoint not in the catalog"
          : c.verdict === "covered" && c.needs.length === 0
            ? (c.detail ?? "")
            : c.needs.join(" | ");
    lines.push(`  ${String(c.seq).padStart(3)}. ${callLabel(c).padEnd(width)}  ${(status + codes).padEnd(12)} ${need}`);
  }
  if (n === 0) lines.push("  (none)");
  lines.push("");
  if ("error" in r.prediction) {
    lines.push(`Static prediction: not available (${r.prediction.error}).`);
  } else {
    const owned = `${r.prediction.owner ?? "account"}-owned token`;
    lines.push(
      `Static prediction (wrangler ${r.wranglerArgs ? r.wranglerArgs.join(" ") : "deploy"}${r.prediction.env ? `, env ${String(r.prediction.env)}` : ""}, ${owned}):`,
    );
    for (const q of r.prediction.requirements) {
      const res = q.resources.length ? `: ${q.resources.join(", ")}` : "";
      lines.push(`  ${q.group} (${q.scope}${res})`);
    }
    if (r.prediction.requirements.length === 0) lines.push("  (no permission groups)");
    const c = r.comparison!;
    lines.push("");
    lines.push("Recording vs. prediction:");
    const refused = r.calls.filter((x) => x.verdict === "refused-all-zones");
    const tolerated = r.calls.filter((y) => y.verdict === "tolerated");
    if (c.missing.length === 0)
      lines.push(
        `  covered: every recorded call is allowed by the predicted token${refused.length || tolerated.length ? ", or wrangler gets past its refusal as below" : ""}.`,
      );
    for (const m of c.missing) lines.push(`  missing: ${m.group}, needed by ${m.calls.join(", ")}`);
    for (const x of refused) lines.push(`  refused as expected: ${callLabel(x)} (${x.detail})`);
    for (const x of tolerated) lines.push(`  tolerated: ${callLabel(x)} (${x.detail})`);
    for (const e of c.extra)
      lines.push(
        `  extra: ${e} (no recorded call used it; it may be needed by a server-side check or another account state)`,
      );
    for (const u of c.unknown) lines.push(`  unknown: ${u} is not in the endpoint catalog; what it needs is not known`);
  }
  if (r.failure) {
    lines.push("");
    lines.push(`The command failed. ${r.failure.message}`);
  }
  for (const note of r.notes) lines.push(`Note: ${note}`);
  return lines.join("\n") + "\n";
}

export async function recordCommand(args: string[], io: RecordIo, predictor?: Predictor): Promise<number> {
  const o = parseRecordArgs(args, process.env);
  if ("error" in o) {
    io.stderr(o.error + "\n");
    return 2;
  }
  const json = o.format === "json";
  const cwd = io.cwd ?? process.cwd();
  const run = await runRecorded(o.command, {
    upstream: o.upstream,
    cwd,
    // With --format json the command's own output goes to stderr, so stdout holds only the report.
    onStdout: json ? io.stderr : io.stdout,
    onStderr: io.stderr,
  });
  const report = await buildReport(o, run, cwd, predictor, envAccountId(process.env));
  if (json) io.stdout(JSON.stringify(report, null, 2) + "\n");
  else io.stdout("\n" + formatReportText(report));
  return recordExitCode(report);
}

/** The command's own exit code when it failed; else 1 when the prediction misses a group the recording needs. */
export function recordExitCode(report: RecordReport): number {
  if (report.exitCode !== 0) return report.exitCode;
  return report.comparison && report.comparison.missing.length > 0 ? 1 : 0;
}
