// Option-file lines for what the topology says about ports and TLS. Only options the product
// documents are written (IBM's server, storage-agent and client option references); where it has
// no switch (TLS 1.3) or an option is gone (server SSLDISABLELEGACYTLS from 8.1.2), a comment
// says what to do instead. `*` starts a comment in dsmserv.opt, dsmsta.opt, dsm.sys and dsm.opt.
// Every value and comment from the topology goes through escape.ts.
import type { Analysis } from '../../analysis/engine.ts';
import type { Entity, Link } from '../../analysis/model.ts';
import {
  DEFAULT_SERVER_TCPPORT, SERVER_LEGACY_TLS_OPTIONS_REMOVED_IN, SSLACCEPTCERTFROMSERV_SINCE,
} from '../../analysis/product.ts';
import { acceptsTlsOnTcpPort, compareVersions, tlsRange } from '../../analysis/versions.ts';
import { optComment, optValue } from './escape.ts';

const value = (e: Entity, prop: string): string | undefined => e.props.get(prop)?.values[0]?.text;
const version = (e: Entity) => value(e, 'version');
const below = (v: string | undefined, level: string) => v !== undefined && compareVersions(v, level) < 0;

/** A server or storage agent that takes TLS only on its SSL-only port (below 8.1.2, or 7.1.8 in V7). */
export function tlsOnlyOnSslPort(e: Entity): boolean {
  const v = version(e);
  // The same test as the ssl-port-required rule, so keydb never disagrees with check.
  return v !== undefined && !acceptsTlsOnTcpPort(v);
}

/** `NAME value`, or a comment when the topology's value cannot be an option value. */
function option(name: string, text: string): string {
  const v = optValue(text);
  return v !== null ? `${name} ${v}` : `* ${name}: "${optComment(text)}" cannot be written as an option value (blanks or control characters)`;
}

function tlsLines(e: Entity, role: 'server' | 'storage-agent' | 'client'): string[] {
  const out: string[] = [];
  const fips = value(e, 'fips');
  if (fips) out.push(`SSLFIPSMODE ${fips.toUpperCase()}`);
  const range = tlsRange(e);
  if (range && !range.empty && range.min >= '1.2') {
    if (role === 'client') out.push('SSLDISABLELEGACYTLS YES');
    else if (role === 'server' && below(version(e), SERVER_LEGACY_TLS_OPTIONS_REMOVED_IN)) out.push('SSLDISABLELEGACYTLS YES');
    else if (role === 'server') out.push(`* tls-min ${range.min}: TLS 1.2 or later is the default from 8.1.2 (the server option SSLDISABLELEGACYTLS was removed in 8.1.2)`);
    else out.push(`* tls-min ${range.min}: a storage agent has no option for it; from 8.1.4 it uses TLS 1.2 or later with servers and clients`);
  }
  if (range && range.max === '1.3') out.push('* tls-max 1.3: no option to set; 8.1.11 and later negotiate TLS 1.3 when both ends allow it');
  return out;
}

/** dsmserv.opt (server) or dsmsta.opt (storage agent) lines. */
export function serverOptions(e: Entity, analysis: Analysis, topologyName: string): string {
  const file = e.kind === 'server' ? 'dsmserv.opt' : 'dsmsta.opt';
  const lines = [`* ${file} lines for ${e.kind} ${e.name} (sptls keydb, from ${optComment(topologyName)})`, 'COMMMETHOD TCPIP'];
  const port = (prop: string, name: string) => { const v = value(e, prop); if (v) lines.push(option(name, v)); };
  port('port', 'TCPPORT');
  if (e.kind === 'server') port('admin-port', 'TCPADMINPORT');
  port('ssl-port', 'SSLTCPPORT');
  port('ssl-admin-port', 'SSLTCPADMINPORT');
  if (e.kind === 'storage-agent') lines.push(...storageServerLines(e, analysis));
  lines.push(...tlsLines(e, e.kind === 'server' ? 'server' : 'storage-agent'));
  return lines.join('\n') + '\n';
}

/**
 * A storage agent learns its server from `DSMSTA SETSTORAGESERVER` (all parameters required), which
 * appends SERVERNAME to dsmsta.opt; LLADDRESS is the server port it connects to: the SSL port
 * below 8.1.2 (7.1.8), where SSL=YES must then be given.
 */
function storageServerLines(agent: Entity, analysis: Analysis): string[] {
  const lines = ['* dsmsta.opt must also name DEVCONFIG (the device configuration file).'];
  for (const l of analysis.model.links) {
    if (l.from !== agent || l.status !== 'checked' || l.to?.kind !== 'server') continue;
    const st = stanzaFor(l as Link & { to: Entity });
    if (st.port === null) { lines.push(`* to server ${st.server.name}: no working command: ${st.why}`); continue; }
    const hl = optValue(value(st.server, 'address') ?? '') ?? '<address>';
    const my = optValue(value(agent, 'address') ?? '') ?? '<address>';
    lines.push(`* to server ${st.server.name}, run in the storage agent directory (it adds SERVERNAME here):`);
    lines.push(`*   dsmsta setstorageserver myname=${agent.name} mypassword=<password> myhladdress=${my} servername=${st.server.name} serverpassword=<password> hladdress=${hl} lladdress=${st.port} ssl=${st.tls ? 'yes' : 'no'} stakeydbpw=<key database password>`);
  }
  return lines;
}

interface ServerStanza {
  server: Entity;
  tls: boolean;
  /** The port to write; null when no port can work (why says so). */
  port: string | null;
  why?: string;
  lanFree: Array<{ agent: Entity; tls: boolean }>;
}

function stanzaFor(l: Link & { to: Entity }): ServerStanza {
  const server = l.to;
  const declared = l.props.get('port')?.values[0]?.text;
  const base = { server, tls: l.tls, lanFree: [] };
  if (l.tls && tlsOnlyOnSslPort(server)) {
    const sslPort = value(server, 'ssl-port');
    const level = `${server.name} (version ${version(server)}) accepts TLS only on its SSL port (SSLTCPPORT)`;
    if (!sslPort) return { ...base, port: null, why: `${level}, and the topology declares no ssl-port for it: add 'ssl-port N' to ${server.name} and run sptls keydb again` };
    if (declared && declared !== sslPort) return { ...base, port: null, why: `${level} ${sslPort}, but the connection gives port ${declared}: remove the connection's port or make it ${sslPort}` };
    return { ...base, port: sslPort };
  }
  return { ...base, port: declared ?? value(server, 'port') ?? DEFAULT_SERVER_TCPPORT };
}

/** The servers a client connects to, each with the storage agents it reaches that server through. */
function clientStanzas(e: Entity, analysis: Analysis): ServerStanza[] {
  const stanzas = new Map<Entity, ServerStanza>();
  const links = analysis.model.links.filter((l) => l.from === e && l.status === 'checked');
  for (const l of links) {
    if (l.to?.kind !== 'server' || stanzas.has(l.to)) continue;
    stanzas.set(l.to, stanzaFor(l as Link & { to: Entity }));
  }
  for (const l of links) {
    if (l.to?.kind !== 'storage-agent') continue;
    const agent = l.to;
    for (const s of analysis.model.links) {
      if (s.from === agent && s.to && stanzas.has(s.to)) stanzas.get(s.to)!.lanFree.push({ agent, tls: l.tls });
    }
  }
  return [...stanzas.values()];
}

/** The server presents a certificate signed by a CA (not its own self-signed one). */
function caSigned(server: Entity, analysis: Analysis): boolean {
  const chain = server.certificate ? analysis.chains.of(server) : null;
  return !!chain && !chain.broken && chain.root !== server;
}

function stanzaLines(e: Entity, st: ServerStanza & { port: string }, analysis: Analysis): string[] {
  const address = value(st.server, 'address');
  const lines = [
    'COMMMETHOD TCPIP',
    address ? option('TCPSERVERADDRESS', address) : `* TCPSERVERADDRESS: ${st.server.name} declares no address`,
    option('TCPPORT', st.port),
    `SSL ${st.tls ? 'YES' : 'NO'}`,
  ];
  const old = tlsOnlyOnSslPort(st.server);
  if (st.tls && old) lines.push('SSLREQUIRED YES');
  // A CA-signed server's certificate is installed from the CA, never accepted on first contact.
  if (st.tls && !old && caSigned(st.server, analysis)) {
    if (below(version(e), SSLACCEPTCERTFROMSERV_SINCE)) lines.push(`* ${st.server.name} is CA-signed: install the CA's root certificate; this client level has no SSLACCEPTCERTFROMSERV`);
    else lines.push('SSLACCEPTCERTFROMSERV NO');
  }
  lines.push(...tlsLines(e, 'client'));
  for (const { agent, tls } of st.lanFree) {
    const agentAddress = value(agent, 'address');
    const agentPort = tls && tlsOnlyOnSslPort(agent) ? value(agent, 'ssl-port') : value(agent, 'port');
    lines.push('ENABLELANFREE YES', 'LANFREECOMMMETHOD TCPIP');
    lines.push(agentAddress ? option('LANFREETCPSERVERADDRESS', agentAddress) : `* LANFREETCPSERVERADDRESS: storage agent ${agent.name} declares no address`);
    lines.push(agentPort ? option('LANFREETCPPORT', agentPort) : `* LANFREETCPPORT: storage agent ${agent.name} declares no ${tls && tlsOnlyOnSslPort(agent) ? 'ssl-port' : 'port'}`);
    if (tls) lines.push(`* LAN-free data to storage agent ${agent.name} goes over TLS: set the client option LANFREESSL as IBM documents it for this client level`);
  }
  return lines;
}

/** dsm.sys (UNIX: one SERVERNAME stanza per server) and dsm.opt (Windows: one file per server) lines. */
export function clientOptions(e: Entity, analysis: Analysis, topologyName: string): { dsmSys: string; dsmOpt: string; notes: string[] } {
  const all = clientStanzas(e, analysis);
  const head = (file: string) => `* ${file} lines for client ${e.name} (sptls keydb, from ${optComment(topologyName)})`;
  const skipped = all.filter((s) => s.port === null).map((s) => `* SERVERNAME ${s.server.name}: not written: ${s.why}`);
  const notes = all.filter((s) => s.port === null).map((s) => `no dsm.sys stanza for ${s.server.name}: ${s.why}`);
  const stanzas = all.filter((s): s is ServerStanza & { port: string } => s.port !== null);
  if (stanzas.length === 0) {
    const none = all.length === 0 ? ['* no connection of this client to a server is declared'] : skipped;
    return { dsmSys: [head('dsm.sys'), ...none, ''].join('\n'), dsmOpt: [head('dsm.opt'), ...none, ''].join('\n'), notes };
  }
  const sys = [head('dsm.sys'), ...skipped];
  // Option lines of a stanza are indented; comment lines start in column 1, where '*' surely means a comment.
  for (const st of stanzas) sys.push(`SERVERNAME ${st.server.name}`, ...stanzaLines(e, st, analysis).map((l) => (l.startsWith('*') ? l : `   ${l}`)));
  const opt = [head('dsm.opt'), ...skipped, `* Windows keeps one dsm.opt per server; this one is for ${stanzas[0]!.server.name}.`, ...stanzaLines(e, stanzas[0]!, analysis)];
  for (const st of stanzas.slice(1)) opt.push(`* for ${st.server.name}: the same lines with TCPSERVERADDRESS ${optComment(value(st.server, 'address') ?? st.server.name)}, TCPPORT ${st.port}`);
  return { dsmSys: sys.join('\n') + '\n', dsmOpt: opt.join('\n') + '\n', notes };
}

/** Servers this client connects to over TLS, for `dsmcert -add -server NAME`. */
export function tlsServersOf(e: Entity, analysis: Analysis): Entity[] {
  return clientStanzas(e, analysis).filter((s) => s.tls && s.port !== null).map((s) => s.server);
}
