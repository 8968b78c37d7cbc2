import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMANDS, type TestHandshakeOptions } from '../../../protocol/index.ts';
import { codeLenses } from '../../../server/src/lsp/features/code-lens.ts';
import { analyzeText } from '../helpers.ts';

const DECLS = `ca Root
server SP { address "sp.test" port 1600 certificate signed-by Root trusts Root }
server NOPORT { address "np.test" certificate signed-by Root trusts Root }
server NOADDR { certificate signed-by Root trusts Root }
storage-agent STA { address "sta.test" certificate signed-by Root trusts Root }
ldap DIR { address "ldap.test" certificate signed-by Root }
db2 DB { instance "db2inst1" port 51500 }
client C { trusts Root }
operations-center OC { trusts Root }
`;

// [connection line, expected lens options (without line) or null for no lens]
const cases: Array<[string, Omit<TestHandshakeOptions, 'line'> | null]> = [
  ['C -> SP', { initiator: 'C', responder: 'SP', host: 'sp.test', port: 1600 }],
  ['C -> SP { port 1700 }', { initiator: 'C', responder: 'SP', host: 'sp.test', port: 1700 }],
  ['C -> NOPORT', { initiator: 'C', responder: 'NOPORT', host: 'np.test', port: 1500 }],
  ['C -> NOADDR', { initiator: 'C', responder: 'NOADDR', port: 1500 }],
  ['C -> STA', { initiator: 'C', responder: 'STA', host: 'sta.test', port: 1500 }],
  ['SP -> DIR', { initiator: 'SP', responder: 'DIR', host: 'ldap.test', port: 636 }],
  ['OC -> SP', { initiator: 'OC', responder: 'SP', host: 'sp.test', port: 1600 }],
  ['C -> SP plain', null],
  ['SP -> DIR plain', null],
  ['SP -> DB plain', null],
  ['SP -> DB', null], // TLS to Db2 is not supported
  ['C -> OC', null], // not a pair the product supports
  ['C -> C', null],
  ['C -> NOBODY', null],
];

describe('code lens "Test handshake"', () => {
  for (const [connection, expected] of cases) {
    it(connection, () => {
      const text = `${DECLS}${connection}\n`;
      const line = DECLS.split('\n').length - 1;
      const lenses = codeLenses(analyzeText(text), 'file:///t.sptls');
      if (expected === null) { assert.deepEqual(lenses, []); return; }
      assert.equal(lenses.length, 1);
      const lens = lenses[0]!;
      assert.equal(lens.command?.command, COMMANDS.testHandshake);
      assert.equal(lens.command?.title, 'Test handshake');
      assert.deepEqual(lens.command?.arguments, ['file:///t.sptls', { line, ...expected }], 'the document URI first, options after');
      assert.deepEqual(lens.range.start, { line, character: 0 });
      assert.equal(lens.range.end.line, line);
      assert.equal(lens.range.end.character, connection.length);
      assert.match(lens.command!.tooltip!, expected.host ? new RegExp(`${expected.host}:${expected.port}`) : /asked when run/);
    });
  }

  it('one lens per TLS connection, each on its own line', () => {
    const text = `${DECLS}C -> SP\nC -> SP plain\nOC -> SP\n`;
    const lenses = codeLenses(analyzeText(text), 'u');
    assert.deepEqual(lenses.map((l) => l.range.start.line), [9, 11]);
  });
});
