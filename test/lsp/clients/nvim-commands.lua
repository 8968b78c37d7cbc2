-- Neovim's built-in LSP client runs an sptls command the way a user would: SPTLS_STEP
-- "issue" takes the "Issue certificates" source action of SPTLS_FILE, "handshake" the
-- "Test handshake" code lens; either is executed through workspace/executeCommand and
-- the server's answer is written as JSON to SPTLS_REPORT. Uses the 0.7 API.
local function env(name)
  local value = os.getenv(name)
  if value == nil then error(name .. ' is not set') end
  return value
end
local report_path = env('SPTLS_REPORT')
local report = {}

local function finish(code)
  local f = assert(io.open(report_path, 'w'))
  f:write(vim.fn.json_encode(report))
  f:close()
  vim.cmd((code == 0) and 'qall!' or 'cquit! ' .. code)
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(env('SPTLS_FILE')))
  local buf = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_option(buf, 'filetype', 'sptls')
  local id = vim.lsp.start_client({ name = 'sptls', cmd = vim.fn.json_decode(env('SPTLS_CMD')), root_dir = vim.fn.fnamemodify(env('SPTLS_FILE'), ':p:h') })
  assert(id, 'start_client failed')
  vim.lsp.buf_attach_client(buf, id)
  assert(vim.wait(15000, function() local c = vim.lsp.get_client_by_id(id); return c ~= nil and c.initialized end, 50), 'the server did not initialize')
  local client = vim.lsp.get_client_by_id(id)
  local commands = client.server_capabilities.executeCommandProvider.commands
  local uri = vim.uri_from_bufnr(buf)
  local function request(method, params, timeout)
    local responses = vim.lsp.buf_request_sync(buf, method, params, timeout or 10000)
    assert(responses and responses[id], method .. ': no response')
    assert(responses[id].err == nil, method .. ': ' .. vim.inspect(responses[id].err))
    return responses[id].result
  end

  local command
  if env('SPTLS_STEP') == 'issue' then
    local zero = { line = 0, character = 0 }
    local actions = request('textDocument/codeAction', { textDocument = { uri = uri }, range = { start = zero, ['end'] = zero }, context = { diagnostics = {}, only = { 'source' } } })
    for _, a in ipairs(actions or {}) do
      if a.title == 'Issue certificates (sptls issue)' then command = a.command end
    end
  else
    for _, lens in ipairs(request('textDocument/codeLens', { textDocument = { uri = uri } }) or {}) do
      if lens.command and lens.command.title == 'Test handshake' then command = lens.command end
    end
  end
  assert(command, 'no action or lens for step ' .. env('SPTLS_STEP'))
  report.command = command.command
  report.advertised = vim.tbl_contains(commands, command.command)
  report.result = request('workspace/executeCommand', { command = command.command, arguments = command.arguments }, 60000)
end)

if not ok then report.error = tostring(err) end
finish(ok and 0 or 1)
