// The editor side of the audit is declared as promised: the command is disabled in Restricted Mode (command
// enablement and the extension's limited untrusted-workspace support), the API base is a machine setting a
// workspace cannot set (and is restricted), and the reading token is only ever read from SecretStorage or a
// password prompt in the extension host, never sent to the language server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  contributes: {
    commands: { command: string; title: string; enablement?: string }[];
    configuration: { properties: Record<string, { scope?: string }> };
  };
  capabilities: { untrustedWorkspaces: { supported: boolean | string; restrictedConfigurations?: string[] } };
};

test("Audit Live Token is disabled in Restricted Mode; its API base is machine-scoped and restricted", () => {
  const audit = pkg.contributes.commands.find((c) => c.command === "wranglerTokenLint.auditLiveToken");
  assert.equal(audit?.title, "Audit Live Token…");
  assert.equal(audit?.enablement, "isWorkspaceTrusted");
  assert.ok(pkg.contributes.commands.some((c) => c.command === "wranglerTokenLint.forgetReadingToken"));
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, "limited");
  assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, [
    "wranglerTokenLint.audit.apiBaseUrl",
  ]);
  assert.equal(pkg.contributes.configuration.properties["wranglerTokenLint.audit.apiBaseUrl"]?.scope, "machine");
});

test("the client keeps the reading token in the extension host: SecretStorage, a password prompt, the API request", () => {
  const src = readFileSync(join(root, "client", "src", "commands", "audit.ts"), "utf8");
  assert.match(src, /context\.secrets\.store\(READING_TOKEN_KEY/);
  assert.match(src, /password: true/);
  assert.match(src, /if \(!vscode\.workspace\.isTrusted\)/);
  // What goes to the server: the token object the API returned and where it lives, never the reading token.
  const sent =
    /serverCommand<AuditResult>\(client, SERVER_COMMANDS\.auditLiveToken, \{([\s\S]*?)\}\);/.exec(src)?.[1] ?? "";
  assert.deepEqual(
    sent
      .split(",")
      .map((l) => l.trim().split(":")[0])
      .filter(Boolean),
    ["folder", "token", "owner", "accountId", "secret", "requests"],
  );
  assert.match(sent, /token: got\.result/);
});
