// UI check of the packaged extension in code-server, driven by headless Chromium: the squiggle and Problems
// row of a finding, a hover, a quick fix applied and saved (the file's new text is checked on disk),
// Generate Minimal Token… through its pickers (one command), and Show Required Permissions (the view). Screenshots go to SHOT_DIR.
// Env: CS_URL (workbench URL with ?folder=), WS (that folder on disk), SHOT_DIR, TIMEOUT_MS, SCENARIO (JSON file).
const fs = require("node:fs");
const path = require("node:path");
const { openPage, logger } = require("./browser.cjs");

const scenario = JSON.parse(fs.readFileSync(process.env.SCENARIO, "utf8"));
const ws = process.env.WS;
const shotDir = process.env.SHOT_DIR || ".";
const timeout = Number(process.env.TIMEOUT_MS || 60000);
const log = logger();

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

/** Screen box of the last rendered editor token containing `text`. */
async function textBox(page, text) {
  const span = page.locator(".editor-instance .monaco-editor .view-lines span span", { hasText: text }).last();
  await span.waitFor();
  const box = await span.boundingBox();
  if (!box) throw new Error(`text ${text} is not on screen`);
  return box;
}

/** Puts the cursor inside the token containing `text`. */
async function clickText(page, text) {
  const box = await textBox(page, text);
  await page.mouse.click(box.x + Math.min(4, box.width / 2), box.y + box.height / 2);
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

async function run(page) {
  const shot = (name) => page.screenshot({ path: path.join(shotDir, name) });
  await page.goto(process.env.CS_URL);
  await page.locator(".monaco-workbench").waitFor();
  log("workbench loaded");

  // Open the file through Quick Open.
  await page
    .locator(".monaco-workbench")
    .click({ position: { x: 700, y: 450 } })
    .catch(() => {});
  await page.keyboard.press("Control+P");
  await quickInput(page, scenario.file);
  await page.locator(".quick-input-list .monaco-list-row").first().waitFor();
  await page.keyboard.press("Enter");
  await page.locator(".tab.active", { hasText: path.basename(scenario.file) }).waitFor();
  log(`${scenario.file} open`);

  const squiggle = page.locator(`.monaco-editor .squiggly-${scenario.severity}`).first();
  await squiggle.waitFor();
  log("squiggle visible");
  await page
    .locator(".monaco-editor .codelens-decoration")
    .first()
    .waitFor({ timeout: scenario.codeLens ? timeout : 1 })
    .catch((e) => {
      if (scenario.codeLens) throw e;
    });
  await shot("editor-squiggle.png");

  await page.keyboard.press("Control+Shift+M");
  const problem = page.locator(".markers-panel .monaco-list-row", { hasText: scenario.problem }).first();
  await problem.waitFor();
  log("Problems row: " + (await problem.innerText()).replace(/\s+/g, " "));
  await shot("problems-panel.png");

  // Hover over the finding.
  // The squiggle is a zero-height overlay for Playwright, so hover the source text it underlines.
  const box = await textBox(page, scenario.hoverOn);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const hover = page.locator(".monaco-hover, .workbench-hover", { hasText: scenario.hover }).first();
  await hover.waitFor();
  log("hover: " + (await hover.innerText()).replace(/\s+/g, " ").slice(0, 160));
  await shot("hover.png");
  await page.mouse.move(5, 450);
  await page.keyboard.press("Escape");

  // Quick fix at the finding: go to its position, open the light bulb menu, pick the fix, save.
  await clickText(page, scenario.fixOn);
  // Ctrl+. only once the light bulb is shown: the code-action request that the cursor move starts (after a short
  // delay) would otherwise replace the one Ctrl+. starts, and the menu would not open.
  await page.locator(".monaco-editor .lightBulbWidget").filter({ visible: true }).first().waitFor();
  await page.keyboard.press("Control+.");
  const fix = page.locator(".action-widget .monaco-list-row", { hasText: scenario.quickFix }).first();
  await fix.waitFor();
  await shot("quick-fix.png");
  await fix.click();
  await page.keyboard.press("Control+S");
  await waitForFile(
    path.join(ws, scenario.file),
    (t) => t.includes(scenario.afterFix) && !(scenario.afterFixAbsent && t.includes(scenario.afterFixAbsent)),
    `the saved file should contain ${JSON.stringify(scenario.afterFix)} and not ${JSON.stringify(scenario.afterFixAbsent)}`,
  );
  // The finding is gone once the server has analysed the new text.
  await page.locator(".markers-panel .monaco-list-row", { hasText: scenario.problem }).waitFor({ state: "detached" });
  log("quick fix applied and saved");

  // Generate Minimal Token… through its pickers.
  await page.keyboard.press("F1");
  await quickInput(page, ">Generate Minimal Token");
  await pickQuickItem(page, "Generate Minimal Token");
  for (const label of scenario.generate.picks) {
    await pickQuickItem(page, label);
  }
  await page.locator(".tab.active", { hasText: scenario.generate.tab }).waitFor();
  const editorText = page.locator(".editor-instance .monaco-editor .view-lines").last();
  await page.waitForFunction(
    ([sel, want]) =>
      [...document.querySelectorAll(sel)].some((e) => e.textContent.replace(/\u00a0/g, " ").includes(want)),
    [".editor-instance .monaco-editor .view-lines", scenario.generate.expect],
  );
  // The "Copy / Open Dashboard Link" message: a toast, or (when the toast has already hidden) in the center.
  const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "Minimal token generated" });
  if (!(await toast.isVisible())) {
    await page.keyboard.press("F1");
    await quickInput(page, ">Notifications: Show Notifications");
    await pickQuickItem(page, "Show Notifications");
  }
  await page
    .locator(".notifications-toasts, .notifications-center", { hasText: "Minimal token generated" })
    .filter({ hasText: "Copy" })
    .first()
    .waitFor();
  await page.locator(".quick-input-widget").waitFor({ state: "hidden" });
  log("generated token: " + (await editorText.innerText()).replace(/\s+/g, " ").slice(0, 160));
  await shot("generate-token.png");
  await page.keyboard.press("Escape");

  // Show Required Permissions for the open wrangler.toml: the text report opens beside it.
  await page.locator(".explorer-folders-view .monaco-list-row", { hasText: scenario.generate.config }).first().click();
  await page.locator(".tab.active", { hasText: scenario.generate.config }).waitFor();
  // The language status (summed counts from the server's status notification) sits behind the {} item.
  await page.locator(".statusbar-item", { hasText: "TOML" }).first().waitFor();
  const langStatus = page
    .locator('[id="status.languageStatus"] .statusbar-item-label, [id="status.languageStatus"]')
    .first();
  await langStatus.click();
  const counts = page.locator(".monaco-hover, .workbench-hover, .context-view", { hasText: scenario.status }).first();
  await counts.waitFor();
  log("language status: " + (await counts.innerText()).replace(/\s+/g, " ").slice(0, 120));
  await shot("language-status.png");
  await page.keyboard.press("Escape");
  // Show Required Permissions: the Token Permissions view, with the deploy of the open config revealed.
  await page.keyboard.press("F1");
  await quickInput(page, ">Show Required Permissions");
  await pickQuickItem(page, "Show Required Permissions");
  await page.locator(".pane-body .monaco-list-row.selected", { hasText: "deploy.yml › deploy" }).waitFor();
  await page.locator(".pane-body .monaco-list-row", { hasText: scenario.permissions }).first().waitFor();
  log("required permissions shown in the view");
  await shot("required-permissions.png");
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
          .slice(0, 6)
          .join("\n"),
    );
    await page.screenshot({ path: path.join(shotDir, "failure.png") }).catch(() => {});
  } finally {
    await browser.close();
  }
  if (blocked.length) console.log(`blocked requests to: ${[...new Set(blocked)].join(", ")}`);
  process.exit(rc);
})();
