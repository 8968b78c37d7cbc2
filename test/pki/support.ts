// Shared by the PKI tests: pre-generated keys, a scratch directory and a small CA chain builder.
import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { buildCertificate, type SubjectAltName } from '../../server/src/codec/x509/build.ts';
import type { KeyPair } from '../../server/src/codec/x509/keys.ts';

export const FIXTURE_KDB_DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'kdb');

export function fixtureKey(name: 'rsa2048-1' | 'rsa2048-2' | 'rsa2048-3' | 'ec-p256-1' | 'ec-p256-2' | 'ec-p384-1' | 'ec-p384-2'): KeyPair {
  const privateKey: KeyObject = createPrivateKey(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'keys', `${name}.pem`)));
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** A directory removed when the test file ends. */
export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sptls-pki-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function run(cmd: string, args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface Chain {
  root: { der: Buffer; key: KeyPair };
  intermediate: { der: Buffer; key: KeyPair };
  leaf: { der: Buffer; key: KeyPair };
}

const DAY = 86_400_000;

export function buildChain(keys: [KeyPair, KeyPair, KeyPair], sans: SubjectAltName[] = [{ type: 'dns', value: 'server.example.test' }]): Chain {
  const notBefore = new Date(Date.now() - DAY);
  const [rk, ik, lk] = keys;
  const root = buildCertificate({ subject: 'CN=Test Root CA,O=sptls,C=US', publicKey: rk.publicKey, issuer: { selfSigned: rk.privateKey }, notBefore, notAfter: new Date(Date.now() + 3650 * DAY), isCA: true });
  const intermediate = buildCertificate({ subject: 'CN=Test Intermediate CA,O=sptls,C=US', publicKey: ik.publicKey, issuer: { certificate: root, privateKey: rk.privateKey }, notBefore, notAfter: new Date(Date.now() + 1825 * DAY), isCA: true, pathLen: 0 });
  const leaf = buildCertificate({ subject: 'CN=server.example.test,OU=TSM Network,O=sptls,C=US', publicKey: lk.publicKey, issuer: { certificate: intermediate, privateKey: ik.privateKey }, notBefore, notAfter: new Date(Date.now() + 365 * DAY), isCA: false, sans });
  return { root: { der: root, key: rk }, intermediate: { der: intermediate, key: ik }, leaf: { der: leaf, key: lk } };
}
