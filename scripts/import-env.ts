// A topology's hosts as `sptls import` would find them, for the round-trip test and `npm run bench`:
// `sptls issue` + `sptls keydb --native-kdb`, then each component's files laid out as one host folder
// of a collection (option lines, key databases, stashes, truststores), plus what an administrator's
// hosts also hold and keydb does not write: NODENAME, LDAPURL, server definitions, monitor
// settings, the storage agent's SERVERNAME and device configuration.
// generateEnvironment(n) writes a topology of n clients with a few planted mistakes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { analyze, type Analysis } from '../server/src/analysis/engine.ts';
import type { Entity, Link } from '../server/src/analysis/model.ts';
import { DiskCertificateFiles } from '../server/src/workspace/disk-certificates.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'sptls.cjs');

function put(base: string, path: string, content: string | Uint8Array): void {
  const full = join(base, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
}

const prop = (e: Entity, name: string) => e.props.get(name)?.values[0]?.text;
const INSTANCE = 'home/tsminst1/tsminst1';
const STA_DIR = 'opt/tivoli/tsm/StorageAgent/bin';
const CLIENT_DIR = 'opt/tivoli/tsm/client/ba/bin';
const OC_DIR = 'opt/tivoli/tsm/ui/Liberty/usr/servers/guiServer';

export function analyzeFile(path: string): Analysis {
  return analyze(readFileSync(path, 'utf8'), { certificateFiles: new DiskCertificateFiles(dirname(path)), now: new Date() });
}

/** The kinds `sptls import` can know from a host's files (the reporting agent's files are not in the facts). */
export const IMPORTABLE = new Set(['server', 'storage-agent', 'client', 'operations-center', 'ldap', 'db2']);

/** Runs `sptls issue` and `sptls keydb --native-kdb` for the topology into pki/ beside it. */
export function issueAndKeydb(topology: string): string {
  const pki = join(dirname(topology), 'pki');
  for (const args of [['issue', topology, '--out', pki], ['keydb', topology, '--out', pki, '--native-kdb']]) {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`sptls ${args[0]} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  }
  return pki;
}

export function layOut(topology: string, pki: string, collection: string): void {
  const a = analyzeFile(topology);
  const entities = a.model.entities.filter((e) => e.isFirst);
  const host = (e: Entity) => prop(e, 'address') ?? e.name.toLowerCase();
  const links = (e: Entity) => a.model.links.filter((l) => l.from === e && l.to && l.status !== 'unresolved');
  const keydb = (e: Entity, file: string) => join(pki, 'keydb', e.name, file);
  const copy = (e: Entity, from: string, to: string) => { const src = keydb(e, from); if (existsSync(src)) { put(collection, to, readFileSync(src)); } };
  const portOf = (l: Link) => l.props.get('port')?.values[0]?.text ?? prop(l.to!, 'port') ?? '1500';
  for (const e of entities) {
    if (!IMPORTABLE.has(e.kind) || e.kind === 'db2') continue;
    const h = host(e);
    put(collection, `${h}/sptls-collect.txt`, `sptls-collect 1\nplatform linux\nhost ${h.split('.')[0]}\n${prop(e, 'address') ? `fqdn ${prop(e, 'address')}\n` : ''}`);
    if (e.kind === 'server') {
      const ldap = links(e).filter((l) => l.to!.kind === 'ldap').map((l) => `LDAPURL ldaps://${prop(l.to!, 'address')}:${portOf(l)}/dc=example,dc=com`);
      put(collection, `${h}/${INSTANCE}/dsmserv.opt`, readFileSync(keydb(e, 'dsmserv.opt.txt'), 'utf8') + ldap.map((l) => `${l}\n`).join(''));
      copy(e, 'cert.kdb', `${h}/${INSTANCE}/cert.kdb`);
      copy(e, 'cert.sth', `${h}/${INSTANCE}/cert.sth`);
      put(collection, `${h}/dsmadmc/select-server-name.csv`, `${e.name}\n`);
      const defs = links(e).filter((l) => l.to!.kind === 'server').map((l) =>
        `Server Name: ${l.to!.name}\nComm. Method: TCPIP\nHigh-level Address: ${prop(l.to!, 'address')}\nLow-level Address: ${portOf(l)}\nSSL: ${l.tls ? 'Yes' : 'No'}\n`);
      if (defs.length > 0) put(collection, `${h}/dsmadmc/query-server.txt`, defs.join('\n'));
      if (e.props.has('hub')) {
        const spokes = entities.filter((s) => prop(s, 'spoke-of') === e.name).map((s) => s.name);
        put(collection, `${h}/dsmadmc/query-monitorsettings.txt`, `Monitor Status: On\nMonitored Group: MONGROUP\nMonitored Servers: ${spokes.join(',')}\n`);
      }
    } else if (e.kind === 'storage-agent') {
      const servers = links(e).filter((l) => l.to!.kind === 'server');
      put(collection, `${h}/${STA_DIR}/dsmsta.opt`, readFileSync(keydb(e, 'dsmsta.opt.txt'), 'utf8') + `SERVERNAME ${servers[0]?.to!.name}\nDEVCONFIG devconfig.txt\n`);
      put(collection, `${h}/${STA_DIR}/devconfig.txt`, [`set staname ${e.name}`, ...servers.map((l) =>
        `define server ${l.to!.name} serverpassword=secret hladdress=${prop(l.to!, 'address')} lladdress=${portOf(l)} ssl=${l.tls ? 'yes' : 'no'}`)].join('\n') + '\n');
      copy(e, 'cert.kdb', `${h}/${STA_DIR}/cert.kdb`);
      copy(e, 'cert.sth', `${h}/${STA_DIR}/cert.sth`);
    } else if (e.kind === 'client') {
      const sys = readFileSync(keydb(e, 'dsm.sys.txt'), 'utf8').split('\n').flatMap((line) => (/^SERVERNAME /.test(line) ? [line, `   NODENAME ${e.name}`] : [line]));
      put(collection, `${h}/${CLIENT_DIR}/dsm.sys`, sys.join('\n'));
      copy(e, 'dsmcert.kdb', `${h}/${CLIENT_DIR}/dsmcert.kdb`);
      copy(e, 'dsmcert.sth', `${h}/${CLIENT_DIR}/dsmcert.sth`);
    } else if (e.kind === 'operations-center') {
      const store = prop(e, 'keydb') ?? 'gui-truststore.p12';
      copy(e, store, `${h}/${OC_DIR}/${store}`);
      copy(e, 'bootstrap.properties.txt', `${h}/${OC_DIR}/bootstrap.properties`);
    } else if (e.kind === 'ldap') {
      // The directory's certificate, handed over by the LDAP administrator (artifacts §5).
      put(collection, `${h}/${h}.arm`, readFileSync(join(pki, 'components', e.name, 'cert.pem')));
    }
  }
}

/**
 * A topology of `clients` clients: a hub with four spokes and a pre-8.1.2 spoke on its SSL port, a
 * storage agent used LAN-free by every tenth client, an LDAP directory and the Operations Center;
 * EC keys keep issuing fast. Planted: every 97th client trusts only the intermediate CA, and the
 * hub does not trust the self-signed spoke OLD.
 */
export function generateEnvironment(clients: number): string {
  const out = [
    'ca Root { subject "CN=Gen Root CA,O=Gen,C=US" key ec p256 }',
    'ca Issuing { signed-by Root subject "CN=Gen Issuing CA,O=Gen,C=US" key ec p256 }',
    'server HUB { address "hub.gen.example.com" port 1500 certificate signed-by Issuing { key ec p256 } trusts Root hub }',
    'storage-agent STA1 { address "sta1.gen.example.com" port 1502 certificate signed-by Issuing { key ec p256 } trusts Root }',
    'ldap DIR { address "ldap.gen.example.com" port 636 certificate signed-by Issuing { key ec p256 } }',
    'operations-center OC { address "oc.gen.example.com" trusts Root }',
    'server OLD { address "old.gen.example.com" port 1500 ssl-port 1542 version 8.1.1 certificate self-signed { key ec p256 } trusts Root spoke-of HUB }',
    'db2 HUBDB { }', 'db2 OLDDB { }',
    'HUB -> OLD { port 1542 }', 'HUB -> DIR', 'OC -> HUB', 'HUB -> HUBDB plain', 'OLD -> OLDDB plain', 'STA1 -> SP1',
  ];
  for (let s = 1; s <= 4; s++) {
    out.push(`server SP${s} { address "sp${s}.gen.example.com" port 1500 certificate signed-by Issuing { key ec p256 } trusts Root spoke-of HUB }`,
      `db2 SP${s}DB { }`, `HUB -> SP${s}`, `SP${s} -> SP${s}DB plain`);
  }
  for (let i = 1; i <= clients; i++) {
    const name = `C${String(i).padStart(5, '0')}`;
    const server = `SP${(i % 4) + 1}`;
    out.push(`client ${name} { trusts ${i % 97 === 0 ? 'Issuing' : 'Root'} }`, `${name} -> ${server}`);
    if (i % 10 === 0 && server === 'SP1') out.push(`${name} -> STA1`);
  }
  return out.join('\n') + '\n';
}
