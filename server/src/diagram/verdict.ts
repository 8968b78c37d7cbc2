// The verdict class of one connection, read from the link's status and the findings
// anchored on it, so the diagram says exactly what the diagnostics say.
import type { Chains } from '../analysis/chains.ts';
import type { Link } from '../analysis/model.ts';
import { trustVerdict } from '../analysis/trust.ts';
import type { Finding } from './findings.ts';
import type { Verdict } from './kinds.ts';

/** Findings on a TLS connection that mean its handshake fails. */
export const UNTRUSTED_RULES: ReadonlySet<string> = new Set([
  'untrusted-responder', 'missing-certificate', 'no-common-tls-version', 'ssl-port-required',
  // Findings on the certificates the responder presents (its own and its chain's), which
  // buildDiagram adds to the connection's: an expired or mis-issued certificate fails
  // the handshake however the trust lists read.
  'certificate-expired', 'issuer-mismatch',
]);

/** Rules on a responder's certificate, or on a CA of its chain, that fail every TLS session to it. */
export const PRESENTED_CERTIFICATE_FAILURES: ReadonlySet<string> = new Set(['certificate-expired', 'issuer-mismatch']);

/** Statuses the product forbids outright (spec §4.3); nothing else is checked on them. */
const FORBIDDEN: ReadonlySet<Link['status']> = new Set(['self', 'unsupported', 'tls-to-db2', 'ldap-plain']);

/**
 * `findings` are those of the connection plus the responder's `missing-certificate`,
 * which the engine anchors once at the responder's declaration.
 */
export function connectionVerdict(link: Link, findings: readonly Finding[], chains: Chains): Verdict {
  if (link.status === 'unresolved') return 'unknown';
  if (FORBIDDEN.has(link.status)) return 'forbidden';
  if (link.status === 'db2-plain' || !link.tls) return 'plain';
  if (!link.to!.certificate || findings.some((f) => UNTRUSTED_RULES.has(f.rule))) return 'untrusted';
  // A chain that cannot be built is reported elsewhere (unknown-reference, ca-cycle, file-not-found).
  return trustVerdict(link.from!, link.to!, chains).kind === 'unknown' ? 'unknown' : 'trusted';
}
