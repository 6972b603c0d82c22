-- Headless Neovim as a second LSP client (over stdio) for the language server.
-- Usage: WTL_SERVER=server/out/server.js WTL_EXPECT=<rule-id> nvim --headless --clean -n -u test/e2e/nvim-lsp.lua FILE
-- The workspace root is WTL_ROOT (default: the file's directory). Settings for the server come from WTL_SETTINGS
-- (JSON of the wranglerTokenLint section). Exits 0 when a diagnostic with code WTL_EXPECT arrives, 1 otherwise.
local server = assert(os.getenv('WTL_SERVER'), 'set WTL_SERVER')
local expect = assert(os.getenv('WTL_EXPECT'), 'set WTL_EXPECT')
local timeout_ms = tonumber(os.getenv('WTL_TIMEOUT_MS') or '20000')
local function out(s) io.stdout:write(s .. '\n') end

local function run()
  local file = vim.fn.argv(0)
  if file == '' then out('FAIL: no file argument'); return 1 end
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local root = os.getenv('WTL_ROOT') or vim.fn.fnamemodify(file, ':p:h')
  local settings = { wranglerTokenLint = vim.fn.json_decode(os.getenv('WTL_SETTINGS') or '{}') }
  local cfg = {
    name = 'wrangler-token-lint',
    cmd = { os.getenv('WTL_NODE') or 'node', server, '--stdio' },
    root_dir = root,
    settings = settings,
    -- Neovim answers workspace/configuration from `settings`; push them once too for older versions.
    on_init = function(client)
      client.notify('workspace/didChangeConfiguration', { settings = settings })
    end,
  }
  if vim.lsp.start then          -- Neovim >= 0.8
    vim.lsp.start(cfg, { bufnr = buf })
  else                           -- Neovim 0.7 (Debian 12)
    local id = vim.lsp.start_client(cfg)
    if not id then out('FAIL: could not start the client'); return 1 end
    vim.lsp.buf_attach_client(buf, id)
  end
  local function found()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      if code == expect then return true end
    end
    return false
  end
  local ok = vim.wait(timeout_ms, found, 50)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?'
    out(string.format('%s:%d:%d: [%s] %s', file, d.lnum + 1, d.col + 1, code, d.message))
  end
  if ok then out('PASS'); return 0 end
  out('FAIL: no ' .. expect .. ' diagnostic within ' .. timeout_ms .. ' ms')
  return 1
end

local ok, rc = pcall(run)
if not ok then out('FAIL: ' .. tostring(rc)); rc = 1 end
vim.lsp.stop_client(vim.lsp.get_active_clients())
io.stdout:flush()
vim.cmd((rc == 0) and 'qall!' or 'cquit! 1')
