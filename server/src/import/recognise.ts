// What a collected file is, from its name AND its content, never from the folder it lies in
// (issue 15): a dsm.sys must hold a SERVERNAME stanza, a cert.kdb must be a CMS key database, …
import { looksLikeKdb } from '../pki/keydb/kdb/read.ts';
import { looksLikePkcs12 } from '../pki/keydb/pkcs12/read.ts';
import { readCertificateFile, type CertificateFacts } from '../codec/x509/read.ts';
import { parseDevconfig, type DevconfigFacts } from './devconfig.ts';
import { parseDsmadmc, type DsmadmcOutput } from './dsmadmc.ts';
import { parseGskListing, type GskListing } from './gsk-listing.ts';
import { looksLikeHostsFile, parseHostsFile, type HostsEntry } from './hosts-file.ts';
import { looksLikeOptions, parseOptionLines, parseStanzas, type OptionLine, type Stanza } from './options-file.ts';
import { decodeText } from './text.ts';

export interface CollectedFile {
  /** The host folder the file was collected into (or the folder of a loose file). */
  host: string;
  /** Its path on that host ('/'-separated, starting with '/'). */
  path: string;
  /** How to name it to the user: the path inside the collection. */
  display: string;
  bytes: Uint8Array;
}

export type Artifact =
  | { kind: 'server-options'; options: OptionLine[] }
  | { kind: 'agent-options'; options: OptionLine[] }
  | { kind: 'client-system-options'; stanzas: Stanza[]; outside: OptionLine[] }
  | { kind: 'client-user-options'; options: OptionLine[] }
  | { kind: 'dbmgr-options' }
  | { kind: 'keydb'; role: 'server' | 'client' | 'client-node' | 'other' }
  | { kind: 'password-store' }
  | { kind: 'stash' }
  | { kind: 'pkcs12' }
  | { kind: 'certificates'; certificates: CertificateFacts[] }
  | { kind: 'hosts'; entries: HostsEntry[] }
  | { kind: 'dsmadmc'; output: DsmadmcOutput }
  | { kind: 'devconfig'; facts: DevconfigFacts }
  | { kind: 'gsk-listing'; listing: GskListing }
  | { kind: 'liberty-bootstrap'; truststorePassword?: string }
  | { kind: 'manifest'; fields: Map<string, string> }
  | { kind: 'unrecognised'; reason: string };

export const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
export const dirName = (path: string): string => path.slice(0, path.lastIndexOf('/')) || '/';

const KDB_ROLES: Record<string, 'server' | 'client' | 'client-node'> = { 'cert.kdb': 'server', 'dsmcert.kdb': 'client', 'spclicert.kdb': 'client-node' };
const CERT_EXTENSIONS = /\.(arm|pem|crt|cer|der)$/i;

export function recognise(file: CollectedFile): Artifact {
  const name = baseName(file.path).toLowerCase();
  const bytes = file.bytes;
  if (name.endsWith('.kdb')) {
    if (!looksLikeKdb(bytes)) return { kind: 'unrecognised', reason: 'named .kdb but not a CMS key database' };
    if (name === 'tsm.kdb') return { kind: 'password-store' };
    return { kind: 'keydb', role: KDB_ROLES[name] ?? 'other' };
  }
  if (name.endsWith('.sth')) return { kind: 'stash' };
  if (/\.(p12|pfx)$/.test(name)) return looksLikePkcs12(bytes) ? { kind: 'pkcs12' } : { kind: 'unrecognised', reason: 'named .p12 but not PKCS#12' };
  if (name.endsWith('.jks')) return { kind: 'unrecognised', reason: 'a JKS keystore: sptls reads PKCS#12 truststores only (convert with keytool -importkeystore)' };
  if (CERT_EXTENSIONS.test(name)) {
    const r = readCertificateFile(bytes);
    return r.ok ? { kind: 'certificates', certificates: r.certificates } : { kind: 'unrecognised', reason: `not a certificate: ${r.error.message}` };
  }
  const text = decodeText(bytes);
  if (text === undefined) return { kind: 'unrecognised', reason: 'binary content' };
  if (name === 'dsmserv.opt' || name === 'dsmsta.opt' || name === 'dsm.opt' || name === 'tsmdbmgr.opt') {
    if (!looksLikeOptions(text)) return { kind: 'unrecognised', reason: 'named like an options file but its lines are not OPTION value' };
    if (name === 'tsmdbmgr.opt') return { kind: 'dbmgr-options' };
    const options = parseOptionLines(text);
    return name === 'dsmserv.opt' ? { kind: 'server-options', options } : name === 'dsmsta.opt' ? { kind: 'agent-options', options } : { kind: 'client-user-options', options };
  }
  // Windows keeps other client options files beside dsm.opt (dsm_sp2.opt, chosen with OPTFILE): a
  // dsm*.opt that names a server address is one.
  if (/^dsm.*\.opt$/.test(name) && looksLikeOptions(text)) {
    const options = parseOptionLines(text);
    if (options.some((o) => o.name === 'TCPSERVERADDRESS')) return { kind: 'client-user-options', options };
  }
  if (name === 'dsm.sys') {
    const parsed = parseStanzas(text);
    return looksLikeOptions(text) && parsed.stanzas.length > 0 ? { kind: 'client-system-options', ...parsed } : { kind: 'unrecognised', reason: 'dsm.sys without a SERVERNAME stanza' };
  }
  if (name === 'hosts') return looksLikeHostsFile(text) ? { kind: 'hosts', entries: parseHostsFile(text) } : { kind: 'unrecognised', reason: 'named hosts but its lines are not IP name' };
  if (name === 'sptls-collect.txt' && text.startsWith('sptls-collect ')) {
    return { kind: 'manifest', fields: new Map(text.split(/\r?\n/).map((l) => /^(\w+) (.*)$/.exec(l)).filter((m) => m !== null).map((m) => [m[1]!, m[2]!])) };
  }
  if (/devconf|devcnfg/.test(name)) {
    const facts = parseDevconfig(text);
    return facts ? { kind: 'devconfig', facts } : { kind: 'unrecognised', reason: 'named like a device configuration file but holds no SET STA… or DEFINE SERVER line' };
  }
  if (name === 'bootstrap.properties') {
    const m = /^\s*tsm\.truststore\.pswd\s*[=:]\s*(.*?)\s*$/m.exec(text);
    return { kind: 'liberty-bootstrap', truststorePassword: m?.[1] };
  }
  const listing = parseGskListing(text);
  if (listing) return { kind: 'gsk-listing', listing };
  const output = parseDsmadmc(name, text);
  if (output) return { kind: 'dsmadmc', output };
  return { kind: 'unrecognised', reason: 'not a file sptls import reads' };
}
