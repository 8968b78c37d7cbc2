// What the importer found, before it is written as .sptls: components with the facts each holds
// and where each fact came from, connections, certificates by fingerprint, and the findings
// (conflicts, unread key databases, files it did not use).
import type { CertificateFacts } from '../codec/x509/read.ts';

export interface Source { file: string; line?: number }
export const sourceText = (s: Source): string => (s.line === undefined ? s.file : `${s.file}:${s.line}`);

export interface Fact<T> { value: T; from: Source[]; note?: string }

export type ImportedKind = 'server' | 'client' | 'storage-agent' | 'operations-center' | 'ldap' | 'db2';
export type PortProperty = 'port' | 'admin-port' | 'ssl-port' | 'ssl-admin-port';

export interface ImportedComponent {
  kind: ImportedKind;
  name: string;
  /** How the name was chosen, when it was not read from a file. */
  nameNote?: string;
  nameFrom: Source[];
  host: string;
  address?: Fact<string>;
  ports: Map<PortProperty, Fact<number>>;
  version?: Fact<string>;
  keydb?: Fact<string>;
  /** SHA-256 fingerprint of the certificate it presents. */
  certificate?: Fact<string>;
  trusts: Fact<string>[];
  hub?: Fact<true>;
  spokeOf?: Fact<ImportedComponent>;
  /** Comments written inside the declaration: unknowns and how facts were derived. */
  notes: string[];
}

export interface ImportedConnection {
  from: ImportedComponent;
  to: ImportedComponent;
  tls: boolean;
  port?: number;
  sources: Source[];
  notes: string[];
}

export interface ImportModel {
  components: ImportedComponent[];
  connections: ImportedConnection[];
  certificates: Map<string, CertificateFacts>;
  /** The files each certificate was found in. */
  certificateSources: Map<string, Source[]>;
  /** Findings for the head of the file and the terminal: conflicts, unread key databases, unused files. */
  conflicts: string[];
  unread: string[];
  unknowns: string[];
  unrecognised: { file: string; reason: string }[];
  filesRead: number;
}

export function newComponent(kind: ImportedKind, host: string, name: string, nameFrom: Source[], nameNote?: string): ImportedComponent {
  return { kind, name, nameNote, nameFrom, host, ports: new Map(), trusts: [], notes: [] };
}
