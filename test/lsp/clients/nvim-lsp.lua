-- Neovim's built-in LSP client against the sptls server: opens SPTLS_FILE, waits for
-- diagnostics, asks for a hover at SPTLS_HOVER, a completion at SPTLS_COMPLETE and the
-- code actions for the first error on line SPTLS_ACTION_LINE (0-based), and writes what
-- it got as JSON to SPTLS_REPORT.
-- With SPTLS_STEP set it runs an sptls command the way a user would instead: "issue"
-- takes the "Issue certificates" source action, "handshake" the "Test handshake" code
-- lens; either is executed through workspace/executeCommand and the server's answer is
-- reported.
-- Uses the 0.7 API (start_client, buf_request_sync), which later releases still have.
local function env(name)
  local value = os.getenv(name)
  if value == nil then error(name .. ' is not set') end
  return value
end
local report_path = os.getenv('SPTLS_REPORT') or 'nvim-report.json'
local report = { client = 'neovim ' .. tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch) }

local function finish(code)
  local f = assert(io.open(report_path, 'w'))
  f:write(vim.fn.json_encode(report))
  f:close()
  vim.cmd((code == 0) and 'qall!' or 'cquit! ' .. code)
end

local ok, err = pcall(function()
  local cmd = vim.fn.json_decode(env('SPTLS_CMD'))
  local hover_at = vim.fn.json_decode(env('SPTLS_HOVER'))
  local complete_at = vim.fn.json_decode(env('SPTLS_COMPLETE'))
  vim.cmd('edit ' .. vim.fn.fnameescape(env('SPTLS_FILE')))
  local buf = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_option(buf, 'filetype', 'sptls')
  local exited = nil
  local id = vim.lsp.start_client({
    name = 'sptls',
    cmd = cmd,
    root_dir = vim.fn.fnamemodify(env('SPTLS_FILE'), ':p:h'),
    on_exit = function(code) exited = code end,
  })
  assert(id, 'start_client failed')
  vim.lsp.buf_attach_client(buf, id)
  local uri = vim.uri_from_bufnr(buf)
  local function request(method, params, timeout)
    local responses = vim.lsp.buf_request_sync(buf, method, params, timeout or 10000)
    assert(responses and responses[id], method .. ': no response')
    assert(responses[id].err == nil, method .. ': ' .. vim.inspect(responses[id].err))
    return responses[id].result
  end

  local step = os.getenv('SPTLS_STEP')
  if step then
    assert(vim.wait(15000, function() local c = vim.lsp.get_client_by_id(id); return c ~= nil and c.initialized end, 50), 'the server did not initialize')
    local command
    if step == 'issue' then
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
    assert(command, 'no action or lens for step ' .. step)
    report.command = command.command
    report.result = request('workspace/executeCommand', { command = command.command, arguments = command.arguments }, 60000)
    return
  end

  local got = vim.wait(15000, function() return exited ~= nil or #vim.diagnostic.get(buf) > 0 end, 50)
  assert(got and exited == nil, 'no diagnostics within 15 s (server exit: ' .. tostring(exited) .. ')')
  report.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    table.insert(report.diagnostics, { line = d.lnum, character = d.col, code = code, severity = d.severity, source = d.source })
  end


  local hover = request('textDocument/hover', { textDocument = { uri = uri }, position = hover_at })
  report.hover = hover and hover.contents and (hover.contents.value or hover.contents) or vim.NIL

  local completion = request('textDocument/completion', { textDocument = { uri = uri }, position = complete_at })
  local items = completion and (completion.items or completion) or {}
  report.completion = {}
  for _, item in ipairs(items) do table.insert(report.completion, item.label) end

  local action_line = tonumber(env('SPTLS_ACTION_LINE'))
  local first_error = nil
  for _, d in ipairs(vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.ERROR, lnum = action_line })) do
    if first_error == nil then first_error = d end
  end
  report.code_actions = {}
  if first_error then
    local range = { start = { line = first_error.lnum, character = first_error.col }, ['end'] = { line = first_error.end_lnum, character = first_error.end_col } }
    local code = first_error.code or (first_error.user_data and first_error.user_data.lsp and first_error.user_data.lsp.code)
    local lsp_diag = { range = range, message = first_error.message, code = code, source = first_error.source, severity = first_error.severity }
    local actions = request('textDocument/codeAction', { textDocument = { uri = uri }, range = range, context = { diagnostics = { lsp_diag } } }) or {}
    for _, a in ipairs(actions) do table.insert(report.code_actions, a.title) end
  end
end)

if not ok then report.error = tostring(err) end
finish(ok and 0 or 1)
