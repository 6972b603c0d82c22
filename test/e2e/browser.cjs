// Headless Chromium for the code-server checks, held to 127.0.0.1: requests to any other host are aborted (the
// workbench's marketplace look-ups, for instance), and the resolver cannot name other hosts.
// playwright-core comes from the e2e tools folder (NODE_PATH), not from the project's dependencies.
const { chromium } = require("playwright-core");

const LOCAL = new Set(["127.0.0.1"]);

/** @returns {Promise<{ browser: import("playwright-core").Browser, page: import("playwright-core").Page, blocked: string[] }>} */
async function openPage(timeoutMs) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  const blocked = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === "data:" || url.protocol === "blob:" || LOCAL.has(url.hostname)) return route.continue();
    blocked.push(url.host);
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  return { browser, page, blocked };
}

/** Logs with seconds since start. */
function logger() {
  const t0 = Date.now();
  return (m) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
}

module.exports = { openPage, logger };
