// Every `sptls` command, in the order `sptls --help` lists them.
import type { Command } from '../io.ts';
import { checkCommand } from './check.ts';
import { diagramCommand } from './diagram.ts';
import { fmtCommand } from './fmt.ts';
import { handshakeCommand } from './handshake.ts';
import { inspectCommand } from './inspect.ts';
import { issueCommand } from './issue.ts';
import { keydbCommand } from './keydb.ts';
import { lspCommand } from './lsp.ts';
import { simulateCommand } from './simulate.ts';

export const commands: Command[] = [
  checkCommand,
  diagramCommand,
  fmtCommand,
  handshakeCommand,
  inspectCommand,
  issueCommand,
  keydbCommand,
  lspCommand,
  simulateCommand,
];
