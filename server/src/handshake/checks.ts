// The independent verdicts on a presented chain. Each check looks at the facts on
// its own, so an expired and misnamed certificate yields two findings, not one.
import type { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { POLICY } from '../analysis/policy.ts';
import { covers } from '../codec/x509/host-match.ts';
import { checkChain } from './chain.ts';
import type { CertFacts } from './cert-facts.ts';
import type { CheckResult, ClientAuthFacts } from './report.ts';

const { minRsaBits: MIN_RSA_BITS, minEcBits: MIN_EC_BITS, expiryWarningDays: EXPIRY_WARN_DAYS } = POLICY;
const WEAK_HASHES = new Set(['md2', 'md4', 'md5', 'sha1']);

export interface CheckInput {
  presented: X509Certificate[];
  facts: CertFacts[];
  anchors: X509Certificate[];
  trustDescription: string;
  expectedHostname: string;
  now: Date;
  clientAuth?: ClientAuthFacts;
}

export function runChecks(input: CheckInput): CheckResult[] {
  if (input.presented.length === 0) {
    const none = (id: CheckResult['id']): CheckResult => ({ id, status: 'skip', reason: 'no certificate was received' });
    return [none('chain'), none('hostname'), none('validity'), none('key'), none('signature'), checkClientAuth(input.clientAuth)];
  }
  return [
    checkChain(input.presented, input.anchors, input.trustDescription),
    checkHostname(input.facts[0]!, input.expectedHostname),
    checkValidity(input.facts, input.now),
    checkKeys(input.facts),
    checkSignatures(input.facts),
    checkClientAuth(input.clientAuth),
  ];
}

export function checkHostname(facts: CertFacts, expected: string): CheckResult {
  const ip = isIP(expected) !== 0;
  // The rules' matcher (no CN fallback, one-label wildcards), not OpenSSL's, so the tester and `check` agree.
  const prefixed = (prefix: string) => facts.sans.filter((s) => s.startsWith(prefix)).map((s) => s.slice(prefix.length));
  const match = covers({ dns: prefixed('DNS:'), ip: prefixed('IP:') }, expected);
  if (match) return { id: 'hostname', status: 'pass', reason: `certificate matches ${ip ? 'IP' : 'name'} ${expected}${ip ? '' : ` (as ${match})`}` };
  const names = facts.sans.length > 0 ? facts.sans.join(', ') : `no SANs; subject ${facts.subject}`;
  return { id: 'hostname', status: 'fail', reason: `name mismatch: the certificate is not valid for ${expected} (it names ${names})`, codes: ['name-mismatch'] };
}

export function checkValidity(chain: CertFacts[], now: Date): CheckResult {
  const problems: string[] = [];
  const codes = new Set<string>();
  for (const [i, c] of chain.entries()) {
    const who = i === 0 ? 'the server certificate' : `chain certificate #${i + 1} (${c.subject})`;
    if (now < new Date(c.notBefore)) { problems.push(`${who} is not yet valid (valid from ${c.notBefore})`); codes.add('not-yet-valid'); }
    if (now > new Date(c.notAfter)) { problems.push(`${who} expired on ${c.notAfter} (${-c.daysLeft} days ago)`); codes.add('expired'); }
  }
  if (problems.length > 0) return { id: 'validity', status: 'fail', reason: problems.join('; '), codes: [...codes] };
  const soonest = chain.reduce((a, b) => (b.daysLeft < a.daysLeft ? b : a));
  if (soonest.daysLeft < EXPIRY_WARN_DAYS) {
    return { id: 'validity', status: 'warn', reason: `${soonest.subject} expires in ${soonest.daysLeft} days (${soonest.notAfter})`, codes: ['expires-soon'] };
  }
  return { id: 'validity', status: 'pass', reason: `all certificates are within their validity; the first to expire has ${soonest.daysLeft} days left` };
}

function keyWeakness(c: CertFacts): string | undefined {
  const bits = c.keyBits ?? 0;
  if ((c.keyType === 'rsa' || c.keyType === 'rsa-pss' || c.keyType === 'dsa') && bits < MIN_RSA_BITS) return `${c.keyType.toUpperCase()} ${bits} bits (< ${MIN_RSA_BITS})`;
  if (c.keyType === 'ec' && bits < MIN_EC_BITS) return `EC ${c.curve ?? ''} ${bits} bits (< ${MIN_EC_BITS})`;
  return undefined;
}

export function checkKeys(chain: CertFacts[]): CheckResult {
  const weak = chain.flatMap((c) => {
    const w = keyWeakness(c);
    return w ? [`${c.subject}: ${w}`] : [];
  });
  if (weak.length > 0) return { id: 'key', status: 'fail', reason: `weak key: ${weak.join('; ')}`, codes: ['weak-key'] };
  const leaf = chain[0]!;
  return { id: 'key', status: 'pass', reason: `server key ${leaf.keyType.toUpperCase()} ${leaf.curve ? `${leaf.curve} ` : ''}${leaf.keyBits ?? '?'} bits` };
}

export function checkSignatures(chain: CertFacts[]): CheckResult {
  // A self-issued certificate's own signature protects nothing: trust in it comes from the trust set.
  const signed = chain.filter((c) => !c.selfIssued);
  const weak = signed.filter((c) => WEAK_HASHES.has(c.signatureAlgorithm.hash));
  if (weak.length > 0) {
    return { id: 'signature', status: 'fail', reason: `weak signature: ${weak.map((c) => `${c.subject} is signed with ${c.signatureAlgorithm.name}`).join('; ')}`, codes: ['weak-signature'] };
  }
  const unknown = signed.filter((c) => c.signatureAlgorithm.hash === 'unknown');
  if (unknown.length > 0) {
    return { id: 'signature', status: 'warn', reason: `unrecognised signature algorithm ${unknown.map((c) => c.signatureAlgorithm.oid || c.signatureAlgorithm.name).join(', ')}`, codes: ['unknown-signature'] };
  }
  const algs = [...new Set(chain.map((c) => c.signatureAlgorithm.name))].join(', ');
  return { id: 'signature', status: 'pass', reason: `signature algorithms: ${algs}` };
}

export function checkClientAuth(auth: ClientAuthFacts | undefined): CheckResult {
  if (!auth) return { id: 'client-cert', status: 'skip', reason: 'not determined' };
  const alert = auth.alert ? ` (alert ${auth.alert.number} ${auth.alert.name})` : '';
  if (auth.required && !auth.certificateSent) {
    return { id: 'client-cert', status: 'fail', reason: `the server requires a client certificate and none was given${alert}; pass --cert and --key`, codes: ['client-cert-required'] };
  }
  if (auth.required) {
    return { id: 'client-cert', status: 'fail', reason: `the server rejected the client certificate${alert}`, codes: ['client-cert-rejected'] };
  }
  if (auth.requested === true) {
    return { id: 'client-cert', status: 'pass', reason: auth.certificateSent ? 'the server asked for a client certificate and accepted the one given' : 'the server asks for a client certificate but goes on without one' };
  }
  if (auth.requested === false) return { id: 'client-cert', status: 'pass', reason: 'the server does not ask for a client certificate' };
  return { id: 'client-cert', status: 'skip', reason: 'could not see whether the server asks for a client certificate' };
}
