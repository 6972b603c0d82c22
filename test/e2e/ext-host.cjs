// Runs the extension test suite (exports.run format) inside code-server's remote extension host: the web
// workbench reads extensionDevelopmentPath/extensionTestsPath from the URL `payload` (honoured when code-server
// runs with --vscode-option enable-smoke-test-driver) and reports the exit code via window.codeAutomationExit.
// Env: CS_ORIGIN, WS, EXT_DEV (absolute), EXT_TESTS (absolute), SHOT_DIR, TIMEOUT_MS.
const path = require("node:path");
const { openPage, logger } = require("./browser.cjs");

const origin = process.env.CS_ORIGIN;
const authority = new URL(origin).host;
const remote = (p) => `vscode-remote://${authority}${p}`;
const payload = [
  ["extensionDevelopmentPath", remote(process.env.EXT_DEV)],
  ["extensionTestsPath", remote(process.env.EXT_TESTS)],
];
const url = `${origin}/?folder=${encodeURIComponent(process.env.WS)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
const timeout = Number(process.env.TIMEOUT_MS || 120000);
const log = logger();

(async () => {
  const { browser, page, blocked } = await openPage(timeout);
  page.on("console", (m) => {
    // Extension host output arrives as "%c INFO color: #33f <text>"; keep the suite's lines and real errors.
    const t = m.text().replace(/^%c\s+\w+\s+color:\s*#\w+\s*/, "");
    if (/open-vsx|Gallery|Failed to load resource|languagedetection/.test(t)) return;
    if (/^(ok|not ok|#)\b/.test(t) || /wrangler-token-lint/.test(t) || /^\w*Error/.test(t))
      console.log("[ext host] " + t.slice(0, 600));
  });
  let done;
  const exited = new Promise((r) => (done = r));
  await page.exposeFunction("codeAutomationExit", (code) => done(code));
  await page.goto(url);
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("timeout"), timeout))]);
  await page.screenshot({ path: path.join(process.env.SHOT_DIR || ".", "ext-host-tests.png") }).catch(() => {});
  await browser.close();
  if (blocked.length) log(`blocked requests to: ${[...new Set(blocked)].join(", ")}`);
  log(`extension tests exit code: ${code}`);
  process.exit(code === 0 ? 0 : 1);
})();
