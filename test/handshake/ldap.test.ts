// LDAP: StartTLS on the plain port and LDAPS on the TLS port of a real slapd,
// started from a throw-away slapd.conf on free loopback ports.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeHandshakeProber } from '../../server/src/handshake/prober.ts';
import { parseExtendedResponse, startTlsRequest } from '../../server/src/handshake/starttls-ldap.ts';
import { ensureCommand, freePort } from '../support/system.ts';
import { makePki, startPeer, type Peer, type Pki } from './peers.ts';

let pki: Pki;
let withTls: { peer: Peer; ldap: number; ldaps: number };
let withoutTls: { peer: Peer; ldap: number };

function slapdConf(dir: string, name: string, tls: boolean): string {
  const path = join(dir, `${name}.conf`);
  writeFileSync(path, [
    'include /etc/ldap/schema/core.schema',
    `pidfile ${join(dir, `${name}.pid`)}`,
    `argsfile ${join(dir, `${name}.args`)}`,
    ...(tls ? [`TLSCACertificateFile ${join(dir, 'ca.crt')}`, `TLSCertificateFile ${join(dir, 'srv.crt')}`, `TLSCertificateKeyFile ${join(dir, 'srv.key')}`] : []),
    '',
  ].join('\n'));
  return path;
}

before(async () => {
  ensureCommand('slapd', 'slapd');
  pki = makePki();
  const [ldap, ldaps, plainOnly] = [await freePort(), await freePort(), await freePort()];
  const peer = await startPeer('slapd', ['-d', '0', '-f', slapdConf(pki.dir, 'tls', true), '-h', `ldap://127.0.0.1:${ldap} ldaps://127.0.0.1:${ldaps}`], ldap, { cwd: pki.dir });
  withTls = { peer, ldap, ldaps };
  const peer2 = await startPeer('slapd', ['-d', '0', '-f', slapdConf(pki.dir, 'notls', false), '-h', `ldap://127.0.0.1:${plainOnly}`], plainOnly, { cwd: pki.dir });
  withoutTls = { peer: peer2, ldap: plainOnly };
});

after(async () => {
  await withTls?.peer.stop();
  await withoutTls?.peer.stop();
  pki?.cleanup();
});

describe('LDAP StartTLS and LDAPS against slapd', () => {
  const trust = () => ({ trustPem: [pki.pem('ca.crt')], servername: 'localhost', timeoutMs: 3000 });

  test('StartTLS request is the BER of RFC 4511', () => {
    // SEQUENCE { INTEGER 1, [APPLICATION 23] { [0] "1.3.6.1.4.1.1466.20037" } }
    assert.equal(startTlsRequest(1).toString('hex'), `301d02010177188016${Buffer.from('1.3.6.1.4.1.1466.20037').toString('hex')}`);
    const success = Buffer.from('300c02010178070a010004000400', 'hex');
    assert.deepEqual(parseExtendedResponse(success), { resultCode: 0, diagnostic: '' });
    assert.equal(parseExtendedResponse(success.subarray(0, 10)), undefined, 'an incomplete message waits for more bytes');
    assert.throws(() => parseExtendedResponse(Buffer.from('485454502f312e31', 'hex')), /not an LDAP message/);
  });

  test('StartTLS on the plain port', async () => {
    const r = await nodeHandshakeProber.probe({ host: '127.0.0.1', port: withTls.ldap }, { ...trust(), starttls: 'ldap' });
    assert.equal(r.outcome, 'trusted', r.summary);
    assert.equal(r.target.starttls, 'ldap');
    assert.ok(r.timings.starttlsMs !== undefined && r.timings.starttlsMs > 0);
    assert.equal(r.chain[0]?.subject, 'CN=localhost');
  });

  test('LDAPS port is plain TLS', async () => {
    const r = await nodeHandshakeProber.probe({ host: '127.0.0.1', port: withTls.ldaps }, trust());
    assert.equal(r.outcome, 'trusted', r.summary);
    assert.equal(r.timings.starttlsMs, undefined);
  });

  test('plain LDAP port without StartTLS: slapd hangs up on the ClientHello', async () => {
    const r = await nodeHandshakeProber.probe({ host: '127.0.0.1', port: withTls.ldap }, trust());
    assert.equal(r.outcome, 'closed', r.summary);
    assert.equal(r.session, undefined);
    assert.equal(r.exitCode, 2);
  });

  test('StartTLS refused by a server without TLS configured', async () => {
    const r = await nodeHandshakeProber.probe({ host: '127.0.0.1', port: withoutTls.ldap }, { ...trust(), starttls: 'ldap' });
    assert.equal(r.outcome, 'starttls-refused', r.summary);
    assert.equal(r.failure?.phase, 'starttls');
    assert.equal(r.exitCode, 2);
  });

  test('StartTLS sent to the LDAPS port', async () => {
    const r = await nodeHandshakeProber.probe({ host: '127.0.0.1', port: withTls.ldaps }, { ...trust(), starttls: 'ldap' });
    assert.equal(r.outcome, 'closed', r.summary);
    assert.equal(r.exitCode, 2);
    assert.equal(r.failure?.phase, 'starttls');
  });
});
