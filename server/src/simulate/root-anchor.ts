// The handshake tester's chain check accepts a path that ends at any certificate of the
// trust set, as Java's PKIX and OpenSSL's partial-chain mode do. GSKit, which every
// Spectrum Protect client and server verifies with (and OpenSSL by default), needs the
// path to end at a trusted self-signed root, or the peer's own certificate to be trusted.
// This asks that stricter question of what the rehearsal's listener presented.
import type { X509Certificate } from 'node:crypto';
import { issuedBy } from '../handshake/chain.ts';

const MAX_DEPTH = 10;

/** Null when a trusted root (or the leaf itself) ends the path; else the trusted non-root the path stops at, or why. */
export function missingRootAnchor(presented: X509Certificate[], anchors: X509Certificate[]): string | null {
  const leaf = presented[0];
  if (!leaf) return 'no certificate was presented';
  const trusted = new Set(anchors.map((a) => a.fingerprint256));
  if (trusted.has(leaf.fingerprint256)) return null;
  const pool = [...presented, ...anchors];
  let current = leaf;
  let lastTrusted: X509Certificate | null = null;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (trusted.has(current.fingerprint256)) lastTrusted = current;
    const selfSigned = issuedBy(current, current);
    if (selfSigned) return trusted.has(current.fingerprint256) ? null : why(lastTrusted, current);
    const next = pool.find((c) => c !== current && issuedBy(current, c));
    if (!next) return why(lastTrusted, current);
    current = next;
  }
  return why(lastTrusted, current);
}

function why(lastTrusted: X509Certificate | null, end: X509Certificate): string {
  const name = (c: X509Certificate) => `'${c.subject.split('\n').reverse().join(', ')}'`;
  return lastTrusted
    ? `the path stops at the trusted intermediate ${name(lastTrusted)}; GSKit (like OpenSSL by default) needs the root ${name(end)} in the trust set`
    : `no trusted root ends the path (it ends at ${name(end)})`;
}
