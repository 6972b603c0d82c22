// UI check of the permissions workbench (issue: see names, not hex ids; one view of every deploy and token) in
// code-server, in Restricted Mode, on test/fixtures/lsp/workbench: a Terraform account token linked to a job
// that runs `d1 migrations apply` and wrangler-action's deploy. Checks, with a screenshot each: .tf opens as
// Terraform; inlay hints name the group ids; the lens counts add up and open the token in the Token Permissions
// view; the view lists deploys and tokens and navigates to a reason's line; the hover on `binding = "DB"` names
// D1 Write; Show Required Permissions reveals the config's deploys; each missing group has a quick fix and Fix
// all adds them all; Generate Minimal Token for the CI job; the rule page opens in the editor; the output
// channel logs the analysis. Env: CS_URL, WS, SHOT_DIR, TIMEOUT_MS.
const fs = require("node:fs");
const path = require("node:path");
const { openPage, logger } = require("./browser.cjs");

const ws = process.env.WS;
const shotDir = process.env.SHOT_DIR || ".";
const timeout = Number(process.env.TIMEOUT_MS || 60000);
const log = logger();
const flat = (s) => s.replace(/\u00a0/g, " ").replace(/\s+/g, " ");

async function quickInput(page, text) {
  const input = page.locator(".quick-input-widget input");
  await input.waitFor();
  await input.fill(text);
}

async function pickQuickItem(page, label) {
  const row = page.locator(".quick-input-list .monaco-list-row", { hasText: label }).first();
  await row.waitFor();
  await row.click();
}

/** Gives the keyboard to the editor area: with focus in a tree or a panel, a key can go to that widget instead. */
async function focusEditor(page) {
  await page.locator(".quick-input-widget").waitFor({ state: "hidden" });
  const tab = page.locator(".part.editor .tab.active").first();
  if (!(await tab.count())) return page.locator(".part.editor").click({ position: { x: 200, y: 200 } });
  await tab.click();
  await page.waitForFunction(() => !!document.activeElement && !!document.activeElement.closest(".part.editor"));
}

async function command(page, name) {
  await focusEditor(page);
  await page.keyboard.press("F1");
  await quickInput(page, `>${name}`);
  await pickQuickItem(page, name);
}

/** Quick Open: picks the row of `rel` (its name, and its folder as the description) and waits for its tab. */
async function openFile(page, rel) {
  await focusEditor(page);
  await page.keyboard.press("Control+P");
  await quickInput(page, rel);
  let row = page.locator(".quick-input-list .monaco-list-row", { hasText: path.basename(rel) });
  if (path.dirname(rel) !== ".") row = row.filter({ hasText: path.dirname(rel) });
  await row.first().click();
  await page.locator(".quick-input-widget").waitFor({ state: "hidden" });
  await page.locator(".part.editor .tab.active", { hasText: path.basename(rel) }).waitFor();
}

/** Moves the mouse to an empty spot of the status bar, so no hover or tooltip covers a screenshot. */
async function mouseAway(page) {
  const bar = await page.locator(".part.statusbar").boundingBox();
  await page.mouse.move(bar ? bar.x + bar.width * 0.6 : 5, bar ? bar.y + bar.height / 2 : 5);
  await page
    .locator(".monaco-hover, .workbench-hover")
    .filter({ visible: true })
    .first()
    .waitFor({ state: "detached" });
}

/** Waits until the visible editor text contains `want` (inlay hints and code lenses are part of the text). */
async function editorShows(page, want, sel = ".editor-instance .monaco-editor") {
  await page.waitForFunction(
    ([s, w]) => [...document.querySelectorAll(s)].some((e) => e.textContent.replace(/\u00a0/g, " ").includes(w)),
    [sel, want],
  );
}

/**
 * The screen box of `text` in the visible editor, measured on the characters themselves (a DOM Range over its
 * text nodes), so it does not depend on how the line is split into coloured tokens, which changes when the
 * grammar's colours arrive.
 */
async function textBox(page, text) {
  const handle = await page.waitForFunction((want) => {
    for (const line of document.querySelectorAll(".editor-instance .monaco-editor .view-lines .view-line")) {
      const nodes = [];
      const walk = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) nodes.push(n);
      const all = nodes
        .map((n) => n.data)
        .join("")
        .replace(/\u00a0/g, " ");
      const at = all.indexOf(want);
      if (at < 0) continue;
      const place = (offset) => {
        for (const n of nodes) {
          if (offset <= n.data.length) return [n, offset];
          offset -= n.data.length;
        }
        return [nodes[nodes.length - 1], nodes[nodes.length - 1].data.length];
      };
      const range = document.createRange();
      range.setStart(...place(at));
      range.setEnd(...place(at + want.length));
      const r = range.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) return { x: r.x, y: r.y, width: r.width, height: r.height };
    }
    return false;
  }, text);
  return handle.jsonValue();
}

async function clickText(page, text) {
  const box = await textBox(page, text);
  await page.mouse.click(box.x + Math.min(4, box.width / 2), box.y + box.height / 2);
}

function viewRow(page, text) {
  return page.locator(".pane-body .monaco-list-row[aria-level]", { hasText: text }).first();
}

/** Drags the side bar's edge to the right so the view's labels and descriptions are readable in screenshots. */
async function widenSidebar(page) {
  const bar = await page.locator(".part.sidebar").boundingBox();
  if (!bar || bar.width > 500) return;
  const x = bar.x + bar.width + 1;
  const y = bar.y + bar.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 300, y, { steps: 5 });
  await page.mouse.up();
}

async function waitForFile(file, pred, what) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = fs.readFileSync(file, "utf8");
    if (pred(text)) return text;
    if (Date.now() > deadline) throw new Error(`${what}; file is now:\n${text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function restricted(page) {
  // The trust prompt: stay in Restricted Mode.
  const no = page.locator(".monaco-dialog-box .monaco-button", { hasText: "No, I don't trust" }).first();
  await no
    .waitFor({ timeout: 15000 })
    .then(() => no.click())
    .catch(() => log("no trust prompt shown"));
  await page.locator(".statusbar-item", { hasText: "Restricted Mode" }).first().waitFor();
  log("Restricted Mode");
}

async function run(page) {
  // Screenshots mask this machine's absolute paths: log lines naming the workspace folder, and the breadcrumbs of
  // a file outside it (the rule page in the installed extension).
  const runDir = path.dirname(ws);
  const masks = () => [
    page.locator(".view-line", { hasText: runDir }),
    page.locator(".breadcrumbs-control", { hasText: path.basename(runDir) }),
  ];
  const capture = (name) => page.screenshot({ path: path.join(shotDir, name), mask: masks(), maskColor: "#444444" });
  const shot = async (name) => {
    await mouseAway(page);
    await capture(name);
  };
  await page.goto(process.env.CS_URL);
  await page.locator(".monaco-workbench").waitFor();
  await restricted(page);

  // 1. The .tf file opens as Terraform (the contributed language and grammar), with inlay hints after the ids.
  await openFile(page, "infra/token.tf");
  await page.locator(".statusbar-item", { hasText: "Terraform" }).first().waitFor();
  await editorShows(page, "Workers Tail Read · unneeded");
  await editorShows(page, "D1 Read · too narrow (needs D1 Write)");
  await editorShows(page, "Workers Scripts Write");
  const colored = await page
    .locator(".editor-instance .view-lines span[class*='mtk']")
    .evaluateAll((els) => new Set(els.map((e) => e.className)).size);
  if (colored < 3) throw new Error(`token.tf is not coloured (${colored} token classes)`);
  log("token.tf: Terraform, coloured, inlay hints shown");
  await shot("inlay-hints.png");

  // 2. The lens counts add up; clicking it shows the token in the Token Permissions view.
  const lens = page
    .locator(".monaco-editor .codelens-decoration a", {
      hasText: "needs 4 groups: 1 granted, 1 too narrow, 2 missing · grants 4: 1 needed, 2 unneeded, 1 too narrow",
    })
    .first();
  await lens.waitFor();
  log("lens: " + flat(await lens.innerText()));
  await lens.click();
  await page.locator(".part.sidebar .composite.title", { hasText: "Token Permissions" }).first().waitFor();
  await widenSidebar(page);
  await page.locator(".pane-body .monaco-list-row.selected", { hasText: "shop-api deploy" }).waitFor();
  for (const [row, state] of [
    ["Workers Scripts Write", "needed"],
    ["Workers Tail Read", "unneeded"],
    ["D1 Read", "too narrow"],
    ["Workers KV Storage Write", "unneeded"],
    ["Workers Routes Write", "missing"],
    ["Zone Read", "missing"],
  ]) {
    await page
      .locator('.pane-body .monaco-list-row[aria-level="3"]', { hasText: row })
      .filter({ hasText: state })
      .first()
      .waitFor();
  }
  for (const row of ["deploy.yml › deploy › Apply migrations", "deploy.yml › deploy › Deploy"])
    await viewRow(page, row).waitFor();
  await viewRow(page, "serves deploy.yml › deploy › Apply migrations").waitFor();
  log("lens opened the token in the view: its grants marked, the deploys listed");
  await shot("view-tokens.png");

  // 3. Deploys → groups → reasons; a reason opens its line.
  const migrate = page
    .locator('.pane-body .monaco-list-row[aria-level="2"]', { hasText: "deploy.yml › deploy › Apply migrations" })
    .filter({ hasNotText: "serves" })
    .first();
  await migrate.scrollIntoViewIfNeeded();
  // Expand through the twisties: a click on the row itself runs its command (opens its line).
  if ((await migrate.getAttribute("aria-expanded")) !== "true") await migrate.locator(".monaco-tl-twistie").click();
  await page
    .locator('.pane-body .monaco-list-row[aria-level="2"][aria-expanded="true"]', { hasText: "Apply migrations" })
    .first()
    .waitFor();
  const d1 = page
    .locator('.pane-body .monaco-list-row[aria-level="3"]', { hasText: "D1 Write" })
    .filter({ hasNotText: "too narrow" })
    .first();
  await d1.waitFor();
  if ((await d1.getAttribute("aria-expanded")) !== "true") await d1.locator(".monaco-tl-twistie").click();
  const reason = page.locator('.pane-body .monaco-list-row[aria-level="4"]', { hasText: "D1 database DB" }).first();
  await reason.waitFor();
  await shot("view-deploys.png");
  await reason.click();
  await page.locator(".part.editor .tab.active", { hasText: "wrangler.toml" }).waitFor();
  // The reason's place: the [[d1_databases]] binding key (line 8) selected, the cursor at its end.
  await page
    .locator(".statusbar-item", { hasText: /Ln 8, Col 8\b/ })
    .first()
    .waitFor();
  log("view reason opened wrangler.toml at the [[d1_databases]] binding");

  // 4. Hover on `binding = "DB"` names D1 Write and the migrations command.
  const box = await textBox(page, "DB");
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const hover = page
    .locator(".monaco-hover", { hasText: "D1 Write" })
    .filter({ hasText: "d1 migrations apply" })
    .first();
  await hover.waitFor();
  log("hover: " + flat(await hover.innerText()).slice(0, 200));
  await capture("hover-binding.png");
  await mouseAway(page);

  // 5. Show Required Permissions reveals the deploys of the active config in the view.
  await command(page, "Show Required Permissions");
  await page.locator(".pane-body .monaco-list-row.selected", { hasText: "Apply migrations" }).waitFor();
  log("Show Required Permissions revealed the config's deploys");
  await shot("show-required-permissions.png");

  // 6. A quick fix for each missing group, then Fix all: the missing groups added, the unneeded ones removed.
  await openFile(page, "infra/token.tf");
  await clickText(page, "shop-api deploy");
  // The cursor is inside the token's name, where its missing-group diagnostics are.
  await page
    .locator(".statusbar-item", { hasText: /Ln 3, Col (1[6-9]|2\d|3[01])\b/ })
    .first()
    .waitFor();
  // Ctrl+. only once the light bulb is shown: the code-action request that the cursor move starts (after a short
  // delay) would otherwise replace the one Ctrl+. starts, and the menu would not open.
  await page.locator(".monaco-editor .lightBulbWidget").filter({ visible: true }).first().waitFor();
  await page.keyboard.press("Control+.");
  for (const t of ["Add D1 Write", "Add Workers Routes Write (new zone policy)", "Add Zone Read (new zone policy)"])
    await page.locator(".action-widget .monaco-list-row", { hasText: t }).first().waitFor();
  log("a quick fix for each missing group");
  await shot("quick-fix-missing.png");
  await page.keyboard.press("Escape");
  await page.locator(".action-widget").filter({ visible: true }).first().waitFor({ state: "detached" });
  await command(page, "Fix All");
  await editorShows(page, "# Zone Read");
  await page.keyboard.press("Control+S");
  const tf = await waitForFile(
    path.join(ws, "infra/token.tf"),
    (t) => ["# D1 Write", "# Workers Routes Write", "# Zone Read"].every((x) => t.includes(x)),
    "Fix all should add D1 Write, Workers Routes Write and Zone Read",
  );
  if ((tf.match(/data "cloudflare_zone"/g) || []).length !== 1)
    throw new Error(`one zone data source expected:\n${tf}`);
  for (const [id, name] of [
    ["05880cd1bdc24d8bae0be2136972816b", "Workers Tail Read"],
    ["f7f0eda5697f475c90846e879bab8666", "Workers KV Storage Write"],
  ]) {
    if (tf.includes(id)) throw new Error(`Fix all should remove ${name}:\n${tf}`);
  }
  await command(page, "Focus on Problems View");
  await page.locator(".markers-panel .monaco-list-row", { hasText: "no-ip-condition" }).first().waitFor();
  await page.locator(".markers-panel .monaco-list-row", { hasText: "lacks" }).first().waitFor({ state: "detached" });
  // The view follows the analysis: no grant or need of the token is missing or unneeded any more.
  await page.locator(".pane-body .monaco-list-row", { hasText: "missing ·" }).first().waitFor({ state: "detached" });
  await page
    .locator(".pane-body .monaco-list-row", { hasText: "Workers KV Storage Write" })
    .first()
    .waitFor({ state: "detached" });
  await page
    .locator(".pane-body .monaco-list-row", { hasText: "Zone Read" })
    .filter({ hasText: "needed" })
    .first()
    .waitFor();
  log("Fix all added every missing group and removed the unneeded ones; no missing-group left; the view refreshed");
  await shot("fix-all.png");

  // 7. Generate Minimal Token for the CI job: the union of its two commands, as minimal-token.tf.
  await command(page, "Generate Minimal Token");
  await pickQuickItem(page, "the union of its 2 commands");
  await pickQuickItem(page, "Terraform");
  await page.locator(".part.editor .tab.active", { hasText: "minimal-token.tf" }).waitFor();
  await editorShows(page, "09b2857d1c31407795e75e3fed8617a1");
  await editorShows(page, "wrangler d1 migrations apply DB --remote, wrangler deploy");
  await page.locator(".statusbar-item", { hasText: "Terraform" }).first().waitFor();
  log("generated minimal-token.tf for the job, with D1 Write");
  await shot("generate-job.png");
  await page.keyboard.press("Escape");

  // 8. The rule link of a diagnostic opens the rule page (shipped in the .vsix) in the editor.
  await openFile(page, "infra/token.tf");
  await command(page, "Focus on Problems View");
  const link = page
    .locator(".markers-panel .monaco-list-row .monaco-link, .markers-panel .monaco-list-row a", {
      hasText: "no-ip-condition",
    })
    .first();
  await link.click();
  await page.locator(".part.editor .tab.active", { hasText: "no-ip-condition.md" }).waitFor();
  await editorShows(page, "# no-ip-condition");
  log("rule page opened in the editor");
  await shot("rule-page.png");

  // 9. The output channel says what was analysed.
  await command(page, "Output: Show Output Channels");
  await pickQuickItem(page, "Wrangler Token Lint");
  await editorShows(page, "deploys: deploy.yml › deploy › Apply migrations", ".panel .monaco-editor");
  log("output channel logs the analysis");
  await shot("output-log.png");
}

(async () => {
  const { browser, page, blocked } = await openPage(timeout);
  let rc = 1;
  try {
    await run(page);
    console.log("PASS");
    rc = 0;
  } catch (e) {
    console.log(
      "FAIL: " +
        String(e && e.message)
          .split("\n")
          .slice(0, 8)
          .join("\n"),
    );
    await page.screenshot({ path: path.join(shotDir, "workbench-failure.png") }).catch(() => {});
  } finally {
    await browser.close();
  }
  if (blocked.length) console.log(`blocked requests to: ${[...new Set(blocked)].join(", ")}`);
  process.exit(rc);
})();
