import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fmtCommand } from '../../../server/src/cli/commands/fmt.ts';
import type { CliIO } from '../../../server/src/cli/io.ts';
import { UsageError } from '../../../server/src/cli/io.ts';

const MESSY = 'client N {trusts R};\nca R\nN->S\n';
const MESSY_FORMATTED = 'client N { trusts R }\nca R\nN -> S\n';
const TIDY = 'ca R\n';
const BROKEN = 'ca R\nclient N {\n  port = 1\n}\n';

const root = mkdtempSync(join(tmpdir(), 'sptls-fmt-'));
after(() => rmSync(root, { recursive: true, force: true }));

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, 'ws-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd, env: {} };
  const code = await fmtCommand.run(args, io);
  return { code, out, err };
}

describe('sptls fmt', () => {
  it('prints the formatted text of one file and changes nothing', async () => {
    const dir = workspace({ 'a.sptls': MESSY });
    const r = await run(['a.sptls'], dir);
    assert.equal(r.code, 0);
    assert.equal(r.out, MESSY_FORMATTED);
    assert.equal(readFileSync(join(dir, 'a.sptls'), 'utf8'), MESSY);
  });

  it('--check lists the files that would change and exits 1', async () => {
    const dir = workspace({ 'a.sptls': MESSY, 'b.sptls': TIDY });
    const r = await run(['--check', 'a.sptls', 'b.sptls'], dir);
    assert.equal(r.code, 1);
    assert.equal(r.out, 'a.sptls\n');
    assert.equal(readFileSync(join(dir, 'a.sptls'), 'utf8'), MESSY);
    assert.equal((await run(['--check', 'b.sptls'], dir)).code, 0);
  });

  it('--write rewrites changed files in place, keeps their mode and leaves no temporary file', async () => {
    const dir = workspace({ 'a.sptls': MESSY, 'b.sptls': TIDY });
    chmodSync(join(dir, 'a.sptls'), 0o640);
    const before = statSync(join(dir, 'b.sptls')).mtimeMs;
    const r = await run(['--write', 'a.sptls', 'b.sptls'], dir);
    assert.equal(r.code, 0);
    assert.equal(r.out, 'a.sptls\n');
    assert.equal(readFileSync(join(dir, 'a.sptls'), 'utf8'), MESSY_FORMATTED);
    assert.equal(statSync(join(dir, 'a.sptls')).mode & 0o777, 0o640);
    assert.equal(statSync(join(dir, 'b.sptls')).mtimeMs, before, 'a formatted file is not rewritten');
    assert.deepEqual(readdirSync(dir).sort(), ['a.sptls', 'b.sptls']);
    assert.equal((await run(['--check', 'a.sptls', 'b.sptls'], dir)).code, 0);
  });

  for (const mode of [[], ['--check'], ['--write']]) {
    it(`exits 2 on a syntax error with its file:line:col and leaves the file alone (${mode.join(' ') || 'print'})`, async () => {
      const dir = workspace({ 'bad.sptls': BROKEN });
      const r = await run([...mode, 'bad.sptls'], dir);
      assert.equal(r.code, 2);
      assert.match(r.err, /^bad\.sptls:3:8: syntax error: unexpected character '='/m);
      assert.equal(readFileSync(join(dir, 'bad.sptls'), 'utf8'), BROKEN);
      if (mode.length === 0) assert.equal(r.out, '');
    });
  }

  it('still formats the good files when another has syntax errors, and exits 2', async () => {
    const dir = workspace({ 'a.sptls': MESSY, 'bad.sptls': BROKEN });
    const r = await run(['--write', 'bad.sptls', 'a.sptls'], dir);
    assert.equal(r.code, 2);
    assert.equal(readFileSync(join(dir, 'a.sptls'), 'utf8'), MESSY_FORMATTED);
  });

  it('exits 2 naming a missing file', async () => {
    const r = await run(['--check', 'missing.sptls'], workspace({}));
    assert.equal(r.code, 2);
    assert.match(r.err, /missing\.sptls: no such file/);
  });

  it('rejects contradictory or incomplete usage', async () => {
    const dir = workspace({ 'a.sptls': MESSY, 'b.sptls': TIDY });
    await assert.rejects(run(['--check', '--write', 'a.sptls'], dir), UsageError);
    await assert.rejects(run([], dir), UsageError);
    await assert.rejects(run(['a.sptls', 'b.sptls'], dir), UsageError);
    await assert.rejects(run(['--fix', 'a.sptls'], dir), UsageError);
  });
});
