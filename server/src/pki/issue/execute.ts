// The EXECUTE step of `sptls issue`: carries out a plan. New keys are generated all at once
// (the thread pool keeps every core busy), certificates are signed issuers first, and every
// file goes through writeFileSafely: temp name + rename, keys 0600, a private key replaced
// only with --force and then kept as a dated backup. The manifest is written last.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileSink } from '../fs/file-sink.ts';
import { KEY_FILE_MODE, PUBLIC_FILE_MODE, writeFileSafely, type ExistingFilePolicy } from '../fs/safe-write.ts';
import type { KeyPair } from '../../codec/x509/keys.ts';
import { certificatePem, pemDecodeAll } from '../../codec/x509/pem.ts';
import { privateKeyPem, readPrivateKey } from '../../codec/x509/private-key-file.ts';
import { decodeCertificate } from '../../codec/x509/read.ts';
import type { CertificateIssuer } from './issuer.ts';
import { filesFor, formatManifest, MANIFEST_FILE, type Manifest } from './layout.ts';
import type { PlannedAction } from './plan.ts';
import { issueStart, lifetimeOf } from './lifetime.ts';
import { specHash, type IssueSpec } from './spec.ts';

export interface ExecuteOptions {
  outDir: string;
  manifest: Manifest;
  issuer: CertificateIssuer;
  now: Date;
  force: boolean;
  /** Encrypts new CA keys at rest and decrypts existing ones. */
  caPassphrase?: string;
  sink?: FileSink;
}

export interface ExecuteResult {
  ok: boolean;
  /** Paths relative to outDir. */
  written: string[];
  backups: string[];
  errors: string[];
  /** What the run did differently from the spec, and why (a lifetime cut at its issuer's end). */
  notes: string[];
  /** CA keys written in this run without a passphrase (relative paths). */
  unencryptedCaKeys: string[];
  manifest: Manifest;
}

interface Material {
  der: Buffer;
  privateKey: KeyObject;
}

export async function executePlan(actions: PlannedAction[], options: ExecuteOptions): Promise<ExecuteResult> {
  const result: ExecuteResult = { ok: true, written: [], backups: [], errors: [], notes: [], unencryptedCaKeys: [], manifest: structuredClone(options.manifest) };
  const work = actions.filter((a) => a.action === 'create' || a.action === 'renew');
  if (work.length === 0) return result;
  const fail = (message: string) => { result.ok = false; result.errors.push(message); };

  const newKeys = new Map<string, Promise<KeyPair>>();
  for (const a of work) if (a.newKey) newKeys.set(a.spec.name, options.issuer.generateKey(a.spec.key));
  await Promise.allSettled(newKeys.values());

  const issued = new Map<string, Material>();
  const specs = new Map(actions.map((a) => [a.spec.name, a.spec]));
  const failed = new Set<string>();
  const notBefore = issueStart(options.now);

  for (const a of work) {
    const { spec } = a;
    const files = filesFor(spec);
    try {
      if (spec.issuer && failed.has(spec.issuer)) throw new Error(`its issuer ${spec.issuer} could not be issued`);
      const pair = a.newKey ? await newKeys.get(spec.name)! : await existingKey(spec, options);
      const signer = spec.issuer ? issued.get(spec.issuer) ?? await storedMaterial(specs.get(spec.issuer)!, options) : undefined;
      const { notAfter, note } = lifetimeOf(spec, notBefore, signer ? decodeCertificate(signer.der).notAfter : undefined);
      if (note) result.notes.push(note);
      const der = options.issuer.sign({
        subject: spec.subject,
        publicKey: pair.publicKey,
        issuer: signer ? { certificate: signer.der, privateKey: signer.privateKey } : { selfSigned: pair.privateKey },
        notBefore,
        notAfter,
        ...(spec.sans.length ? { sans: spec.sans } : {}),
        isCA: spec.role === 'ca',
        ...(spec.pathLen !== undefined ? { pathLen: spec.pathLen } : {}),
      });
      const encrypt = spec.role === 'ca' && options.caPassphrase !== undefined;
      if (a.newKey) {
        const policy: ExistingFilePolicy = options.force ? 'backup' : 'refuse';
        await write(result, options, files.key, privateKeyPem(pair.privateKey, encrypt ? options.caPassphrase : undefined), KEY_FILE_MODE, policy);
        if (spec.role === 'ca' && !encrypt) result.unencryptedCaKeys.push(files.key);
      }
      const pem = certificatePem(der);
      await write(result, options, files.certificate, pem, PUBLIC_FILE_MODE, 'replace');
      if (files.chain) await write(result, options, files.chain, (await chainOf(spec, specs, issued, options)).map(certificatePem).join(''), PUBLIC_FILE_MODE, 'replace');
      if (files.arm) await write(result, options, files.arm, pem, PUBLIC_FILE_MODE, 'replace');
      issued.set(spec.name, { der, privateKey: pair.privateKey });
      const facts = decodeCertificate(der);
      result.manifest.entries[spec.name] = {
        role: spec.role, specHash: specHash(spec), spec, files,
        fingerprintSha256: facts.fingerprintSha256, serial: facts.serialHex,
        notBefore: facts.notBefore.toISOString(), notAfter: facts.notAfter.toISOString(),
        issuerFingerprint: signer ? decodeCertificate(signer.der).fingerprintSha256 : null,
        keyEncrypted: a.newKey ? encrypt : options.manifest.entries[spec.name]?.keyEncrypted ?? false,
      };
    } catch (e) {
      failed.add(spec.name);
      fail(`${spec.name}: ${(e as Error).message}`);
    }
  }
  try {
    await write(result, options, MANIFEST_FILE, formatManifest(result.manifest), PUBLIC_FILE_MODE, 'replace');
  } catch (e) {
    fail((e as Error).message);
  }
  return result;
}

async function write(result: ExecuteResult, options: ExecuteOptions, rel: string, data: string, mode: number, existing: ExistingFilePolicy): Promise<void> {
  const path = join(options.outDir, rel);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const r = await writeFileSafely(path, data, { mode, existing, ...(options.sink ? { sink: options.sink } : {}), now: options.now });
  if (!r.ok) throw new Error(r.error.message);
  result.written.push(rel);
  if (r.backup) result.backups.push(r.backup);
}

async function existingKey(spec: IssueSpec, options: ExecuteOptions): Promise<KeyPair> {
  const path = join(options.outDir, filesFor(spec).key);
  const r = readPrivateKey(await readFile(path), spec.role === 'ca' ? options.caPassphrase : undefined);
  if (!r.ok) {
    const fix = r.error.kind === 'malformed' ? 'move it away or run with --force' : 'pass --ca-passphrase-env VAR with the passphrase it was written with';
    throw new Error(`cannot use the existing key ${path}: ${r.error.message} (${fix})`);
  }
  return { privateKey: r.key, publicKey: createPublicKey(r.key) };
}

/** A CA issued by an earlier run: its certificate and key from the output directory. */
async function storedMaterial(spec: IssueSpec, options: ExecuteOptions): Promise<Material> {
  const certPath = join(options.outDir, filesFor(spec).certificate);
  const der = pemDecodeAll(await readFile(certPath, 'latin1').catch(() => ''))[0]?.der;
  if (!der) throw new Error(`the certificate of its issuer ${spec.name} (${certPath}) is missing or unreadable: run sptls issue for ${spec.name} first`);
  const { privateKey } = await existingKey(spec, options);
  return { der, privateKey };
}

async function chainOf(spec: IssueSpec, specs: Map<string, IssueSpec>, issued: Map<string, Material>, options: ExecuteOptions): Promise<Buffer[]> {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  for (let name = spec.issuer; name && !seen.has(name); name = specs.get(name)?.issuer ?? null) {
    seen.add(name);
    const mine = issued.get(name);
    if (mine) { out.push(mine.der); continue; }
    const path = join(options.outDir, filesFor(specs.get(name)!).certificate);
    const der = pemDecodeAll(await readFile(path, 'latin1').catch(() => ''))[0]?.der;
    if (!der) throw new Error(`the certificate of ${name} (${path}) is missing`);
    out.push(der);
  }
  return out;
}
