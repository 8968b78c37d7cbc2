// How each kind of node is presented, shared by every renderer: its caption, the
// column it is laid out in (initiators left, responders right, CAs last) and the
// verdict colours for renderers that cannot use CSS variables.
import type { Kind } from '../../../grammar/src/index.ts';

/** A component kind, a collapsed group of clients, or a name no declaration gives. */
export type NodeKind = Kind | 'group' | 'unknown';

export interface KindPresentation {
  /** Short caption under the name. */
  caption: string;
  /** Heading of the kind's cluster (DOT, Mermaid). */
  plural: string;
  /** Layout column: connections run initiator → responder, left to right. */
  column: number;
}

export const KIND_PRESENTATION: Record<NodeKind, KindPresentation> = {
  'client': { caption: 'client', plural: 'Clients', column: 0 },
  'group': { caption: 'clients', plural: 'Clients', column: 0 },
  'operations-center': { caption: 'Operations Center', plural: 'Operations Center', column: 0 },
  'reporting-agent': { caption: 'Reporting agent', plural: 'Reporting agents', column: 0 },
  'storage-agent': { caption: 'storage agent', plural: 'Storage agents', column: 1 },
  'server': { caption: 'server', plural: 'Servers', column: 2 },
  'ldap': { caption: 'LDAP', plural: 'LDAP directories', column: 3 },
  'db2': { caption: 'Db2', plural: 'Db2 instances', column: 3 },
  'unknown': { caption: 'not declared', plural: 'Not declared', column: 3 },
  'ca': { caption: 'CA', plural: 'Certificate authorities', column: 4 },
};

/** Clusters in drawing order. */
export const NODE_KINDS = Object.keys(KIND_PRESENTATION) as NodeKind[];

export const VERDICTS = ['trusted', 'untrusted', 'forbidden', 'plain', 'unknown'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const VERDICT_TEXT: Record<Verdict, string> = {
  trusted: 'TLS, trusted',
  untrusted: 'TLS, not trusted',
  forbidden: 'not supported',
  plain: 'plain (no TLS)',
  unknown: 'not resolved',
};

/** Fixed colours for DOT and Mermaid (the SVG uses CSS variables with these as fallbacks). */
export const VERDICT_COLOUR: Record<Verdict, string> = {
  trusted: '#1a7f37',
  untrusted: '#cf222e',
  forbidden: '#8250df',
  plain: '#0969da',
  unknown: '#6e7781',
};

export const CHAIN_COLOUR = '#9a6700';

/** Which verdict wins when several connections are drawn as one edge. */
export const VERDICT_RANK: Record<Verdict, number> = { trusted: 0, plain: 1, unknown: 2, untrusted: 3, forbidden: 4 };
