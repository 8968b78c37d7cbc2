// `--format sarif` and `--format github` of `sptls check` (scan shares the renderers;
// test/scan/ci.test.ts runs it). SARIF is validated against the SARIF 2.1.0 JSON schema
// that Microsoft's SARIF Multitool ships on npm; GitHub annotations are decoded with the
// Actions toolkit's escaping rules and must give back every message and path intact.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../../server/src/analysis/engine.ts';
import { artifactUri } from '../../server/src/ci/sarif.ts';
import { escapeData, escapeProperty, renderGithub } from '../../server/src/ci/github.ts';
import { main } from '../../server/src/cli/cli.ts';
import { sarifValidator } from '../support/sarif.ts';

const root = join(import.meta.dirname, '..', '..');

async function cli(cwd: string, ...argv: string[]) {
  let out = '', err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd, env: {} });
  return { code, out, err };
}

interface SarifLog {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; rules: Array<{ id: string }> } };
    results: Array<{ ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number } } }> }>;
  }>;
}

/** Decodes one workflow command line the way the runner does. */
function parseCommand(line: string): { command: string; props: Record<string, string>; message: string } {
  const m = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  assert.ok(m, `not a workflow command: ${line}`);
  const unescape = (s: string) => s.replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
  const props = Object.fromEntries(m[2]!.split(',').map((kv) => {
    const i = kv.indexOf('=');
    return [kv.slice(0, i), unescape(kv.slice(i + 1))];
  }));
  return { command: m[1]!, props, message: unescape(m[3]!) };
}

describe('check --format sarif', () => {
  test('the rule cases give a log valid against the SARIF 2.1.0 schema, one result per diagnostic', async () => {
    const json = await cli(root, 'check', 'test/rules/cases', '--format', 'json', '--now', '2026-06-01');
    const sarif = await cli(root, 'check', 'test/rules/cases', '--format', 'sarif', '--now', '2026-06-01');
    assert.equal(sarif.code, json.code);
    assert.equal(sarif.code, 1, 'the cases hold errors');
    const log = JSON.parse(sarif.out) as SarifLog;
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const expected = (JSON.parse(json.out) as { files: Array<{ path: string; diagnostics: Array<{ code: string; severity: string; message: string; range: { start: { line: number; character: number } } }> }> }).files
      .flatMap((f) => f.diagnostics.map((d) => `${f.path}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`));
    const run = log.runs[0]!;
    const got = run.results.map((r) => {
      const p = r.locations[0]!.physicalLocation;
      assert.equal(p.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.equal(run.tool.driver.rules[r.ruleIndex]!.id, r.ruleId);
      return `${decodeURIComponent(p.artifactLocation.uri)}:${p.region.startLine}:${p.region.startColumn} ${r.ruleId} ${r.message.text}`;
    });
    assert.ok(expected.length > 50);
    assert.deepEqual(got, expected);
    const levels = new Set(run.results.map((r) => r.level));
    assert.deepEqual([...levels].sort(), ['error', 'note', 'warning']);
  });

  test('a log with no findings is still valid, and exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sptls-sarif-'));
    try {
      writeFileSync(join(dir, 'ok.sptls'), 'server SP { }\n');
      const r = await cli(dir, 'check', 'ok.sptls', '--format', 'sarif');
      assert.equal(r.code, 0);
      const validate = sarifValidator();
      assert.ok(validate(JSON.parse(r.out)), JSON.stringify(validate.errors));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the schema check is not a formality: a broken log fails it', () => {
    const validate = sarifValidator();
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] }), false);
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { region: { startLine: 0 } } }] }] }] }), false);
  });

  test('paths become URIs: relative ones against %SRCROOT%, absolute ones file:', () => {
    assert.deepEqual(artifactUri('./site a/prod#1.sptls'), { uri: 'site%20a/prod%231.sptls', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(artifactUri('/srv/top ology.sptls'), { uri: 'file:///srv/top%20ology.sptls' });
  });
});

describe('check --format github', () => {
  test('one annotation per diagnostic, with the level, position and message of the text form', async () => {
    const text = await cli(root, 'check', 'test/rules/cases/tls.sptls', '--now', '2026-06-01');
    const gh = await cli(root, 'check', 'test/rules/cases/tls.sptls', '--format', 'github', '--now', '2026-06-01');
    assert.equal(gh.code, text.code);
    const lines = gh.out.trimEnd().split('\n');
    const expected = text.out.trimEnd().split('\n');
    assert.ok(expected.length >= 5, text.out);
    assert.equal(lines.length, expected.length);
    for (const [i, line] of lines.entries()) {
      const c = parseCommand(line);
      const m = /^(.*):(\d+):(\d+): (\w+) ([\w-]+): (.*)$/.exec(expected[i]!)!;
      assert.equal(c.props.file, m[1]);
      assert.equal(c.props.line, m[2]);
      assert.equal(c.props.col, m[3]);
      assert.equal(c.command, { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' }[m[4]!]);
      assert.equal(c.props.title, `sptls ${m[5]}`);
      assert.equal(c.message, m[6]);
    }
  });

  test("escapes %, CR and LF in messages, and ',' and ':' too in properties, so nothing ends a command early", () => {
    assert.equal(escapeData('100% done\r\nnext'), '100%25 done%0D%0Anext');
    assert.equal(escapeProperty('C:\\a,b%'), 'C%3A\\a%2Cb%25');
    const text = 'server SP { }\n';
    const analysis = analyze(text, { certificateFiles: { read: () => ({ ok: false, error: 'none' }) } as never, now: new Date() });
    const message = 'line one\nline two: 50%, done\r\n::error file=x::injected';
    const out = renderGithub([{ path: 'dir,a/b:c%.sptls', lines: analysis.lines, diagnostics: [{ code: 'legacy-tls', severity: 'warning', message, start: 7, end: 9 }] }]);
    assert.equal(out.split('\n').length, 2, 'one line and the final newline');
    const c = parseCommand(out.trimEnd());
    assert.deepEqual(c, {
      command: 'warning',
      props: { file: 'dir,a/b:c%.sptls', line: '1', endLine: '1', col: '8', endColumn: '10', title: 'sptls legacy-tls' },
      message,
    });
  });
});

test('--format takes only known names', async () => {
  const r = await cli(root, 'check', 'examples', '--format', 'junit');
  assert.equal(r.code, 2);
  assert.match(r.err, /--format must be text, json, sarif or github/);
});
