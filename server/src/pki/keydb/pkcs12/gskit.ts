// The PKCS#12 file GSKit imports into cert.kdb (gsk8capicmd_64 -cert -import / -keydb -convert):
// key bag pbeWithSHAAnd3-KeyTripleDES-CBC, certificates in unencrypted bags, SHA-1 MAC. Every
// part opens in OpenSSL 3 without -legacy, in Java 8…17 and in what OpenSSL 1.1 wrote for IBM tools.
import { createHash, type KeyObject } from 'node:crypto';
import { encryptPkcs12TripleDes } from '../pbe.ts';
import { assemblePfx, certBag, shroudedKeyBag } from './pfx.ts';

export interface Pkcs12KeyEntry {
  /** friendlyName of the key and its certificate: the label GSKit gives the entry. */
  label: string;
  privateKey: KeyObject;
  /** DER of the entity certificate. */
  certificate: Uint8Array;
  /** Issuer chain (DER), nearest issuer first; labels become the CA entries' names in GSKit. */
  chain?: { certificate: Uint8Array; label?: string }[];
}

export interface Pkcs12WriteOptions {
  /** Key-bag PBE and MAC iterations (default 2048, as OpenSSL 1.1 and forge). */
  iterations?: number;
}

export function writeGskitPkcs12(entry: Pkcs12KeyEntry, password: string, options: Pkcs12WriteOptions = {}): Buffer {
  const iterations = options.iterations ?? 2048;
  const localKeyId = createHash('sha1').update(entry.certificate).digest();
  const pkcs8 = entry.privateKey.export({ type: 'pkcs8', format: 'der' });
  const certs = [
    certBag(entry.certificate, { friendlyName: entry.label, localKeyId }),
    ...(entry.chain ?? []).map((c) => certBag(c.certificate, c.label === undefined ? {} : { friendlyName: c.label })),
  ];
  const key = shroudedKeyBag(encryptPkcs12TripleDes(pkcs8, password, iterations), { friendlyName: entry.label, localKeyId });
  return assemblePfx([certs, [key]], password, { hash: 'sha1', iterations });
}
