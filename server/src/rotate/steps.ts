// What to do on each host in each phase: the exact gsk8capicmd_64 / dsmcert / keytool /
// dsmadmc / sptls command lines, the files to bring, the process to restart. Command
// forms follow shared/reference/ibm-sp-ssl-facts.md §6 and sp-config-artifacts.md §0.
// Pure: reads the analysis of the state a phase starts from.
import type { Analysis } from '../analysis/engine.ts';
import type { Entity } from '../analysis/model.ts';
import { DSMCERT_SINCE, GSKIT_KINDS, JAVA_KINDS, KINDS, SERVER_CERT_COMMANDS_SINCE, SERVER_SELF_SIGNED_LABEL } from '../analysis/product.ts';
import { compareVersions } from '../analysis/versions.ts';
import { issueSpecs } from '../pki/issue/spec.ts';
import type { Phase, RotationPlan } from './plan.ts';

export type Tool = 'gsk8capicmd_64' | 'dsmcert' | 'keytool' | 'dsmadmc' | 'sptls';

/** A literal argument, or a password read at run time from a file beside the script. */
export type Arg = string | { passwordFile: string };

export interface Command {
  tool: Tool;
  args: Arg[];
}

/** A file the host needs in its folder: staged by the workstation script from `source`. */
export interface Staged {
  file: string;
  /** Path relative to the rotation folder, or null when the host itself makes it. */
  source: string;
}

export interface HostSteps {
  /** A component name, or null for the workstation that runs sptls. */
  host: string | null;
  title: string;
  stage: Staged[];
  commands: Command[];
  /** Files the host makes that the rotation folder needs next (copy them back). */
  bringBack: string[];
  restart: string | null;
  notes: string[];
}

export interface StepOptions {
  /** The PKI folder `sptls issue` writes, relative to the rotation folder. */
  pkiDir: string;
}

const atLeast = (e: Entity, level: string) => {
  const v = e.props.get('version')?.values[0]?.text;
  return v === undefined || compareVersions(v, level) >= 0;
};

const keydbOf = (e: Entity) => e.props.get('keydb')?.values[0]?.text ?? KINDS[e.kind].keydb ?? 'cert.kdb';

const RESTART: Partial<Record<Entity['kind'], (name: string) => string>> = {
  server: (n) => `the server ${n} (HALT, then start dsmserv): it reads cert.kdb when it starts`,
  'storage-agent': (n) => `the storage agent ${n} (dsmsta): it reads cert.kdb when it starts`,
  'operations-center': (n) => `the Operations Center web server of ${n}: Liberty reads its truststore when it starts`,
  'reporting-agent': (n) => `the reporting agent ${n}: it reads its truststore when it starts`,
  client: (n) => `the scheduler / client acceptor (dsmcad) of ${n}, if one runs: new sessions read dsmcert.kdb`,
};

/** Steps of one phase, workstation first, then hosts in the order they must act. */
export function phaseSteps(before: Analysis, phase: Phase, plan: RotationPlan, options: StepOptions): HostSteps[] {
  const hosts = new Map<string | null, HostSteps>();
  const host = (e: Entity | null): HostSteps => {
    const key = e?.name ?? null;
    let h = hosts.get(key);
    if (!h) {
      h = { host: key, title: e ? `${e.kind} ${e.name}${addressNote(e)}` : 'the workstation that runs sptls (in the rotation folder)', stage: [], commands: [], bringBack: [], restart: null, notes: [] };
      hosts.set(key, h);
    }
    return h;
  };
  const get = (name: string) => before.model.byName.get(name) ?? null;
  const specs = new Map(issueSpecs(before).specs.map((s) => [s.name, s]));
  const phaseFile = `${phase.id}.sptls`;
  const successorFile = (name: string) => plan.successors.find((s) => s.new === name)?.file;
  const armOf = (name: string): Staged => {
    const file = successorFile(name);
    return file ? { file, source: file } : { file: `${name}.arm`, source: `${options.pkiDir}/ca/${name}.crt.pem` };
  };

  const issued: string[] = [];
  const rekeyed: Entity[] = [];
  // Only what the topology does not show done yet: a resumed rotation does not add a label twice.
  for (const c of phase.pending) {
    switch (c.type) {
      case 'declare-ca': {
        const file = successorFile(c.name);
        if (file) createSelfSigned(host(get(c.replaces)), get(c.replaces)!, c.name, file, specs.get(c.replaces)?.subject);
        else issued.push(c.name);
        break;
      }
      case 'add-trust': {
        const e = get(c.component);
        // A server's renewed self-signed certificate goes to its clients with dsmcert, as IBM's procedure does.
        const ownCertOf = successorFile(c.name) !== undefined && get(c.after)?.kind === 'server' ? c.after : null;
        if (e) addTrusted(host(e), e, c.name, armOf(c.name), ownCertOf);
        break;
      }
      case 'reissue': case 'renew': {
        const e = get(c.component);
        if (e) { issued.push(e.name); rekeyed.push(e); }
        break;
      }
      case 'switch': {
        const e = get(c.component);
        if (e) setDefault(host(e), e, c.label);
        break;
      }
      case 'remove-trust': {
        const e = get(c.component);
        if (e) removeTrusted(host(e), e, c.name);
        break;
      }
      case 'remove-ca':
        host(null).notes.push(`CA ${c.name} leaves the topology: archive its key (${options.pkiDir}/ca/${c.name}.key.pem) as your policy says; nothing trusts it any more.`);
        break;
    }
  }
  if (phase.slug === 'drop-old' && plan.target.kind === 'certificate') {
    const e = get(plan.target.name);
    if (e) deleteOldSelfSigned(host(e), e);
  }
  if (issued.length > 0) {
    const w = host(null);
    const only = issued.flatMap((n) => ['--only', n]);
    const renew = phase.slug === 'renew' ? ['--renew', '--force'] : [];
    w.commands.unshift({ tool: 'sptls', args: ['issue', phaseFile, '--out', options.pkiDir, ...only, ...renew] });
    const managed = rekeyed.filter((e) => GSKIT_KINDS.has(e.kind));
    if (managed.length > 0) w.commands.push({ tool: 'sptls', args: ['keydb', phaseFile, '--out', options.pkiDir, ...managed.flatMap((e) => ['--only', e.name]), '--force'] });
  }
  for (const e of rekeyed) {
    if (GSKIT_KINDS.has(e.kind)) importIdentity(host(e), e, phase, options);
    else host(null).notes.push(`${e.name} is not managed by sptls: give its administrator the new certificate, chain and key from ${options.pkiDir}/components/${e.name}/ and have them install it.`);
  }
  // The workstation issues first; a host that makes a file others need (a self-signed
  // successor's .arm) comes before them; the rest follow in file order.
  const list = [...hosts.values()];
  const rank = (h: HostSteps) => (h.host === null ? (list.some((o) => o.bringBack.length > 0) ? 1 : 0) : h.bringBack.length > 0 ? 0 : 2);
  return list.sort((a, b) => rank(a) - rank(b));
}

function addressNote(e: Entity): string {
  const a = e.props.get('address')?.values[0]?.text;
  return a ? ` (${a})` : '';
}

function createSelfSigned(h: HostSteps, e: Entity, label: string, file: string, subject: string | undefined): void {
  const db = keydbOf(e);
  if (e.kind === 'server' && atLeast(e, SERVER_CERT_COMMANDS_SINCE)) {
    // CREATE CERTIFICATE writes <label>.arm in the instance directory; DEFAULT=NO keeps the old one presented.
    h.commands.push({ tool: 'dsmadmc', args: [`CREATE CERTIFICATE "${label}" DEFAULT=NO`] });
    h.notes.push(`CREATE CERTIFICATE writes ${label}.arm in the instance directory: copy it back into the rotation folder as ${file}.`);
  } else {
    h.commands.push({ tool: 'gsk8capicmd_64', args: ['-cert', '-create', '-db', db, '-stashed', '-label', label, '-dn', subject ?? `CN=${e.name}`, '-size', '2048', '-sigalg', 'SHA256_WITH_RSA', '-expire', '825'] });
    h.commands.push({ tool: 'gsk8capicmd_64', args: ['-cert', '-extract', '-db', db, '-stashed', '-label', label, '-target', file, '-format', 'ascii'] });
    h.notes.push(`Copy ${file} back into the rotation folder.`);
  }
  h.bringBack.push(file);
}

function addTrusted(h: HostSteps, e: Entity, label: string, arm: Staged, server: string | null): void {
  h.stage.push(arm);
  const db = keydbOf(e);
  if (JAVA_KINDS.has(e.kind)) {
    h.commands.push({ tool: 'keytool', args: ['-importcert', '-noprompt', '-trustcacerts', '-alias', label, '-file', arm.file, '-keystore', db, '-storetype', 'PKCS12', '-storepass:env', 'SPTLS_STOREPASS'] });
    h.restart = RESTART[e.kind]!(e.name);
  } else if (e.kind === 'client' && server !== null && atLeast(e, DSMCERT_SINCE)) {
    h.commands.push({ tool: 'dsmcert', args: ['-add', '-server', server, '-file', arm.file] });
    h.restart = RESTART.client!(e.name);
  } else if (GSKIT_KINDS.has(e.kind)) {
    h.commands.push({ tool: 'gsk8capicmd_64', args: ['-cert', '-add', '-db', db, '-stashed', '-label', label, '-file', arm.file, '-format', 'ascii'] });
    h.restart = RESTART[e.kind]!(e.name);
  }
}

function setDefault(h: HostSteps, e: Entity, label: string): void {
  if (e.kind === 'server' && atLeast(e, SERVER_CERT_COMMANDS_SINCE)) h.commands.push({ tool: 'dsmadmc', args: [`SET DEFAULTTLSCERT "${label}"`] });
  else h.commands.push({ tool: 'gsk8capicmd_64', args: ['-cert', '-setdefault', '-db', keydbOf(e), '-stashed', '-label', label] });
  h.restart = RESTART[e.kind]?.(e.name) ?? null;
}

function removeTrusted(h: HostSteps, e: Entity, label: string): void {
  const db = keydbOf(e);
  if (JAVA_KINDS.has(e.kind)) h.commands.push({ tool: 'keytool', args: ['-delete', '-noprompt', '-alias', label, '-keystore', db, '-storetype', 'PKCS12', '-storepass:env', 'SPTLS_STOREPASS'] });
  else if (GSKIT_KINDS.has(e.kind)) {
    h.commands.push({ tool: 'gsk8capicmd_64', args: ['-cert', '-delete', '-db', db, '-stashed', '-label', label] });
    if (e.kind === 'client') h.notes.push(`If ${label} was added with dsmcert, its label may differ: '-cert -list -db ${db} -stashed' shows it.`);
  }
  h.restart = RESTART[e.kind]?.(e.name) ?? null;
}

function deleteOldSelfSigned(h: HostSteps, e: Entity): void {
  const label = e.certificate?.props.get('label')?.values[0]?.text ?? (e.kind === 'server' ? SERVER_SELF_SIGNED_LABEL : e.name);
  h.commands.push({ tool: 'gsk8capicmd_64', args: ['-cert', '-delete', '-db', keydbOf(e), '-stashed', '-label', label] });
}

function importIdentity(h: HostSteps, e: Entity, phase: Phase, options: StepOptions): void {
  const db = keydbOf(e);
  const p12 = `${e.name}.p12`;
  const label = `${e.name}-${phase.id}`;
  h.stage.push({ file: p12, source: `${options.pkiDir}/keydb/${e.name}/${p12}` }, { file: `${p12}.pw`, source: `${options.pkiDir}/keydb/${e.name}/${p12}.pw` });
  h.commands.push({ tool: 'gsk8capicmd_64', args: ['-cert', '-import', '-db', p12, '-pw', { passwordFile: `${p12}.pw` }, '-type', 'pkcs12', '-target', db, '-target_stashed', '-label', e.certificate?.props.get('label')?.values[0]?.text ?? e.name, '-new_label', label] });
  setDefault(h, e, label);
}
