// Where a topology's responder listens: its `address`, and the port a connection uses
// (the connection's `port`, else — for TLS to a level that takes TLS only there — the
// responder's `ssl-port`, else its `port`, else the product default). Shared by
// `sptls handshake --from` (to recognise HOST:PORT) and the editor's "Test handshake" lens.
import type { Entity, Link } from '../analysis/model.ts';
import { POLICY } from '../analysis/policy.ts';
import { acceptsTlsOnTcpPort } from '../analysis/versions.ts';

/** Product defaults (the policy table): TCPPORT 1500 for servers and storage agents, LDAPS 636. */
const DEFAULT_PORTS = POLICY.defaultPorts;

const LISTENING_PROPERTIES = ['port', 'ssl-port', 'admin-port', 'ssl-admin-port'] as const;

export function addressOf(e: Entity): string | undefined {
  return e.props.get('address')?.values[0]?.text;
}

function portValue(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** Every port the component declares, or its product default when it declares none. */
export function listeningPorts(e: Entity): number[] {
  const declared = LISTENING_PROPERTIES.map((p) => portValue(e.props.get(p)?.values[0]?.text)).filter((n): n is number => n !== undefined);
  if (declared.length > 0) return declared;
  const fallback = DEFAULT_PORTS[e.kind];
  return fallback === undefined ? [] : [fallback];
}

/** The port a connection reaches its responder on; undefined when nothing says. */
export function connectionPort(link: Link): number | undefined {
  return portValue(link.props.get('port')?.values[0]?.text)
    ?? (link.to ? sslOnlyPort(link, link.to) ?? portValue(link.to.props.get('port')?.values[0]?.text) ?? DEFAULT_PORTS[link.to.kind] : undefined);
}

/** Below 8.1.2 (7.1.8 for V7) a server or storage agent takes TLS only on its SSL-only port (spec: ssl-port-required). */
function sslOnlyPort(link: Link, to: Entity): number | undefined {
  if (!link.tls || (to.kind !== 'server' && to.kind !== 'storage-agent')) return undefined;
  const version = to.props.get('version')?.values[0]?.text;
  if (version === undefined || acceptsTlsOnTcpPort(version)) return undefined;
  return portValue(to.props.get('ssl-port')?.values[0]?.text);
}
