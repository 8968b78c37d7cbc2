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
// `syntax` comes from the parser (grammar/).
import { checkCertificateFiles, checkHostnames, checkSharedCertificates } from './certificates.ts';
import { checkConnections } from './connections.ts';
import type { Rule } from './context.ts';
import { checkDeclarations } from './declarations.ts';
import { checkIssuers } from './issuers.ts';
import { checkPorts } from './ports.ts';
import { checkReferences } from './references.ts';
import { checkHubSpoke, checkLanFree } from './roles.ts';
import { checkUsage } from './usage.ts';
import { checkValues } from './values.ts';

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
