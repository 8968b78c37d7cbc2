// The certificates and keys a rehearsal stands its responders up with: the PKI that
// `sptls issue` wrote (same layout, read through its manifest), or one issued for the
// occasion into a temporary folder by the issue module itself.
import { readBoundedFile } from '../workspace/bounded-read.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Analysis } from '../analysis/engine.ts';
import { executePlan } from '../pki/issue/execute.ts';
import { nodeCertificateIssuer, type CertificateIssuer } from '../pki/issue/issuer.ts';
import { emptyManifest, filesFor, MANIFEST_FILE, parseManifest, type Manifest } from '../pki/issue/layout.ts';
import { planIssue } from '../pki/issue/plan.ts';
import { issueSpecs, specHash, type IssueSpec } from '../pki/issue/spec.ts';
import { generateKey } from '../codec/x509/keys.ts';
import { certificatePem } from '../codec/x509/pem.ts';
import type { TrustEntry } from './plan.ts';

export interface Identity {
  certPem: string;
  keyPem: string;
  /** Issuer certificates, nearest first (empty for a self-signed certificate). */
  chainPem: string;
}

export type Lookup<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface RehearsalPki {
  /** Where the material comes from, for the report. */
  description: string;
  /** A CA's or component's issued certificate (PEM). */
  certificate(name: string): Lookup<string>;
  /** A component's certificate, key and chain, to answer TLS sessions with. */
  identity(name: string): Lookup<Identity>;
  /** Removes a temporary PKI; nothing for one on disk. */
  dispose(): Promise<void>;
}

/** The PEM of each trusted certificate: a `file`'s DER as read, else the issued certificate. */
export function trustPems(trust: TrustEntry[], pki: RehearsalPki, initiator: string): Lookup<Array<{ name: string; pem: string }>> {
  const out: Array<{ name: string; pem: string }> = [];
  for (const t of trust) {
    const pem = t.der ? { ok: true as const, value: certificatePem(t.der) } : pki.certificate(t.name);
    if (!pem.ok) return { ok: false, reason: `the certificate ${initiator} trusts as ${t.name} is not available: ${pem.reason}` };
    out.push({ name: t.name, pem: pem.value });
  }
  return { ok: true, value: out };
}

/** The PKI `sptls issue` wrote into `dir` for this topology. */
export function pkiFromDir(dir: string, analysis: Analysis, description = dir): RehearsalPki {
  const specs = new Map(issueSpecs(analysis).specs.map((s) => [s.name, s]));
  let manifest: Manifest | null = null;
  const manifestPath = join(dir, MANIFEST_FILE);
  const manifestFile = readBoundedFile(manifestPath, { kind: 'manifest' });
  if (manifestFile.ok) {
    const r = parseManifest(manifestFile.bytes.toString('utf8'));
    if (r.ok) manifest = r.manifest;
  }
  const read = (spec: IssueSpec, which: 'certificate' | 'key' | 'chain'): Lookup<string> => {
    const entry = manifest?.entries[spec.name];
    if (manifest && !entry) return { ok: false, reason: `${spec.name} is not issued in ${description}: run sptls issue` };
    if (entry && entry.specHash !== specHash(spec)) {
      return { ok: false, reason: `${spec.name} was issued in ${description} from an earlier version of its declaration: run sptls issue --renew` };
    }
    const rel = (entry?.files ?? filesFor(spec))[which];
    if (rel === undefined) return { ok: true, value: '' };
    const file = readBoundedFile(join(dir, rel), { kind: 'certificate' });
    return file.ok ? { ok: true, value: file.bytes.toString('utf8') } : { ok: false, reason: `cannot read ${join(description, rel)} (${file.reason}): run sptls issue` };
  };
  const specOf = (name: string): Lookup<IssueSpec> => {
    const spec = specs.get(name);
    return spec ? { ok: true, value: spec } : { ok: false, reason: `sptls does not issue ${name}'s certificate` };
  };
  return {
    description,
    certificate(name) {
      const spec = specOf(name);
      return spec.ok ? read(spec.value, 'certificate') : spec;
    },
    identity(name) {
      const spec = specOf(name);
      if (!spec.ok) return spec;
      const parts = [read(spec.value, 'certificate'), read(spec.value, 'key'), read(spec.value, 'chain')];
      const bad = parts.find((p) => !p.ok);
      if (bad && !bad.ok) return bad;
      const [certPem, keyPem, chainPem] = parts.map((p) => (p.ok ? p.value : ''));
      if (keyPem!.includes('ENCRYPTED')) return { ok: false, reason: `${name}'s private key in ${description} is encrypted` };
      return { ok: true, value: { certPem: certPem!, keyPem: keyPem!, chainPem: chainPem! } };
    },
    dispose: async () => {},
  };
}

/**
 * Keys of a throw-away rehearsal PKI: EC P-256, generated in a millisecond, where the
 * topology may ask for RSA 4096 (seconds). Trust and version verdicts do not depend on the key.
 */
export const rehearsalIssuer: CertificateIssuer = {
  generateKey: () => generateKey({ kind: 'ec', curve: 'P-256' }),
  sign: nodeCertificateIssuer.sign,
};

/** Issues everything the topology declares into a temporary folder, removed by dispose(). */
export async function temporaryPki(analysis: Analysis, options: { now: Date; issuer?: CertificateIssuer; topologyName: string }): Promise<RehearsalPki> {
  const dir = await mkdtemp(join(tmpdir(), 'sptls-simulate-'));
  try {
    const actions = planIssue(issueSpecs(analysis).specs, new Map(), { now: options.now, renew: false, force: false });
    await executePlan(actions, {
      outDir: dir, manifest: emptyManifest(options.topologyName), issuer: options.issuer ?? rehearsalIssuer, now: options.now, force: false,
    });
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const pki = pkiFromDir(dir, analysis, 'a temporary PKI (EC P-256 keys)');
  return { ...pki, dispose: () => rm(dir, { recursive: true, force: true }) };
}
