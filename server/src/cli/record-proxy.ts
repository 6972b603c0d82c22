// The recording proxy of `wrangler-token-lint record`: a server on 127.0.0.1 that forwards every request to the
// upstream API and records its method, path template, status and Cloudflare error codes, and the runner that
// starts a command with CLOUDFLARE_API_BASE_URL pointing at it. The API token passes through untouched: it is
// never printed or stored, and request bodies are not looked at. Only error answers (and /zones answers, to
// learn zone names) are read.
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
  type IncomingHttpHeaders,
} from "node:http";
import { request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import { spawn } from "node:child_process";
import { gunzipSync, brotliDecompressSync, inflateSync } from "node:zlib";
import { templatePath } from "../core/index.js";
import type { CallAuth, RecordedCall } from "../core/index.js";

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
    const raw =
      e === "gzip"
        ? gunzipSync(buf)
        : e === "br"
          ? brotliDecompressSync(buf)
          : e === "deflate"
            ? inflateSync(buf)
            : buf;
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

    const { call, method, rest, listsZones } = describeRequest(req, ++seq);
    calls.push(call);

    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
    headers.host = up.host;
    const send = up.protocol === "https:" ? httpsRequest : httpRequest;
    const out = send(
      {
        protocol: up.protocol,
        hostname: up.hostname,
        port: up.port || undefined,
        method,
        path: upPath + rest,
        headers,
      },
      (ures) => relayAnswer(ures, res, call, listsZones, zoneNames, done),
    );
    out.on("error", (e) => {
      call.status = 0;
      call.errors = [{ code: 0, message: `upstream unreachable: ${e.message}` }];
      if (!res.headersSent) {
        const body = JSON.stringify({
          success: false,
          errors: [{ code: 0, message: `record: upstream unreachable: ${e.message}` }],
          messages: [],
          result: null,
        });
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
      completeZones(calls, zoneNames);
      await new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}

/** The call as recorded: method, templated path, auth kind and the zone it names (by id, or by name in a lookup). */
function describeRequest(
  req: IncomingMessage,
  seq: number,
): { call: RecordedCall; method: string; rest: string; listsZones: boolean } {
  const method = (req.method ?? "GET").toUpperCase();
  let rest = req.url ?? "/";
  if (rest.startsWith("/client/v4")) rest = rest.slice("/client/v4".length) || "/";
  const t = templatePath(rest);
  const call: RecordedCall = {
    seq,
    method,
    path: t.path,
    query: t.query,
    auth: authKind(req.headers),
    status: 0,
    errors: [],
  };
  if (t.params.zone_id) call.zone = { id: t.params.zone_id };
  const listsZones = method === "GET" && t.path === "/zones";
  if (listsZones) {
    const name = new URLSearchParams(rest.split("?")[1] ?? "").get("name");
    if (name) call.zone = { name };
  }
  return { call, method, rest, listsZones };
}

/** Streams the upstream answer back; keeps the body of errors and zone lookups to read their codes and zones. */
function relayAnswer(
  ures: IncomingMessage,
  res: ServerResponse,
  call: RecordedCall,
  listsZones: boolean,
  zoneNames: Map<string, string>,
  done: () => void,
): void {
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
}

/** Gives each call that names a zone by id its name, and by name its id, from the zones the answers listed. */
function completeZones(calls: RecordedCall[], zoneNames: Map<string, string>): void {
  for (const c of calls) {
    if (c.zone?.id && !c.zone.name && zoneNames.has(c.zone.id)) c.zone.name = zoneNames.get(c.zone.id);
    if (c.zone?.name && !c.zone.id) {
      const id = [...zoneNames].find(([, n]) => n === c.zone!.name)?.[0];
      if (id) c.zone.id = id;
    }
  }
}

function readAnswer(
  text: string | undefined,
  call: RecordedCall,
  listsZones: boolean,
  zoneNames: Map<string, string>,
): void {
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
