// Process entry of the language server (bundled to dist/server.cjs). The transport
// comes from the command line: `--stdio`, `--node-ipc` or `--socket=N`.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.ts';

startServer(createConnection(ProposedFeatures.all));
