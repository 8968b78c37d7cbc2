// Diagnostics as the engine produces them: offsets into the text, a rule id, and
// `data` that a quick fix can act on without re-deriving the analysis.

export const RULES = {
  'syntax': 'error',
  'duplicate-name': 'error',
  'unknown-reference': 'error',
  'wrong-reference-kind': 'error',
  'duplicate-property': 'error',
  'property-not-applicable': 'warning',
  'invalid-value': 'error',
  'connection-not-supported': 'error',
  'tls-to-db2': 'error',
  'ldap-requires-tls': 'error',
  'duplicate-connection': 'warning',
  'self-connection': 'error',
  'missing-certificate': 'error',
  'untrusted-responder': 'error',
  'shared-certificate': 'error',
  'keydb-format': 'error',
  'ca-cycle': 'error',
  'lan-free-needs-server': 'error',
  'hub-spoke': 'error',
  'no-common-tls-version': 'error',
  'tls-version-unsupported': 'error',
  'legacy-tls': 'warning',
  'weak-key': 'error',
  'weak-signature': 'error',
  'certificate-expired': 'error',
  'certificate-expiring': 'warning',
  'hostname-mismatch': 'warning',
  'port-conflict': 'error',
  'file-not-found': 'error',
  'issuer-unknown': 'warning',
  'issuer-mismatch': 'error',
  'ssl-port-required': 'error',
  'validity-exceeds-issuer': 'warning',
  'unused-trust': 'hint',
  'unused-ca': 'hint',
  // Key-database audit (`sptls check --keydbs DIR`, server/src/pki/audit/): not run by `analyze`.
  'keydb-missing-trust': 'error',
  'keydb-certificate-mismatch': 'error',
  'keydb-unreadable': 'warning',
  // Live hosts against the topology (`sptls scan FILE`, server/src/scan/): not run by `analyze`.
  'scan-unreachable': 'error',
  'scan-certificate-mismatch': 'error',
  'scan-chain-differs': 'warning',
  'scan-certificate-expired': 'error',
  'scan-certificate-expiring': 'warning',
  'scan-hostname-mismatch': 'warning',
  'scan-tls-version-accepted': 'error',
  'scan-tls-version-refused': 'warning',
  'scan-untrusted': 'error',
  'scan-handshake-failed': 'error',
  'scan-not-judged': 'information',
  'scan-not-scanned': 'information',
} as const satisfies Record<string, Severity>;

export type RuleId = keyof typeof RULES;
export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** What a quick fix needs, by rule. Only rules with a mechanical fix carry data. */
export interface FixData {
  /**
   * untrusted-responder: the initiator whose trusts list lacks `trust`;
   * connection-not-supported: the reversed connection the product supports.
   */
  initiator?: string;
  responder?: string;
  /** The name to add to the initiator's `trusts`: the responder's root CA, or the responder itself. */
  trust?: string;
  /** unknown-reference: the closest declared name of a fitting kind. */
  suggestion?: string;
  /** keydb-format: the file name with the kind's extension. */
  replacement?: string;
  /** missing-certificate: CAs of the file that could sign it. */
  cas?: string[];
  /** validity-exceeds-issuer: the issuer's lifetime ("2 years"), for the certificate's declared `valid`. */
  validity?: string;
  /** ssl-port-required: the responder's SSL-only port, for the connection's `port`. */
  port?: string;
  /** hub-spoke: the missing hub -> spoke connection. */
  hub?: string;
  spoke?: string;
  /** lan-free-needs-server, hub-spoke: the start of the `plain` connection that must become TLS. */
  plain?: number;
}

export interface Diagnostic {
  code: RuleId;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  data?: FixData;
}

export type Report = (code: RuleId, span: { start: number; end: number }, message: string, data?: FixData) => void;
