// The hostile corpus (issue 13), made at test time because most of it cannot live in git:
// FIFOs, links to /dev/zero, sparse files of 1.5 GiB, key stores asking for billions of
// key-derivation iterations, certificates whose subjects carry terminal escapes, and a
// topology whose file name would inject lines into generated scripts.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { explicit, integer, nul, octets, oid, seq, toDer } from '../../server/src/codec/asn1/der.ts';
import { kdbMac } from '../../server/src/pki/keydb/kdb/layout.ts';
import { writeStashV1 } from '../../server/src/pki/keydb/kdb/stash.ts';
import { writeKdb } from '../../server/src/pki/keydb/kdb/write.ts';
import { DIGEST_OID, P12_OID } from '../../server/src/pki/keydb/pkcs12/pfx.ts';
import { HEADER_FIXED } from '../../server/src/pki/keydb/kdb/layout.ts';
import { buildChain, fixtureKey } from '../pki/support.ts';
import { buildCertificate } from '../../server/src/codec/x509/build.ts';

export const PASSWORD = 'hostile-pw';
/** 1.5 GiB: the sparse file of the issue's report. */
const SPARSE_SIZE = 1.5 * 1024 ** 3;
/** The name of issue 13 item 1: `$'x\ntouch PWNED\nSSL NO\n.sptls'`. */
export const INJECTION_NAME = 'x\ntouch PWNED\nSSL NO\n.sptls';
/** ESC[2J (clear screen), an OSC window title and a fake red "TRUSTED". */
export const ESCAPE_CN = 'evil\x1b[2J\x1b]0;owned\x07\x1b[31mTRUSTED\x1b[0m';

export interface Corpus {
  dir: string;
  /** Key stores and certificate files that `inspect` is given, by what is wrong with them. */
  keyStores: Record<'fifo' | 'devZero' | 'sparse' | 'macIterations' | 'keyIterations' | 'escapeSubject', string>;
  /** Topology files that every topology command is given. */
  topologies: Record<'huge' | 'fifo' | 'devZero' | 'sparse' | 'badFiles' | 'injectionName', string>;
  /** `check --keydbs` folders: each holds SP1's cert.kdb in one of the hostile forms. */
  keydbDirs: Record<'fifo' | 'devZero' | 'sparse' | 'keyIterations', string>;
  /** Certificate files a topology's `file` or `handshake --trust` names. */
  certificates: Record<'fifo' | 'devZero' | 'sparse', string>;
}

/** A topology that `check` passes: SP1 with a certificate from Root, a client trusting Root. */
export const SMALL_TOPOLOGY = `ca Root { subject "CN=Root,O=Example,C=US" key rsa 2048 valid 10 years }
server SP1 { address "sp1.example.com" port 1500 version 8.1.22 certificate signed-by Root trusts Root }
client C1 { address "c1.example.com" version 8.1.22 trusts Root }
C1 -> SP1
`;

export function makeCorpus(dir: string): Corpus {
  mkdirSync(dir, { recursive: true });
  const at = (name: string) => join(dir, name);
  const fifo = (name: string) => { const p = at(name); mkfifo(p); return p; };
  const zero = (name: string) => { const p = at(name); symlinkSync('/dev/zero', p); return p; };
  const sparse = (name: string) => { const p = at(name); writeFileSync(p, ''); truncateSync(p, SPARSE_SIZE); return p; };

  const chain = buildChain([fixtureKey('rsa2048-1'), fixtureKey('rsa2048-2'), fixtureKey('rsa2048-3')]);

  const keyStores = {
    fifo: fifo('fifo.kdb'),
    devZero: zero('zero.kdb'),
    sparse: sparse('sparse.p12'),
    macIterations: at('mac-iterations.p12'),
    keyIterations: at('key-iterations.kdb'),
    escapeSubject: at('escape-subject.pem'),
  };
  writeFileSync(keyStores.macIterations, pkcs12WithMacIterations(0x7fffffff));
  writeFileSync(`${keyStores.macIterations}.pw`, `${PASSWORD}\n`);
  writeFileSync(keyStores.keyIterations, kdbWithKeyIterations(chain.leaf.der, chain.leaf.key.privateKey));
  writeFileSync(at('key-iterations.sth'), writeStashV1(PASSWORD));
  const k = fixtureKey('ec-p256-1');
  const escaped = buildCertificate({
    subject: `CN=${ESCAPE_CN.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)},O=sptls`, publicKey: k.publicKey, issuer: { selfSigned: k.privateKey },
    notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 365 * 86_400_000), isCA: true,
  });
  writeFileSync(keyStores.escapeSubject, pem(escaped));

  const certificates = { fifo: fifo('cert-fifo.pem'), devZero: zero('cert-zero.pem'), sparse: sparse('cert-sparse.pem') };

  const badFilesText = `ca Root { file "cert-zero.pem" }
ca Other { file "cert-fifo.pem" }
server SP1 { address "sp1.example.com" port 1500 version 8.1.22 certificate file "cert-sparse.pem" trusts Root }
client C1 { address "c1.example.com" version 8.1.22 trusts Root }
C1 -> SP1
`;
  const topologies = {
    huge: at('huge.sptls'),
    fifo: fifo('fifo.sptls'),
    devZero: zero('zero.sptls'),
    sparse: sparse('sparse.sptls'),
    badFiles: at('bad-files.sptls'),
    injectionName: at(INJECTION_NAME),
  };
  writeFileSync(topologies.huge, hugeTopology(20 * 1024 * 1024));
  writeFileSync(topologies.badFiles, badFilesText);
  writeFileSync(topologies.injectionName, SMALL_TOPOLOGY);

  const keydbDir = (name: string, make: (path: string) => void) => {
    const d = at(`keydbs-${name}`);
    mkdirSync(d);
    make(join(d, 'SP1.kdb'));
    return d;
  };
  const keydbDirs = {
    fifo: keydbDir('fifo', mkfifo),
    devZero: keydbDir('zero', (p) => symlinkSync('/dev/zero', p)),
    sparse: keydbDir('sparse', (p) => { writeFileSync(p, ''); truncateSync(p, SPARSE_SIZE); }),
    keyIterations: keydbDir('iterations', (p) => {
      copyFileSync(keyStores.keyIterations, p);
      writeFileSync(p.replace(/\.kdb$/, '.sth'), readFileSync(at('key-iterations.sth')));
    }),
  };
  return { dir, keyStores, topologies, keydbDirs, certificates };
}

function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path]);
  if (r.status !== 0) throw new Error(`mkfifo ${path} failed: ${r.stderr}`);
}

function pem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
}

/** Many valid statements: `count` bytes of servers and connections. */
function hugeTopology(bytes: number): string {
  const parts = ['ca Root { subject "CN=Root" key rsa 2048 valid 10 years }\n'];
  let size = parts[0]!.length;
  for (let i = 0; size < bytes; i++) {
    const s = `server S${i} { address "s${i}.example.com" port 1500 certificate signed-by Root trusts Root }\n`;
    parts.push(s);
    size += s.length;
  }
  return parts.join('');
}

/** A PFX whose MAC asks for `iterations` PKCS#12 KDF rounds; nothing else in it matters. */
function pkcs12WithMacIterations(iterations: number): Buffer {
  const authSafe = toDer(seq([seq([oid(P12_OID.data), explicit(0, octets(toDer(seq([]))))])]));
  return toDer(seq([
    integer(3),
    seq([oid(P12_OID.data), explicit(0, octets(authSafe))]),
    seq([seq([seq([oid(DIGEST_OID.sha1), nul()]), octets(Buffer.alloc(20))]), octets(Buffer.alloc(8, 7)), integer(iterations)]),
  ]));
}

/**
 * A valid native .kdb (both MACs right) whose one private key asks for 8,388,607 PBKDF2
 * iterations: written with 65,536 (a three-byte INTEGER), the count patched in place, the
 * MAC over the records computed again.
 */
function kdbWithKeyIterations(certificate: Buffer, privateKey: import('node:crypto').KeyObject): Buffer {
  const kdb = writeKdb([{ label: 'server', certificate, privateKey }], PASSWORD, { keyIterations: 65_536 });
  const at = kdb.indexOf(Buffer.from([0x02, 0x03, 0x01, 0x00, 0x00, 0x02, 0x01, 0x20]));
  if (at < 0 || kdb.indexOf(Buffer.from([0x02, 0x03, 0x01, 0x00, 0x00, 0x02, 0x01, 0x20]), at + 1) >= 0) throw new Error('iteration count not found once');
  Buffer.from([0x7f, 0xff, 0xff]).copy(kdb, at + 2);
  const macLength = 48;
  const headerLength = HEADER_FIXED + 2 * macLength;
  kdbMac(6, PASSWORD, kdb.subarray(0, HEADER_FIXED + macLength), kdb.subarray(headerLength)).copy(kdb, HEADER_FIXED + macLength);
  return kdb;
}
