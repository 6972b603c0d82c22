// Config templates: `wrangler.template.jsonc`, `wrangler.toml.tpl` and the like, rendered by a script in CI
// (`{{ACCOUNT_ID}}`, `${VAR}`, `<%= … %>` placeholders). Where placeholders make the file unreadable, one note
// says it is a template and was not analysed, instead of a syntax error per placeholder that fails CI.
import type { Problem } from "../problems.js";

const PLACEHOLDER =
  /\{\{\s*[^{}\s][^{}]*?\s*\}\}|\$\{\{?\s*[A-Za-z_][\w.]*\s*\}?\}|<%=?[\s\S]*?%>|__[A-Z][A-Z0-9_]{2,}__/;
const TEMPLATE_NAME = /(^|[._-])(template|tpl|tmpl|example|sample|dist|in)([._-]|$)/i;

/** The single problem that replaces the syntax errors of a template, or undefined when the file is not one. */
export function templateProblem(path: string, text: string, problems: Problem[]): Problem | undefined {
  const errors = problems.filter((p) => p.severity === "error" && /-syntax$/.test(p.code));
  if (!errors.length) return undefined;
  const name = path.slice(path.lastIndexOf("/") + 1);
  const found = [...text.matchAll(new RegExp(PLACEHOLDER.source, "g"))];
  // A config that is not named like a template is one only where its syntax errors sit at placeholders.
  const atPlaceholder = errors.some((e) =>
    found.some((m) => e.span.start >= m.index! - 2 && e.span.start <= m.index! + m[0].length + 2),
  );
  if (!atPlaceholder && !TEMPLATE_NAME.test(name.replace(/^wrangler/, ""))) return undefined;
  const m = found[0];
  const start = m ? m.index! : 0;
  return {
    code: "config-template",
    severity: "info",
    message: `${name} is a template${m ? ` (placeholders such as \`${m[0].slice(0, 40)}\` are filled in when it is rendered)` : ""}; it is not analysed (wrangler reads the config rendered from it, which is not in the repository).`,
    span: { start, end: m ? start + m[0].length : Math.min(1, text.length) },
  };
}
