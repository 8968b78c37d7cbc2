// Option-file lines for what the topology says about ports and TLS. Only option names that
// shared/reference/ibm-sp-ssl-facts.md §4 documents are written; where the product has no
// documented switch (TLS 1.3) or an option is gone (server SSLDISABLELEGACYTLS from 8.1.2),
// a comment says so instead. `*` starts a comment in dsmserv.opt, dsmsta.opt, dsm.sys, dsm.opt.
import type { Analysis } from '../../analysis/engine.ts';
import type { Entity } from '../../analysis/model.ts';
import { POLICY } from '../../analysis/policy.ts';
import { compareVersions, tlsRange } from '../../analysis/versions.ts';

/** Server options removed in 8.1.2 (facts §4.1, §5). */
const SERVER_LEGACY_OPTIONS_UNTIL = '8.1.2';
const DEFAULT_SERVER_PORT = String(POLICY.defaultPorts.server);

const value = (e: Entity, prop: string): string | undefined => e.props.get(prop)?.values[0]?.text;
const version = (e: Entity) => value(e, 'version');

function tlsLines(e: Entity, role: 'server' | 'client'): string[] {
  const out: string[] = [];
  const fips = value(e, 'fips');
  if (fips) out.push(`SSLFIPSMODE ${fips.toUpperCase()}`);
  const range = tlsRange(e);
  if (range && !range.empty && range.min >= '1.2') {
    const v = version(e);
    if (role === 'client') out.push('SSLDISABLELEGACYTLS YES');
    else if (v !== undefined && compareVersions(v, SERVER_LEGACY_OPTIONS_UNTIL) < 0) out.push('SSLDISABLELEGACYTLS YES');
    else out.push(`* tls-min ${range.min}: TLS 1.2 or later is the default from 8.1.2 (the server option SSLDISABLELEGACYTLS was removed in 8.1.2)`);
  }
  if (range && range.max === '1.3') out.push('* tls-max 1.3: the facts document no option that enables TLS 1.3 (8.1.11+ negotiates it when both ends allow it)');
  return out;
}

/** dsmserv.opt (server) or dsmsta.opt (storage agent) lines. */
export function serverOptions(e: Entity, topologyName: string): string {
  const file = e.kind === 'server' ? 'dsmserv.opt' : 'dsmsta.opt';
  const lines = [`* ${file} lines for ${e.kind} ${e.name} (sptls keydb, from ${topologyName})`, 'COMMMETHOD TCPIP'];
  const port = (prop: string, option: string) => { const v = value(e, prop); if (v) lines.push(`${option} ${v}`); };
  port('port', 'TCPPORT');
  if (e.kind === 'server') port('admin-port', 'TCPADMINPORT');
  port('ssl-port', 'SSLTCPPORT');
  port('ssl-admin-port', 'SSLTCPADMINPORT');
  lines.push(...tlsLines(e, 'server'));
  return lines.join('\n') + '\n';
}

interface ServerStanza {
  server: Entity;
  tls: boolean;
  port: string;
  lanFree: Entity[];
}

/** The servers a client connects to, each with the storage agents it reaches that server through. */
function clientStanzas(e: Entity, analysis: Analysis): ServerStanza[] {
  const stanzas = new Map<Entity, ServerStanza>();
  const links = analysis.model.links.filter((l) => l.from === e && l.status === 'checked');
  for (const l of links) {
    if (l.to?.kind !== 'server' || stanzas.has(l.to)) continue;
    stanzas.set(l.to, { server: l.to, tls: l.tls, port: l.props.get('port')?.values[0]?.text ?? value(l.to, 'port') ?? DEFAULT_SERVER_PORT, lanFree: [] });
  }
  for (const l of links) {
    if (l.to?.kind !== 'storage-agent' || !l.tls) continue;
    const sta = l.to;
    for (const s of analysis.model.links) {
      if (s.from === sta && s.to && stanzas.has(s.to)) stanzas.get(s.to)!.lanFree.push(sta);
    }
  }
  return [...stanzas.values()];
}

function stanzaLines(e: Entity, st: ServerStanza): string[] {
  const address = value(st.server, 'address');
  const lines = [
    'COMMMETHOD TCPIP',
    address ? `TCPSERVERADDRESS ${address}` : `* TCPSERVERADDRESS: ${st.server.name} declares no address`,
    `TCPPORT ${st.port}`,
    `SSL ${st.tls ? 'YES' : 'NO'}`,
  ];
  const v = version(st.server);
  if (st.tls && v !== undefined && compareVersions(v, SERVER_LEGACY_OPTIONS_UNTIL) < 0) lines.push('SSLREQUIRED YES');
  lines.push(...tlsLines(e, 'client'));
  for (const sta of st.lanFree) {
    const staAddress = value(sta, 'address');
    lines.push('LANFREECOMMMETHOD TCPIP');
    if (staAddress) lines.push(`LANFREETCPSERVERADDRESS ${staAddress}`);
    lines.push(`* LAN-free through storage agent ${sta.name}: turn on SSL to it with LANFREESSL (its values are not in sptls' sources; see the IBM docs)`);
  }
  return lines;
}

/** dsm.sys (UNIX: one SERVERNAME stanza per server) and dsm.opt (Windows: one file per server) lines. */
export function clientOptions(e: Entity, analysis: Analysis, topologyName: string): { dsmSys: string; dsmOpt: string } {
  const stanzas = clientStanzas(e, analysis);
  const head = (file: string) => `* ${file} lines for client ${e.name} (sptls keydb, from ${topologyName})`;
  if (stanzas.length === 0) {
    const none = '* no connection of this client to a server is declared\n';
    return { dsmSys: `${head('dsm.sys')}\n${none}`, dsmOpt: `${head('dsm.opt')}\n${none}` };
  }
  const sys = [head('dsm.sys')];
  // Option lines of a stanza are indented; comment lines start in column 1, where '*' surely means a comment.
  for (const st of stanzas) sys.push(`SERVERNAME ${st.server.name}`, ...stanzaLines(e, st).map((l) => (l.startsWith('*') ? l : `   ${l}`)));
  const opt = [head('dsm.opt'), `* Windows keeps one dsm.opt per server; this one is for ${stanzas[0]!.server.name}.`, ...stanzaLines(e, stanzas[0]!)];
  for (const st of stanzas.slice(1)) opt.push(`* for ${st.server.name}: the same lines with TCPSERVERADDRESS ${value(st.server, 'address') ?? st.server.name}, TCPPORT ${st.port}`);
  return { dsmSys: sys.join('\n') + '\n', dsmOpt: opt.join('\n') + '\n' };
}

/** Servers this client connects to over TLS, for `dsmcert -add -server NAME`. */
export function tlsServersOf(e: Entity, analysis: Analysis): Entity[] {
  return clientStanzas(e, analysis).filter((s) => s.tls).map((s) => s.server);
}
