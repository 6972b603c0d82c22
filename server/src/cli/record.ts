// `wrangler-token-lint record [--upstream URL] [--config PATH] [--env NAME] [--existing] [--format text|json] -- <command …>`
//
// Runs a command (normally a wrangler command) with CLOUDFLARE_API_BASE_URL pointing at a recording proxy on
// 127.0.0.1, forwards every request to the real API (or --upstream), and afterwards prints the calls made,
// the permission groups each needs, the static prediction for the same config/env/command, and what the
// recording shows missing or extra. The API token passes through untouched: it is never printed or stored,
// and request bodies are not looked at. Only error answers (and /zones answers, to learn zone names) are read.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import { spawn } from "node:child_process";
import { gunzipSync, brotliDecompressSync, inflateSync } from "node:zlib";
import { templatePath, findWranglerArgs } from "../core/record/template.js";
import {
  compare,
  explainFailure,
  callLabel,
  type RecordedCall,
  type CallAuth,
  type Comparison,
  type PredictedRequirement,
} from "../core/record/compare.js";
import { parseWranglerCommand } from "../core/command.js";
import { analyzeMinimal } from "../core/minimal.js";
import { diskHost } from "../node/disk-host.js";

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
  command: string[];
}

const USAGE =
  "usage: wrangler-token-lint record [--upstream URL] [--config PATH] [--env NAME] [--existing] [--format text|json] -- <command …>";

export function parseRecordArgs(args: readonly string[], envVars: Record<string, string | undefined> = {}): RecordOptions | { error: string } {
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
      default:
        return { error: `record: unknown option ${a}\n${USAGE}` };
    }
  }
  return o;
}

// ---------------------------------------------------------------------------------------------------------
// The recording proxy

export interface RecordingProxy {
  /** The API base to give the command: http://127.0.0.1:PORT/client/v4 */
  url: string;
  /** Calls in the order they arrived; status and errors are filled in when the answer has been sent. */
  calls: RecordedCall[];
  /** Waits for answers still in flight, resolves zone names, and stops the proxy. */
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
]);

function authKind(h: IncomingHttpHeaders): CallAuth {
  const a = h.authorization;
  if (typeof a === "string" && a.trim()) {
    const v = a.replace(/^Bearer\s+/i, "").trim();
    // Cloudflare API tokens have no dots; the upload JWTs wrangler receives have three base64url parts.
    return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(v) ? "jwt" : "token";
  }
  if (h["x-auth-key"] || h["x-auth-user-service-key"]) return "key";
  return "none";
}

function decodeBody(buf: Buffer, encoding: string | undefined): string | undefined {
  try {
    const e = (encoding ?? "").toLowerCase();
    const raw = e === "gzip" ? gunzipSync(buf) : e === "br" ? brotliDecompressSync(buf) : e === "deflate" ? inflateSync(buf) : buf;
    return raw.toString("utf8");
  } catch {
    return undefined;
  }
}

const MAX_READ = 1 << 20;

export async function startRecordingProxy(upstream: string): Promise<RecordingProxy> {
  const up = new URL(upstream);
  const upPath = up.pathname.replace(/\/+$/, "");
  const calls: RecordedCall[] = [];
  const zoneNames = new Map<string, string>();
  const inFlight = new Set<Promise<void>>();
  let seq = 0;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let done!: () => void;
    const p = new Promise<void>((r) => (done = r));
    inFlight.add(p);
    p.then(() => inFlight.delete(p));

    const method = (req.method ?? "GET").toUpperCase();
    let rest = req.url ?? "/";
    if (rest.startsWith("/client/v4")) rest = rest.slice("/client/v4".length) || "/";
    const t = templatePath(rest);
    const call: RecordedCall = { seq: ++seq, method, path: t.path, query: t.query, auth: authKind(req.headers), status: 0, errors: [] };
    if (t.params.zone_id) call.zone = { id: t.params.zone_id };
    const listsZones = method === "GET" && t.path === "/zones";
    if (listsZones) {
      const name = new URLSearchParams(rest.split("?")[1] ?? "").get("name");
      if (name) call.zone = { name };
    }
    calls.push(call);

    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
    headers.host = up.host;
    const send = up.protocol === "https:" ? httpsRequest : httpRequest;
    const out = send(
      { protocol: up.protocol, hostname: up.hostname, port: up.port || undefined, method, path: upPath + rest, headers },
      (ures) => {
        call.status = ures.statusCode ?? 0;
        const rh: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(ures.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) rh[k] = v;
        res.writeHead(call.status, rh);
        const keep = call.status >= 400 || listsZones;
        const chunks: Buffer[] = [];
        let size = 0;
        ures.on("data", (c: Buffer) => {
          if (keep && size < MAX_READ) {
            chunks.push(c);
            size += c.length;
          }
          res.write(c);
        });
        ures.on("end", () => {
          res.end();
          if (keep) {
            const text = decodeBody(Buffer.concat(chunks), ures.headers["content-encoding"] as string | undefined);
            readAnswer(text, call, listsZones, zoneNames);
          }
          done();
        });
        ures.on("error", () => {
          res.destroy();
          done();
        });
      },
    );
    out.on("error", (e) => {
      call.status = 0;
      call.errors = [{ code: 0, message: `upstream unreachable: ${e.message}` }];
      if (!res.headersSent) {
        const body = JSON.stringify({ success: false, errors: [{ code: 0, message: `record: upstream unreachable: ${e.message}` }], messages: [], result: null });
        res.writeHead(502, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        res.end(body);
      } else res.destroy();
      done();
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/client/v4`,
    calls,
    async close() {
      await Promise.all([...inFlight]);
      for (const c of calls) {
        if (c.zone?.id && !c.zone.name && zoneNames.has(c.zone.id)) c.zone.name = zoneNames.get(c.zone.id);
        if (c.zone?.name && !c.zone.id) {
          const id = [...zoneNames].find(([, n]) => n === c.zone!.name)?.[0];
          if (id) c.zone.id = id;
        }
      }
      await new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}

function readAnswer(text: string | undefined, call: RecordedCall, listsZones: boolean, zoneNames: Map<string, string>): void {
  if (!text) return;
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    return;
  }
  const env = j as { errors?: unknown; result?: unknown };
  if (call.status >= 400 && Array.isArray(env.errors)) {
    call.errors = env.errors
      .filter((e): e is { code: unknown; message?: unknown } => typeof e === "object" && e !== null && "code" in e)
      .map((e) => ({ code: Number(e.code), message: typeof e.message === "string" ? e.message : "" }));
  }
  if (listsZones && Array.isArray(env.result)) {
    call.listed = env.result.length;
    for (const z of env.result as { id?: unknown; name?: unknown }[]) {
      if (typeof z?.id === "string" && typeof z?.name === "string") zoneNames.set(z.id, z.name);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Running the command

export interface RunResult {
  exitCode: number;
  signal?: string;
  /** Set when the command could not be started at all. */
  spawnError?: string;
  calls: RecordedCall[];
}

export async function runRecorded(
  command: readonly string[],
  o: {
    upstream: string;
    cwd?: string;
    env?: Record<string, string | undefined>;
    /** Text for the command's stdin; when absent stdin is inherited. */
    stdin?: string;
    onStdout: (s: string) => void;
    onStderr: (s: string) => void;
  },
): Promise<RunResult> {
  const proxy = await startRecordingProxy(o.upstream);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.env ?? process.env)) if (v !== undefined) env[k] = v;
  delete env.CF_API_BASE_URL;
  env.CLOUDFLARE_API_BASE_URL = proxy.url;
  const result = await new Promise<Omit<RunResult, "calls">>((resolve) => {
    const child = spawn(command[0]!, command.slice(1), {
      cwd: o.cwd,
      env,
      stdio: [o.stdin === undefined ? "inherit" : "pipe", "pipe", "pipe"],
    });
    child.stdout!.on("data", (c: Buffer) => o.onStdout(c.toString("utf8")));
    child.stderr!.on("data", (c: Buffer) => o.onStderr(c.toString("utf8")));
    if (o.stdin !== undefined) child.stdin!.end(o.stdin);
    child.on("error", (e) => resolve({ exitCode: 127, spawnError: e.message }));
    child.on("close", (code, signal) => resolve({ exitCode: code ?? 1, signal: signal ?? undefined }));
  });
  await proxy.close();
  return { ...result, calls: proxy.calls };
}

// ---------------------------------------------------------------------------------------------------------
// The command

/** The part of `minimal --format json` record mode reads. */
interface Prediction {
  requirements: (PredictedRequirement & { id?: string; confidence?: string })[];
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
  failure: { call: string; status: number; errors: { code: number; message: string }[]; needs: string[]; message: string } | null;
  notes: string[];
}

export type Predictor = (o: {
  cwd: string;
  path?: string;
  env?: string;
  command: string;
  resourcesExist: boolean;
  accountId?: string;
}) => Promise<Prediction | { error: string }>;

async function defaultPredictor(o: Parameters<Predictor>[0]): Promise<Prediction | { error: string }> {
  const a = analyzeMinimal(diskHost(), o);
  return "error" in a ? a : a.result;
}

/** Builds the report from a finished run (exported for tests and the oracle suite). */
export async function buildReport(
  opts: Pick<RecordOptions, "command" | "config" | "env" | "existing">,
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
    });
  } catch (e) {
    prediction = { error: `the static analysis failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  const token = "requirements" in prediction ? prediction.requirements : [];
  const cmp = compare(run.calls, token);
  const fail = run.exitCode !== 0 ? explainFailure(run.calls) : undefined;
  return {
    schemaVersion: 1,
    command: [...opts.command],
    wranglerArgs: wargs,
    exitCode: run.exitCode,
    calls: cmp.calls.map((v) => ({ ...v.call, needs: v.needs, verdict: v.verdict, coveredBy: v.coveredBy, detail: v.detail })),
    prediction,
    comparison: "requirements" in prediction ? { missing: cmp.missing, extra: cmp.extra, unknown: cmp.unknown } : null,
    failure: fail
      ? { call: callLabel(fail.call), status: fail.call.status, errors: fail.call.errors, needs: fail.needs, message: fail.message }
      : null,
    notes,
  };
}

export function formatReportText(r: RecordReport): string {
  const lines: string[] = [];
  const n = r.calls.length;
  lines.push(`Recorded ${n} Cloudflare API call${n === 1 ? "" : "s"} (${r.command.join(" ")} → exit code ${r.exitCode}):`);
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
          : c.needs.join(" | ");
    lines.push(`  ${String(c.seq).padStart(3)}. ${callLabel(c).padEnd(width)}  ${(status + codes).padEnd(12)} ${need}`);
  }
  if (n === 0) lines.push("  (none)");
  lines.push("");
  if ("error" in r.prediction) {
    lines.push(`Static prediction: not available (${r.prediction.error}).`);
  } else {
    lines.push(`Static prediction (wrangler ${r.wranglerArgs ? r.wranglerArgs.join(" ") : "deploy"}${r.prediction.env ? `, env ${String(r.prediction.env)}` : ""}):`);
    for (const q of r.prediction.requirements) {
      const res = q.resources.length ? `: ${q.resources.join(", ")}` : "";
      lines.push(`  ${q.group} (${q.scope}${res})`);
    }
    if (r.prediction.requirements.length === 0) lines.push("  (no permission groups)");
    const c = r.comparison!;
    lines.push("");
    lines.push("Recording vs. prediction:");
    const refused = r.calls.filter((x) => x.verdict === "refused-all-zones");
    if (c.missing.length === 0) lines.push("  covered: every recorded call is allowed by the predicted token.");
    for (const m of c.missing) lines.push(`  missing: ${m.group}, needed by ${m.calls.join(", ")}`);
    for (const x of refused) lines.push(`  refused as expected: ${callLabel(x)} (${x.detail})`);
    for (const e of c.extra) lines.push(`  extra: ${e} (no recorded call used it; it may be needed by a server-side check or another account state)`);
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
  const report = await buildReport(o, run, cwd, predictor, process.env.CLOUDFLARE_ACCOUNT_ID);
  if (json) io.stdout(JSON.stringify(report, null, 2) + "\n");
  else io.stdout("\n" + formatReportText(report));
  if (run.exitCode !== 0) return run.exitCode;
  return report.comparison && report.comparison.missing.length > 0 ? 1 : 0;
}
