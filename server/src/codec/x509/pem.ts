// PEM (and GSKit's ".arm", which is the same base64 armour) encoding.
export interface PemBlock {
  label: string;
  der: Buffer;
}

export function pemEncode(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export const certificatePem = (der: Uint8Array): string => pemEncode('CERTIFICATE', der);

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every well-formed block in `text`; text between blocks (openssl's "subject=" lines, notes) is ignored. */
export function pemDecodeAll(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    // Encrypted PEM headers ("Proc-Type: …") sit before a blank line; base64 starts after it.
    const body = m[2]!.includes(':') ? m[2]!.split(/\r?\n\r?\n/).slice(1).join('') : m[2]!;
    const compact = body.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) continue;
    out.push({ label: m[1]!, der: Buffer.from(compact, 'base64') });
  }
  return out;
}

export const looksLikePem = (bytes: Uint8Array): boolean =>
  Buffer.from(bytes.subarray(0, 64 * 1024)).toString('latin1').includes('-----BEGIN ');
