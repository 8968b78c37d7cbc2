// Every product number sptls judges or defaults with, in one table: the rules, the live
// tester, the key database writer and the editor settings read them here, so they cannot
// drift apart. (What each kind and property means is product.ts; TLS ranges by product
// level are versions.ts.) A test holds package.json's setting defaults to this table.
import type { Kind } from '../../../grammar/src/index.ts';

export const POLICY = {
  /** `certificate-expiring` and the tester's validity warning: fewer days left than this warn (setting `sptls.expiryWarningDays`). */
  expiryWarningDays: 30,
  /** Smaller RSA (and DSA) keys are weak (`weak-key`, the tester's key check); facts §3. */
  minRsaBits: 2048,
  /** Smaller EC keys are weak in the tester's key check. */
  minEcBits: 224,
  /** Where a component listens when the topology gives no port: TCPPORT 1500 for servers and storage agents, LDAPS 636. */
  defaultPorts: { server: 1500, 'storage-agent': 1500, ldap: 636 } as Readonly<Partial<Record<Kind, number>>>,
} as const;
