// Java PKCS#12 truststore (the Operations Center's Liberty server): trusted certificates only,
// each bag marked with Oracle's trusted-key-usage attribute so keytool shows trustedCertEntry.
import { assemblePfx, certBag } from './pfx.ts';
import type { PrfHash } from '../pbe.ts';

export interface TrustedCertificate {
  alias: string;
  /** DER. */
  certificate: Uint8Array;
}

export interface TruststoreWriteOptions {
  iterations?: number;
  /** SHA-1 (default) is read by every Java 8+; SHA-256 MACs need Java 8u301+/11.0.12+. */
  macHash?: PrfHash;
}

export class TruststoreError extends Error {}

export function writeJavaTruststore(certificates: TrustedCertificate[], password: string, options: TruststoreWriteOptions = {}): Buffer {
  if (certificates.length === 0) throw new TruststoreError('a truststore needs at least one certificate (Java refuses an empty trust anchor set)');
  const aliases = new Set<string>();
  for (const c of certificates) {
    // Java lower-cases PKCS#12 aliases; two that differ only in case would collide.
    const key = c.alias.toLowerCase();
    if (aliases.has(key)) throw new TruststoreError(`alias "${c.alias}" is used twice`);
    aliases.add(key);
  }
  const bags = certificates.map((c) => certBag(c.certificate, { friendlyName: c.alias, trustedForJava: true }));
  return assemblePfx([bags], password, { hash: options.macHash ?? 'sha1', iterations: options.iterations ?? 10000 });
}

/** WebSphere Liberty's `{xor}` obfuscation (bootstrap.properties): bytes XOR '_' then base64. Not encryption. */
export function libertyXorEncode(password: string): string {
  return '{xor}' + Buffer.from(Buffer.from(password, 'utf8').map((b) => b ^ 0x5f)).toString('base64');
}

export function libertyXorDecode(text: string): string | undefined {
  if (!text.startsWith('{xor}')) return undefined;
  return Buffer.from(Buffer.from(text.slice(5), 'base64').map((b) => b ^ 0x5f)).toString('utf8');
}
