// The source actions that put the server's commands in every code-action menu: one per
// command, each naming a command the server executes, filtered by the request's `only`.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { COMMANDS } from '../../../protocol/index.ts';
import { commandActions } from '../../../server/src/lsp/features/command-actions.ts';

const URI = 'file:///w/topology.sptls';

it('a saved topology gets issue, keydb and simulate, each with the document URI as its argument', () => {
  const actions = commandActions(URI);
  assert.deepEqual(actions.map((a) => [a.title, a.kind, a.command?.command, a.command?.arguments]), [
    ['Issue certificates (sptls issue)', 'source.sptls.issue', COMMANDS.issueCertificates, [URI]],
    ['Build key databases (sptls keydb)', 'source.sptls.keydb', COMMANDS.buildKeyDatabases, [URI]],
    ['Simulate topology (sptls simulate)', 'source.sptls.simulate', COMMANDS.simulate, [URI]],
  ]);
  const served: string[] = Object.values(COMMANDS);
  assert.ok(actions.every((a) => served.includes(a.command!.command)), 'only commands the server executes');
});

it('`only` admits a kind and its sub-kinds, nothing else', () => {
  assert.equal(commandActions(URI, ['source']).length, 3);
  assert.equal(commandActions(URI, ['source.sptls']).length, 3);
  assert.deepEqual(commandActions(URI, ['source.sptls.keydb']).map((a) => a.kind), ['source.sptls.keydb']);
  assert.deepEqual(commandActions(URI, ['quickfix']), []);
  assert.deepEqual(commandActions(URI, ['source.fixAll']), []);
  assert.deepEqual(commandActions(URI, ['source.sptls.issuer']), [], 'a kind is matched by whole segments');
});

it('an unsaved document gets none: its PKI would have no folder', () => {
  assert.deepEqual(commandActions('untitled:Untitled-1'), []);
});
