#!/usr/bin/env bash
# VS Code end-to-end check in code-server (VS Code's server build) with headless Chromium:
#   1. build, package the .vsix, install it into a fresh code-server profile;
#   2. UI check of the installed .vsix (test/e2e/ui.cjs): squiggle, Problems row, hover, quick fix, Generate
#      Minimal Token…; screenshots into test-output/screenshots/;
#   3. the permissions workbench (test/e2e/workbench.cjs) on test/fixtures/lsp/workbench, in Restricted Mode:
#      inlay hints, lens → Token Permissions view, view navigation, binding hover, Show Required Permissions,
#      a quick fix per missing group and Fix all, Generate Minimal Token for a CI job, the rule page, the log;
#   4. the branch review (test/e2e/review.cjs) on a git repository it builds: Review Token Permission Changes…,
#      the Review section, [new on branch] in the Problems panel, the token lens, the base as a git: document;
#   5. the extension test suite (test/e2e/suite) in code-server's extension host, development copy.
# Only 127.0.0.1 is contacted: code-server gets a dead proxy for anything else, Chromium aborts other hosts.
# Exits non-zero when any step fails. Env: PORT (default 8397), E2E_TOOLS, SKIP_INSTALL=1, SKIP_BUILD=1,
# E2E_ONLY=ui,workbench,review,ext (a comma list of the checks to run; default all four).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=${E2E_TOOLS:-$ROOT/.scratch/e2e-tools}
PORT=${PORT:-8397}
RUN="$ROOT/.scratch/e2e-run"
SHOTS="$ROOT/test-output/screenshots"
SCENARIO="$ROOT/test/e2e/scenario.json"

[ "${SKIP_INSTALL:-}" = 1 ] || bash "$ROOT/scripts/install-e2e-tools.sh"
N24="$TOOLS/node24/node_modules/node"
CS="$TOOLS/cs/node_modules/.bin/code-server"
export NODE_PATH="$TOOLS/js/node_modules"

cd "$ROOT"
[ "${SKIP_BUILD:-}" = 1 ] || npm run build
VSIX="$RUN/wrangler-token-lint.vsix" bash scripts/e2e-package.sh >/dev/null
# The suite runs from source in the extension host: bundle it (vscode is provided by the host).
npx esbuild test/e2e/suite/index.ts --bundle --platform=node --format=cjs --target=node20 --external:vscode \
  --outfile="$RUN/suite/index.js" --log-level=warning

fixture=$(node -p "require('$SCENARIO').fixture")
fresh_workspace() { rm -rf "$RUN/ws"; mkdir -p "$RUN/ws"; cp -R "$ROOT/${1:-$fixture}/." "$RUN/ws/"; }

UD="$RUN/user"; XD="$RUN/exts"
rm -rf "$UD" "$XD"; [ -n "${E2E_ONLY:-}" ] || rm -rf "$SHOTS"; mkdir -p "$UD/User" "$XD" "$SHOTS"
cat > "$UD/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.colorTheme": "Default Dark Modern",
  "security.workspace.trust.enabled": false,
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "chat.disableAIFeatures": true,
  "editor.hover.delay": 200,
  "editor.minimap.enabled": false,
  "files.autoSave": "off",
  "window.commandCenter": false,
  "git.enabled": false,
  "git.openRepositoryInParentFolders": "never"
}
JSON

export PATH="$N24/bin:$PATH"
export XDG_CONFIG_HOME="$RUN/xdg/config" XDG_DATA_HOME="$RUN/xdg/data" XDG_CACHE_HOME="$RUN/xdg/cache"
# Anything code-server tries beyond 127.0.0.1 goes to a closed local port.
export HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9
export NO_PROXY=127.0.0.1 no_proxy=127.0.0.1
"$CS" --user-data-dir "$UD" --extensions-dir "$XD" --install-extension "$RUN/wrangler-token-lint.vsix" >/dev/null

# A second profile with workspace trust on: the workbench check runs in Restricted Mode.
UD_TRUST="$RUN/user-trust"; rm -rf "$UD_TRUST"; mkdir -p "$UD_TRUST/User"
node -e 'const s=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); s["security.workspace.trust.enabled"]=true; s["security.workspace.trust.startupPrompt"]="always"; require("fs").writeFileSync(process.argv[2], JSON.stringify(s,null,2))' "$UD/User/settings.json" "$UD_TRUST/User/settings.json"

CS_PID=
start_server() { # start_server [user-data-dir] [trust]
  local ud=${1:-$UD} trust=--disable-workspace-trust
  [ "${2:-}" = trust ] && trust=
  "$CS" --auth none --bind-addr "127.0.0.1:$PORT" --user-data-dir "$ud" --extensions-dir "$XD" \
    --disable-telemetry --disable-update-check $trust --disable-getting-started-override \
    --vscode-option enable-smoke-test-driver "$RUN/ws" > "$RUN/code-server.log" 2>&1 &
  CS_PID=$!
  for _ in $(seq 1 120); do
    curl -fsS --noproxy 127.0.0.1 -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && return 0
    kill -0 "$CS_PID" 2>/dev/null || { cat "$RUN/code-server.log"; return 1; }
    sleep 0.5
  done
  echo "code-server did not answer on port $PORT" >&2
  return 1
}
stop_server() {
  if [ -n "$CS_PID" ]; then kill "$CS_PID" 2>/dev/null || true; wait "$CS_PID" 2>/dev/null || true; CS_PID=; fi
}
trap stop_server EXIT

want() { [[ ",${E2E_ONLY:-ui,workbench,review,ext}," == *",$1,"* ]]; }

rc=0
if want ui; then
echo "-- UI check of the installed .vsix"
fresh_workspace
start_server
CS_URL="http://127.0.0.1:$PORT/?folder=$RUN/ws" WS="$RUN/ws" SHOT_DIR="$SHOTS" SCENARIO="$SCENARIO" \
  "$N24/bin/node" test/e2e/ui.cjs || rc=1
stop_server
fi

if want workbench; then
echo "-- permissions workbench (Restricted Mode)"
fresh_workspace test/fixtures/lsp/workbench
start_server "$UD_TRUST" trust
CS_URL="http://127.0.0.1:$PORT/?folder=$RUN/ws" WS="$RUN/ws" SHOT_DIR="$SHOTS" \
  "$N24/bin/node" test/e2e/workbench.cjs || rc=1
stop_server
fi

if want review; then
echo "-- branch review (a git repository the check builds, git extension on)"
rm -rf "$RUN/ws"; mkdir -p "$RUN/ws"
start_server
CS_URL="http://127.0.0.1:$PORT/?folder=$RUN/ws" WS="$RUN/ws" SHOT_DIR="$SHOTS" "$N24/bin/node" test/e2e/review.cjs || rc=1
stop_server
fi

if want ext; then
echo "-- extension tests in code-server's extension host"
fresh_workspace
rm -rf "$UD/User/workspaceStorage"
start_server
CS_ORIGIN="http://127.0.0.1:$PORT" WS="$RUN/ws" EXT_DEV="$ROOT" EXT_TESTS="$RUN/suite/index.js" SHOT_DIR="$SHOTS" \
  "$N24/bin/node" test/e2e/ext-host.cjs || rc=1
stop_server

fi

ls "$SHOTS"
[ $rc -eq 0 ] && echo "e2e (code-server): PASS" || echo "e2e (code-server): FAIL"
exit $rc
