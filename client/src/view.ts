// The "Token Permissions" view: the server's tree sections (Deploys, Tokens; TREE_REQUEST) and, once *Audit Live
// Token…* has run, the last audit's result. Refreshed after every analysis; nodes open their line, links reveal
// the node they point at. Works in Restricted Mode (the server runs nothing from the workspace).
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import {
  TREE_REQUEST,
  type AuditReport,
  type TreeNode,
  type TreeResult,
  type TreeSection,
} from "../../server/src/lsp/protocol";
import { auditSection } from "./audit-section";
import { gitUri } from "./git";

export const VIEW_ID = "wranglerTokenLint.permissions";

/** A node as the view holds it: a section root or a server node, with its parent for reveal. */
export interface ViewNode {
  node: TreeNode;
  parent?: ViewNode;
  section?: TreeSection;
}

const ICONS: Record<TreeNode["kind"], [string, string?]> = {
  deploy: ["rocket"],
  config: ["file-code"],
  token: ["key"],
  group: ["shield"],
  reason: ["arrow-small-right"],
  link: ["link"],
  finding: ["warning", "problemsWarningIcon.foreground"],
  note: ["info"],
  error: ["error", "problemsErrorIcon.foreground"],
  needed: ["pass", "testing.iconPassed"],
  unneeded: ["circle-slash", "problemsWarningIcon.foreground"],
  "too-broad": ["arrow-up", "problemsWarningIcon.foreground"],
  "too-narrow": ["arrow-down", "problemsErrorIcon.foreground"],
  missing: ["error", "problemsErrorIcon.foreground"],
  unknown: ["question"],
};

export class PermissionsView implements vscode.TreeDataProvider<ViewNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ViewNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: ViewNode[] = [];
  private byId = new Map<string, ViewNode>();
  private loading: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  readonly tree: vscode.TreeView<ViewNode>;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly lastAudit: () => AuditReport | undefined,
  ) {
    this.tree = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
  }

  /** Loads again (debounced: analyses come in bursts while typing). */
  refresh(delay = 250): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const go = () => {
      this.timer = undefined;
      this.loading = undefined;
      this.changed.fire(undefined);
    };
    if (delay <= 0) go();
    else this.timer = setTimeout(go, delay);
  }

  /** The sections as shown (server sections, then the audit), loaded when needed. */
  async sections(): Promise<TreeSection[]> {
    await this.load();
    return this.roots.map((r) => r.section!);
  }

  private load(): Promise<void> {
    return (this.loading ??= (async () => {
      const c = this.client();
      let sections: TreeSection[] = [];
      if (c) {
        const r = await c.sendRequest<TreeResult>(TREE_REQUEST, {}).catch((err: unknown) => {
          void vscode.window.showErrorMessage(`Token Permissions: ${err instanceof Error ? err.message : String(err)}`);
          return { sections: [] } as TreeResult;
        });
        sections = r.sections;
      }
      const audit = this.lastAudit();
      if (audit) sections = [...sections, auditSection(audit, vscode.workspace.workspaceFolders?.[0]?.uri)];
      this.byId = new Map();
      this.roots = sections.map((s) => {
        const root: ViewNode = {
          node: { id: `section:${s.id}`, label: s.label, kind: "note", children: s.nodes },
          section: s,
        };
        this.index(root);
        return root;
      });
    })());
  }

  private index(v: ViewNode): void {
    this.byId.set(v.node.id, v);
    for (const child of v.node.children ?? []) this.index({ node: child, parent: v });
  }

  async getChildren(element?: ViewNode): Promise<ViewNode[]> {
    await this.load();
    if (!element) return this.roots;
    return (element.node.children ?? []).map((n) => this.byId.get(n.id)!).filter(Boolean);
  }

  getParent(element: ViewNode): ViewNode | undefined {
    return element.parent;
  }

  getTreeItem(v: ViewNode): vscode.TreeItem {
    const n = v.node;
    const hasChildren = !!n.children?.length;
    const state = !hasChildren
      ? vscode.TreeItemCollapsibleState.None
      : v.section || n.kind === "token"
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(n.label, state);
    item.id = n.id;
    item.description = v.section && !hasChildren ? v.section.empty : n.description;
    if (n.tooltip) item.tooltip = new vscode.MarkdownString(n.tooltip);
    if (!v.section) {
      const [icon, color] = ICONS[n.kind] ?? ["circle"];
      item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    }
    // Review nodes get their own context ("review-deploy"), so deploy actions (Generate for This) stay off them.
    item.contextValue = n.id.startsWith("review:") ? `review-${n.kind}` : n.data?.config ? "deploy" : n.kind;
    if (n.data?.reveal)
      item.command = { title: "Show", command: "wranglerTokenLint.revealInView", arguments: [{ id: n.data.reveal }] };
    else if (n.location) {
      const l = n.location;
      const range = new vscode.Range(
        l.range.start.line,
        l.range.start.character,
        l.range.end.line,
        l.range.end.character,
      );
      // A place in the review's base opens the file at the base commit (a git: URI, read by the git extension).
      const uri = n.data?.gitRef ? gitUri(vscode.Uri.parse(l.uri), n.data.gitRef) : vscode.Uri.parse(l.uri);
      item.command = {
        title: "Open",
        command: "vscode.open",
        arguments: [uri, { selection: range, preserveFocus: false } satisfies vscode.TextDocumentShowOptions],
      };
    }
    return item;
  }

  /** Shows the view with the node of this id selected (false when there is no such node). */
  async reveal(id: string): Promise<boolean> {
    await this.load();
    const v = this.byId.get(id);
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    if (!v) return false;
    await this.tree.reveal(v, { select: true, focus: true, expand: true });
    return true;
  }

  /** The deploy nodes of a config (by URI), for *Show Required Permissions*. */
  async deploysOf(configUri: string): Promise<TreeNode[]> {
    await this.load();
    return [...this.byId.values()]
      .map((v) => v.node)
      .filter((n) => n.data?.config === configUri && (n.kind === "deploy" || n.kind === "config"));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.tree.dispose();
    this.changed.dispose();
  }
}
