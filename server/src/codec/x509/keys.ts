// Key pairs from Node's native crypto. The async generator runs on libuv's thread pool,
// so issuing many certificates at once keeps every core busy.
import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

export type KeySpec =
  | { kind: 'rsa'; bits: 2048 | 3072 | 4096 }
  | { kind: 'ec'; curve: 'P-256' | 'P-384' };

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** What a certificate or key file says about its key. */
export interface KeyDescription {
  type: 'rsa' | 'ec' | 'ed25519' | 'ed448' | 'dsa' | 'unknown';
  /** Modulus length for RSA/DSA, field size for EC. */
  bits?: number;
  /** NIST name (P-256, P-384, P-521) or OpenSSL's name for other curves. */
  curve?: string;
}

const generate = promisify(generateKeyPair);

const NODE_CURVE: Record<'P-256' | 'P-384', string> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1' };
const CURVE_INFO: Record<string, { name: string; bits: number }> = {
  prime256v1: { name: 'P-256', bits: 256 }, secp384r1: { name: 'P-384', bits: 384 }, secp521r1: { name: 'P-521', bits: 521 },
};

export async function generateKey(spec: KeySpec): Promise<KeyPair> {
  if (spec.kind === 'rsa') return generate('rsa', { modulusLength: spec.bits, publicExponent: 0x10001 });
  return generate('ec', { namedCurve: NODE_CURVE[spec.curve] });
}

export function describeKey(key: KeyObject): KeyDescription {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa': case 'rsa-pss': return { type: 'rsa', bits: details.modulusLength };
    case 'dsa': return { type: 'dsa', bits: details.modulusLength };
    case 'ec': {
      const info = CURVE_INFO[details.namedCurve ?? ''];
      return { type: 'ec', curve: info?.name ?? details.namedCurve, bits: info?.bits };
    }
    case 'ed25519': return { type: 'ed25519', bits: 256 };
    case 'ed448': return { type: 'ed448', bits: 456 };
    default: return { type: 'unknown' };
  }
}

/** "RSA 2048", "EC P-256". */
export function keyLabel(d: KeyDescription): string {
  if (d.type === 'ec') return `EC ${d.curve ?? '?'}`;
  return `${d.type.toUpperCase()}${d.bits ? ` ${d.bits}` : ''}`;
}
