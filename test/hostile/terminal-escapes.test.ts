// Escape sequences from files and peers never reach the terminal raw. Certificates whose
// subject and SAN carry ESC[2J (clear screen), an OSC window title, BEL, a lone CR, the C1
// CSI (U+009B) and a right-to-left override, and an LDAP server whose diagnosticMessage
// paints a fake green "TRUSTED": every command that shows them (inspect, handshake,
// check, simulate) is run as a process, and its stdout and stderr must hold no control
// character but the line feed, while JSON output keeps the values intact.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { terminalText } from '../../server/src/cli/terminal.ts';
import { run } from '../handshake/peers.ts';
import { ensureCommand } from '../support/system.ts';

const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'sptls.cjs');
const HOSTILE_CN = 'evil\x1b[2J\x1b]0;pwned\x07\r\u009b\u202ex';
const HOSTILE_SAN = 'a\x1b[31mb.example';
const FAKE_VERDICT = '\x1b]0;owned\x07\x1b[2J\x1b[32mTRUSTED\x1b[0m\r\u009b2J\u202e';
// Every C0 control but LF, DEL, C1, and the bidi and line-breaking format characters.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

let dir: string;
const servers: Array<TcpServer | TlsServer> = [];
const sockets = new Set<Socket>();

function sptls(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') } }, (error, out, err) => {
      res({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out, err });
    });
  });
}

function assertNoRawControl(r: { out: string; err: string }, what: string): void {
  for (const [stream, text] of [['stdout', r.out], ['stderr', r.err]] as const) {
    const m = RAW_CONTROL.exec(text);
    assert.equal(m, null, `${what}: raw U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} on ${stream} at ${m?.index}: ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 20))}`);
  }
}

async function listen(server: TcpServer | TlsServer): Promise<number> {
  servers.push(server);
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('error', () => {}); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  return (server.address() as { port: number }).port;
}

/** BER TLV with a definite length. */
function tlv(tag: number, value: Buffer): Buffer {
  const len = value.length < 0x80 ? Buffer.from([value.length]) : Buffer.from([0x82, value.length >> 8, value.length & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, value]);
}

/** An LDAP ExtendedResponse refusing StartTLS (unavailable, 52) with `diagnostic`. */
function refusal(diagnostic: string): Buffer {
  const op = tlv(0x78, Buffer.concat([tlv(0x0a, Buffer.from([52])), tlv(0x04, Buffer.alloc(0)), tlv(0x04, Buffer.from(diagnostic, 'utf8'))]));
  return tlv(0x30, Buffer.concat([tlv(0x02, Buffer.from([1])), op]));
}

before(() => {
  ensureCommand('openssl', 'openssl');
  dir = mkdtempSync(join(tmpdir(), 'sptls-escapes-'));
  run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'evil.key'], dir);
  run('openssl', ['req', '-x509', '-new', '-utf8', '-key', 'evil.key', '-subj', `/CN=${HOSTILE_CN}/O=a`, '-days', '30', '-out', 'evil.crt',
    '-addext', `subjectAltName=DNS:${HOSTILE_SAN}`], dir);
  // A topology that quotes the certificate (a file whose names do not match) and declares hostile subjects of its own.
  writeFileSync(join(dir, 'files.sptls'), `server S { address "s.example" certificate file "evil.crt" }
client C { trusts S }
C -> S
`);
  writeFileSync(join(dir, 'issued.sptls'), `ca R { subject "CN=R\u009b2J\u202eroot" }
server S { address "127.0.0.1" certificate signed-by R { subject "CN=S\u009b2J\u202eserver" } }
client C { trusts S }
client D { }
C -> S
D -> S
`);
});

after(() => {
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('terminalText, the one escape for what reaches a terminal', () => {
  it('escapes C0 (but LF, TAB and CR before LF), DEL, C1 and bidi/line format characters, JSON-style', () => {
    assert.equal(terminalText('a\x1b[2Jb\x07c\bd\x7f\u009b\u202e\u2066\u2028e'), 'a\\u001b[2Jb\\u0007c\\u0008d\\u007f\\u009b\\u202e\\u2066\\u2028e');
    assert.equal(terminalText('over\rwrite'), 'over\\u000dwrite', 'a lone CR would overwrite the line');
    assert.equal(terminalText('line\r\nnext\n\tindented'), 'line\r\nnext\n\tindented');
    assert.equal(terminalText('CN=Müller, O=日本 ✓'), 'CN=Müller, O=日本 ✓', 'printable Unicode stays');
  });

  it('keeps a JSON text valid JSON with the same values', () => {
    const value = { subject: `CN=${HOSTILE_CN}` };
    assert.deepEqual(JSON.parse(terminalText(JSON.stringify(value))), value);
  });
});

describe('no raw control character reaches stdout or stderr', () => {
  it('sptls inspect on a certificate with an escape-laden subject and SAN', async () => {
    const text = await sptls('inspect', 'evil.crt');
    assert.equal(text.code, 0, text.err);
    assertNoRawControl(text, 'inspect');
    assert.ok(text.out.includes('\\u001b[2J'), 'the escape is shown, not dropped');
    const json = await sptls('inspect', 'evil.crt', '--format', 'json');
    assertNoRawControl(json, 'inspect --format json');
    assert.ok(JSON.stringify(JSON.parse(json.out)).includes(JSON.stringify(HOSTILE_SAN).slice(1, -1)), 'JSON keeps the SAN as it is');
  });

  it('sptls handshake against a server presenting that certificate (text and JSON)', async () => {
    const port = await listen(createTlsServer({ key: readFileSync(join(dir, 'evil.key')), cert: readFileSync(join(dir, 'evil.crt')) }));
    const text = await sptls('handshake', `127.0.0.1:${port}`, '--trust', 'evil.crt', '--timeout', '10000');
    assert.equal(text.code, 1, text.out + text.err); // trusted, but the name does not match 127.0.0.1
    assertNoRawControl(text, 'handshake');
    const json = await sptls('handshake', `127.0.0.1:${port}`, '--trust', 'evil.crt', '--timeout', '10000', '--format', 'json');
    assertNoRawControl(json, 'handshake --format json');
    // Node's X509Certificate already writes this SAN's ESC as the text \u001b.
    assert.match(JSON.parse(json.out).chain[0].sans[0], /^DNS:a(\x1b|\\u001b)\[31mb\.example$/);
  });

  it('sptls handshake --starttls ldap against a server whose diagnosticMessage paints a fake verdict', async () => {
    let sawRequest = false;
    const port = await listen(createTcpServer((s) => s.once('data', () => { sawRequest = true; s.end(refusal(FAKE_VERDICT)); })));
    const r = await sptls('handshake', `127.0.0.1:${port}`, '--starttls', 'ldap', '--trust', 'evil.crt', '--timeout', '10000');
    assert.ok(sawRequest);
    assert.equal(r.code, 2);
    assertNoRawControl(r, 'handshake --starttls ldap');
    assert.match(r.out, /refused StartTLS: unavailable \(52\): \\u001b\]0;owned\\u0007\\u001b\[2J\\u001b\[32mTRUSTED/);
  });

  it('sptls check on a topology quoting the certificate file, and with hostile subjects of its own', async () => {
    for (const file of ['files.sptls', 'issued.sptls']) {
      const r = await sptls('check', file);
      assert.notEqual(r.code, 2, r.err);
      assertNoRawControl(r, `check ${file}`);
      assertNoRawControl(await sptls('check', file, '--format', 'json'), `check ${file} --format json`);
    }
  });

  it('sptls fmt, diagram and issue --dry-run on a topology with hostile strings', async () => {
    for (const args of [['fmt', 'issued.sptls'], ['diagram', 'issued.sptls'], ['diagram', 'issued.sptls', '--format', 'mermaid'], ['diagram', 'issued.sptls', '--format', 'dot'], ['issue', 'issued.sptls', '--dry-run']]) {
      const r = await sptls(...args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
      assertNoRawControl(r, args.join(' '));
    }
  });

  it('sptls simulate, whose reasons quote the subjects the handshakes saw', async () => {
    const r = await sptls('simulate', 'issued.sptls', '--timeout', '10000');
    assert.equal(r.code, 0, r.out + r.err);
    assertNoRawControl(r, 'simulate');
    assert.match(r.out, /\\u009b2J\\u202eroot/, 'the untrusted row quotes the root, escaped');
  });
});
