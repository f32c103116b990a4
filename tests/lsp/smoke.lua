-- Headless Neovim smoke test (Neovim 0.7+): start resume-lint's server on the file given on
-- the command line and write the diagnostics Neovim received, one per line, to
-- $RESUME_LINT_RESULT as "line:col code severity message" (Neovim's 0-based line and byte column).
-- Run by tests/server.rs: nvim --headless --clean -n -u NONE -S smoke.lua resume.md
local bin = os.getenv("RESUME_LINT_BIN")
local result = os.getenv("RESUME_LINT_RESULT")
local buf = vim.api.nvim_get_current_buf()

-- The same call the README's Neovim set-up makes (vim.lsp.start is 0.8+; start_client is in 0.7).
local client_id = vim.lsp.start_client({ name = "resume-lint", cmd = { bin, "server" }, root_dir = vim.fn.getcwd() })
vim.lsp.buf_attach_client(buf, client_id)

local arrived = vim.wait(10000, function() return #vim.diagnostic.get(buf) > 0 end, 20)

local lines = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  -- 0.7 keeps the LSP code in user_data; later versions also copy it to `code`.
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or "?"
  table.insert(lines, string.format("%d:%d %s %d %s", d.lnum, d.col, code, d.severity, d.message))
end
table.sort(lines)
vim.fn.writefile(lines, result)

vim.lsp.stop_client(client_id)
vim.wait(5000, function() return vim.lsp.client_is_stopped(client_id) end, 20)
if arrived then vim.cmd("qall!") else vim.cmd("cquit!") end
