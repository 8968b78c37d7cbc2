// The hand-made collection test/fixtures/collections/example-corp: its text files are in the
// repository (options files, dsmadmc outputs, hosts files, shaped like the verbatim samples of
// shared/reference/sp-config-artifacts.md); its key material is made here, into a copy, so no
// private key is checked in. The planted mistakes are described beside each key database.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { writeKdb, type KdbWriteEntry } from '../../server/src/pki/keydb/kdb/write.ts';
import { writeStashV1 } from '../../server/src/pki/keydb/kdb/stash.ts';
import { libertyXorEncode, writeJavaTruststore } from '../../server/src/pki/keydb/pkcs12/java-truststore.ts';
import { buildCertificate } from '../../server/src/codec/x509/build.ts';
import { generateKey, type KeyPair } from '../../server/src/codec/x509/keys.ts';
import { certificatePem } from '../../server/src/codec/x509/pem.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'sptls.cjs');
export const FIXTURE = join(ROOT, 'test', 'fixtures', 'collections', 'example-corp');

export function sptls(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A folder removed when the test file ends; `memory` puts it on /dev/shm where there is one (many small fsyncs). */
export function scratch(prefix: string, memory = false): string {
  const dir = mkdtempSync(join(memory && existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function put(base: string, path: string, content: string | Uint8Array): void {
  const full = join(base, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
}

interface Issued { der: Buffer; key: KeyPair }

const DAY = 86_400_000;

async function issue(subject: string, issuer: Issued | 'self', opts: { ca?: boolean; san?: string; days?: number } = {}): Promise<Issued> {
  const key = await generateKey({ kind: 'ec', curve: 'P-256' });
  const now = Date.now();
  const der = buildCertificate({
    subject, publicKey: key.publicKey, isCA: opts.ca ?? false,
    issuer: issuer === 'self' ? { selfSigned: key.privateKey } : { certificate: issuer.der, privateKey: issuer.key.privateKey },
    notBefore: new Date(now - DAY), notAfter: new Date(now + (opts.days ?? (opts.ca ? 3650 : 700)) * DAY),
    sans: opts.san ? [{ type: 'dns', value: opts.san }] : undefined,
  });
  return { der, key };
}

function kdb(base: string, path: string, entries: KdbWriteEntry[], stash: boolean): void {
  const password = `pw-${path.length}-${entries.length}`;
  put(base, path, writeKdb(entries, password, { keyIterations: 16 }));
  if (stash) put(base, path.replace(/\.kdb$/i, '.sth'), writeStashV1(password));
}

export interface ExampleCorp { dir: string; certs: Record<string, Buffer> }

/** A copy of the hand-made collection with its key databases, stashes and certificates. */
export async function exampleCorp(): Promise<ExampleCorp> {
  const dir = join(scratch('sptls-import-'), 'example-corp');
  cpSync(FIXTURE, dir, { recursive: true });
  // The root outlives the issuing CA, which outlives every certificate it signs (lifetimes nest).
  const root = await issue('CN=Example Corp Root CA,O=Example Corp,C=US', 'self', { ca: true, days: 7300 });
  const issuing = await issue('CN=Example Corp Issuing CA 1,O=Example Corp,C=US', root, { ca: true });
  const server = (name: string, host: string, days?: number) => issue(`CN=${name},OU=TSM Network,O=TSM,C=US`, issuing, { san: host, days });
  const sphub = await server('SPHUB', 'sphub.example.com');
  // Mistake: SPA1's certificate ends in 10 days.
  const spa1 = await server('SPA1', 'spa1.example.com', 10);
  const sta1 = await issue('CN=STA1', issuing, { san: 'sta1.example.com' });
  const spold = await issue('CN=SPOLD,OU=TSM Network,O=TSM,C=US', 'self', { san: 'spold.example.com' });
  const ldap = await issue('CN=ldap.example.com,O=Example Directory', 'self', { san: 'ldap.example.com' });
  const win01 = await issue('CN=WIN01', 'self');
  const trusted = (label: string, c: Issued): KdbWriteEntry => ({ label, certificate: c.der });
  const personal = (label: string, c: Issued): KdbWriteEntry => ({ label, certificate: c.der, privateKey: c.key.privateKey });
  const inst = 'home/tsminst1/tsminst1';

  // Mistake: SPHUB's cert.kdb holds the corporate CAs but neither SPOLD's self-signed certificate
  // nor the LDAP directory's, so SPHUB -> SPOLD and SPHUB -> LDAP are untrusted.
  kdb(dir, `sphub/${inst}/cert.kdb`, [personal('SPHUB', sphub), trusted('CorpRoot', root), trusted('CorpIssuing', issuing)], true);
  put(dir, `sphub/${inst}/ldap.example.com.arm`, certificatePem(ldap.der));
  kdb(dir, `spa1/${inst}/cert.kdb`, [personal('SPA1', spa1), trusted('CorpRoot', root), trusted('CorpIssuing', issuing)], true);
  // SPOLD's stash was not collected: its cert.kdb is unread; its certificate comes from cert256.arm.
  kdb(dir, `spold/${inst}/cert.kdb`, [personal('TSM Server SelfSigned SHA Key', spold)], false);
  put(dir, `spold/${inst}/cert256.arm`, certificatePem(spold.der));
  kdb(dir, 'sta1/opt/tivoli/tsm/StorageAgent/bin/cert.kdb', [personal('STA1', sta1), trusted('CorpRoot', root)], true);
  // Mistake: FS01 trusts only the issuing CA; the product needs the root in the initiator's key database.
  kdb(dir, 'fs01/opt/tivoli/tsm/client/ba/bin/dsmcert.kdb', [trusted('Example Corp Issuing CA 1', issuing)], true);
  // TSM.KDB holds node passwords; a CMS file by that name must be recognised and left alone.
  kdb(dir, 'fs01/etc/adsm/TSM.KDB', [trusted('1708990603_0', win01)], true);
  kdb(dir, 'aixdb01/usr/tivoli/tsm/client/ba/bin64/dsmcert.kdb', [trusted('CorpRoot', root)], true);
  // WIN01's entry is labelled "SP1" but holds SPOLD's certificate: trust follows content, not labels.
  kdb(dir, 'win01/C/Program Files/Tivoli/TSM/baclient/dsmcert.kdb', [trusted('SP1', spold)], true);
  kdb(dir, 'win01/C/ProgramData/Tivoli/TSM/baclient/Nodes/WIN01/spclicert.kdb', [personal('WIN01', win01)], true);
  const ocPassword = 'oc-truststore-pw';
  const gui = 'oc01/opt/tivoli/tsm/ui/Liberty/usr/servers/guiServer';
  put(dir, `${gui}/gui-truststore.p12`, writeJavaTruststore([{ alias: 'corproot', certificate: root.der }], ocPassword, { iterations: 16 }));
  put(dir, `${gui}/bootstrap.properties`, `com.ibm.ws.logging.max.files=10\ntsm.truststore.pswd=${libertyXorEncode(ocPassword)}\n`);
  return { dir, certs: { root: root.der, issuing: issuing.der, sphub: sphub.der, spa1: spa1.der, sta1: sta1.der, spold: spold.der, ldap: ldap.der } };
}
