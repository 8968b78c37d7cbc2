// Does a certificate's signature verify with a given public key? Pure computation over
// bytes (no I/O), so analysis may ask it: spec §4.2 "Signatures decide between
// look-alikes" (a re-keyed CA keeps its name; only its key tells the two apart).
import { createPublicKey, X509Certificate } from 'node:crypto';

/**
 * True when `certificateDer` is signed by the key in `issuerSpkiDer` (a DER
 * SubjectPublicKeyInfo). Never throws: an unreadable certificate or key does not verify.
 */
export function signatureVerifies(certificateDer: Uint8Array, issuerSpkiDer: Uint8Array): boolean {
  try {
    return new X509Certificate(certificateDer).verify(createPublicKey({ key: Buffer.from(issuerSpkiDer), format: 'der', type: 'spki' }));
  } catch {
    return false;
  }
}
