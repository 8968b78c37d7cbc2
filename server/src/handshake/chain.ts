// Builds a path from the presented leaf to one of the initiator's trust anchors,
// by name and signature, so the reason for a failure can be said in plain words
// (Node's own verification yields one code and stops at the first problem).
//
// The verdict is GSKit's, which every Spectrum Protect client and server verifies with
// (spec §4.2 "Trust"): the leaf itself is in the trust set, or the path ends at a
// self-signed root that is. A trusted intermediate alone is not enough — Java's PKIX
// and OpenSSL's -partial_chain mode would accept it, GSKit and OpenSSL by default do not.
import type { X509Certificate } from 'node:crypto';
import { oneLineName } from './cert-facts.ts';
import type { CheckResult } from './report.ts';

const MAX_DEPTH = 10;

/** `issuer` is named as `child`'s issuer, may sign certificates, and its key verifies `child`. */
export function issuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * Signed by its own key under its own name. Not `issuedBy(cert, cert)`: OpenSSL's issuer
 * check also asks for keyCertSign, which a self-signed leaf (`certificate self-signed`,
 * keyUsage digitalSignature) lacks, and such a leaf would pass for one with an unknown issuer.
 */
function selfSigned(cert: X509Certificate): boolean {
  try {
    return cert.subject === cert.issuer && cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

const name = (c: X509Certificate) => `'${oneLineName(c.subject)}'`;

export function checkChain(presented: X509Certificate[], anchors: X509Certificate[], trustDescription: string): CheckResult {
  const leaf = presented[0];
  if (!leaf) return { id: 'chain', status: 'skip', reason: 'the server sent no certificate' };
  const trusted = (c: X509Certificate) => anchors.some((a) => a.fingerprint256 === c.fingerprint256);
  if (trusted(leaf)) return pass([leaf], presented, `${name(leaf)} is itself in ${trustDescription}`);
  const path: X509Certificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (selfSigned(current)) {
      if (current === leaf) return fail('self-signed', `self-signed certificate ${name(leaf)} is not trusted: it is not in ${trustDescription}`);
      if (trusted(current)) return pass(path, presented, `chain ends at the root ${name(current)} from ${trustDescription}`);
      return rootMissing(path, trusted, `root ${name(current)}`, trustDescription)
        ?? fail('unknown-issuer', `unknown issuer: the chain ends at root ${name(current)}, which is not in ${trustDescription}`);
    }
    // The trust set's copy first: a server may send a stale certificate of the same name.
    const next = anchors.find((a) => !path.includes(a) && issuedBy(current, a))
      ?? presented.find((p) => !path.includes(p) && issuedBy(current, p));
    if (!next) {
      const sameName = [...presented, ...anchors].find((p) => p !== current && p.subject === current.issuer);
      if (sameName) {
        return fail('bad-signature', `the certificate named ${name(sameName)} did not sign ${name(current)} (key or signature does not match)`);
      }
      const issuer = `'${oneLineName(current.issuer)}'`;
      return rootMissing(path, trusted, `issuer ${issuer} of ${name(current)}`, trustDescription)
        ?? fail('incomplete-chain', `incomplete chain: the server did not send the issuer ${issuer} of ${name(current)}, and ${trustDescription} has no certificate of that name (unknown issuer)`);
    }
    path.push(next);
    current = next;
  }
  return fail('chain-too-long', `no trust anchor within ${MAX_DEPTH} certificates`);
}

/** The finding when the path went through a trusted intermediate but stops short of a trusted root; null when it did not. */
function rootMissing(path: X509Certificate[], trusted: (c: X509Certificate) => boolean, missing: string, trustDescription: string): CheckResult | null {
  const intermediate = path.slice(1).find(trusted);
  if (!intermediate) return null;
  return fail('root-not-trusted', `the chain reaches the trusted intermediate ${name(intermediate)}, but its ${missing} is not in ${trustDescription}: GSKit (like OpenSSL by default) trusts a chain only up to a trusted root; add the root CA certificate to the trust set`);
}

function pass(path: X509Certificate[], presented: X509Certificate[], how: string): CheckResult {
  // The server's part of the path must come in the order it was sent, leaf first.
  const sent = path.filter((c) => presented.includes(c));
  if (!sent.every((c, i) => presented[i] === c)) {
    return { id: 'chain', status: 'warn', reason: `trusted (${how}), but the server sent its certificates out of order`, codes: ['out-of-order'] };
  }
  return { id: 'chain', status: 'pass', reason: `trusted: ${how}` };
}

function fail(code: string, reason: string): CheckResult {
  return { id: 'chain', status: 'fail', reason, codes: [code] };
}
