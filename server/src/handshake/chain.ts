// Builds a path from the presented leaf to one of the initiator's trust anchors,
// by name and signature, so the reason for a failure can be said in plain words
// (Node's own verification yields one code and stops at the first problem).
import type { X509Certificate } from 'node:crypto';
import { oneLineName } from './cert-facts.ts';
import type { CheckResult } from './report.ts';

const MAX_DEPTH = 10;

export function issuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function selfSigned(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && issuedBy(cert, cert);
}

const name = (c: X509Certificate) => `'${oneLineName(c.subject)}'`;

export function checkChain(presented: X509Certificate[], anchors: X509Certificate[], trustDescription: string): CheckResult {
  const leaf = presented[0];
  if (!leaf) return { id: 'chain', status: 'skip', reason: 'the server sent no certificate' };
  const anchorPrints = new Set(anchors.map((a) => a.fingerprint256));
  const path: X509Certificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (anchorPrints.has(current.fingerprint256)) return trusted(path, presented, `${name(current)} is itself in ${trustDescription}`);
    const anchor = anchors.find((a) => issuedBy(current, a));
    if (anchor) return trusted(path, presented, `chain ends at ${name(anchor)} from ${trustDescription}`);
    if (selfSigned(current)) {
      return current === leaf
        ? fail('self-signed', `self-signed certificate ${name(leaf)} is not trusted: it is not in ${trustDescription}`)
        : fail('unknown-issuer', `unknown issuer: the chain ends at root ${name(current)}, which is not in ${trustDescription}`);
    }
    const next = presented.find((p) => !path.includes(p) && issuedBy(current, p));
    if (!next) {
      const sameName = [...presented, ...anchors].find((p) => p !== current && p.subject === current.issuer);
      if (sameName) {
        return fail('bad-signature', `the certificate named ${name(sameName)} did not sign ${name(current)} (key or signature does not match)`);
      }
      return fail('incomplete-chain', `incomplete chain: the server did not send the issuer '${oneLineName(current.issuer)}' of ${name(current)}, and ${trustDescription} has no certificate of that name (unknown issuer)`);
    }
    path.push(next);
    current = next;
  }
  return fail('chain-too-long', `no trust anchor within ${MAX_DEPTH} certificates`);
}

function trusted(path: X509Certificate[], presented: X509Certificate[], how: string): CheckResult {
  const inOrder = path.every((c, i) => presented[i] === c);
  if (!inOrder) {
    return { id: 'chain', status: 'warn', reason: `trusted (${how}), but the server sent its certificates out of order`, codes: ['out-of-order'] };
  }
  return { id: 'chain', status: 'pass', reason: `trusted: ${how}` };
}

function fail(code: string, reason: string): CheckResult {
  return { id: 'chain', status: 'fail', reason, codes: [code] };
}
