// The two operations issuance needs from cryptography, behind an interface so tests can hand
// out pre-generated keys (RSA 4096 generation takes seconds) while production uses Node.
import { buildCertificate, type CertificateRequest } from '../../codec/x509/build.ts';
import { generateKey, type KeyPair, type KeySpec } from '../../codec/x509/keys.ts';

export interface CertificateIssuer {
  /** Async so that many keys are generated at once on libuv's thread pool. */
  generateKey(spec: KeySpec): Promise<KeyPair>;
  /** DER of the signed certificate. */
  sign(request: CertificateRequest): Buffer;
}

export const nodeCertificateIssuer: CertificateIssuer = {
  generateKey,
  sign: buildCertificate,
};
