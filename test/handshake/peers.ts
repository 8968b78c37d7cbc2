// Shared by the handshake tests: a throw-away PKI made with the openssl CLI, and
// real server processes started on free loopback ports and stopped afterwards.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCommand } from '../support/system.ts';

export function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

const CA_CONF = `[ca]
default_ca = local
[local]
dir = .
database = ./index.txt
new_certs_dir = ./issued
serial = ./serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
`;

export interface Pki {
  dir: string;
  path(name: string): string;
  pem(name: string): string;
  cleanup(): void;
}

interface Issue {
  key: string;
  cn: string;
  san?: string;
  issuer?: 'ca' | 'int';
  ca?: boolean;
  start?: string;
  end?: string;
  md?: string;
}

/**
 * Keys (made once) and certificates for every scenario:
 * ca (root), int (intermediate), srv (localhost), leafint (issued by int),
 * expired, notyet, wrong (wrong.example), self (self-signed localhost),
 * selfleaf (self-signed leaf without CA:TRUE), weak (RSA-1024, SHA-1), cli (client certificate).
 */
export function makePki(): Pki {
  ensureCommand('openssl', 'openssl');
  const dir = mkdtempSync(join(tmpdir(), 'sptls-hs-pki-'));
  mkdirSync(join(dir, 'issued'));
  writeFileSync(join(dir, 'ca.cnf'), CA_CONF);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  const o = (...args: string[]) => run('openssl', args, dir);
  for (const [name, bits] of [['ca', 2048], ['int', 2048], ['srv', 2048], ['cli', 2048], ['weak', 1024]] as const) {
    o('genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${bits}`, '-out', `${name}.key`);
  }
  o('req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=Test Root CA', '-days', '3650', '-out', 'ca.crt',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const issue = (name: string, spec: Issue) => {
    o('req', '-new', '-key', spec.key, '-subj', `/CN=${spec.cn}`, '-out', `${name}.csr`);
    const ext = spec.ca
      ? 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n'
      : `basicConstraints=CA:FALSE\nsubjectAltName=${spec.san}\nextendedKeyUsage=serverAuth,clientAuth\n`;
    writeFileSync(join(dir, `${name}.ext`), ext);
    const issuer = spec.issuer ?? 'ca';
    o('ca', '-batch', '-notext', '-config', 'ca.cnf', '-cert', `${issuer}.crt`, '-keyfile', `${issuer}.key`,
      '-in', `${name}.csr`, '-out', `${name}.crt`, '-extfile', `${name}.ext`, '-md', spec.md ?? 'sha256',
      ...(spec.start ? ['-startdate', spec.start] : []), '-enddate', spec.end ?? '20991231000000Z');
  };
  const localhost = 'DNS:localhost,IP:127.0.0.1';
  issue('int', { key: 'int.key', cn: 'Test Intermediate CA', ca: true });
  issue('srv', { key: 'srv.key', cn: 'localhost', san: localhost });
  issue('leafint', { key: 'srv.key', cn: 'localhost', san: localhost, issuer: 'int' });
  issue('expired', { key: 'srv.key', cn: 'localhost', san: localhost, start: '20200101000000Z', end: '20200201000000Z' });
  issue('notyet', { key: 'srv.key', cn: 'localhost', san: localhost, start: '20980101000000Z', end: '20990101000000Z' });
  issue('wrong', { key: 'srv.key', cn: 'wrong.example', san: 'DNS:wrong.example' });
  issue('weak', { key: 'weak.key', cn: 'localhost', san: localhost, md: 'sha1' });
  issue('cli', { key: 'cli.key', cn: 'Test Client', san: 'DNS:client.example' });
  o('req', '-x509', '-new', '-key', 'srv.key', '-subj', '/CN=localhost', '-days', '365', '-out', 'self.crt',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1');
  // What `sptls issue` writes for `certificate self-signed`: a leaf, no CA:TRUE, no keyCertSign.
  o('req', '-x509', '-new', '-key', 'srv.key', '-subj', '/CN=localhost', '-days', '365', '-out', 'selfleaf.crt',
    '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1');
  const cat = (...names: string[]) => names.map((n) => readFileSync(join(dir, n), 'utf8')).join('');
  writeFileSync(join(dir, 'leafint-chain.crt'), cat('leafint.crt', 'int.crt'));
  writeFileSync(join(dir, 'int-root.crt'), cat('int.crt', 'ca.crt'));
  writeFileSync(join(dir, 'root-int.crt'), cat('ca.crt', 'int.crt'));
  return {
    dir,
    path: (name) => join(dir, name),
    pem: (name) => readFileSync(join(dir, name), 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Resolves once something accepts TCP connections on host:port. */
export async function waitForPort(port: number, host = '127.0.0.1', deadlineMs = 20_000, proc?: ChildProcess): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const ok = await new Promise<boolean>((res) => {
      const s = connect({ host, port }, () => { s.destroy(); res(true); });
      s.on('error', () => res(false));
    });
    if (ok) return;
    if (proc && proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode} before listening on ${port}`);
    if (Date.now() > until) throw new Error(`nothing listened on ${host}:${port} within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface Peer {
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a server process and waits until it listens on `port`. */
export async function startPeer(cmd: string, args: string[], port: number, opts: { cwd?: string; host?: string; waitMs?: number; wrap?: string[] } = {}): Promise<Peer> {
  const full = [...(opts.wrap ?? []), cmd, ...args];
  const proc = spawn(full[0]!, full.slice(1), { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => { out += d; });
  proc.stderr!.on('data', (d) => { out += d; });
  const peer: Peer = {
    proc,
    output: () => out,
    stop: () => new Promise((res) => {
      if (proc.exitCode !== null || proc.signalCode !== null) { res(); return; }
      proc.once('exit', () => res());
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 2000).unref();
    }),
  };
  try {
    await waitForPort(port, opts.host, opts.waitMs, proc);
  } catch (e) {
    await peer.stop();
    throw new Error(`${(e as Error).message}\n${cmd} output:\n${out}`);
  }
  return peer;
}
