// Trust anchors: the certificates the initiator accepts as issuers. They come as
// PEM text (IBM's .arm files are PEM too) or as DER files.
import { X509Certificate } from 'node:crypto';
import { readBoundedFile } from '../workspace/bounded-read.ts';

const PEM_BLOCK = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----[\s\S]*?-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;

export class TrustInputError extends Error {}

/** Every certificate in a PEM text; throws TrustInputError naming `label` on bad content. */
export function certificatesFromPem(pem: string, label: string): X509Certificate[] {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) {
    throw new TrustInputError(`${label}: no "-----BEGIN CERTIFICATE-----" block found; give a PEM/ARM or DER certificate file`);
  }
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block.replace(/(X509|TRUSTED) CERTIFICATE/g, 'CERTIFICATE'));
    } catch (e) {
      throw new TrustInputError(`${label}: certificate #${i + 1} cannot be read (${(e as Error).message}); re-export it as PEM`);
    }
  });
}

/** Reads a PEM/ARM or DER certificate file as PEM text. */
export function readTrustFile(path: string): string {
  const read = readBoundedFile(path, { kind: 'certificate' });
  if (!read.ok) throw new TrustInputError(`${path}: cannot read trust file: ${read.reason}`);
  const data = read.bytes;
  const text = data.toString('latin1');
  if (text.includes('-----BEGIN')) {
    certificatesFromPem(text, path);
    return text;
  }
  try {
    return new X509Certificate(data).toString();
  } catch {
    throw new TrustInputError(`${path}: neither PEM/ARM text nor a DER certificate; export the CA certificate with 'gsk8capicmd_64 -cert -extract … -format ascii' or 'openssl x509 -outform PEM'`);
  }
}
