// Every rule check, in the order they run. Where each rule id lives:
//   declarations.ts  duplicate-name, duplicate-property, property-not-applicable
//   references.ts    unknown-reference, wrong-reference-kind, ca-cycle
//   values.ts        invalid-value, legacy-tls, tls-version-unsupported, weak-key (declared), keydb-format
//   connections.ts   self-connection, connection-not-supported, tls-to-db2, ldap-requires-tls,
//                    duplicate-connection, missing-certificate, untrusted-responder, no-common-tls-version,
//                    ssl-port-required
//   roles.ts         lan-free-needs-server, hub-spoke
//   certificates.ts  file-not-found, weak-key (files), weak-signature, certificate-expired,
//                    certificate-expiring, shared-certificate, hostname-mismatch
//   issuers.ts       issuer-unknown, issuer-mismatch, validity-exceeds-issuer
//   ports.ts         port-conflict
//   usage.ts         unused-trust, unused-ca
// `syntax` comes from the parser (grammar/). RULE_READS: the rules the incremental layer may
// reuse across edits, with what each reads of a statement (see reads.ts); the others read
// chains, certificate files or the clock and run on every analysis.
import { checkCertificateFiles, checkHostnames, checkSharedCertificates } from './certificates.ts';
import { checkConnections } from './connections.ts';
import type { Rule } from './context.ts';
import { checkDeclarations, declarationsReads } from './declarations.ts';
import { checkIssuers } from './issuers.ts';
import { checkPorts, portsReads } from './ports.ts';
import type { Projection } from './reads.ts';
import { checkReferences, referencesReads } from './references.ts';
import { checkHubSpoke, checkLanFree, hubSpokeReads, lanFreeReads } from './roles.ts';
import { checkUsage } from './usage.ts';
import { checkValues, valuesReads } from './values.ts';

export const RULE_CHECKS: readonly Rule[] = [
  checkDeclarations,
  checkReferences,
  checkValues,
  checkConnections,
  checkLanFree,
  checkHubSpoke,
  checkCertificateFiles,
  checkIssuers,
  checkSharedCertificates,
  checkHostnames,
  checkPorts,
  checkUsage,
];

export const RULE_READS: ReadonlyMap<Rule, Projection> = new Map<Rule, Projection>([
  [checkDeclarations, declarationsReads],
  [checkReferences, referencesReads],
  [checkValues, valuesReads],
  [checkLanFree, lanFreeReads],
  [checkHubSpoke, hubSpokeReads],
  [checkPorts, portsReads],
]);
