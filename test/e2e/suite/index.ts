// Extension tests in the exports.run format (what --extensionTestsPath loads): run inside code-server's
// remote extension host by test/e2e/ext-host.cjs, and inside VS Code desktop by test/e2e/run-electron.ts.
// Bundled by esbuild (vscode external); each test logs "ok"/"not ok" and any failure fails the run.
import * as vscode from "vscode";
import scenario from "../scenario.json";
import { startTokenMock } from "../../mock/token-mock";
import { ACCOUNT, ALL_SECRET_VALUES, IDS, MOCK_READERS, MOCK_TOKENS, READERS } from "../../mock/token-scenario";

const EXTENSION_ID = "wrangler-token-lint.wrangler-token-lint";

interface ViewNode {
  id: string;
  label: string;
  kind: string;
  children?: ViewNode[];
}

interface Api {
  ready(): Promise<void>;
  lastAudit(): { token: { id: string } } | undefined;
  hasReadingToken(): Promise<boolean>;
  viewSections(): Promise<{ id: string; nodes: ViewNode[] }[]>;
  viewSelection(): string[];
}

function api(): Api {
  return vscode.extensions.getExtension<Api>(EXTENSION_ID)!.exports;
}

async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>, ms = 30000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

function fileUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  check(folder, "no workspace folder open");
  return vscode.Uri.joinPath(folder.uri, scenario.file);
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === "wrangler-token-lint");
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return typeof c === "object" && c !== null ? String(c.value) : c === undefined ? undefined : String(c);
}

const tests: [string, () => Promise<void>][] = [
  [
    "the extension activates and the server publishes the finding",
    async () => {
      const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
      check(ext, `extension ${EXTENSION_ID} not found`);
      const doc = await vscode.workspace.openTextDocument(fileUri());
      await vscode.window.showTextDocument(doc);
      const api = await ext.activate();
      await api.ready();
      const d = await until("diagnostic", () => ours(doc.uri).find((x) => codeOf(x) === scenario.rule));
      check(d.range.start.line === scenario.line, `finding on line ${d.range.start.line}, expected ${scenario.line}`);
      const link = typeof d.code === "object" ? d.code.target.toString() : "";
      check(link.startsWith("file:") && link.endsWith(`/docs/rules/${scenario.rule}.md`), `docs link ${link}`);
      const page = await vscode.workspace.fs.readFile(vscode.Uri.parse(link));
      check(
        new TextDecoder().decode(page).startsWith(`# ${scenario.rule}`),
        "the rule page is installed with the extension",
      );
    },
  ],
  [
    "hover explains the finding",
    async () => {
      const uri = fileUri();
      const d = await until("diagnostic", () => ours(uri).find((x) => codeOf(x) === scenario.rule));
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        "vscode.executeHoverProvider",
        uri,
        d.range.start,
      );
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === "string" ? c : c.value))).join("\n");
      check(text.includes(scenario.hover), `hover text: ${text}`);
    },
  ],
  [
    "the quick fix changes the document as expected",
    async () => {
      const uri = fileUri();
      const doc = await vscode.workspace.openTextDocument(uri);
      const d = await until("diagnostic", () => ours(uri).find((x) => codeOf(x) === scenario.rule));
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        "vscode.executeCodeActionProvider",
        uri,
        d.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((a) => a.title.startsWith(scenario.quickFix));
      check(fix?.edit, `no quick fix "${scenario.quickFix}" among: ${actions.map((a) => a.title).join(" | ")}`);
      const before = doc.getText();
      check(await vscode.workspace.applyEdit(fix.edit), "applyEdit refused");
      check(doc.getText().includes(scenario.afterFix), `text after fix:\n${doc.getText()}`);
      // Put the file back so later tests (and a re-run) start from the fixture text.
      const all = new vscode.WorkspaceEdit();
      all.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), before);
      await vscode.workspace.applyEdit(all);
    },
  ],
  [
    "Generate Minimal Token with preset answers opens the token in an untitled editor",
    async () => {
      const folder = vscode.workspace.workspaceFolders![0]!.uri;
      const doc = await vscode.commands.executeCommand<vscode.TextDocument | undefined>(
        "wranglerTokenLint.generateMinimalToken",
        {
          config: vscode.Uri.joinPath(folder, scenario.generate.config).toString(),
          env: scenario.generate.env,
          command: "deploy",
          format: scenario.generate.format,
        },
      );
      check(doc, "no document opened");
      check(doc.isUntitled, "result is not an untitled document");
      check(
        doc.uri.path.endsWith("minimal-token.json") && doc.languageId === "json",
        `document ${doc.uri.toString()} (${doc.languageId})`,
      );
      check(doc.getText().includes(scenario.generate.expect), `generated text:\n${doc.getText()}`);
      const tf = await vscode.commands.executeCommand<vscode.TextDocument | undefined>(
        "wranglerTokenLint.generateMinimalToken",
        {
          config: vscode.Uri.joinPath(folder, scenario.generate.config).toString(),
          env: scenario.generate.env,
          command: "deploy",
          format: "terraform",
        },
      );
      check(
        tf && tf.uri.path.endsWith("minimal-token.tf") && tf.languageId === "terraform",
        `terraform document ${tf?.uri.toString()} (${tf?.languageId})`,
      );
      check(tf.getText().includes('resource "cloudflare_account_token"'), tf.getText());
    },
  ],
  [
    "Generate Minimal Token for a CI job covers every command of the job",
    async () => {
      const doc = await vscode.commands.executeCommand<vscode.TextDocument | undefined>(
        "wranglerTokenLint.generateMinimalToken",
        { job: "deploy.yml › deploy", format: "api" },
      );
      check(doc && doc.uri.path.endsWith(".json"), "no document");
      const body = JSON.parse(doc.getText()) as { name: string; policies: { permission_groups: { name: string }[] }[] };
      check(body.name === "deploy.yml deploy (minimal)", body.name);
      check(
        body.policies.some((p) => p.permission_groups.some((g) => g.name === "Workers Scripts Write")),
        doc.getText(),
      );
    },
  ],
  [
    "inlay hints name each group id and mark the unneeded one",
    async () => {
      const uri = fileUri();
      const doc = await vscode.workspace.openTextDocument(uri);
      const hints = await until("inlay hints", async () => {
        const h = await vscode.commands.executeCommand<vscode.InlayHint[]>(
          "vscode.executeInlayHintProvider",
          uri,
          new vscode.Range(0, 0, doc.lineCount, 0),
        );
        return h.length ? h : undefined;
      });
      const labels = hints.map((h) => (typeof h.label === "string" ? h.label : h.label.map((p) => p.value).join("")));
      check(
        labels.includes("Workers Scripts Write") && labels.includes("Workers Tail Read · unneeded"),
        labels.join(" | "),
      );
    },
  ],
  [
    "the Token Permissions view lists deploys and tokens; the code lens and Show Required Permissions reveal nodes",
    async () => {
      const sections = await until("view sections", async () => {
        const s = await api().viewSections();
        return s.find((x) => x.id === "tokens")?.nodes.length ? s : undefined;
      });
      check(
        sections
          .map((x) => x.id)
          .join(",")
          .startsWith("deploys,tokens"),
        sections.map((x) => x.id).join(","),
      );
      const deploy = sections[0]!.nodes[0]!;
      check(deploy.label.startsWith("deploy.yml › deploy"), deploy.label);
      check(
        deploy.children?.some((g) => g.label === "Workers Scripts Write" && g.children?.length),
        JSON.stringify(deploy.children?.map((g) => g.label)),
      );
      const token = sections[1]!.nodes[0]!;
      check(
        token.children?.some((g) => g.label === "Workers Tail Read" && g.kind === "unneeded"),
        JSON.stringify(token.children),
      );
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        "vscode.executeCodeLensProvider",
        fileUri(),
      );
      const lens = lenses.find((l) => l.command?.command === "wranglerTokenLint.revealInView");
      check(lens?.command, `lenses: ${lenses.map((l) => l.command?.title).join(" | ")}`);
      check(lens.command.title === "needs 1 group: 1 granted · grants 2: 1 needed, 1 unneeded", lens.command.title);
      await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
      await until("token selected", () => (api().viewSelection().includes(token.id) ? true : undefined));
      const folder = vscode.workspace.workspaceFolders![0]!.uri;
      const ids = await vscode.commands.executeCommand<string[]>("wranglerTokenLint.showRequiredPermissions", {
        config: vscode.Uri.joinPath(folder, scenario.generate.config).toString(),
      });
      check(ids?.includes(deploy.id), `revealed ${JSON.stringify(ids)}`);
      await until("deploy selected", () => (api().viewSelection().includes(deploy.id) ? true : undefined));
    },
  ],
  [
    "wranglerTokenLint.enable=false clears the diagnostics without a restart",
    async () => {
      const uri = fileUri();
      const config = vscode.workspace.getConfiguration("wranglerTokenLint", uri);
      await config.update("enable", false, vscode.ConfigurationTarget.Workspace);
      try {
        await until("diagnostics cleared", () => (ours(uri).length === 0 ? true : undefined));
      } finally {
        await config.update("enable", undefined, vscode.ConfigurationTarget.Workspace);
      }
      await until("diagnostics back", () => (ours(uri).length > 0 ? true : undefined));
    },
  ],
  [
    "wrangler.toml opens as TOML (contributed language) and wrangler.json as JSON with comments",
    async () => {
      const folder = vscode.workspace.workspaceFolders![0]!.uri;
      const toml = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, scenario.generate.config));
      check(toml.languageId === "toml", `wrangler.toml language: ${toml.languageId}`);
      const json = await vscode.workspace.openTextDocument({ content: "{}", language: "jsonc" });
      check(json.languageId === "jsonc", "jsonc language missing");
      const contributed = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
        contributes: { languages: { id: string; filenames?: string[] }[] };
      };
      check(
        contributed.contributes.languages.some((l) => l.id === "jsonc" && l.filenames?.includes("wrangler.json")),
        "wrangler.json is not associated with jsonc",
      );
    },
  ],
  [
    "Audit Live Token reads a mock API, keeps the reading token in SecretStorage, and opens the report",
    async () => {
      const api = vscode.extensions.getExtension<Api>(EXTENSION_ID)!.exports;
      const mock = await startTokenMock({ tokens: MOCK_TOKENS, readers: MOCK_READERS });
      const config = vscode.workspace.getConfiguration("wranglerTokenLint");
      await config.update("audit.apiBaseUrl", mock.url, vscode.ConfigurationTarget.Global);
      type Outcome = { report: { token: { id: string } }; document: vscode.TextDocument } | undefined;
      try {
        await vscode.commands.executeCommand("wranglerTokenLint.forgetReadingToken");
        check(!(await api.hasReadingToken()), "a reading token was left from before");
        const first = await vscode.commands.executeCommand<Outcome>("wranglerTokenLint.auditLiveToken", {
          tokenId: IDS.template,
          secret: "CLOUDFLARE_API_TOKEN",
          readingToken: READERS.user,
        });
        check(first, "no audit result");
        check(
          first.document.languageId === "markdown" && first.document.isUntitled,
          `report document: ${first.document.languageId}`,
        );
        const text = first.document.getText();
        check(
          text.includes("## Live token audit") && text.includes("unneeded-group") && text.includes("### Policy diff"),
          `report:\n${text}`,
        );
        check(await api.hasReadingToken(), "the reading token was not kept");
        // Asked once: the second audit uses the stored reading token.
        const second = await vscode.commands.executeCommand<Outcome>("wranglerTokenLint.auditLiveToken", {
          tokenId: IDS.account,
          accountId: ACCOUNT,
          secret: "CLOUDFLARE_API_TOKEN",
        });
        check(second?.report.token.id === IDS.account, "second audit");
        check(api.lastAudit()?.token.id === IDS.account, "lastAudit keeps the report data");
        const audit = (await api.viewSections()).find((x) => x.id === "audit");
        check(
          audit?.nodes[0]?.id === `audit:${IDS.account}` && audit.nodes[0].label.includes("(live"),
          `audit section: ${JSON.stringify(audit?.nodes[0])}`,
        );
        for (const doc of [first.document, second.document])
          for (const v of ALL_SECRET_VALUES) check(!doc.getText().includes(v), "a token value is in the report");
        check(
          mock.refused.length === 0 &&
            mock.requests.length === 2 &&
            mock.requests.every((r) => r.method === "GET" && r.status === 200),
          `requests: ${JSON.stringify(mock.requests)}`,
        );
        await vscode.commands.executeCommand("wranglerTokenLint.forgetReadingToken");
        check(!(await api.hasReadingToken()), "Forget Audit Reading Token left it");
      } finally {
        await config.update("audit.apiBaseUrl", undefined, vscode.ConfigurationTarget.Global);
        await mock.close();
      }
    },
  ],
  [
    "Restart Server brings the diagnostics back from a new server",
    async () => {
      const uri = fileUri();
      const api = vscode.extensions.getExtension<Api & { client(): unknown }>(EXTENSION_ID)!.exports;
      const before = api.client();
      await vscode.commands.executeCommand("wranglerTokenLint.restartServer");
      check(api.client() && api.client() !== before, "the client was not replaced");
      await until("diagnostics after restart", () =>
        ours(uri).some((d) => codeOf(d) === scenario.rule) ? true : undefined,
      );
    },
  ],
];

export async function run(): Promise<void> {
  let failed = 0;
  let n = 0;
  for (const [name, fn] of tests) {
    n++;
    try {
      await fn();
      console.log(`ok ${n} - ${name}`);
    } catch (err) {
      failed++;
      console.log(`not ok ${n} - ${name}\n# ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
  console.log(`# wrangler-token-lint extension tests: ${n - failed}/${n} passed`);
  if (failed) throw new Error(`${failed} extension test(s) failed`);
}
