// Every `sptls` command, in the order `sptls --help` lists them.
import type { Command } from '../io.ts';
import { checkCommand } from './check.ts';

export const commands: Command[] = [
  checkCommand,
];
