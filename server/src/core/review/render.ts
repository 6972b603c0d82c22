// The review as text (terminal) and Markdown (a pull-request comment or a GitHub job summary).
import type { DeployDelta, GrantDelta, Review, ReviewFinding, ReviewPlace, TokenDelta } from "./model.js";

const at = (p: ReviewPlace) => `${p.side} ${p.file}:${p.line}`;
const STATUS = { added: "+", removed: "-", changed: "~" } as const;
/** Reports list at most this many places per change (JSON keeps them all). */
const MAX_CAUSES = 3;

function capped<T>(xs: T[]): { shown: T[]; more: number } {
  return { shown: xs.slice(0, MAX_CAUSES), more: Math.max(0, xs.length - MAX_CAUSES) };
}

function causeLines(cs: ReviewPlace[]): string[] {
  const { shown, more } = capped(cs);
  return [...shown.map((c) => `          ${at(c)}: ${c.message}`), ...(more ? [`          … ${more} more`] : [])];
}

function verdict(r: Review): string {
  if (!r.fails) return "No token is widened and no deploy needs a group its token lacks.";
  const parts = [];
  if (r.summary.tokensWidened)
    parts.push(`widens ${r.summary.tokensWidened} token${r.summary.tokensWidened === 1 ? "" : "s"}`);
  if (r.summary.deploysLacking)
    parts.push(
      `makes ${r.summary.deploysLacking} deploy${r.summary.deploysLacking === 1 ? "" : "s"} need a group its token lacks`,
    );
  return `This branch ${parts.join(" and ")}.`;
}

function counts(r: Review): string {
  const s = r.summary;
  return `${s.deploysChanged} deploy${s.deploysChanged === 1 ? "" : "s"} changed, ${s.tokensChanged} token${s.tokensChanged === 1 ? "" : "s"} changed; findings: ${s.findingsNew} new, ${s.findingsFixed} fixed, ${s.findingsUnchanged} unchanged`;
}

function deployTitle(d: DeployDelta): string {
  const moved = d.baseLabel ? ` (was ${d.baseLabel})` : "";
  const matched = d.matchedBy && d.matchedBy !== "same place" ? ` [matched: ${d.matchedBy}]` : "";
  const p = d.place.head ?? d.place.base;
  return `${d.label}${moved}: wrangler ${d.command}${d.env && !d.command.includes(d.env) ? ` (env ${d.env})` : ""}${matched}${p ? `  ${at(p)}` : ""}`;
}

function grantNote(g: GrantDelta): string {
  const bits = [];
  if (g.effect === "deny") bits.push("deny");
  if (g.widens) bits.push("new access");
  if (g.needed === false) bits.push("no linked deploy needs it");
  if (g.needed === true) bits.push("a linked deploy needs it");
  return bits.length ? ` (${bits.join("; ")})` : "";
}

export function renderReviewText(r: Review): string {
  const out = [
    `Permission review: base ${r.base} → head ${r.head}`,
    verdict(r),
    ...r.reasons.map((x) => `  - ${x}`),
    counts(r),
  ];
  if (r.deploys.length) out.push("", "Deploys:");
  for (const d of r.deploys) {
    out.push(`  ${STATUS[d.status]} ${deployTitle(d)}`);
    if (d.config.base && d.config.head && d.config.base !== d.config.head)
      out.push(`      config: ${d.config.base} → ${d.config.head}`);
    for (const g of d.groupsAdded)
      out.push(
        `      + ${g.label} (${g.group}) on ${g.resources.join(", ")}${g.userTokenOnly ? " (user-owned tokens only)" : ""}`,
        ...causeLines(g.causes),
      );
    for (const g of d.groupsRemoved)
      out.push(`      - ${g.label} (${g.group}) on ${g.resources.join(", ")}`, ...causeLines(g.causes));
    for (const x of d.resources) {
      out.push(
        `      ~ ${x.label} (${x.group}): ${[...x.added.map((k) => `+${k}`), ...x.removed.map((k) => `-${k}`)].join(" ")}`,
        ...causeLines(x.causes),
      );
    }
    if (d.status === "changed" && d.token.base !== d.token.head)
      out.push(`      token: ${d.token.base ?? "(none)"} → ${d.token.head ?? "(none)"}`);
    for (const l of d.newlyLacking)
      out.push(
        `      ! needs ${l.label} (${l.group}) on ${l.resources.join(", ")}, which ${l.tokens.join(", ")} does not grant`,
      );
    for (const u of d.unknowns) out.push(`      ? ${u}`);
  }
  if (r.tokens.length) out.push("", "Tokens:");
  for (const t of r.tokens) {
    out.push(
      `  ${STATUS[t.status]} ${t.name} (${t.file.head ?? t.file.base}${t.file.base && t.file.head && t.file.base !== t.file.head ? `, was ${t.file.base}` : ""})${t.widened ? " — widened" : ""}`,
    );
    for (const g of t.added) out.push(`      + ${g.label} on ${g.resource}${grantNote(g)}  ${at(g.place)}`);
    for (const g of t.removed)
      out.push(`      - ${g.label} on ${g.resource}${g.effect === "deny" ? " (deny)" : ""}  ${at(g.place)}`);
    for (const u of t.unknowns) out.push(`      ? ${u}`);
  }
  const f = (x: ReviewFinding, tag: string) =>
    `  ${tag} ${x.file}:${x.line}:${x.column}: ${x.severity} [${x.rule}] ${x.message}`;
  if (r.findings.new.length || r.findings.fixed.length) out.push("", "Findings:");
  out.push(...r.findings.new.map((x) => f(x, "new  ")), ...r.findings.fixed.map((x) => f(x, "fixed")));
  if (r.notes.length) out.push("", "Notes:", ...r.notes.map((n) => `  - ${n}`));
  return out.join("\n") + "\n";
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const where = (p: ReviewPlace) => `${code(`${p.file}:${p.line}`)}${p.side === "base" ? " (base)" : ""}`;
const why = (cs: ReviewPlace[]) => {
  const { shown, more } = capped(cs);
  return (
    [...shown.map((c) => `${where(c)} ${cell(c.message)}`), ...(more ? [`… ${more} more`] : [])].join("<br>") || "—"
  );
};

function deployMarkdown(d: DeployDelta): string[] {
  const word = { added: "new deploy", removed: "deploy removed", changed: "changed" }[d.status];
  const p = d.place.head ?? d.place.base;
  const out = [
    `#### ${code(d.label)} — ${word}`,
    "",
    `${code(`wrangler ${d.command}`)}${p ? ` · ${where(p)}` : ""}${d.env && !d.command.includes(d.env) ? ` · env ${code(d.env)}` : ""}${d.baseLabel ? ` · was ${code(d.baseLabel)}` : ""}${d.matchedBy && d.matchedBy !== "same place" ? ` · matched by ${d.matchedBy}` : ""}`,
    "",
  ];
  const rows = [
    ...d.groupsAdded.map(
      (g) => `| ➕ | ${g.label} (${code(g.group)}) | ${g.resources.map(code).join("<br>")} | ${why(g.causes)} |`,
    ),
    ...d.groupsRemoved.map(
      (g) => `| ➖ | ${g.label} (${code(g.group)}) | ${g.resources.map(code).join("<br>")} | ${why(g.causes)} |`,
    ),
    ...d.resources.map(
      (x) =>
        `| 🔁 | ${x.label} (${code(x.group)}) | ${[...x.added.map((k) => `+ ${code(k)}`), ...x.removed.map((k) => `− ${code(k)}`)].join("<br>")} | ${why(x.causes)} |`,
    ),
  ];
  if (rows.length) out.push("| | Permission group | Resources | Why |", "|---|---|---|---|", ...rows, "");
  if (d.config.base && d.config.head && d.config.base !== d.config.head)
    out.push(`Config: ${code(d.config.base)} → ${code(d.config.head)}`, "");
  if (d.status === "changed" && d.token.base !== d.token.head)
    out.push(
      `Token secret: ${d.token.base ? code(d.token.base) : "none"} → ${d.token.head ? code(d.token.head) : "none"}`,
      "",
    );
  for (const l of d.newlyLacking)
    out.push(
      `> ❌ Needs **${l.label}** (${code(l.group)}), which ${l.tokens.map(code).join(", ")} does not grant.`,
      "",
    );
  for (const u of d.unknowns) out.push(`> ❔ ${cell(u)}`, "");
  return out;
}

function tokenMarkdown(t: TokenDelta): string[] {
  const word = { added: "new token", removed: "token removed", changed: t.widened ? "widened" : "changed" }[t.status];
  const out = [
    `#### ${code(t.name)} — ${word}`,
    "",
    `${code(t.file.head ?? t.file.base ?? "")}${t.file.base && t.file.head && t.file.base !== t.file.head ? ` · was ${code(t.file.base)}` : ""}`,
    "",
  ];
  const rows = [
    ...t.added.map(
      (g) =>
        `| ${g.widens || g.effect === "deny" ? "⚠️ ➕" : "➕"} | ${g.label}${g.effect === "deny" ? " (deny)" : ""} | ${code(g.resource)} | ${g.widens ? "new access" : g.effect === "deny" ? "denied" : "already covered"}${g.needed === false ? "; no linked deploy needs it" : g.needed ? "; a linked deploy needs it" : ""} | ${where(g.place)} |`,
    ),
    ...t.removed.map(
      (g) =>
        `| ${g.effect === "deny" ? "⚠️ ➖" : "➖"} | ${g.label}${g.effect === "deny" ? " (deny)" : ""} | ${code(g.resource)} | ${g.effect === "deny" ? "no longer denied" : "removed"} | ${where(g.place)} |`,
    ),
  ];
  if (rows.length) out.push("| | Permission group | Resource | | Where |", "|---|---|---|---|---|", ...rows, "");
  for (const u of t.unknowns) out.push(`> ❔ ${cell(u)}`, "");
  return out;
}

/** Rows per findings table: a pull-request comment holds at most 65,536 characters. */
const MAX_ROWS = 50;

function findingsTable(fs: ReviewFinding[]): string[] {
  const icon = { error: "🔴", warning: "🟠", info: "🔵" } as const;
  const rows = fs
    .slice(0, MAX_ROWS)
    .map((f) => `| ${icon[f.severity]} | ${code(f.rule)} | ${code(`${f.file}:${f.line}`)} | ${cell(f.message)} |`);
  const more =
    fs.length > MAX_ROWS
      ? [`| | | | … and ${fs.length - MAX_ROWS} more (see \`--format json\` or \`--format sarif\`) |`]
      : [];
  return ["| | Rule | Where | Finding |", "|---|---|---|---|", ...rows, ...more, ""];
}

export function renderReviewMarkdown(r: Review): string {
  const out = [
    "## Token permission review",
    "",
    `**${r.fails ? "❌" : "✅"} ${verdict(r)}**`,
    "",
    ...r.reasons.map((x) => `- ${cell(x)}`),
    ...(r.reasons.length ? [""] : []),
  ];
  out.push(`Base ${code(r.base)} → head ${code(r.head)} · ${counts(r)}`, "");
  if (r.deploys.length) out.push("### Deploys", "", ...r.deploys.flatMap(deployMarkdown));
  if (r.tokens.length) out.push("### Tokens", "", ...r.tokens.flatMap(tokenMarkdown));
  if (r.findings.new.length)
    out.push(`### Findings new on this branch (${r.findings.new.length})`, "", ...findingsTable(r.findings.new));
  if (r.findings.fixed.length)
    out.push(
      `<details><summary>Findings fixed on this branch (${r.findings.fixed.length})</summary>`,
      "",
      ...findingsTable(r.findings.fixed),
      "</details>",
      "",
    );
  if (!r.deploys.length && !r.tokens.length && !r.findings.new.length && !r.findings.fixed.length)
    out.push("No deploy, token or finding changes between base and head.", "");
  if (r.notes.length) out.push("### Notes", "", ...r.notes.map((n) => `- ${cell(n)}`), "");
  return out.join("\n");
}
