// Hostile text in everything `sptls keydb` writes: a topology file name with newlines and
// `%~`, a certificate label full of quotes, carets, percents, bangs, backquotes and shell
// syntax, a --password-env value built to break out of cmd's quoting. The .sh scripts are
// checked by `bash -n` and run against a fake gsk8capicmd_64 / dsmcert that record their argv;
// the .cmd scripts run in a model of cmd.exe's parsing (cmd-model.ts); option and .properties
// files must keep one line per option. No extra command, line or argument may appear.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { runIssue } from '../../server/src/pki/issue/run.ts';
import { libertyXorDecode } from '../../server/src/pki/keydb/pkcs12/java-truststore.ts';
import { cmdComment, cmdLine, optValue, propertiesValue, shArg, shComment } from '../../server/src/pki/provision/escape.ts';
import { ensureCommand } from '../support/system.ts';
import { BatchAborted, crtArgv, delayedToken, expandPercent, runBatch, splitCommands } from './cmd-model.ts';
import { cli, fakeIssuer } from './issue-support.ts';
import { scratchDir } from './support.ts';

ensureCommand('bash', 'bash');

const TOPOLOGY_NAME = 'x\ntouch PWNED\nSSL NO\n%~z %PATH% !x! ^ $(touch PWNED0).sptls';
const LABEL = `it's "q" a\\"b & %PATH% %~1 !KDB_PW! ^x $(touch PWNED1) \`touch PWNED2\` | more < in > out (x) ; end\\`;
// cmd.exe cannot hand a program an argument with a `"` or a trailing `\` inside `"…"` unchanged
// (docs/pki.md says so); everything else must arrive intact.
const PASSWORD = `&touch PWNED3&!KDB_PW!%PATH%'$(touch PWNED4)^ |x<y>z (a) \\x ;`;
/** A value set on the host that breaks out of naive quoting: it must not run anything. */
const BREAKOUT = `"&touch PWNED5&"`;
const topologyText = (label: string) => [
  'ca Root { key rsa 2048 }',
  `server SP1 { address "sp1.example.com" version 8.1.22 certificate signed-by Root { key rsa 2048 label "${label.replace(/[\\"]/g, '\\$&')}" } trusts Root }`,
  'client C { version 8.1.22 trusts Root }',
  'operations-center OC { trusts Root }',
  'C -> SP1',
  'OC -> SP1',
  '',
].join('\n');

const dir = scratchDir();
const withFiles = join(dir, 'files');
const withEnv = join(dir, 'env');
const folder = (base: string, name: string) => join(base, 'pki', 'keydb', name);

async function build(base: string, args: string[], env: Record<string, string>) {
  mkdirSync(base, { recursive: true });
  const topologyPath = join(base, TOPOLOGY_NAME);
  const text = topologyText(LABEL);
  writeFileSync(topologyPath, text);
  const issued = await runIssue({ topologyPath, text, issuer: fakeIssuer() });
  assert.ok(issued.kind === 'done' && issued.result.ok, JSON.stringify(issued));
  const r = await cli(['keydb', TOPOLOGY_NAME, ...args], base, env);
  assert.equal(r.code, 0, r.out + r.err);
}

before(async () => {
  await build(withFiles, [], {});
  await build(withEnv, ['--password-env', 'KSPW'], { KSPW: PASSWORD });
});

/** The gsk8capicmd_64 argv (without the program) each script must run, in order. */
function expectedServerSteps(kdbPw: string, p12Pw: string): string[][] {
  return [
    ['-keydb', '-create', '-db', 'cert.kdb', '-pw', kdbPw, '-type', 'cms', '-stash'],
    ['-cert', '-add', '-db', 'cert.kdb', '-stashed', '-label', 'Root', '-file', 'Root.arm', '-format', 'ascii'],
    ['-cert', '-import', '-db', 'SP1.p12', '-pw', p12Pw, '-type', 'pkcs12', '-target', 'cert.kdb', '-target_stashed', '-target_type', 'cms', '-label', LABEL, '-new_label', LABEL],
    ['-cert', '-setdefault', '-db', 'cert.kdb', '-stashed', '-label', LABEL],
    ['-cert', '-list', '-db', 'cert.kdb', '-stashed'],
  ];
}
const expectedClientSteps = (kdbPw: string): string[][] => [
  ['-keydb', '-create', '-db', 'dsmcert.kdb', '-pw', kdbPw, '-type', 'cms', '-stash'],
  ['-cert', '-add', '-db', 'dsmcert.kdb', '-stashed', '-label', 'Root', '-file', 'Root.arm', '-format', 'ascii'],
  ['-cert', '-list', '-db', 'dsmcert.kdb', '-stashed'],
];
const DSMCERT_STEPS = [['-add', '-server', 'SP1', '-file', 'Root.arm'], ['-list']];
const firstLine = (base: string, name: string, file: string) => readFileSync(join(folder(base, name), file), 'utf8').split(/\r?\n/)[0]!;

/** Every file under `root` whose name starts with PWNED: what an injected command would leave. */
function pwned(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.split('/').pop()!.startsWith('PWNED'));
}

describe('create-keydb.sh with hostile names', () => {
  // A stand-in for GSKit and dsmcert: appends its argv, NUL-separated, one record per call.
  const fakes = join(dir, 'fakes');
  const log = join(dir, 'argv.log');
  before(() => {
    mkdirSync(fakes, { recursive: true });
    for (const name of ['gsk8capicmd_64', 'dsmcert']) {
      writeFileSync(join(fakes, name), `#!/bin/sh\nprintf '%s\\n' '${name}' >> "$ARGV_LOG"\nfor a in "$@"; do printf '%s\\0' "$a" >> "$ARGV_LOG"; done\nprintf '\\001\\n' >> "$ARGV_LOG"\n`);
      chmodSync(join(fakes, name), 0o755);
    }
  });

  function runScript(base: string, name: string, args: string[], env: Record<string, string>): Array<[string, string[]]> {
    writeFileSync(log, '');
    const cwd = join(dir, 'elsewhere');
    mkdirSync(cwd, { recursive: true });
    const r = spawnSync('sh', [join(folder(base, name), 'create-keydb.sh'), ...args], {
      cwd, encoding: 'utf8', env: { PATH: `${fakes}:/usr/bin:/bin`, ARGV_LOG: log, ...env },
    });
    assert.equal(r.status, 0, r.stderr);
    const calls = readFileSync(log, 'utf8').split('\x01\n').filter(Boolean);
    return calls.map((c) => {
      const nl = c.indexOf('\n');
      return [c.slice(0, nl), c.slice(nl + 1).split('\0').slice(0, -1)] as [string, string[]];
    });
  }

  test('bash -n accepts every script, and the header comment stays one line', () => {
    for (const base of [withFiles, withEnv]) {
      for (const name of ['SP1', 'C']) {
        const sh = join(folder(base, name), 'create-keydb.sh');
        const check = spawnSync('bash', ['-n', sh], { encoding: 'utf8' });
        assert.equal(check.status, 0, check.stderr);
        const lines = readFileSync(sh, 'utf8').split('\n');
        assert.match(lines[1]!, /^# Creates .* from x\\x0atouch PWNED\\x0aSSL NO\\x0a%~z %PATH% !x! \^ \$\(touch PWNED0\)\.sptls\)\.$/);
        assert.ok(!lines.some((l) => /^\s*touch /.test(l)), 'no line runs touch');
      }
    }
  });

  test('run against a fake gsk8capicmd_64: each argument arrives intact, nothing else runs', () => {
    const server = runScript(withFiles, 'SP1', [], {});
    const kdbPw = firstLine(withFiles, 'SP1', 'cert.kdb.pw');
    const p12Pw = firstLine(withFiles, 'SP1', 'SP1.p12.pw');
    assert.deepEqual(server, expectedServerSteps(kdbPw, p12Pw).map((a) => ['gsk8capicmd_64', a]));
    const viaEnv = runScript(withEnv, 'SP1', [], { KSPW: PASSWORD });
    assert.deepEqual(viaEnv, expectedServerSteps(PASSWORD, PASSWORD).map((a) => ['gsk8capicmd_64', a]));
    const client = runScript(withEnv, 'C', [], { KSPW: PASSWORD });
    assert.deepEqual(client, expectedClientSteps(PASSWORD).map((a) => ['gsk8capicmd_64', a]));
    assert.deepEqual(runScript(withEnv, 'C', ['dsmcert'], { KSPW: PASSWORD }), DSMCERT_STEPS.map((a) => ['dsmcert', a]));
    assert.deepEqual(pwned(dir), []);
    // Without the variable the script stops before running anything.
    const unset = spawnSync('sh', [join(folder(withEnv, 'SP1'), 'create-keydb.sh')], { encoding: 'utf8', env: { PATH: `${fakes}:/usr/bin:/bin`, ARGV_LOG: log } });
    assert.notEqual(unset.status, 0);
    assert.match(unset.stderr, /set KSPW to the key store password/);
  });
});

describe('create-keydb.cmd with hostile names, in a model of cmd.exe', () => {
  const runCmd = (base: string, name: string, args: string[], env: Record<string, string>) => {
    const script = readFileSync(join(folder(base, name), 'create-keydb.cmd'), 'utf8');
    return runBatch(script, { PATH: 'C:\\Windows', ...env }, args, (file) => firstLine(base, name, file));
  };

  test('every gsk8capicmd_64 and dsmcert argument arrives intact; no operator the script did not write', () => {
    const server = runCmd(withFiles, 'SP1', [], {});
    assert.deepEqual(server.unexpectedOperators, []);
    const kdbPw = firstLine(withFiles, 'SP1', 'cert.kdb.pw');
    assert.deepEqual(server.commands, expectedServerSteps(kdbPw, firstLine(withFiles, 'SP1', 'SP1.p12.pw')).map((a) => ['gsk8capicmd_64', ...a]));
    const viaEnv = runCmd(withEnv, 'SP1', [], { KSPW: PASSWORD });
    assert.deepEqual(viaEnv.unexpectedOperators, []);
    assert.deepEqual(viaEnv.commands, expectedServerSteps(PASSWORD, PASSWORD).map((a) => ['gsk8capicmd_64', ...a]));
    const client = runCmd(withEnv, 'C', ['dsmcert'], { KSPW: PASSWORD });
    assert.deepEqual(client.unexpectedOperators, []);
    assert.deepEqual(client.commands, DSMCERT_STEPS.map((a) => ['dsmcert', ...a]));
    assert.equal(client.exitCode, 0);
  });

  test('the password from --password-env is expanded after parsing: it cannot start a command', () => {
    const script = readFileSync(join(folder(withEnv, 'SP1'), 'create-keydb.cmd'), 'utf8');
    for (const line of script.split('\r\n').filter((l) => l.includes('KDB_PW') || l.includes('P12_PW'))) {
      // Phase 1 (percent) and phase 2 (operators) see only the variable's name.
      assert.ok(!line.includes('%KSPW%') && !line.includes('%KDB_PW%') && !line.includes('%P12_PW%'), line);
      const { operators } = splitCommands(expandPercent(line, new Map([['KSPW', PASSWORD]]), []));
      assert.ok(operators.every((op) => op === '||'), line);
    }
    assert.match(script, /^setlocal EnableDelayedExpansion\r$/m);
    // Without the variable the script stops before running anything, as the .sh does.
    const unset = runCmd(withEnv, 'SP1', [], {});
    assert.deepEqual([unset.exitCode, unset.commands], [1, []]);
    // A value that closes the quotes and chains a command is still only (mangled) text for gsk8capicmd_64.
    const run = runCmd(withEnv, 'SP1', [], { KSPW: BREAKOUT });
    assert.deepEqual(run.unexpectedOperators, []);
    assert.deepEqual(run.commands.map((c) => c[0]), Array(5).fill('gsk8capicmd_64'));
  });

  test('comments: %~ in the file name does not abort the batch, and no rem line continues onto the next', () => {
    for (const name of ['SP1', 'C']) {
      const script = readFileSync(join(folder(withFiles, name), 'create-keydb.cmd'), 'utf8');
      assert.doesNotThrow(() => runCmd(withFiles, name, [], {}));
      assert.match(script.split('\r\n')[1]!, /^rem Creates .* from x\\x0atouch PWNED\\x0aSSL NO\\x0a%%~z %%PATH%% !x! \\x5e \$\(touch PWNED0\)\.sptls\)\.$/);
    }
    assert.throws(() => expandPercent('rem a %~ b', new Map(), []), BatchAborted, 'the model does abort on a raw %~');
  });
});

test('a --password-env name that is not a variable name is refused before anything is written', async () => {
  const base = join(dir, 'badenv');
  mkdirSync(base, { recursive: true });
  const topologyPath = join(base, 't.sptls');
  writeFileSync(topologyPath, topologyText('L'));
  assert.equal((await runIssue({ topologyPath, text: topologyText('L'), issuer: fakeIssuer() })).kind, 'done');
  const name = 'X}; touch PWNED6; #';
  const r = await cli(['keydb', 't.sptls', '--password-env', name], base, { [name]: 'pw' });
  assert.equal(r.code, 1);
  assert.match(r.err, /--password-env X\}; touch PWNED6; #: an environment variable name is letters, digits and '_'/);
  assert.throws(() => readdirSync(join(base, 'pki', 'keydb')));
});

describe('option and .properties files with hostile names', () => {
  test('one line per option: the file name stays inside its comment, no "SSL NO" line appears', () => {
    for (const [name, files] of [['C', ['dsm.sys.txt', 'dsm.opt.txt']], ['SP1', ['dsmserv.opt.txt']]] as const) {
      for (const file of files) {
        const lines = readFileSync(join(folder(withFiles, name), file), 'utf8').split('\n').filter(Boolean);
        assert.match(lines[0]!, /^\* .* from x\\x0atouch PWNED\\x0aSSL NO\\x0a/);
        for (const l of lines) assert.ok(l.startsWith('*') || /^( {3})?[A-Z]+ \S+$/.test(l), `${file}: ${JSON.stringify(l)}`);
        assert.ok(!lines.some((l) => l.trim() === 'SSL NO'), file);
      }
    }
  });

  test('bootstrap.properties.txt: a one-line comment and the password entry, which decodes to the truststore password', () => {
    const text = readFileSync(join(folder(withEnv, 'OC'), 'bootstrap.properties.txt'), 'utf8');
    const lines = text.split('\n').filter(Boolean);
    assert.equal(lines.length, 2, text);
    assert.ok(lines[0]!.startsWith('# '));
    const value = /^tsm\.truststore\.pswd=(.*)$/.exec(lines[1]!)?.[1];
    assert.equal(libertyXorDecode(value!.replace(/\\(.)/g, '$1')), PASSWORD);
  });
});

describe('escape.ts, dialect by dialect', () => {
  // A seeded generator of nasty strings: every character cmd, sh or the C runtime treats specially.
  function* nasty(seed: number, count: number): Generator<string> {
    const alphabet = ['"', '\\', '%', '!', '^', '&', '|', '<', '>', '(', ')', ' ', "'", '$', '`', ';', ',', '=', '~', '*', '?', 'a', 'Z', '0', 'é', '€', '\\"', '%%', '%~1', '!x!', '^!', '%PATH%'];
    let s = seed;
    const next = () => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s; };
    for (let i = 0; i < count; i++) {
      let out = '';
      for (let len = next() % 12; len > 0; len--) out += alphabet[next() % alphabet.length];
      yield out;
    }
  }

  test('cmdLine: through percent expansion, cmd parsing, delayed expansion and the C runtime, every value is one intact argument', () => {
    const env = new Map([['PATH', 'C:\\Windows'], ['X', 'EXPANDED'], ['KDB_PW', 'secret']]);
    for (const value of nasty(42, 3000)) {
      for (const withBang of [false, true]) {
        // The same line with and without a !VAR! among the arguments: carets are read differently.
        const args = withBang ? [{ literal: value }, { raw: '"!KDB_PW!"' }] : [{ literal: value }];
        const line = cmdLine('"prog"', args);
        const { commands, operators } = splitCommands(expandPercent(line, env, []));
        assert.deepEqual(operators, [], line);
        let command = commands[0]!;
        const split = command.indexOf(' ');
        const rest = command.slice(split);
        command = command.slice(0, split) + delayedToken(rest, env);
        assert.deepEqual(crtArgv(command).slice(1), withBang ? [value, 'secret'] : [value], `${JSON.stringify(value)} → ${line}`);
      }
    }
  });

  test('shArg round-trips through sh; comments and option values never span lines', () => {
    for (const value of [...nasty(7, 200), 'a\nb', "it's", '']) {
      const r = spawnSync('sh', ['-c', `printf '%s' ${shArg(value)}`], { encoding: 'utf8' });
      assert.equal(r.stdout, value);
    }
    for (const f of [shComment, cmdComment]) assert.doesNotMatch(f('a\nb\rc\u2028d\u0085e'), /[\n\r\u2028\u0085]/);
    assert.equal(optValue('sp1.example.com'), 'sp1.example.com');
    for (const bad of ['a b', 'a\tb', '', 'x\u2028SSL NO']) assert.equal(optValue(bad), null);
    assert.equal(propertiesValue(' a\\b\nc=d'), '\\ a\\\\b\\nc=d');
  });
});
