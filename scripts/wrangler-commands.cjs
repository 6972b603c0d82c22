// Prints the command tree of an installed wrangler as JSON: every command and alias in wrangler's own command
// registry (the one `wrangler --help` and `wrangler <namespace> --help` render, hidden commands included).
// Run it with the Node that runs wrangler (22+):
//   node scripts/wrangler-commands.cjs <path to wrangler's package directory>
// test/catalog/commands.test.ts compares its output with test/fixtures/wrangler-commands.json and that snapshot
// with the command catalog (server/src/core/data/commands.json).
"use strict";
const { join } = require("node:path");

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node scripts/wrangler-commands.cjs <wrangler package dir>");
  process.exit(2);
}
const wrangler = require(join(dir, "wrangler-dist", "cli.js"));
const { registry } = wrangler.experimental_getWranglerCommands();
const out = [];
(function walk(node, path) {
  for (const [name, child] of node.subtree.entries()) {
    const words = [...path, name];
    const d = child.definition;
    if (d && d.type === "command")
      out.push({ command: words.join(" "), ...(d.metadata && d.metadata.hidden ? { hidden: true } : {}) });
    else if (d && d.type === "alias")
      out.push({ command: words.join(" "), aliasOf: String(d.aliasOf).replace(/^wrangler /, "") });
    walk(child, words);
  }
})(registry, []);
out.sort((a, b) => (a.command < b.command ? -1 : a.command > b.command ? 1 : 0));
process.stdout.write(
  JSON.stringify({ wrangler: require(join(dir, "package.json")).version, commands: out }, null, 1) + "\n",
);
