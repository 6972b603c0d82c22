#!/bin/sh
# Installs the tools the whole test suite needs beyond npm packages (each installer is idempotent):
# the oracle tests' Node 22 + pinned wrangler, and the editor tests' Chromium, Neovim, Node 24 and code-server.
set -eu
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
sh "$ROOT/scripts/install-oracle-tools.sh"
if [ -f "$ROOT/scripts/install-e2e-tools.sh" ]; then sh "$ROOT/scripts/install-e2e-tools.sh"; fi
