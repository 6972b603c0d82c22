// The review's judgements on in-memory snapshots (the core only, no git): what counts as new access in a token,
// how tokens and deploys are paired after a move or rename, and what the review says it cannot tell.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MemoryHost } from "../../server/src/core/host.js";
import { reviewSnapshots } from "../../server/src/core/review/review.js";
import type { Review } from "../../server/src/core/review/model.js";
import { nodeHclParser } from "../../server/src/node/hcl-wasm.js";
import { renderReviewMarkdown } from "../../server/src/core/review/render.js";

const TOP = "/repo";
const ACCT = "0123456789abcdef0123456789abcdef";
const G = {
  scripts: `{ "id": "e086da7e2179491d91ee5f35b3ca210a", "name": "Workers Scripts Write" }`,
  kvWrite: `{ "name": "Workers KV Storage Write" }`,
  kvRead: `{ "name": "Workers KV Storage Read" }`,
  dnsWrite: `{ "name": "DNS Write" }`,
};

const snap = (label: string, files: Record<string, string>) => ({
  label,
  host: new MemoryHost(new Map(Object.entries(files).map(([k, v]) => [`${TOP}/${k}`, v]))),
});
const review = (base: Record<string, string>, head: Record<string, string>): Promise<Review> =>
  reviewSnapshots(snap("base", base), snap("head", head), TOP, { today: "2026-12-01" });

function token(
  name: string,
  policies: { effect?: string; groups: string[]; resources: Record<string, string> }[],
): string {
  const ps = policies.map(
    (p) =>
      `{ "effect": "${p.effect ?? "allow"}", "permission_groups": [${p.groups.join(", ")}], "resources": ${JSON.stringify(p.resources)} }`,
  );
  return `{\n  "name": "${name}",\n  "policies": [\n    ${ps.join(",\n    ")}\n  ]\n}\n`;
}

const onAccount = { [`com.cloudflare.api.account.${ACCT}`]: "*" };
const allAccounts = { "com.cloudflare.api.account.*": "*" };

test("narrowing all accounts to one, or Write to Read, is not new access; the reverse is", async () => {
  const wide = { "tokens/ci.json": token("ci", [{ groups: [G.scripts, G.kvWrite], resources: allAccounts }]) };
  const narrow = { "tokens/ci.json": token("ci", [{ groups: [G.scripts, G.kvRead], resources: onAccount }]) };
  const narrowing = await review(wide, narrow);
  assert.equal(narrowing.fails, false);
  const [t] = narrowing.tokens;
  assert.equal(t!.widened, false);
  assert.deepEqual(
    t!.added.map((g) => `${g.group} ${g.widens}`),
    ["Workers Scripts Write false", "Workers KV Storage Read false"],
  );
  assert.deepEqual(
    t!.removed.map((g) => g.group),
    ["Workers Scripts Write", "Workers KV Storage Write"],
  );
  const widening = await review(narrow, wide);
  assert.equal(widening.fails, true);
  assert.equal(widening.tokens[0]!.widened, true);
  assert.deepEqual(
    widening.tokens[0]!.added.filter((g) => g.widens).map((g) => `${g.group} on ${g.resource}`),
    [
      "Workers Scripts Write on com.cloudflare.api.account.*",
      "Workers KV Storage Write on com.cloudflare.api.account.*",
    ],
  );
  assert.match(
    widening.reasons[0]!,
    /^token "ci" grants Workers Scripts: Edit on com\.cloudflare\.api\.account\.\*, .* that base did not$/,
  );
});

test("a deny policy taken away is new access; a new token is new access; a removed one is not", async () => {
  const zones = { "com.cloudflare.api.account.zone.*": "*" };
  const zoneA = { "com.cloudflare.api.account.zone.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": "*" };
  const withDeny = {
    "tokens/dns.json": token("dns", [
      { groups: [G.dnsWrite], resources: zones },
      { effect: "deny", groups: [G.dnsWrite], resources: zoneA },
    ]),
  };
  const withoutDeny = { "tokens/dns.json": token("dns", [{ groups: [G.dnsWrite], resources: zones }]) };
  const r = await review(withDeny, withoutDeny);
  assert.equal(r.tokens[0]!.widened, true);
  assert.deepEqual(
    r.tokens[0]!.removed.map((g) => `${g.effect} ${g.group}`),
    ["deny DNS Write"],
  );
  assert.match(r.reasons[0]!, /no longer denies DNS: Edit on com\.cloudflare\.api\.account\.zone\.a{32}/);
  const added = await review({}, withoutDeny);
  assert.deepEqual([added.tokens[0]!.status, added.tokens[0]!.widened, added.fails], ["added", true, true]);
  const removed = await review(withoutDeny, {});
  assert.deepEqual([removed.tokens[0]!.status, removed.tokens[0]!.widened, removed.fails], ["removed", false, false]);
});

test("a resource written with a variable covers only the same text, and the review says it cannot tell", async () => {
  const hcl = await nodeHclParser();
  const tf = (resource: string) => ({
    "infra/t.tf": `resource "cloudflare_account_token" "ci" {\n  account_id = var.account_id\n  name = "ci"\n  policies = [{\n    effect = "allow"\n    permission_groups = [{ id = "e086da7e2179491d91ee5f35b3ca210a" }]\n    resources = jsonencode({ "${resource}" = "*" })\n  }]\n}\n`,
  });
  const run = (a: string, b: string) =>
    reviewSnapshots(snap("base", tf(a)), snap("head", tf(b)), TOP, { today: "2026-12-01" }, { hcl });
  const variable = "com.cloudflare.api.account.${var.account_id}";
  assert.deepEqual((await run(variable, variable)).tokens, []);
  const r = await run(`com.cloudflare.api.account.${ACCT}`, variable);
  assert.equal(r.tokens[0]!.widened, true);
  assert.match(
    r.tokens[0]!.unknowns[0]!,
    /is written with a variable, so whether Workers Scripts: Edit grants more than before is not known: counted as new access/,
  );
});

test("tokens are followed when moved (same name) and when renamed in place (only token of its file)", async () => {
  const body = token("ci", [{ groups: [G.scripts], resources: onAccount }]);
  const moved = await review({ "tokens/ci.json": body }, { "infra/ci.json": body });
  assert.deepEqual(
    moved.tokens.map((t) => [t.status, t.matchedBy, t.file.base, t.file.head, t.widened]),
    [["changed", "same name", "tokens/ci.json", "infra/ci.json", false]],
  );
  const renamed = await review(
    { "tokens/ci.json": body },
    { "tokens/ci.json": body.replace('"name": "ci"', '"name": "deploy"') },
  );
  assert.deepEqual(
    renamed.tokens.map((t) => [t.matchedBy, t.name, t.added.length, t.removed.length]),
    [["only token in the file", '"deploy"', 0, 0]],
  );
  assert.equal(renamed.fails, false);
});

const CONFIG = `name = "api"\nmain = "src/index.js"\ncompatibility_date = "2025-06-01"\naccount_id = "${ACCT}"\n`;
const D1 = `\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "orders"\n`;

test("a config no workflow deploys is a deploy of its own; moved to another folder it is the same Worker", async () => {
  const r = await review({ "apps/api/wrangler.toml": CONFIG }, { "services/api/wrangler.toml": CONFIG + D1 });
  assert.equal(r.deploys.length, 1);
  const [d] = r.deploys;
  assert.deepEqual(
    [d!.kind, d!.status, d!.matchedBy, d!.config.base, d!.config.head],
    ["config", "changed", "same Worker", "apps/api/wrangler.toml", "services/api/wrangler.toml"],
  );
  assert.deepEqual(
    d!.groupsAdded.map((g) => [g.group, g.causes[0]!.file, g.causes[0]!.line, g.causes[0]!.side]),
    [["D1 Write", "services/api/wrangler.toml", 6, "head"]],
  );
  assert.equal(r.fails, false, "no token is linked to a config alone: nothing is said to lack");
});

const WORKFLOW = (secret: string) =>
  `on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - name: Deploy\n        uses: cloudflare/wrangler-action@v3\n        with:\n          apiToken: \${{ secrets.${secret} }}\n`;

test("what the review cannot tell it says: an unlinked secret, an analysis that fails in head", async () => {
  const base = { "wrangler.toml": CONFIG, ".github/workflows/deploy.yml": WORKFLOW("CF_TOKEN") };
  const r = await review(base, { ...base, "wrangler.toml": CONFIG + D1 });
  assert.deepEqual(r.deploys[0]!.unknowns, [
    "no token definition in the repository is linked to the secret CF_TOKEN, so whether it grants the added groups is not known (link one with tokenSecrets)",
  ]);
  assert.equal(r.fails, false);
  const broken = await review(base, { ...base, "wrangler.toml": CONFIG + "[[d1_databases]\n" });
  const d = broken.deploys[0]!;
  assert.equal(d.groupsRemoved.length, 0, "a failed analysis removes nothing");
  assert.match(d.unknowns[0]!, /^in head the analysis failed, so what it needs now is not known: wrangler\.toml:5:/);
  assert.ok(
    broken.findings.new.some((f) => f.file === "wrangler.toml" && f.severity === "error"),
    "the syntax error is a new finding",
  );
});

test("Markdown lists at most 50 findings per table and says how many more (a PR comment holds 65,536 characters)", async () => {
  const head: Record<string, string> = {};
  for (let i = 0; i < 60; i++)
    head[`tokens/t${String(i).padStart(2, "0")}.json`] = token(`t${i}`, [
      { groups: [G.scripts], resources: onAccount },
    ]);
  const r = await review({}, head);
  assert.ok(r.findings.new.length > 50);
  const md = renderReviewMarkdown(r);
  const table = md.slice(md.indexOf("### Findings new on this branch"));
  assert.equal(table.split("\n").filter((l) => /^\| (🔴|🟠|🔵) \|/.test(l)).length, 50);
  assert.match(
    table,
    new RegExp(`… and ${r.findings.new.length - 50} more \\(see \`--format json\` or \`--format sarif\`\\)`),
  );
  assert.ok(md.length < 65536, `${md.length} characters`);
});
