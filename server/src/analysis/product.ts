// Facts about IBM Spectrum Protect that the rules, hover and key-database tools share
// (spec §4; sources in shared/reference/ibm-sp-ssl-facts.md). Data only, no logic.
import type { Kind } from '../../../grammar/src/index.ts';
import { POLICY } from './policy.ts';

export type TlsLibrary = 'gskit' | 'java' | 'none';

export interface KindFacts {
  title: string;
  role: string;
  library: TlsLibrary;
  /** Default key database file(s) on the component's host. */
  keydb: string | null;
  keydbNote: string;
}

export const KINDS: Record<Kind, KindFacts> = {
  server: {
    title: 'Spectrum Protect server',
    role: 'SSL server for clients, storage agents, the Operations Center and other servers; SSL client when it opens server-to-server sessions (replication, library sharing, hub → spoke) and LDAP sessions.',
    library: 'gskit',
    keydb: 'cert.kdb',
    keydbNote: '`cert.kdb` + `cert.sth` (CMS) in the server instance directory; default certificate label `TSM Server SelfSigned SHA Key`, exported as `cert256.arm`.',
  },
  client: {
    title: 'backup-archive client / API / administrative client',
    role: 'SSL client: it initiates sessions to servers and (LAN-free) storage agents and verifies their certificates.',
    library: 'gskit',
    keydb: 'dsmcert.kdb',
    keydbNote: '`dsmcert.kdb` + `dsmcert.sth` (CMS) in the client or API install directory, managed with `dsmcert`.',
  },
  'storage-agent': {
    title: 'storage agent (LAN-free data mover)',
    role: 'SSL server for LAN-free clients; SSL client towards its server / library manager.',
    library: 'gskit',
    keydb: 'cert.kdb',
    keydbNote: '`cert.kdb` + `cert.sth` (CMS) in the storage agent directory.',
  },
  'operations-center': {
    title: 'Operations Center (WebSphere Liberty)',
    role: 'SSL client towards its hub server; does not use GSKit.',
    library: 'java',
    keydb: 'gui-truststore.p12',
    keydbNote: 'Java truststore, PKCS#12 (`gui-truststore.p12`); the password goes to `bootstrap.properties` in `{xor}` form.',
  },
  'reporting-agent': {
    title: 'Reporting agent',
    role: 'SSL client towards the servers it reports on; does not use GSKit.',
    library: 'java',
    keydb: 'truststore.p12',
    keydbNote: 'Java truststore, PKCS#12 (`truststore.p12`).',
  },
  ldap: {
    title: 'LDAP directory',
    role: 'SSL server for LDAP password authentication by Spectrum Protect servers (TLS required).',
    library: 'none',
    keydb: null,
    keydbNote: 'not managed by Spectrum Protect; the server needs the directory\'s root CA in its `cert.kdb`.',
  },
  db2: {
    title: 'Db2 instance of a server',
    role: 'holds the server database; the server connects to it without SSL/TLS (the product does not support TLS here).',
    library: 'none',
    keydb: null,
    keydbNote: 'none: never use SSL/TLS towards the server\'s Db2 instance.',
  },
  ca: {
    title: 'certificate authority',
    role: 'issues certificates; a root CA (no `signed-by`, and a `file` only when it is self-signed) must be in the key database of every component that initiates sessions to a component it signed for. A CA read from a file that another CA issued is an intermediate.',
    library: 'none',
    keydb: null,
    keydbNote: 'its certificate is what initiators install as trusted.',
  },
};

export const GSKIT_KINDS: ReadonlySet<Kind> = new Set(['server', 'client', 'storage-agent']);
export const JAVA_KINDS: ReadonlySet<Kind> = new Set(['operations-center', 'reporting-agent']);

export interface PropertyFacts {
  /** Kinds for which the property means something. */
  kinds: readonly Kind[];
  summary: string;
  /** The product option it stands for, if any. */
  option?: string;
  range?: readonly [number, number];
  default?: string;
  since?: string;
}

const ALL_BUT_CA: Kind[] = ['server', 'client', 'storage-agent', 'operations-center', 'reporting-agent', 'ldap', 'db2'];
const TLS_KINDS: Kind[] = ['server', 'client', 'storage-agent', 'operations-center', 'reporting-agent', 'ldap'];
const TRUSTING_KINDS: Kind[] = ['server', 'client', 'storage-agent', 'operations-center', 'reporting-agent'];

export const PROPERTIES: Record<string, PropertyFacts> = {
  address: { kinds: ALL_BUT_CA, summary: 'Host name or IP address the component is reached at.', option: 'TCPSERVERADDRESS / HLADDRESS / the LDAP host' },
  port: { kinds: ['server', 'storage-agent', 'ldap', 'db2'], summary: 'Listening port. For LDAP 389 (StartTLS) or 636 (LDAPS); for Db2 e.g. 51500.', option: 'TCPPORT', range: [1, 65535], default: '1500 for a server (not a declared port)' },
  'admin-port': { kinds: ['server'], summary: 'Port for administrative sessions.', option: 'TCPADMINPORT', range: [1024, 32767] },
  'ssl-port': { kinds: ['server', 'storage-agent'], summary: 'SSL-only port. From 7.1.8/8.1.2 TCPPORT accepts SSL too; below those levels TLS sessions must use this port.', option: 'SSLTCPPORT', range: [1024, 32767] },
  'ssl-admin-port': { kinds: ['server', 'storage-agent'], summary: 'SSL-only administrative port.', option: 'SSLTCPADMINPORT', range: [1024, 32767] },
  version: { kinds: ['server', 'client', 'storage-agent', 'operations-center'], summary: 'Product level, e.g. 8.1.22. TLS 1.3 needs 8.1.11 or later.' },
  'tls-min': { kinds: TLS_KINDS, summary: 'Lowest TLS protocol the component accepts (1.0–1.3).', option: 'SSLTLS12 / SSLDISABLELEGACYTLS', default: '1.2 (the product default since 8.1.4)' },
  'tls-max': { kinds: TLS_KINDS, summary: 'Highest TLS protocol the component accepts (1.0–1.3).', option: 'SSLTLS13', default: '1.3 where `version` is 8.1.11 or later or absent, else 1.2', since: 'TLS 1.3 from 8.1.11' },
  fips: { kinds: ['server', 'client', 'storage-agent'], summary: 'Whether GSKit runs in FIPS 140 mode.', option: 'SSLFIPSMODE', default: 'no' },
  certificate: { kinds: ['server', 'storage-agent', 'ldap', 'client'], summary: 'The certificate this component presents when it is the SSL server: `self-signed`, `signed-by CA` or an existing `file`.' },
  keydb: { kinds: TRUSTING_KINDS, summary: 'Key database / truststore file on the component\'s host; its extension sets the format (.kdb CMS, .p12/.pfx PKCS#12, .jks JKS).' },
  trusts: { kinds: TRUSTING_KINDS, summary: 'Certificates installed as trusted in this component\'s key database: a CA (its root must be there) or a component whose own certificate is trusted directly.' },
  hub: { kinds: ['server'], summary: 'This server is the Operations Center hub.' },
  'spoke-of': { kinds: ['server'], summary: 'This server is a spoke managed by the named hub; the hub opens TLS sessions to it.' },
  instance: { kinds: ['db2'], summary: 'The Db2 instance name.' },
  subject: { kinds: ['ca'], summary: 'Distinguished name of the CA certificate.', default: 'CN=<name>' },
  key: { kinds: ['ca'], summary: 'Key of the CA: `rsa N` or `ec p256|p384`.', default: 'rsa 4096' },
  valid: { kinds: ['ca'], summary: 'Lifetime of the CA certificate.', default: '10 years' },
  'signed-by': { kinds: ['ca'], summary: 'The issuing CA: this CA is an intermediate. With a `file`, the file must have been issued by it (`issuer-mismatch`).' },
  file: { kinds: ['ca'], summary: 'An existing CA certificate (PEM/ARM); its key is held elsewhere. A root only when self-signed; otherwise an intermediate whose issuer is the `ca` matching its issuer DN.' },
};

const applicable = new Map(Object.entries(PROPERTIES).map(([name, facts]) => [name, new Set<Kind>(facts.kinds)]));

/** Does `property` mean something for `kind` (spec §4.1)? */
export function isApplicable(property: string, kind: Kind): boolean {
  return applicable.get(property)?.has(kind) ?? false;
}

export const CERTIFICATE_PROPERTY_FACTS: Record<string, string> = {
  key: 'Key of the certificate: `rsa N` (default 2048) or `ec p256|p384`.',
  valid: 'Lifetime of the certificate (default 825 days).',
  san: 'Subject alternative names (DNS or IP); default: the component\'s `address`.',
  label: 'Label of the certificate in the key database; default: the component\'s name (a server\'s self-signed one: `TSM Server SelfSigned SHA Key`).',
  subject: 'Subject DN; default `CN=<name>` (a server: `CN=<name>,OU=TSM Network,O=TSM,C=US`).',
};

export const CONNECTION_PROPERTY_FACTS: Record<string, string> = {
  port: 'The responder port this connection uses (1–65535).',
  purpose: 'What the sessions are for, e.g. `replication`, `library-sharing`, `backup`.',
};

export interface Scenario {
  from: Kind;
  to: Kind;
  scenario: string;
}

/** The product's table of SSL clients and servers (spec §4.3). */
export const SUPPORTED_PAIRS: readonly Scenario[] = [
  { from: 'client', to: 'server', scenario: 'backup-archive client / API / administrative sessions' },
  { from: 'server', to: 'server', scenario: 'server-to-server: replication, library sharing, hub → spoke, command routing' },
  { from: 'client', to: 'storage-agent', scenario: 'LAN-free data movement: the client verifies the storage agent\'s certificate' },
  { from: 'storage-agent', to: 'server', scenario: 'the storage agent verifies its server\'s certificate' },
  { from: 'server', to: 'ldap', scenario: 'LDAP password authentication (TLS required)' },
  { from: 'operations-center', to: 'server', scenario: 'the Operations Center to its hub server' },
  { from: 'reporting-agent', to: 'server', scenario: 'reporting' },
  { from: 'server', to: 'db2', scenario: 'the server\'s own database connection: must be plain, never TLS' },
];

export function scenarioFor(from: Kind, to: Kind): Scenario | undefined {
  return SUPPORTED_PAIRS.find((p) => p.from === from && p.to === to);
}

export const TLS_VERSIONS = ['1.0', '1.1', '1.2', '1.3'] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

/** Product level from which TLS 1.3 can be enabled. */
export const TLS13_SINCE = '8.1.11';

/** Lifetimes a certificate gets when its block declares no `valid` (spec §4.2 block defaults). */
export const DEFAULT_VALIDITY = {
  certificate: { amount: 825, unit: 'days' },
  ca: { amount: 10, unit: 'years' },
} as const;

export const SERVER_SELF_SIGNED_LABEL = 'TSM Server SelfSigned SHA Key';

/**
 * Levels from which a server or storage agent accepts TLS on TCPPORT (and TCPADMINPORT); below
 * them TLS goes only to the SSL-only port (SSLTCPPORT), and a client needs `SSL YES` with
 * `TCPPORT` set to that port. V8: 8.1.2; V7: 7.1.8.
 */
export const SSL_ON_TCPPORT_SINCE = { v8: '8.1.2', v7: '7.1.8' } as const;

/** Server options removed in 8.1.2 (SSLDISABLELEGACYTLS, SSLTLS12…); client SSLREQUIRED no longer applies from then. */
export const SERVER_LEGACY_TLS_OPTIONS_REMOVED_IN = '8.1.2';
/** Those options (facts §4.1, §5): a dsmserv.opt that sets one was written for an earlier level (`sptls import`). */
export const SERVER_LEGACY_TLS_OPTIONS: readonly string[] = ['SSLTLS12', 'SSLDISABLELEGACYTLS', 'USETLS12', 'SSLHIDELEGACY'];

/** The client option SSLACCEPTCERTFROMSERV exists from this client level. */
export const SSLACCEPTCERTFROMSERV_SINCE = '8.1.2';

/** The TCPPORT a client assumes when the server declares none (the policy table's default server port). */
export const DEFAULT_SERVER_TCPPORT = String(POLICY.defaultPorts.server);

/**
 * Server level from which `CREATE CERTIFICATE` and `SET DEFAULTTLSCERT` renew the server's
 * own certificate from the administrative command line (IBM's renewal procedure;
 * sp-config-artifacts.md §0.1–0.2). Below it, gsk8capicmd_64 on cert.kdb does the same.
 */
export const SERVER_CERT_COMMANDS_SINCE = '8.1.19';

/** Client level from which `dsmcert -add -server NAME -file F` imports a server's certificate. */
export const DSMCERT_SINCE = '8.1.2';
