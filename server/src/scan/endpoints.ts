// What `sptls scan` probes: every responder of a TLS connection that has an address,
// one endpoint per HOST:PORT however many connections reach it. Pure: reads the
// Analysis only, so the plan is the same for the CLI and the language server.
import type { Analysis } from '../analysis/engine.ts';
import type { Entity, Link } from '../analysis/model.ts';
import { addressOf, connectionPort } from '../handshake/endpoint.ts';

/** Plain LDAP; a directory reached there is asked for StartTLS before the handshake. */
export const LDAP_PLAIN_PORT = 389;

export interface Endpoint {
  host: string;
  port: number;
  /** The component the topology places there. */
  responder: Entity;
  /** Every TLS connection of the topology that reaches it, in file order. */
  links: Link[];
  starttls?: 'ldap';
}

export interface SkippedConnection {
  link: Link;
  reason: string;
}

export interface ScanPlan {
  endpoints: Endpoint[];
  /** TLS connections with no endpoint to probe, and why. */
  skipped: SkippedConnection[];
}

/** Only connections whose both ends resolve and whose pair the product supports carry a TLS session to look at. */
function probed(link: Link): boolean {
  return link.status === 'checked' && link.tls && link.from !== null && link.to !== null;
}

export function planScan(analysis: Analysis): ScanPlan {
  const byKey = new Map<string, Endpoint>();
  const skipped: SkippedConnection[] = [];
  for (const link of analysis.model.links) {
    if (!probed(link)) continue;
    const to = link.to!;
    const host = addressOf(to);
    if (host === undefined || host === '') {
      skipped.push({ link, reason: `${to.name} has no address in the topology: add 'address "HOST"' to scan it` });
      continue;
    }
    const port = connectionPort(link);
    if (port === undefined) {
      skipped.push({ link, reason: `no port is known for ${to.name}: add 'port N' to it or to the connection` });
      continue;
    }
    const key = `${host.toLowerCase()}:${port}`;
    const found = byKey.get(key);
    if (found) {
      found.links.push(link);
      continue;
    }
    byKey.set(key, { host, port, responder: to, links: [link], ...(startTlsFor(to, port) ? { starttls: 'ldap' as const } : {}) });
  }
  return { endpoints: [...byKey.values()], skipped };
}

/** LDAP on the plain port upgrades with StartTLS; on any other port (636) it is LDAPS from the first byte. */
function startTlsFor(e: Entity, port: number): boolean {
  return e.kind === 'ldap' && port === LDAP_PLAIN_PORT;
}
