// The per-Worker groups (data/worker-script-groups.json): validated, found by name, and the calls they allow —
// calls on the Worker's own resource; not routes, custom domains or account-level calls (facts-2026-12.md
// "Per-Worker API tokens"; developers.cloudflare.com/workers/authorization/workers/).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  roleAllowsCall,
  scriptLevelCall,
  workerRole,
  workerRoles,
} from "../../server/src/core/permissions/worker-roles.js";
import { catalog } from "../../server/src/core/permissions/catalog.js";

test("the four Individual Workers groups load with a source and a confidence, and none shadows a catalog group", () => {
  const roles = workerRoles();
  assert.deepEqual(
    roles.map((r) => r.name),
    [
      "Individual Workers Admin",
      "Individual Workers Editor",
      "Individual Workers Content Read-Only",
      "Individual Workers Metadata Read-Only",
    ],
  );
  for (const r of roles) {
    assert.ok(r.source.length > 20 && r.confidence === "medium", r.name);
    assert.equal(catalog().lookup(r.name), undefined, `${r.name} is not an id-keyed catalog group`);
  }
  assert.equal(workerRole("individual workers editor")?.name, "Individual Workers Editor");
  assert.equal(workerRole("Workers Scripts Write"), undefined);
});

test("script-level calls: the Worker's own paths, not its routes or domains, not account-level ones", () => {
  assert.ok(scriptLevelCall("PUT /accounts/{account_id}/workers/scripts/{script_name}"));
  assert.ok(scriptLevelCall("PATCH /accounts/{account_id}/workers/scripts/{script_name}/secrets-bulk"));
  assert.ok(scriptLevelCall("GET /accounts/{account_id}/workers/services/{script_name}"));
  assert.ok(!scriptLevelCall("PUT /accounts/{account_id}/workers/scripts/{script_name}/routes"));
  assert.ok(!scriptLevelCall("POST /accounts/{account_id}/workers/scripts/{script_name}/domains/changeset"));
  assert.ok(!scriptLevelCall("PUT /accounts/{account_id}/workers/domains"));
  assert.ok(!scriptLevelCall("GET /accounts/{account_id}/workers/subdomain"));
  assert.ok(!scriptLevelCall("GET /accounts/{account_id}/workers/scripts"));
});

test("what each role allows: Editor deploys but does not delete; read-only roles only read", () => {
  const [admin, editor, content, metadata] = workerRoles();
  const put = "PUT /accounts/{account_id}/workers/scripts/{script_name}";
  const del = "DELETE /accounts/{account_id}/workers/scripts/{script_name}";
  const code = "GET /accounts/{account_id}/workers/scripts/{script_name}/content";
  const settings = "GET /accounts/{account_id}/workers/scripts/{script_name}/settings";
  assert.deepEqual(
    [admin, editor, content, metadata].map((r) => roleAllowsCall(r!, put)),
    [true, true, false, false],
  );
  assert.deepEqual(
    [admin, editor, content, metadata].map((r) => roleAllowsCall(r!, del)),
    [true, false, false, false],
  );
  assert.deepEqual(
    [admin, editor, content, metadata].map((r) => roleAllowsCall(r!, code)),
    [true, true, true, false],
  );
  assert.deepEqual(
    [admin, editor, content, metadata].map((r) => roleAllowsCall(r!, settings)),
    [true, true, true, true],
  );
});
