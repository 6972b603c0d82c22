// The project file `.wrangler-token-lint.json` (JSONC allowed) at the workspace root: read through the options
// schema (core/options.ts), each bad value a `project-config` warning at its place, merged under the options
// the caller gives (the editor's settings or the CLI's flags win).
import type { Host } from "./host.js";
import type { Problem } from "./problems.js";
import type { Span } from "./source.js";
import { join } from "./path.js";
import { PROJECT_FILE } from "./files.js";
import { normalizeOptions, PROJECT_OPTIONS, type SeveritySetting } from "./options.js";
import { parseConfigText } from "./parse/index.js";
import { toJS, type Node } from "./parse/tree.js";

/** The options the project file can set, as the analysis takes them. */
export interface ProjectOptions {
  ruleSeverities?: Record<string, SeveritySetting>;
  tokenGlobs?: string[];
  tokenSecrets?: Record<string, string[]>;
}

/** Reads the project file under `root` and merges it under `opts` (which win key by key; non-empty tokenGlobs win whole). */
export function withProjectConfig<O extends ProjectOptions>(
  host: Host,
  root: string,
  opts: O,
): { options: O; problems: (Problem & { file: string })[] } {
  const path = join(root, PROJECT_FILE);
  const text = host.readFile(path);
  if (text === undefined) return { options: opts, problems: [] };
  const doc = parseConfigText(path.replace(/\.json$/, ".jsonc"), text);
  const problems: (Problem & { file: string })[] = doc.problems.map((p) => ({ ...p, file: path }));
  const warn = (message: string, span: Span) =>
    problems.push({ code: "project-config", severity: "warning", message, span, file: path });
  for (const e of doc.root?.entries ?? []) {
    if (!(PROJECT_OPTIONS as readonly string[]).includes(e.key))
      warn(`"${e.key}" is not an option of ${PROJECT_FILE} (known: ${PROJECT_OPTIONS.join(", ")})`, e.keySpan);
  }
  const { options: file, problems: bad } = normalizeOptions(toJS(doc.root), PROJECT_OPTIONS);
  for (const p of bad) warn(`${p.path.join(".")} ${p.message}`, spanAt(doc.root, p.path));
  const given = (k: "rules" | "tokenGlobs" | "tokenSecrets") => doc.root?.entries.some((e) => e.key === k) === true;
  return {
    options: {
      ...opts,
      ruleSeverities: { ...file.rules, ...opts.ruleSeverities },
      tokenGlobs: opts.tokenGlobs?.length ? opts.tokenGlobs : given("tokenGlobs") ? file.tokenGlobs : undefined,
      tokenSecrets: { ...file.tokenSecrets, ...opts.tokenSecrets },
    },
    problems,
  };
}

/** The span of the value at `path` (the key's span for a refused key, the innermost node found otherwise). */
function spanAt(node: Node | undefined, path: (string | number)[]): Span {
  let at: Node | undefined = node;
  let span: Span = node?.span ?? { start: 0, end: 0 };
  for (const step of path) {
    if (at?.kind === "object") {
      const e = at.entries.find((x) => x.key === step);
      if (!e) break;
      span = e.key === "__proto__" || e.key === "constructor" || e.key === "prototype" ? e.keySpan : e.value.span;
      at = e.value;
    } else if (at?.kind === "array" && typeof step === "number" && at.items[step]) {
      at = at.items[step];
      span = at.span;
    } else break;
  }
  return span;
}
