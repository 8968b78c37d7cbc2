// `sptls lsp --stdio`: the language server for any editor, the same one the VS Code
// extension starts.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../../lsp/server.ts';
import { parseArgs, UsageError, type Command } from '../io.ts';

const help = `Usage: sptls lsp --stdio

Starts the sptls language server, speaking the Language Server Protocol on
stdin/stdout. Point an editor's LSP client at this command (see docs/editors.md
for Neovim and Emacs). The server runs until the client sends exit or closes stdin.
`;

export const lspCommand: Command = {
  help,
  run(args: string[]): Promise<number> {
    const parsed = parseArgs(args, { stdio: 'boolean', 'clientProcessId': 'string' });
    if (!parsed.flags.has('stdio')) throw new UsageError('give --stdio: the server speaks LSP on stdin/stdout');
    if (parsed.positional.length) throw new UsageError(`unexpected argument '${parsed.positional[0]}'`);
    // The connection reads `--stdio` from the process arguments (and then keeps
    // console output off stdout); it ends the process on `exit` or when stdin closes.
    startServer(createConnection(ProposedFeatures.all));
    return new Promise<number>(() => {});
  },
};
