// wrangler 4.164's new config keys (facts-2026-12.md "wrangler and its neighbours") are known: no unknown-key
// warning for k2, analytics, workflows' concurrency / default_retention / jurisdiction, migrations'
// transferred_classes, containers' images and observability.issues; a k2 binding says its permission is unknown.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readConfigFile, resolveConfig } from "../../server/src/core/model/wrangler.js";

const TOML = `name = "events"
main = "src/index.ts"
compatibility_date = "2026-11-01"

[[k2]]
binding = "EVENTS"
stream = "clickstream"

[analytics]
binding = "SQL"

[[workflows]]
name = "ingest"
binding = "INGEST"
class_name = "Ingest"
concurrency = 10
default_retention = "7d"
jurisdiction = "eu"

[[migrations]]
tag = "v2"
transferred_classes = [{ from = "Counter", from_script = "old-counter", to = "Counter" }]

[[containers]]
class_name = "Builder"
image = "./Dockerfile"
images = ["./Dockerfile", "./Dockerfile.tools"]

[observability]
enabled = true
issues = { enabled = true }

[env.staging]
name = "events-staging"
[[env.staging.k2]]
binding = "EVENTS"
stream = "clickstream-staging"
`;

test("wrangler 4.164 keys raise no unknown-key warning; k2 gets a low-confidence permission note", () => {
  const f = readConfigFile("wrangler.toml", TOML);
  assert.deepEqual(
    f.problems.filter((p) => p.code === "unknown-key" || p.code === "wrong-type").map((p) => p.message),
    [],
  );
  const notes = f.problems.filter((p) => p.code === "k2-permission-unknown");
  assert.equal(notes.length, 2, "one note per k2 key: the top level's and [env.staging]'s");
  for (const n of notes) {
    assert.equal(n.severity, "info");
    assert.match(n.message, /no K2 permission group is in the catalog \(low confidence\)/);
    assert.match(TOML.slice(n.span.start, n.span.end), /(^|\.)k2$/);
  }
});

test("k2 and analytics are bindings: an environment does not inherit them", () => {
  const f = readConfigFile(
    "wrangler.toml",
    TOML.replace(/\[env\.staging\][\s\S]*$/, '[env.prod]\nname = "events-prod"\n'),
  );
  const prod = resolveConfig(f, "prod");
  assert.equal(prod.get("k2"), undefined);
  assert.equal(prod.get("analytics"), undefined);
  assert.ok(resolveConfig(f, null).get("k2"));
});

test("a k2 value of the wrong shape is refused as wrangler's validation does", () => {
  const f = readConfigFile("wrangler.json", '{ "name": "x", "k2": { "binding": "E", "stream": "s" } }');
  assert.ok(f.problems.some((p) => p.code === "wrong-type" && /"k2" must be an array of tables/.test(p.message)));
});
