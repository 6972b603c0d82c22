// UI check of the branch review (issue 11) in code-server: the check first builds the workspace as a real git
// repository — main holds a Worker whose production deploy (a GitHub workflow) uses a Terraform token; the branch
// `feature` adds a D1 binding in production and gives the token Workers Tail Read. Then, with VS Code's git
// extension on: *Review Token Permission Changes…* offers the local main, opens the review in the Token
// Permissions view (summary, the deploy now needing D1 Write that its token lacks, the widened token), the
// Problems panel marks the new findings "[new on branch]", the token gets a "+1 group vs main" lens, a base
// place opens the file at the base commit; merging a new main moves the merge-base and checking out main leaves
// nothing to report, each refreshing the review.
// Screenshots into SHOT_DIR (review.png is the README's). Env: CS_URL, WS (an empty folder), SHOT_DIR, TIMEOUT_MS.
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { openPage, logger } = require("./browser.cjs");

const ws = process.env.WS;
const shotDir = process.env.SHOT_DIR || ".";
const timeout = Number(process.env.TIMEOUT_MS || 60000);
const log = logger();

const ACCOUNT = "0123456789abcdef0123456789abcdef";
const CONFIG = `name = "shop"
main = "src/index.js"
compatibility_date = "2025-06-01"
account_id = "${ACCOUNT}"
workers_dev = false

[env.production]
routes = [{ pattern = "shop.example.com/*", zone_id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }]
`;
const D1 = `
[[env.production.d1_databases]]
binding = "DB"
database_name = "orders"
`;
const TAIL = `      { id = "05880cd1bdc24d8bae0be2136972816b" }, # Workers Tail Read\n`;
const token = (extra) => `resource "cloudflare_account_token" "shop" {
  account_id = "${ACCOUNT}"
  name       = "shop deploy"
  policies = [{
    effect = "allow"
    permission_groups = [
      { id = "e086da7e2179491d91ee5f35b3ca210a" }, # Workers Scripts Write
${extra}    ]
    resources = jsonencode({ "com.cloudflare.api.account.${ACCOUNT}" = "*" })
  }, {
    effect            = "allow"
    permission_groups = [{ id = "28f4b596e7d643029c524985477ae49a" }] # Workers Routes Write
    resources         = jsonencode({ "com.cloudflare.api.account.zone.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" = "*" })
  }]
  expires_on = "2027-06-01T00:00:00Z"
  condition  = { request_ip = { in = ["192.0.2.0/24"] } }
}

resource "github_actions_secret" "shop_token" {
  repository      = "shop"
  secret_name     = "CLOUDFLARE_API_TOKEN"
  plaintext_value = cloudflare_account_token.shop.value
}
`;
const WORKFLOW = `name: deploy shop
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Deploy shop
        uses: cloudflare/wrangler-action@v3
        with:
          apiToken: \${{ secrets.CLOUDFLARE_API_TOKEN }}
          command: deploy --env production
`;

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
  GIT_AUTHOR_DATE: "2026-11-01T12:00:00Z",
  GIT_COMMITTER_DATE: "2026-11-01T12:00:00Z",
};
const git = (...args) => execFileSync("git", args, { cwd: ws, env: GIT_ENV, encoding: "utf8" }).trim();
const write = (files) => {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel), text);
  }
};

/** The workspace: a base commit on main, a head commit on feature (checked out). Returns the base commit. */
function buildRepository() {
  git("init", "-q", "-b", "main");
  // The e2e profile turns git off for the other checks; this folder turns it on (kept out of the commits).
  write({ ".vscode/settings.json": `{ "git.enabled": true, "git.openRepositoryInParentFolders": "never" }\n` });
  fs.appendFileSync(path.join(ws, ".git/info/exclude"), ".vscode/\n");
  write({
    "wrangler.toml": CONFIG,
    "src/index.js": "export default { fetch() { return new Response('shop'); } };\n",
    "infra/shop-token.tf": token(""),
    ".github/workflows/deploy.yml": WORKFLOW,
  });
  git("add", "-A");
  git("commit", "-q", "--no-verify", "-m", "shop on main");
  const base = git("rev-parse", "HEAD");
  git("checkout", "-q", "-b", "feature");
  write({ "wrangler.toml": CONFIG + D1, "infra/shop-token.tf": token(TAIL) });
  git("commit", "-q", "--no-verify", "-am", "shop: D1 in production; token: Workers Tail Read");
  return base;
}

async function quickInput(page, text) {
  const input = page.locator(".quick-input-widget input");
  await input.waitFor();
  await input.fill(text);
}

async function pick(page, label) {
  const row = page.locator(".quick-input-list .monaco-list-row", { hasText: label }).first();
  await row.waitFor();
  await row.click();
}

async function openFile(page, rel) {
  await page.keyboard.press("Control+P");
  await quickInput(page, rel);
  await page
    .locator(".quick-input-list .monaco-list-row", { hasText: path.basename(rel) })
    .first()
    .waitFor();
  await page.keyboard.press("Enter");
  await page.locator(".tab.active", { hasText: path.basename(rel) }).waitFor();
}

function viewRow(page, text) {
  return page.locator(".pane-body .monaco-list-row[aria-level]", { hasText: text }).first();
}

async function expand(row) {
  await row.waitFor();
  if ((await row.getAttribute("aria-expanded")) !== "true") await row.locator(".monaco-tl-twistie").click();
}

/** The side bar dragged wider, so the view's descriptions are readable in the screenshot. */
async function widenSidebar(page) {
  const bar = await page.locator(".part.sidebar").boundingBox();
  if (!bar || bar.width > 560) return;
  const x = bar.x + bar.width + 1;
  const y = bar.y + bar.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 360, y, { steps: 5 });
  await page.mouse.up();
}

async function run(page, base) {
  const shot = (name) => page.screenshot({ path: path.join(shotDir, name) });
  await page.goto(process.env.CS_URL);
  await page.locator(".monaco-workbench").waitFor();
  await page
    .locator(".monaco-workbench")
    .click({ position: { x: 700, y: 450 } })
    .catch(() => {});
  // The git extension has opened the repository: the branch is in the status bar.
  await page.locator(".statusbar-item", { hasText: "feature" }).first().waitFor();
  log("git extension sees branch feature");

  // 1. The command offers the local main (compared at its merge-base with HEAD) and opens the review.
  await openFile(page, "infra/shop-token.tf");
  await page.keyboard.press("F1");
  await quickInput(page, ">Review Token Permission Changes");
  await pick(page, "Review Token Permission Changes");
  await page
    .locator(".quick-input-list .monaco-list-row", { hasText: `merge-base ${base.slice(0, 7)}` })
    .first()
    .waitFor();
  await pick(page, "the local main branch");
  await page.locator(".part.sidebar .composite.title", { hasText: "Token Permissions" }).first().waitFor();
  await widenSidebar(page);
  const summary = viewRow(page, "Widens access or breaks a deploy");
  await summary.waitFor();
  const text = (await summary.innerText()).replace(/\s+/g, " ");
  if (
    !text.includes(`vs merge-base with main (${base.slice(0, 7)})`) ||
    !text.includes("1 deploy changed · 1 token changed · 1 widened · 1 deploy now lacking")
  )
    throw new Error(`summary: ${text}`);
  log("summary: " + text);

  // 2. The delta: the deploy now needs D1 Write, which its token lacks; the token gained Workers Tail Read.
  await expand(viewRow(page, "~ deploy.yml › deploy › Deploy shop"));
  await viewRow(page, "+ D1 Write").waitFor();
  await viewRow(page, "lacks D1 Write").waitFor();
  const tokenRow = viewRow(page, "~ shop deploy");
  await expand(tokenRow);
  await viewRow(page, "+ Workers Tail Read").waitFor();
  log("view lists the deploy's and the token's delta");

  // 3. The lens on the changed token (VS Code fetches lenses again once the editor has the focus). The summary
  // row is selected first (it opens nothing), so that the lens has to move the selection.
  await summary.click();
  await page.locator(".pane-body .monaco-list-row.selected", { hasText: "Widens access or breaks a deploy" }).waitFor();
  await page
    .locator(".editor-instance .monaco-editor .view-lines")
    .first()
    .click({ position: { x: 400, y: 380 } });
  const lens = page.locator(".monaco-editor .codelens-decoration a", { hasText: "+1 group vs main · widens" }).first();
  await lens.waitFor().catch(async (e) => {
    const shown = await page.locator(".monaco-editor .codelens-decoration").allInnerTexts();
    throw new Error(`${e.message.split("\n")[0]}; lenses shown: ${JSON.stringify(shown)}`);
  });
  log("lens: " + (await lens.innerText()));
  // The lens shows the token's delta in the view.
  await lens.click();
  await page.locator(".pane-body .monaco-list-row.selected", { hasText: "~ shop deploy" }).waitFor();
  log("the lens selected the token's delta in the view");

  // 4. The Problems panel marks what is new on the branch; the filter keeps only those.
  await page.keyboard.press("Control+Shift+M");
  await page
    .locator(".markers-panel .monaco-list-row", { hasText: "[new on branch]" })
    .filter({ hasText: "D1 Write" })
    .first()
    .waitFor();
  const filter = page.locator(".markers-panel-action-filter input, .viewpane-filter input").first();
  await filter.fill("[new on branch]");
  await page
    .locator(".markers-panel .monaco-list-row", { hasText: "blast-radius" })
    .first()
    .waitFor({ state: "detached" });
  await page
    .locator(".markers-panel .monaco-list-row", { hasText: "[new on branch]" })
    .filter({ hasText: "Workers Tail Read" })
    .first()
    .waitFor();
  log("Problems: new findings marked and filtered");
  await shot("review.png");

  // 5. A place in base opens the file at the base commit (git: URI): the base token has no Workers Tail Read id.
  await filter.fill("");
  const baseVersion = page
    .locator('.pane-body .monaco-list-row[aria-level="3"]', { hasText: "base version" })
    .filter({ hasText: "base infra/shop-token.tf" })
    .first();
  await baseVersion.click();
  await page.locator(".tab.active", { hasText: "shop-token.tf" }).waitFor();
  await page.waitForFunction(() =>
    [...document.querySelectorAll(".editor-instance .monaco-editor .view-lines")].some(
      (e) =>
        e.textContent.includes("e086da7e2179491d91ee5f35b3ca210a") &&
        !e.textContent.includes("05880cd1bdc24d8bae0be2136972816b"),
    ),
  );
  log("base version opened without Workers Tail Read");
  await shot("review-base.png");

  // 6. HEAD moves without touching an analysed file: main gets a commit (a README) that the branch merges. The
  // review is made again against the new merge-base (the git extension's state change, not a file change).
  git("checkout", "-q", "main");
  write({ "README.md": "# shop\n" });
  git("add", "README.md");
  git("commit", "-q", "--no-verify", "-m", "readme on main");
  const main2 = git("rev-parse", "HEAD");
  git("checkout", "-q", "feature");
  git("merge", "-q", "--no-edit", "main");
  await viewRow(page, `vs merge-base with main (${main2.slice(0, 7)})`).waitFor();
  await viewRow(page, "~ shop deploy").waitFor();
  log(`after merging main: compared with the new merge-base ${main2.slice(0, 7)}`);

  // 7. Checking out main: the review is made again and finds nothing to report.
  git("checkout", "-q", "main");
  await viewRow(page, "No widened token, no deploy newly lacking").waitFor();
  await viewRow(page, "~ shop deploy").waitFor({ state: "detached" });
  log("after checkout of main: no change");
}

(async () => {
  const base = buildRepository();
  const { browser, page, blocked } = await openPage(timeout);
  let rc = 1;
  try {
    await run(page, base);
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
    await page.screenshot({ path: path.join(shotDir, "review-failure.png") }).catch(() => {});
  } finally {
    await browser.close();
  }
  if (blocked.length) console.log(`blocked requests to: ${[...new Set(blocked)].join(", ")}`);
  process.exit(rc);
})();
