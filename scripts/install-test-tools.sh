#!/usr/bin/env bash
# Installs the tools the whole test suite needs beyond npm packages (each installer is idempotent):
# the oracle tests' Node 22 + pinned wrangler, and the editor tests' Chromium, Neovim, Node 24 and code-server.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
sh "$ROOT/scripts/install-oracle-tools.sh"
bash "$ROOT/scripts/install-e2e-tools.sh"
