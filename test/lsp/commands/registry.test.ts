// The command list is one table: every id of the protocol has exactly one server entry
// (and the reverse), every entry's module loads and exports a command, and package.json
// contributes each one to VS Code (plus the client's own diagram command), guarded as
// the server guards it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMMANDS } from '../../../protocol/index.ts';
import { commandEntries } from '../../../server/src/lsp/commands/index.ts';

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { commands: Array<{ command: string; title: string; enablement?: string }> };
};

test('protocol ids and server entries are the same set, each once', () => {
  assert.deepEqual(commandEntries.map((e) => e.id).sort(), Object.values(COMMANDS).sort());
});

test('every entry loads a command module', async () => {
  for (const entry of commandEntries) {
    const command = await entry.load();
    assert.equal(typeof command.run, 'function', entry.id);
  }
});

test('package.json contributes every server command with its title, trusted-only where the server guards it', () => {
  const contributed = new Map(pkg.contributes.commands.map((c) => [c.command, c]));
  for (const entry of commandEntries) {
    const c = contributed.get(entry.id);
    assert.ok(c, `${entry.id} is not contributed`);
    assert.equal(c.title, entry.title);
    assert.equal(c.enablement === 'isWorkspaceTrusted', entry.needsTrust, `${entry.id} enablement`);
  }
  const clientOnly = [...contributed.keys()].filter((id) => !commandEntries.some((e) => e.id === id));
  assert.deepEqual(clientOnly, ['sptls.showDiagram'], 'the only command the client runs itself shows the server\'s diagram');
});
