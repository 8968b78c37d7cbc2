// lan-free-needs-server and hub-spoke: rules about the roles components play together.
import type { Entity, Link } from '../model.ts';
import type { RuleContext } from './context.ts';
import { reads } from './reads.ts';

/** What checkLanFree reads: kinds, names, connection ends and protocols. */
export const lanFreeReads = reads([]);

export function checkLanFree({ model, report }: RuleContext): void {
  const lanFree = model.links.filter((l) => l.status === 'checked' && l.tls && l.from!.kind === 'client' && l.to!.kind === 'storage-agent');
  if (lanFree.length === 0) return;
  // Servers each storage agent connects to, and servers each LAN-free client opens TLS sessions to.
  const clients = new Set(lanFree.map((l) => l.from!));
  const agentServers = new Map<Entity, Set<Entity>>();
  const clientServers = new Map<Entity, Set<Entity>>();
  const add = (m: Map<Entity, Set<Entity>>, k: Entity, v: Entity) => {
    let s = m.get(k);
    if (!s) m.set(k, (s = new Set()));
    s.add(v);
  };
  // The plain client -> server connections, where the fix is to drop 'plain' rather than
  // add a second connection (which would be a duplicate-connection).
  const plainToServer = new Map<string, Link>();
  for (const l of model.links) {
    if (l.status !== 'checked' || l.to!.kind !== 'server') continue;
    if (l.from!.kind === 'storage-agent') add(agentServers, l.from!, l.to!);
    if (!clients.has(l.from!)) continue;
    if (l.tls) add(clientServers, l.from!, l.to!);
    else if (!plainToServer.has(pairKey(l.from!, l.to!))) plainToServer.set(pairKey(l.from!, l.to!), l);
  }
  for (const l of lanFree) {
    const client = l.from!;
    const agent = l.to!;
    const servers = agentServers.get(agent) ?? new Set<Entity>();
    const reached = clientServers.get(client) ?? new Set<Entity>();
    if (![...servers].some((s) => reached.has(s))) {
      const names = [...servers].map((s) => s.name);
      const plain = names.map((n) => plainToServer.get(pairKey(client, model.byName.get(n)!))).find((p) => p !== undefined);
      const fix = plain
        ? `Remove 'plain' from '${client.name} -> ${plain.to!.name}': that session must use TLS too`
        : names.length
          ? `Add '${client.name} -> ${names[0]}'`
          : `Connect ${agent.name} to its server ('${agent.name} -> <server>') and ${client.name} to that server`;
      report('lan-free-needs-server', l.connection, `LAN-free: ${client.name} moves data through ${agent.name} but also opens a TLS session to the server, verifying each separately; it has no TLS connection to a server ${agent.name} connects to. ${fix}.`,
        plain ? { plain: plain.connection.from.start } : undefined);
    }
  }
}

/** What checkHubSpoke reads: kinds, names, connections, `hub` (a property name) and `spoke-of`. */
export const hubSpokeReads = reads(['spoke-of']);

export function checkHubSpoke({ model, report }: RuleContext): void {
  const hubToSpoke = new Set<string>();
  const plainHubToSpoke = new Map<string, Link>();
  for (const l of model.links) {
    if (l.status === 'checked' && l.from!.kind === 'server' && l.to!.kind === 'server') {
      if (l.tls) hubToSpoke.add(pairKey(l.from!, l.to!));
      else if (!plainHubToSpoke.has(pairKey(l.from!, l.to!))) plainHubToSpoke.set(pairKey(l.from!, l.to!), l);
    }
  }
  for (const e of model.entities) {
    const ref = e.props.get('spoke-of')?.values[0];
    const hub = ref ? model.byName.get(ref.text) : undefined;
    if (!ref || !hub || hub.kind !== 'server') continue;
    if (!hub.props.has('hub')) {
      report('hub-spoke', ref, `${e.name} is a spoke of ${hub.name}, but ${hub.name} is not declared as the Operations Center hub. Add 'hub' to ${hub.name}.`);
    } else if (!hubToSpoke.has(pairKey(hub, e))) {
      const plain = plainHubToSpoke.get(pairKey(hub, e));
      if (plain) {
        report('hub-spoke', ref, `the hub ${hub.name} manages its spoke ${e.name} over a TLS server-to-server session, but '${hub.name} -> ${e.name}' is plain. Remove 'plain' from it.`,
          { plain: plain.connection.from.start });
      } else {
        report('hub-spoke', ref, `the hub ${hub.name} manages its spoke ${e.name} over a TLS server-to-server session, which is missing. Add '${hub.name} -> ${e.name}'.`,
          { hub: hub.name, spoke: e.name });
      }
    }
  }
  for (const l of model.links) {
    if (!isOperationsCenterSession(l)) continue;
    const server = l.to!;
    if (!server.props.has('hub')) {
      report('hub-spoke', l.connection.from, `the Operations Center ${l.from!.name} connects to its hub server, but ${server.name} is not declared 'hub'. Add 'hub' to ${server.name} or connect ${l.from!.name} to the hub.`);
    }
  }
}

function isOperationsCenterSession(l: Link): boolean {
  return (l.status === 'checked') && l.from!.kind === 'operations-center' && l.to!.kind === 'server';
}

/** One key per ordered pair of components: their positions, no string of names. */
function pairKey(from: Entity, to: Entity): string {
  return `${from.index}>${to.index}`;
}
