// The editor's review of a branch (REVIEW_REQUEST): the base is read once — through the client's git API
// (file list in the request, texts asked for with BASE_FILE_REQUEST) or, without one, with the git CLI — and
// analysed once; the head is the server's own view of the files (unsaved text wins), analysed again after every
// analysis of the folder. While a review is active, findings new on the branch are marked in their diagnostics,
// changed tokens get a code lens and the Token Permissions view a "review" section.
import { realpathSync } from "node:fs";
import type { CodeLens, Connection } from "vscode-languageserver";
import {
  analyzeSnapshot,
  analyzeWorkspace,
  join,
  openSnapshot,
  relative,
  reviewAnalyses,
  shortName,
  type AnalysedSide,
  type Finding,
  type LineIndex,
  type Review,
  type RevisionSource,
  type Snapshot,
  type TokenDelta,
  type WorkspaceOptions,
} from "../core/index.js";
import { defaultBase, GitError, gitRevision, gitTop } from "../node/git-host.js";
import type { Diagnostics } from "./diagnostics.js";
import type { OverlayHost } from "./workspace.js";
import { uriToPath } from "./convert.js";
import {
  BASE_FILE_REQUEST,
  CLIENT_COMMANDS,
  NEW_ON_BRANCH,
  REVIEW_CHANGED_NOTIFICATION,
  type BaseFileParams,
  type ReviewParams,
  type ReviewResult,
} from "./protocol.js";
import { reviewTokenNodeId } from "./review-tree.js";

export interface ActiveReview {
  root: string;
  /** The base as shown ("merge-base with origin/main (3f2a1c9)") and its short name for lenses ("main"). */
  label: string;
  short: string;
  /** The base commit (for git: URIs of base places); undefined when the client gave a name only. */
  commit?: string;
  base: AnalysedSide;
  /** The base snapshot and the inputs its analysis used (settings, whether Terraform could be read). */
  snap: Snapshot & { settle(): Promise<boolean> };
  inputs: string;
  review: Review;
  /** `rule|file|line|message` of the findings new on the branch. */
  fresh: Set<string>;
  timer?: ReturnType<typeof setTimeout>;
}

const findingKey = (rule: string, file: string, line: number, message: string) => `${rule}|${file}|${line}|${message}`;

export class Reviews {
  private readonly active = new Map<string, ActiveReview>();
  /** Requests in flight per root: a newer start wins over an older one. */
  private readonly generation = new Map<string, number>();

  constructor(
    private readonly connection: Connection,
    private readonly diagnostics: Diagnostics,
    private readonly host: OverlayHost,
    private readonly refreshLenses: () => void,
  ) {}

  get(root: string): ActiveReview | undefined {
    return this.active.get(root);
  }

  all(): ActiveReview[] {
    return [...this.active.values()];
  }

  private rootOf(folder: string | undefined): string | undefined {
    const roots = this.diagnostics.roots();
    if (!folder) return roots[0];
    const p = uriToPath(folder);
    return p && roots.includes(p) ? p : undefined;
  }

  private async options(
    root: string,
  ): Promise<{ options: WorkspaceOptions; hcl: Awaited<ReturnType<Diagnostics["hclParser"]>> }> {
    const { settings, hcl } = await this.diagnostics.inputsFor(root);
    return {
      options: {
        ruleSeverities: settings.rules,
        tokenGlobs: settings.tokenGlobs,
        tokenSecrets: settings.tokenSecrets,
        today: new Date().toISOString().slice(0, 10),
      },
      hcl,
    };
  }

  async start(p: ReviewParams): Promise<ReviewResult> {
    const root = this.rootOf(p.folder);
    if (!root)
      return { error: p.folder ? `${p.folder} is not a folder the server analyses` : "no workspace folder is open" };
    const gen = (this.generation.get(root) ?? 0) + 1;
    this.generation.set(root, gen);
    const from = this.baseSource(p, root);
    if ("error" in from) return from;
    const { source, commit, label } = from;
    let top = from.top;
    // Compared as real paths (the git API may name the repository by its real path, the folder by a link).
    const real = (p: string) => {
      try {
        return realpathSync(p);
      } catch {
        return p;
      }
    };
    const rel = relative(real(top), real(root));
    if (rel.startsWith("..") || rel.startsWith("/"))
      return { error: `the folder ${root} is not inside the repository ${top}` };
    // The base's files sit under the folder's own spelling of the repository's path, as the head's do.
    top = rel && rel !== "." ? join(root, ...rel.split("/").map(() => "..")) : root;
    const { options, hcl } = await this.options(root);
    const snap = await openSnapshot(source, top);
    if (!snap.host.readDirectory(top).some((e) => e.name !== ".git"))
      return { error: `the base (${label}) lists no files: it cannot be read` };
    const ws = await analyzeSnapshot(snap, root, options, { hcl });
    if (this.generation.get(root) !== gen) return { error: "a newer review of this folder was started" };
    const base: AnalysedSide = { label, host: snap.host, ws };
    const short = p.short || shortName(p.label || p.base);
    const old = this.active.get(root);
    if (old?.timer) clearTimeout(old.timer);
    const active: ActiveReview = {
      root,
      label,
      short,
      commit,
      base,
      snap,
      inputs: inputsKey(options, hcl),
      ...(await this.headReview(root, base)),
    };
    this.active.set(root, active);
    this.changed(root);
    const r = active.review;
    return { base: label, commit, summary: r.summary, fails: r.fails, reasons: r.reasons, notes: r.notes };
  }

  /** Where the base is read from: the client's file list and BASE_FILE_REQUEST, or else the git CLI. */
  private baseSource(
    p: ReviewParams,
    root: string,
  ): { source: RevisionSource; top: string; commit: string | undefined; label: string } | { error: string } {
    const label = p.label || p.base;
    try {
      if (p.files) {
        const top = (p.top && uriToPath(p.top)) || root;
        const ref = p.base;
        if (!ref) return { error: "no base revision given" };
        const files = p.files;
        const source: RevisionSource = {
          label,
          listFiles: () => files,
          readFile: (path) =>
            this.connection.sendRequest<string | null>(BASE_FILE_REQUEST, { ref, path } satisfies BaseFileParams).then(
              (t) => (typeof t === "string" ? t : undefined),
              () => undefined,
            ),
        };
        return { source, top, commit: /^[0-9a-f]{40}$/.test(ref) ? ref : undefined, label };
      }
      const top = realpathSync(gitTop(root));
      const b = p.base ? { rev: p.base, label } : defaultBase(top);
      const rev = gitRevision(top, b.rev, b.label);
      return { source: rev, top, commit: rev.commit, label: rev.label };
    } catch (err) {
      if (err instanceof GitError)
        return {
          error: err.message.replace(
            / \(diff reads the base revision with git\)$/,
            ": the review reads the base revision with git",
          ),
        };
      throw err;
    }
  }

  stop(folder: string | undefined): boolean {
    const roots = folder ? [this.rootOf(folder)].filter((r): r is string => !!r) : [...this.active.keys()];
    let any = false;
    for (const root of roots) {
      const a = this.active.get(root);
      if (!a) continue;
      if (a.timer) clearTimeout(a.timer);
      this.active.delete(root);
      this.generation.set(root, (this.generation.get(root) ?? 0) + 1);
      this.changed(root);
      any = true;
    }
    return any;
  }

  private async headReview(root: string, base: AnalysedSide): Promise<{ review: Review; fresh: Set<string> }> {
    const { options, hcl } = await this.options(root);
    const ws = analyzeWorkspace(this.host, root, options, { hcl });
    const review = reviewAnalyses(base, { label: "working tree", host: this.host, ws }, root);
    return { review, fresh: new Set(review.findings.new.map((f) => findingKey(f.rule, f.file, f.line, f.message))) };
  }

  /** After each analysis of a root: compute its review again (debounced), then mark, refresh lenses and the view. */
  analysed(root: string): void {
    const a = this.active.get(root);
    if (!a) return;
    if (a.timer) clearTimeout(a.timer);
    a.timer = setTimeout(() => {
      a.timer = undefined;
      void (async () => {
        // Settings changed, or the Terraform grammar was not loaded yet: the base is analysed again with the
        // head's inputs, so a changed setting never shows as a change of the branch.
        const { options, hcl } = await this.options(root);
        const key = inputsKey(options, hcl);
        if (key !== a.inputs) {
          const ws = await analyzeSnapshot(a.snap, root, options, { hcl });
          if (this.active.get(root) !== a) return;
          a.base = { ...a.base, ws };
          a.inputs = key;
        }
        const r = await this.headReview(root, a.base);
        if (this.active.get(root) !== a) return;
        a.review = r.review;
        a.fresh = r.fresh;
        this.changed(root);
      })().catch((err: unknown) =>
        this.connection.console.error(
          `review of ${root} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        ),
      );
    }, 100);
  }

  private changed(root: string): void {
    this.diagnostics.republish(root);
    this.refreshLenses();
    void this.connection.sendNotification(REVIEW_CHANGED_NOTIFICATION, { folder: root }).catch(() => undefined);
  }

  /** The diagnostics marker for a root (Diagnostics.marker). */
  marker(root: string): ((f: Finding, lines: LineIndex) => string | undefined) | undefined {
    const a = this.active.get(root);
    if (!a || !a.fresh.size) return undefined;
    return (f, lines) =>
      a.fresh.has(
        findingKey(
          f.rule,
          relative(root, f.location.file),
          lines.positionAt(f.location.span.start).line + 1,
          f.message,
        ),
      )
        ? NEW_ON_BRANCH
        : undefined;
  }

  /** "+2 groups vs main" above each token the branch changes, in this file. */
  lenses(path: string): CodeLens[] {
    const out: CodeLens[] = [];
    for (const a of this.active.values()) {
      for (const t of a.review.tokens) {
        const h = t.place.head;
        if (!h || join(a.root, h.file) !== path) continue;
        const range = {
          start: { line: h.line - 1, character: h.column - 1 },
          end: { line: h.endLine - 1, character: h.endColumn - 1 },
        };
        out.push({
          range,
          command: {
            title: tokenLensTitle(t, a.short),
            command: CLIENT_COMMANDS.revealInView,
            arguments: [{ id: reviewTokenNodeId(t) }],
          },
        });
      }
    }
    return out;
  }
}

/** What the analysis of a side depends on besides the files. */
function inputsKey(options: WorkspaceOptions, hcl: unknown): string {
  return JSON.stringify([
    options.ruleSeverities,
    options.tokenGlobs,
    options.tokenSecrets,
    options.today,
    hcl !== undefined,
  ]);
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** "+2 groups vs main", "+1 group −1 group vs main", "new vs main", "resources changed vs main"; "· widens" when it does. */
export function tokenLensTitle(t: TokenDelta, short: string): string {
  const widens = t.widened ? " · widens" : "";
  if (t.status === "added") return `new vs ${short}${widens}`;
  const groups = (list: typeof t.added) => new Set(list.filter((g) => g.effect === "allow").map((g) => g.group));
  const added = groups(t.added);
  const removed = groups(t.removed);
  const plus = [...added].filter((g) => !removed.has(g)).length;
  const minus = [...removed].filter((g) => !added.has(g)).length;
  const parts = [...(plus ? [`+${plural(plus, "group")}`] : []), ...(minus ? [`\u2212${plural(minus, "group")}`] : [])];
  if (!parts.length) parts.push(t.added.length || t.removed.length ? "grants changed" : "changed");
  return `${parts.join(" ")} vs ${short}${widens}`;
}
