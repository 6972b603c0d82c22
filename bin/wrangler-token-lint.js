#!/usr/bin/env node
// The CLI's installed entry: the bundled CLI does the work.
require("../server/out/cli.js");
