// Preloaded with `node --require` (NODE_OPTIONS) into a CLI or language-server process by
// test/meta/no-network.test.ts: every entry point that opens a socket or starts a process throws, and each
// attempt is appended to the file named by WTL_TRAP_LOG (so an attempt the code catches is still seen).
"use strict";
const fs = require("node:fs");

const log = process.env.WTL_TRAP_LOG;
function trap(what) {
  return function trapped() {
    const line = `${process.pid} ${what} ${new Error().stack.split("\n").slice(2, 6).join(" | ")}\n`;
    if (log) fs.appendFileSync(log, line);
    throw new Error(`wrangler-token-lint test trap: ${what} is not allowed here`);
  };
}
function replace(mod, name, names) {
  const m = require(mod);
  for (const n of names) if (typeof m[n] === "function") m[n] = trap(`${name}.${n}`);
}

replace("node:net", "net", ["connect", "createConnection", "createServer"]);
require("node:net").Socket.prototype.connect = trap("net.Socket.connect");
replace("node:tls", "tls", ["connect", "createServer", "createSecureContext"]);
replace("node:http", "http", ["request", "get", "createServer"]);
replace("node:https", "https", ["request", "get", "createServer"]);
replace("node:http2", "http2", ["connect", "createServer", "createSecureServer"]);
replace("node:dgram", "dgram", ["createSocket"]);
replace("node:dns", "dns", ["lookup", "resolve", "resolve4", "resolve6", "resolveAny"]);
replace("node:child_process", "child_process", [
  "spawn",
  "spawnSync",
  "exec",
  "execSync",
  "execFile",
  "execFileSync",
  "fork",
]);
for (const g of ["fetch", "WebSocket", "EventSource"]) if (typeof globalThis[g] === "function") globalThis[g] = trap(g);
