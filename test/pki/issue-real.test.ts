// `sptls issue` with real key generation (Node's crypto, in parallel), checked by openssl.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ensureCommand } from '../support/system.ts';
import { cli, topologyIn } from './issue-support.ts';
import { run, scratchDir } from './support.ts';

ensureCommand('openssl', 'openssl');

const TOPOLOGY = `
ca Root { key ec p256 valid 2 years }
ca Issuing { signed-by Root key ec p256 }
server SP1 { address "sp1.test" certificate signed-by Issuing }
storage-agent STA1 { address "127.0.0.1" certificate signed-by Issuing { key ec p384 } }
`;

test('real keys: RSA 2048 and EC leaves under an EC root and intermediate verify with openssl', async () => {
  const dir = scratchDir();
  topologyIn(dir, TOPOLOGY);
  const r = await cli(['issue', 'topology.sptls'], dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /4 created, 0 renewed, 0 kept, 0 skipped/);
  const pki = join(dir, 'pki');
  const keys = new Set<string>();
  for (const [name, key] of [['SP1', /Public-Key: \(2048 bit\)/], ['STA1', /NIST CURVE: P-384/]] as const) {
    const cert = join(pki, 'components', name, 'cert.pem');
    const v = run('openssl', ['verify', '-CAfile', join(pki, 'ca', 'Root.crt.pem'), '-untrusted', join(pki, 'ca', 'Issuing.crt.pem'), cert]);
    assert.equal(v.status, 0, `${name}: ${v.stderr}`);
    assert.match(run('openssl', ['x509', '-in', cert, '-noout', '-text']).stdout, key);
    // The key file belongs to the certificate.
    const fromKey = run('openssl', ['pkey', '-in', join(pki, 'components', name, 'key.pem'), '-pubout']).stdout;
    const fromCert = run('openssl', ['x509', '-in', cert, '-noout', '-pubkey']).stdout;
    assert.equal(fromKey, fromCert);
    keys.add(readFileSync(join(pki, 'components', name, 'key.pem'), 'utf8'));
  }
  assert.equal(keys.size, 2);
  assert.match(run('openssl', ['x509', '-in', join(pki, 'components', 'STA1', 'cert.pem'), '-noout', '-ext', 'subjectAltName']).stdout, /IP Address:127\.0\.0\.1/);
});
