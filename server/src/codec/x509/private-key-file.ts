// Private key files: PKCS#8 PEM, optionally encrypted at rest (PBES2/AES-256-CBC, OpenSSL's defaults).
import { createPrivateKey, type KeyObject } from 'node:crypto';

export function privateKeyPem(key: KeyObject, passphrase?: string): string {
  return passphrase === undefined
    ? (key.export({ type: 'pkcs8', format: 'pem' }) as string)
    : (key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string);
}

export type PrivateKeyReadResult =
  | { ok: true; key: KeyObject }
  | { ok: false; error: { kind: 'needs-passphrase' | 'wrong-passphrase' | 'malformed'; message: string } };

/** Reads PEM (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1) or DER PKCS#8. Never throws. */
export function readPrivateKey(bytes: Uint8Array, passphrase?: string): PrivateKeyReadResult {
  const text = Buffer.from(bytes).toString('latin1');
  const isPem = text.includes('-----BEGIN ');
  const encrypted = isPem ? text.includes('ENCRYPTED') : false;
  if (encrypted && passphrase === undefined) {
    return { ok: false, error: { kind: 'needs-passphrase', message: 'the key is encrypted; a passphrase is needed' } };
  }
  try {
    const key = isPem
      ? createPrivateKey({ key: text, format: 'pem', passphrase })
      : createPrivateKey({ key: Buffer.from(bytes), format: 'der', type: 'pkcs8', passphrase });
    return { ok: true, key };
  } catch (e) {
    const message = (e as Error).message;
    const wrong = encrypted || /bad decrypt|passphrase/i.test(message);
    return { ok: false, error: wrong ? { kind: 'wrong-passphrase', message: 'the passphrase does not decrypt the key' } : { kind: 'malformed', message: `not a private key (${message})` } };
  }
}
