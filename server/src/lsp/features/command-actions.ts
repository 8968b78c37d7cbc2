// Source actions that run the server's commands on the whole topology, so every editor's
// code-action menu reaches them (Neovim and Emacs have no palette of sptls commands).
// Only saved files: the PKI is written beside the topology.
import type { CodeAction } from 'vscode-languageserver';
import { COMMANDS } from '../../../../protocol/index.ts';

export const COMMAND_ACTION_KIND = 'source.sptls';

const ACTIONS: ReadonlyArray<{ title: string; kind: string; command: string }> = [
  { title: 'Issue certificates (sptls issue)', kind: `${COMMAND_ACTION_KIND}.issue`, command: COMMANDS.issueCertificates },
  { title: 'Build key databases (sptls keydb)', kind: `${COMMAND_ACTION_KIND}.keydb`, command: COMMANDS.buildKeyDatabases },
  { title: 'Simulate topology (sptls simulate)', kind: `${COMMAND_ACTION_KIND}.simulate`, command: COMMANDS.simulate },
];

/** The actions whose kind the request's `only` admits (a kind admits its sub-kinds). */
export function commandActions(uri: string, only?: string[]): CodeAction[] {
  if (!uri.startsWith('file:')) return [];
  return ACTIONS
    .filter((a) => !only || only.some((k) => a.kind === k || a.kind.startsWith(`${k}.`)))
    .map((a) => ({ title: a.title, kind: a.kind, command: { title: a.title, command: a.command, arguments: [uri] } }));
}
