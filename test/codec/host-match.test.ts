// One host-name matcher: `sptls check` (rule hostname-mismatch, names read from the
// certificate file) and the live tester (the hostname check, names from Node's parse of
// the same certificate) must give the same answer, including where OpenSSL's own matcher
// would differ (CN fallback, partial wildcards). Certificates made by openssl.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { analyze } from '../../server/src/analysis/engine.ts';
import { certFacts } from '../../server/src/handshake/cert-facts.ts';
import { checkHostname } from '../../server/src/handshake/checks.ts';
import { DiskCertificateFiles } from '../../server/src/workspace/disk-certificates.ts';
import { ensureCommand } from '../support/system.ts';

const NOW = new Date();
let dir: string;
before(() => { ensureCommand('openssl', 'openssl'); dir = mkdtempSync(join(tmpdir(), 'sptls-hostmatch-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

// [case, subject CN, subjectAltName (or null), address, does it match]
const CASES: Array<[string, string, string | null, string, boolean]> = [
  ['CN only, no SAN: no CN fallback', 'sp.test', null, 'sp.test', false],
  ['exact DNS SAN, other case', 'x', 'DNS:SP.Test', 'sp.test', true],
  ['one-label wildcard', 'x', 'DNS:*.example.com', 'sp.example.com', true],
  ['wildcard covers one label only', 'x', 'DNS:*.example.com', 'a.b.example.com', false],
  ['partial-label wildcard is not a wildcard', 'x', 'DNS:f*.example.com', 'foo.example.com', false],
  ['IP SAN against the IP', 'x', 'IP:127.0.0.1', '127.0.0.1', true],
  ['a DNS SAN spelling an IP does not name it', 'x', 'DNS:127.0.0.1', '127.0.0.1', false],
  ['IPv6 in another spelling', 'x', 'IP:::1', '0:0:0:0:0:0:0:1', true],
  ['another name', 'x', 'DNS:other.test', 'sp.test', false],
];

for (const [what, cn, san, address, matches] of CASES) {
  test(`check and the tester agree: ${what}`, () => {
    const file = join(dir, `${what.replace(/\W+/g, '-')}.pem`);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${file}.key`, '-out', file,
      '-days', '30', '-subj', `/CN=${cn}`, ...(san ? ['-addext', `subjectAltName=${san}`] : [])], { stdio: 'pipe' });
    const topology = `server SP { address "${address}" certificate file "${file}" }\n`;
    writeFileSync(join(dir, 't.sptls'), topology);
    const analysis = analyze(topology, { certificateFiles: new DiskCertificateFiles(dir), now: NOW });
    const ruleSaysMismatch = analysis.diagnostics.some((d) => d.code === 'hostname-mismatch');
    const tester = checkHostname(certFacts(new X509Certificate(readFileSync(file)), NOW), address);
    assert.equal(!ruleSaysMismatch, matches, `rule: ${analysis.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ')}`);
    assert.equal(tester.status === 'pass', matches, tester.reason);
  });
}
