// The editor side of rotations: "expires in N days" lenses from a certificate file and from
// the PKI `sptls issue` wrote, a "Plan rotation" lens on each `ca` and `certificate`, and the
// server command that writes the phases and names them for the client to open side by side
// (opened, each phase's diagnostics come from the same server).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CodeLens } from 'vscode-languageserver';
import { analyze } from '../../server/src/analysis/engine.ts';
import { COMMANDS, type CommandResult } from '../../protocol/index.ts';
import { expiryLenses } from '../../server/src/lsp/features/expiry-lens.ts';
import { DiskCertificateFiles } from '../../server/src/workspace/disk-certificates.ts';
import { ensureBuilt, initialize, ROOT, startServerProcess } from './server-process.ts';

let dir: string;
before(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sptls-lsp-rotate-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('expiry lenses', () => {
  it('a file certificate: its own end date, counted in whole days; a Plan rotation lens on every ca and certificate', () => {
    const text = 'ca Old { file "expired-sha1.pem" }\nserver S { certificate signed-by X }\nca X\nclient C\n';
    const a = analyze(text, { certificateFiles: new DiskCertificateFiles(join(ROOT, 'examples', 'certs')), now: new Date() });
    const notAfter = a.chains.fileCertificate(a.model.byName.get('Old')!)!.notAfter;
    const now = new Date(notAfter.getTime() + 3 * 86_400_000 + 5000);
    const lenses = expiryLenses(a, 'file:///t.sptls', new Map([['S', new Date(now.getTime() + 10.5 * 86_400_000)]]), now);
    const titles = lenses.map((l) => `${l.range.start.line}:${l.command?.title}`);
    assert.deepEqual(titles, ['0:expired 3 days ago', '0:Plan rotation', '1:expires in 10 days', '1:Plan rotation', '2:Plan rotation']);
    assert.deepEqual(lenses[2]!.command!.arguments, ['file:///t.sptls', { kind: 'certificate', name: 'S' }]);
    assert.ok(lenses.every((l) => l.command?.command === COMMANDS.planRotation));
  });
});

describe('Plan rotation through the language server', () => {
  it('lenses from the issued PKI; the command writes the phases and each opens with its diagnostics', async () => {
    const topo = join(dir, 'production.sptls');
    writeFileSync(topo, readFileSync(join(ROOT, 'examples', 'production.sptls'), 'utf8').replace(/key rsa \d+/g, 'key ec p256'));
    assert.equal(spawnSync(process.execPath, [join(ROOT, 'bin', 'sptls.cjs'), 'issue', topo], { encoding: 'utf8' }).status, 0);
    const manifest = JSON.parse(readFileSync(join(dir, 'pki', 'manifest.json'), 'utf8'));
    const uri = pathToFileURL(topo).href;
    const server = startServerProcess();
    try {
      const init = await initialize(server);
      assert.ok((init.capabilities['executeCommandProvider'] as { commands: string[] }).commands.includes(COMMANDS.planRotation));
      const opened = server.diagnostics(uri);
      await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sptls', version: 1, text: readFileSync(topo, 'utf8') } });
      await opened;
      const lenses = await server.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } }) as CodeLens[];
      const rootLens = lenses.find((l) => l.range.start.line === 4 && /^expires in/.test(l.command?.title ?? ''));
      const days = Math.trunc((Date.parse(manifest.entries.CorpRoot.notAfter) - Date.now()) / 86_400_000);
      assert.ok(rootLens?.command?.title === `expires in ${days} days` || rootLens?.command?.title === `expires in ${days - 1} days`, rootLens?.command?.title);
      assert.deepEqual(rootLens!.command!.arguments, [uri, { kind: 'ca', name: 'CorpRoot' }]);

      const result = await server.conn.sendRequest('workspace/executeCommand', { command: COMMANDS.planRotation, arguments: rootLens!.command!.arguments }) as CommandResult;
      assert.equal(result.ok, true, result.text);
      assert.match(result.text, /\(proven\)/);
      const ids = ['phase-1-trust-new', 'phase-2-reissue', 'phase-3-drop-old'];
      assert.deepEqual(result.written, ids.map((id) => pathToFileURL(join(dir, 'rotate-CorpRoot', `${id}.sptls`)).href), 'the phase files, in order');
      for (const [i, id] of ids.entries()) {
        const path = join(dir, 'rotate-CorpRoot', `${id}.sptls`);
        assert.ok(existsSync(join(dir, 'rotate-CorpRoot', id, 'STEPS.txt')));
        const published = server.diagnostics(result.written[i]!);
        await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: result.written[i]!, languageId: 'sptls', version: 1, text: readFileSync(path, 'utf8') } });
        const d = await published;
        assert.deepEqual(d.diagnostics.filter((x) => x.severity === 1), [], id);
      }
      const bad = await server.conn.sendRequest('workspace/executeCommand', { command: COMMANDS.planRotation, arguments: [uri, { name: 'FILESRV01' }] }) as CommandResult;
      assert.deepEqual([bad.ok, bad.summary], [false, 'no rotation planned: FILESRV01 has no certificate to renew']);
    } finally {
      await server.stop();
    }
  });
});
