// One pass from recognised files to the import model. Every fact keeps its sources; what the files
// do not say stays a note (written as a comment), never a guess.
import { SERVER_LEGACY_TLS_OPTIONS, SERVER_LEGACY_TLS_OPTIONS_REMOVED_IN, SSL_ON_TCPPORT_SINCE } from '../analysis/product.ts';
import { compareVersions } from '../analysis/versions.ts';
import type { CertificateFacts } from '../codec/x509/read.ts';
import { AddressBook } from './addresses.ts';
import type { ServerDefinition } from './dsmadmc.ts';
import { readCollectedKdb, readCollectedPkcs12, type KeyStoreRead } from './keystores.ts';
import { newComponent, sourceText, type ImportModel, type ImportedComponent, type ImportedConnection, type PortProperty, type Source } from './model.ts';
import { optionOf, type OptionLine } from './options-file.ts';
import { baseName, dirName, recognise, type Artifact, type CollectedFile } from './recognise.ts';
import { safeText } from './text.ts';

interface Recognised { file: CollectedFile; artifact: Artifact }
type Of<K extends Artifact['kind']> = Recognised & { artifact: Extract<Artifact, { kind: K }> };

/** The level written for "below 8.1.2": every rule that looks at the level treats all of 8.0–8.1.1 alike. */
const BELOW_812 = '8.1.1';
/** Below this level TLS goes only to the SSL-only port and SSL NO / SSL=NO mean a plain session. */
const isBefore812 = (c: ImportedComponent) => c.version !== undefined && compareVersions(c.version.value, SSL_ON_TCPPORT_SINCE.v8) < 0;
const LDAP_DEFAULT_PORT = { ldap: 389, ldaps: 636 } as const;
const PORT_OPTIONS: [string, PortProperty][] = [['TCPPORT', 'port'], ['TCPADMINPORT', 'admin-port'], ['SSLTCPPORT', 'ssl-port'], ['SSLTCPADMINPORT', 'ssl-admin-port']];

const at = (f: CollectedFile, line?: number): Source => ({ file: f.display, line });
const upper = (s: string) => s.toUpperCase();

export interface AssembleOptions {
  progress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export function assemble(files: CollectedFile[], options: AssembleOptions = {}): ImportModel {
  const model: ImportModel = { components: [], connections: [], certificates: new Map(), certificateSources: new Map(), conflicts: [], unread: [], unknowns: [], unrecognised: [], filesRead: files.length };
  const recognised: Recognised[] = [];
  const byPath = new Map<string, CollectedFile>();
  files.forEach((file, i) => {
    options.signal?.throwIfAborted();
    const artifact = recognise(file);
    if (artifact.kind === 'unrecognised') model.unrecognised.push({ file: file.display, reason: artifact.reason });
    recognised.push({ file, artifact });
    byPath.set(`${file.host}\0${file.path.toLowerCase()}`, file);
    if (i % 256 === 0) options.progress?.(i, files.length);
  });
  const sibling = (host: string) => (path: string) => byPath.get(`${host}\0${path.toLowerCase()}`);
  // Indexes by kind, by host and kind, and by folder and kind: every lookup below is a map access.
  const group = (key: (r: Recognised) => string) => {
    const m = new Map<string, Recognised[]>();
    for (const r of recognised) { const k = key(r); const list = m.get(k); if (list) list.push(r); else m.set(k, [r]); }
    return m;
  };
  const byKind = group((r) => r.artifact.kind);
  const byHost = group((r) => `${r.artifact.kind}\0${r.file.host}`);
  const byDir = group((r) => `${r.artifact.kind}\0${r.file.host}\0${dirName(r.file.path)}`);
  const all = <K extends Artifact['kind']>(kind: K) => (byKind.get(kind) ?? []) as Of<K>[];
  const onHostFiles = <K extends Artifact['kind']>(kind: K, host: string) => (byHost.get(`${kind}\0${host}`) ?? []) as Of<K>[];
  const inDir = <K extends Artifact['kind']>(kind: K, host: string, dir: string) => (byDir.get(`${kind}\0${host}\0${dir}`) ?? []) as Of<K>[];

  const book = new AddressBook();
  const hosts = [...new Set(files.map((f) => f.host))];
  const fqdn = new Map<string, string>();
  for (const m of all('manifest')) { const f = m.artifact.fields.get('fqdn'); if (f) fqdn.set(m.file.host, f); }
  for (const h of hosts) book.addHost(h, fqdn.has(h) ? [fqdn.get(h)!] : []);
  for (const h of all('hosts')) book.addHostsFile(h.artifact.entries);
  const addressOf = (host: string) => fqdn.get(host) ?? host;
  // The collect script keeps a Windows path as C/Program Files/…: give it back its drive and backslashes.
  const windows = new Set(all('manifest').filter((m) => m.artifact.fields.get('platform') === 'windows').map((m) => m.file.host));
  const hostPathOf = (host: string, path: string) => {
    const drive = /^\/([A-Za-z])(\/.*)?$/.exec(path);
    return windows.has(host) && drive ? `${drive[1]!.toUpperCase()}:${(drive[2] ?? '/').replace(/\//g, '\\')}` : path;
  };

  const certificate = (c: CertificateFacts, from: Source): string => {
    const fp = c.fingerprintSha256;
    model.certificates.set(fp, c);
    const seen = model.certificateSources.get(fp) ?? [];
    if (!seen.some((s) => s.file === from.file)) model.certificateSources.set(fp, [...seen, from]);
    return fp;
  };
  const unread = (r: Recognised, read: Extract<KeyStoreRead, { ok: false }>) =>
    model.unread.push(`${safeText(r.file.display)}: not read, ${safeText(read.reason)}; to read it: ${read.unlock}`);

  /** Applies a key database to a component: its presented certificate and what it trusts. */
  const usedStores = new Set<Recognised>();
  function applyStore(c: ImportedComponent, store: Recognised, read: KeyStoreRead, presents: boolean): void {
    usedStores.add(store);
    c.keydb = { value: hostPathOf(store.file.host, store.file.path), from: [at(store.file)] };
    if (!read.ok) {
      unread(store, read);
      c.notes.push(`trusts: unknown, ${store.file.display} was not read (${read.reason})`);
      return;
    }
    const personal = read.entries.filter((e) => e.kind === 'personal');
    if (presents && personal.length > 0 && !c.certificate) {
      c.certificate = { value: certificate(personal[0]!.certificate, at(store.file)), from: [at(store.file)] };
      if (personal.length > 1) c.notes.push(`${store.file.display} holds ${personal.length} personal certificates; the first is written (the default one cannot be told from the file)`);
    }
    for (const e of read.entries) {
      if (e.kind !== 'trusted') continue;
      const fp = certificate(e.certificate, at(store.file));
      if (!c.trusts.some((t) => t.value === fp)) c.trusts.push({ value: fp, from: [at(store.file)] });
    }
  }

  const repeated = (r: Recognised, opts: OptionLine[]) => {
    const seen = new Map<string, OptionLine>();
    for (const o of opts) {
      const first = seen.get(o.name);
      if (first && first.value.toUpperCase() !== o.value.toUpperCase() && !['COMMMETHOD', 'LDAPURL', 'DEVCONFIG'].includes(o.name)) {
        model.conflicts.push(`${safeText(r.file.display)}: ${o.name} is set twice (line ${first.line}: ${safeText(first.value)}, line ${o.line}: ${safeText(o.value)}); the first is used`);
      }
      if (!first) seen.set(o.name, o);
    }
  };

  function portsAndLevel(c: ImportedComponent, r: Recognised, opts: OptionLine[]): void {
    for (const [option, prop] of PORT_OPTIONS) {
      const o = optionOf(opts, option);
      if (!o) continue;
      const n = Number(o.value);
      if (Number.isInteger(n) && n > 0) c.ports.set(prop, { value: n, from: [at(r.file, o.line)] });
      else c.notes.push(`${option} ${safeText(o.value)} (${r.file.display}:${o.line}) is not a port number`);
    }
    const legacy = opts.find((o) => SERVER_LEGACY_TLS_OPTIONS.includes(o.name));
    const removedIn = SERVER_LEGACY_TLS_OPTIONS_REMOVED_IN;
    if (legacy) c.version = { value: BELOW_812, from: [at(r.file, legacy.line)], note: `below ${removedIn}: the file sets ${legacy.name}, an option removed in ${removedIn}; ${BELOW_812} stands for that range, write the real level` };
    else c.notes.push('version: not in the collected files');
  }

  // --- servers and storage agents: one per options file, with the cert.kdb of the same folder ------------
  const serverOf = new Map<Recognised, ImportedComponent>();
  for (const kind of ['server-options', 'agent-options'] as const) {
    for (const r of all(kind)) {
      const c = newComponent(kind === 'server-options' ? 'server' : 'storage-agent', r.file.host, '', []);
      c.address = { value: addressOf(r.file.host), from: [at(r.file)], note: 'the host the file was collected from' };
      repeated(r, r.artifact.options);
      portsAndLevel(c, r, r.artifact.options);
      const dir = dirName(r.file.path);
      const kdb = inDir('keydb', r.file.host, dir).find((k) => k.artifact.role === 'server');
      if (kdb) applyStore(c, kdb, readCollectedKdb(kdb.file, sibling(r.file.host)), true);
      else c.notes.push(`key database: no cert.kdb was collected from ${hostPathOf(r.file.host, dir)}`);
      if (!c.certificate) {
        // cert256.arm is the server's default certificate export (facts S-DOC6); read by content.
        const arm = inDir('certificates', r.file.host, dir).find((a) => baseName(a.file.path).toLowerCase() === 'cert256.arm');
        if (arm) c.certificate = { value: certificate(arm.artifact.certificates[0]!, at(arm.file)), from: [at(arm.file)], note: 'the exported certificate; the key database was not read' };
      }
      serverOf.set(r, c);
      model.components.push(c);
    }
  }
  const servers = () => model.components.filter((c) => c.kind === 'server');
  const connectionsFrom = new Map<ImportedComponent, ImportedConnection[]>();
  // Servers and storage agents by host (clients, LDAP and Db2 are never looked up by address).
  const responders = new Map<string, ImportedComponent[]>();
  for (const c of model.components) responders.set(c.host, [...(responders.get(c.host) ?? []), c]);
  const componentsOn = (kind: string, host: string) => (responders.get(host) ?? []).filter((c) => c.kind === kind);

  // Names of servers: `select SERVER_NAME from status` on a host with one instance.
  for (const r of all('dsmadmc')) {
    if (r.artifact.output.kind !== 'server-name') continue;
    const here = componentsOn('server', r.file.host);
    if (here.length === 1 && here[0]!.name === '') { here[0]!.name = r.artifact.output.name; here[0]!.nameFrom = [at(r.file, r.artifact.output.line)]; }
  }

  /** The component an address and port name, from the point of view of `fromHost`. */
  function target(address: string, port: number | undefined, fromHost: string, kinds: string[]): ImportedComponent | undefined {
    const host = book.hostOf(address, fromHost);
    if (host === undefined) return undefined;
    const here = (responders.get(host) ?? []).filter((c) => kinds.includes(c.kind));
    if (port !== undefined) {
      const exact = here.filter((c) => [...c.ports.values()].some((p) => p.value === port));
      if (exact.length > 0) return exact[0];
    }
    return here.length === 1 ? here[0] : undefined;
  }

  // Server definitions (QUERY SERVER, or DEFINE SERVER lines of a device configuration file):
  // names for servers and storage agents, and the sessions their owner opens.
  const definitions: { r: Recognised; owner: ImportedComponent; d: ServerDefinition }[] = [];
  for (const r of all('dsmadmc')) {
    if (r.artifact.output.kind !== 'query-server') continue;
    const here = componentsOn('server', r.file.host);
    if (here.length !== 1) { model.unknowns.push(`${safeText(r.file.display)}: server definitions from a host with ${here.length} server instances; which one they belong to is unknown`); continue; }
    for (const d of r.artifact.output.definitions) definitions.push({ r, owner: here[0]!, d });
  }
  for (const [r, c] of serverOf) {
    const dev = inDir('devconfig', r.file.host, dirName(r.file.path))[0];
    if (!dev) continue;
    const sta = dev.artifact.facts.staName;
    if (c.kind === 'storage-agent' && sta) { c.name = sta.name; c.nameFrom = [at(dev.file, sta.line)]; }
    for (const d of dev.artifact.facts.servers) definitions.push({ r: dev, owner: c, d });
  }
  const port = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined);
  for (const { r, d } of definitions) {
    const t = d.hlAddress ? target(d.hlAddress, port(d.llAddress), r.file.host, ['server', 'storage-agent']) : undefined;
    if (t && t.name === '') { t.name = d.name; t.nameFrom = [at(r.file, d.line)]; t.nameNote = 'the name a server definition gives it'; }
  }
  for (const c of model.components) {
    if (c.name === '') { c.name = upper(c.host.split('.')[0]!); c.nameNote = c.kind === 'server' ? 'from the host name (no select SERVER_NAME from status output was collected)' : 'from the host name'; }
  }
  for (const { r, owner, d } of definitions) {
    const src = at(r.file, d.line);
    const t = d.hlAddress ? target(d.hlAddress, port(d.llAddress), r.file.host, ['server', 'storage-agent']) : undefined;
    if (!t) { model.unknowns.push(`${safeText(sourceText(src))}: ${safeText(owner.name)} defines server ${safeText(d.name)} at ${safeText(d.hlAddress ?? '?')}:${safeText(d.llAddress ?? '?')}, which matches no collected server`); continue; }
    // A server's definition of a storage agent names it; the agent opens the sessions.
    if (t.kind !== 'server' || t === owner) continue;
    if (upper(t.name) !== upper(d.name)) model.conflicts.push(`${safeText(sourceText(src))}: ${safeText(owner.name)} calls the server at ${safeText(d.hlAddress!)} ${safeText(d.name)}, elsewhere it is ${safeText(t.name)}`);
    // From 8.1.2 "SSL is now used … even if you specify SSL=NO" (facts §4.3): SSL=NO means a plain
    // session only where one end is below 8.1.2.
    const old = isBefore812(owner) || isBefore812(t);
    const notes = d.ssl === undefined ? ['SSL= of the definition is not in the collected output; from 8.1.2 server sessions use TLS whatever it says']
      : d.ssl === false && !old ? ['SSL=NO: from 8.1.2 the server uses TLS for this session anyway (facts §4.3)'] : [];
    addConnection(owner, t, !(d.ssl === false && old), port(d.llAddress), [src], notes);
  }

  /** One connection per initiator, responder and protocol; a port given by one source completes another that gave none. */
  function addConnection(from: ImportedComponent, to: ImportedComponent, tls: boolean, p: number | undefined, sources: Source[], notes: string[]): void {
    const mine = connectionsFrom.get(from) ?? [];
    const same = mine.find((k) => k.to === to && k.tls === tls && (k.port === p || k.port === undefined || p === undefined));
    if (same) { same.sources.push(...sources); same.port ??= p; return; }
    const k: ImportedConnection = { from, to, tls, port: p, sources, notes };
    model.connections.push(k);
    connectionsFrom.set(from, [...mine, k]);
  }

  // Hub and spokes from QUERY MONITORSETTINGS.
  const serverByName = new Map<string, ImportedComponent>();
  for (const s of servers()) if (!serverByName.has(upper(s.name))) serverByName.set(upper(s.name), s);
  const byName = (name: string) => serverByName.get(upper(name));
  for (const r of all('dsmadmc')) {
    if (r.artifact.output.kind !== 'monitor-settings') continue;
    const st = r.artifact.output.settings;
    const here = componentsOn('server', r.file.host);
    if (!st.monitorOn || !st.group || here.length !== 1) continue;
    const hub = here[0]!;
    hub.hub = { value: true, from: [at(r.file, st.line)] };
    for (const name of st.servers) {
      const spoke = byName(name);
      if (spoke && spoke !== hub) spoke.spokeOf = { value: hub, from: [at(r.file, st.line)] };
      else if (!spoke) model.unknowns.push(`${safeText(r.file.display)}: monitored server ${safeText(name)} of hub ${safeText(hub.name)} was not collected`);
    }
  }

  // Storage agent -> its server (dsmsta.opt SERVERNAME).
  for (const [r, c] of serverOf) {
    if (c.kind !== 'storage-agent' || r.artifact.kind !== 'agent-options') continue;
    const o = optionOf(r.artifact.options, 'SERVERNAME');
    const s = o && byName(o.value);
    if (s) addConnection(c, s, true, undefined, [at(r.file, o.line)], []);
    else c.notes.push(o ? `its server ${safeText(o.value)} (${r.file.display}:${o.line}) was not collected` : 'dsmsta.opt names no SERVERNAME');
  }

  // LDAP directories from LDAPURL, and each server's Db2 (always plain).
  for (const [r, s] of serverOf) {
    if (s.kind !== 'server' || r.artifact.kind !== 'server-options') continue;
    for (const o of r.artifact.options.filter((x) => x.name === 'LDAPURL')) ldap(s, o.value, at(r.file, o.line));
    const db = newComponent('db2', s.host, `${s.name}_DB`, [at(r.file)], `the Db2 instance of ${s.name}`);
    db.notes.push('port and instance: not in the collected files');
    model.components.push(db);
    addConnection(s, db, false, undefined, [at(r.file)], ['the server reaches its Db2 database without TLS (facts §8)']);
  }
  const runtimeLdap = all('dsmadmc').filter((r) => r.artifact.output.kind === 'ldapurl');
  for (const r of runtimeLdap) {
    const here = componentsOn('server', r.file.host);
    if (here.length !== 1 || r.artifact.output.kind !== 'ldapurl') continue;
    const inFile = model.connections.filter((k) => k.from === here[0] && k.to.kind === 'ldap');
    for (const u of r.artifact.output.urls) {
      if (!inFile.some((k) => k.notes.some((n) => n.includes(u.url)))) model.conflicts.push(`${safeText(r.file.display)}:${u.line}: the running server ${safeText(here[0]!.name)} uses LDAPURL ${safeText(u.url)}, which its collected dsmserv.opt does not hold (restart pending or another options file)`);
    }
  }

  function ldap(s: ImportedComponent, url: string, src: Source): void {
    const m = /^(ldaps?):\/\/([^/:\s]+)(?::(\d+))?/i.exec(url);
    if (!m) { s.notes.push(`LDAPURL ${safeText(url)} (${sourceText(src)}) is not an ldap:// or ldaps:// URL`); return; }
    const scheme = m[1]!.toLowerCase() as 'ldap' | 'ldaps';
    const host = m[2]!.toLowerCase();
    const p = m[3] ? Number(m[3]) : LDAP_DEFAULT_PORT[scheme];
    let dir = model.components.find((c) => c.kind === 'ldap' && c.host === host && c.ports.get('port')?.value === p);
    if (!dir) {
      dir = newComponent('ldap', host, upper(host.split('.')[0]!), [src], 'from the LDAP host name');
      dir.address = { value: host, from: [src] };
      dir.ports.set('port', { value: p, from: [src], note: m[3] ? undefined : `the ${scheme}:// default` });
      model.components.push(dir);
    }
    const notes = [`LDAPURL ${url}`];
    if (scheme === 'ldap') notes.push('ldap:// : the server still needs TLS to the directory (facts §3.5); StartTLS is inferred, not documented');
    addConnection(s, dir, true, p, [src], notes);
  }

  // Clients: one per host with client options; each stanza is a connection.
  const clientHosts = new Set([...all('client-system-options'), ...all('client-user-options')].map((r) => r.file.host));
  const taken = new Set(model.components.map((c) => upper(c.name)));
  for (const host of clientHosts) clientOf(host);

  function clientOf(host: string): void {
    const systems = onHostFiles('client-system-options', host);
    const users = onHostFiles('client-user-options', host).filter((r) => optionOf(r.artifact.options, 'TCPSERVERADDRESS'));
    const stanzas: { r: Recognised; name: string; line: number; options: OptionLine[] }[] = [];
    for (const r of systems) for (const st of r.artifact.stanzas) stanzas.push({ r, name: st.name, line: st.line, options: st.options });
    // Windows keeps one dsm.opt per server, without stanzas.
    for (const r of users) stanzas.push({ r, name: baseName(r.file.path), line: 1, options: r.artifact.options });
    const dbmgr = (s: (typeof stanzas)[number]) => /^TSMDBMGR_/i.test(s.name) || optionOf(s.options, 'NODENAME')?.value === '$$_TSMDBMGR_$$';
    const used = stanzas.filter((s) => !dbmgr(s));
    if (used.length === 0) return;
    const node = used.map((s) => ({ s, o: optionOf(s.options, 'NODENAME') })).find((x) => x.o);
    let name = node ? node.o!.value : upper(host.split('.')[0]!);
    if (taken.has(upper(name))) name = `${name}_CLIENT`;
    taken.add(upper(name));
    const c = newComponent('client', host, name, node ? [at(node.s.r.file, node.o!.line)] : [], node ? undefined : 'from the host name (no NODENAME in the options files)');
    c.notes.push('version: not in the collected files');
    model.components.push(c);
    const kdbs = onHostFiles('keydb', host).filter((k) => k.artifact.role === 'client');
    for (const k of kdbs) applyStore(c, k, readCollectedKdb(k.file, sibling(host)), false);
    if (kdbs.length === 0) c.notes.push('trusts: no dsmcert.kdb was collected from this host');
    const seen = new Map<string, (typeof stanzas)[number]>();
    for (const s of used) {
      const src = at(s.r.file, s.line);
      const addr = optionOf(s.options, 'TCPSERVERADDRESS');
      const portOpt = optionOf(s.options, 'TCPPORT');
      const prior = seen.get(upper(s.name));
      const differs = (name: string, o?: OptionLine) => upper(optionOf(prior!.options, name)?.value ?? '') !== upper(o?.value ?? '');
      if (prior && (differs('TCPSERVERADDRESS', addr) || differs('TCPPORT', portOpt))) {
        model.conflicts.push(`${safeText(sourceText(src))}: stanza ${safeText(s.name)} disagrees with ${safeText(sourceText(at(prior.r.file, prior.line)))} (address or port)`);
      }
      seen.set(upper(s.name), s);
      if (!addr) { c.notes.push(`stanza ${safeText(s.name)} (${sourceText(src)}) has no TCPSERVERADDRESS`); continue; }
      const p = portOpt ? Number(portOpt.value) : undefined;
      const srv = target(addr.value, p, host, ['server']);
      if (!srv) { model.unknowns.push(`${safeText(sourceText(src))}: ${safeText(c.name)} connects to ${safeText(addr.value)}:${safeText(portOpt?.value ?? 'default port')}, which matches no collected server`); continue; }
      const ssl = optionOf(s.options, 'SSL');
      const sslNo = ssl !== undefined && /^no$/i.test(ssl.value);
      const pre812 = isBefore812(srv);
      const notes: string[] = [];
      if (!portOpt) notes.push('TCPPORT not set: the client uses its default port');
      if (sslNo && !pre812) notes.push('SSL NO: toward 8.1.2+ servers SSL is always used for the session (facts §4.2)');
      const sources = [src, addr, portOpt, ssl].filter((o): o is OptionLine => o !== undefined && 'value' in o).map((o) => at(s.r.file, o.line));
      addConnection(c, srv, !(sslNo && pre812), p, sources.length > 0 ? sources : [src], notes);
      // LAN-free through a storage agent.
      const lanfree = optionOf(s.options, 'ENABLELANFREE');
      if (lanfree && /^yes$/i.test(lanfree.value)) {
        const la = optionOf(s.options, 'LANFREETCPSERVERADDRESS');
        const lp = optionOf(s.options, 'LANFREETCPPORT');
        const ls = optionOf(s.options, 'LANFREESSL');
        // LANFREETCPSERVERADDRESS defaults to 127.0.0.1 (facts §4.2): the agent on the client's own host.
        const sta = target(la?.value ?? '127.0.0.1', lp ? Number(lp.value) : undefined, host, ['storage-agent']);
        if (!sta) { model.unknowns.push(`${safeText(sourceText(at(s.r.file, lanfree.line)))}: ${safeText(c.name)} uses LAN-free through ${safeText(la?.value ?? '127.0.0.1')}, where no storage agent was collected`); continue; }
        const lnotes = ls ? [] : ['LANFREESSL not set: its default is not documented; written as TLS, check the client'];
        addConnection(c, sta, !(ls && /^no$/i.test(ls.value)), lp ? Number(lp.value) : undefined, [at(s.r.file, lanfree.line), ...[la, lp, ls].filter((o) => o).map((o) => at(s.r.file, o!.line))], lnotes);
      }
    }
  }

  // Operations Center: a PKCS#12 truststore beside bootstrap.properties (tsm.truststore.pswd).
  for (const r of all('pkcs12')) {
    const dir = dirName(r.file.path);
    const boot = inDir('liberty-bootstrap', r.file.host, dir)[0];
    if (!boot && baseName(r.file.path).toLowerCase() !== 'gui-truststore.p12') { model.unrecognised.push({ file: r.file.display, reason: 'a PKCS#12 file that is not an Operations Center truststore (no bootstrap.properties beside it)' }); continue; }
    const c = newComponent('operations-center', r.file.host, `OC_${upper(r.file.host.split('.')[0]!)}`, [], 'from the host name');
    c.address = { value: addressOf(r.file.host), from: [at(r.file)], note: 'the host the file was collected from' };
    c.notes.push('version: not in the collected files');
    const pw = boot?.artifact.truststorePassword;
    applyStore(c, r, readCollectedPkcs12(r.file, sibling(r.file.host), pw ? { value: pw, from: boot!.file.display } : undefined), false);
    model.components.push(c);
    const hubs = servers().filter((s) => s.hub);
    if (hubs.length === 1) addConnection(c, hubs[0]!, true, undefined, hubs[0]!.hub!.from, ['the hub: the server whose QUERY MONITORSETTINGS shows Monitor Status On with a monitored group']);
    else c.notes.push(hubs.length === 0 ? 'its hub: no collected server shows it is a hub (QUERY MONITORSETTINGS)' : `its hub: ${hubs.length} servers show they are hubs; which one is unknown`);
  }

  // LDAP certificates: a collected certificate whose SAN or CN names the directory host.
  const loose = all('certificates').flatMap((r) => r.artifact.certificates.slice(0, 1).map((cert) => ({ r, cert })));
  for (const dir of model.components.filter((c) => c.kind === 'ldap')) {
    const hit = loose.find(({ cert }) => !cert.isCA && (cert.sans.dns.some((d) => d.toLowerCase() === dir.host) || cert.subject.some((a) => a.type === 'CN' && a.value.toLowerCase() === dir.host)));
    if (hit) dir.certificate = { value: certificate(hit.cert, at(hit.r.file)), from: [at(hit.r.file)] };
    else dir.notes.push(`certificate: not collected (put the directory's certificate, e.g. ${dir.host}.arm, in the collection)`);
  }
  // Every certificate the collection holds is exported, so CAs in loose files can complete chains.
  for (const { r, cert } of loose) if (cert.isCA) certificate(cert, at(r.file));

  for (const r of all('gsk-listing')) {
    model.unknowns.push(`${safeText(r.file.display)}: a gsk8capicmd ${r.artifact.listing.kind === 'list' ? '-cert -list' : '-cert -details'} listing of ${r.artifact.listing.entries.length} entries; labels are not trust, collect the key database and its stash`);
  }
  const unusedStore: Record<string, string> = {
    server: 'a cert.kdb with no dsmserv.opt or dsmsta.opt beside it: no component to give it to',
    client: 'a dsmcert.kdb on a host without client options (dsm.sys, dsm.opt): no client to give it to',
    'client-node': "spclicert.kdb, the client's own certificate (Windows, per node): a client presents no certificate in the topology",
    other: 'a key database under a name the product does not use (cert.kdb, dsmcert.kdb, spclicert.kdb)',
  };
  for (const r of all('keydb')) if (!usedStores.has(r)) model.unrecognised.push({ file: r.file.display, reason: unusedStore[r.artifact.role]! });
  for (const r of all('password-store')) model.unrecognised.push({ file: r.file.display, reason: 'TSM.KDB, the client password store (PASSWORDACCESS GENERATE): not a TLS key database, left alone' });
  options.progress?.(files.length, files.length);
  return model;
}
