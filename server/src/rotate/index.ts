// `sptls rotate` as a library: plan the phases, prove each by the rules, lay out the
// per-host steps and scripts, and say where an environment stands. The CLI command and
// the language server both call rotate() / rotationStatus(); rehearseRotation() adds the
// loopback proof.
import { analyze, type Analysis } from '../analysis/engine.ts';
import { decodeCertificates, type CertificateFileResult, type CertificateFiles } from '../analysis/certificate-files.ts';
import { buildCertificate } from '../codec/x509/build.ts';
import { generateKey } from '../codec/x509/keys.ts';
import { certificatePem } from '../codec/x509/pem.ts';
import { issueSpecs } from '../pki/issue/spec.ts';
import { UnsafeText } from '../pki/provision/escape.ts';
import { planRotation, type Phase, type Reanalyze, type RotationPlan, type RotationTarget } from './plan.ts';
import { proofHolds, provePhases, type PhaseProof } from './prove.ts';
import { phaseFiles, type WrittenFile } from './scripts.ts';
import { phaseSteps, type HostSteps } from './steps.ts';

export type { RotationPlan, RotationTarget, Phase, Change, PhaseChanges, Successor } from './plan.ts';
export type { PhaseProof } from './prove.ts';
export type { HostSteps, Command } from './steps.ts';
export type { WrittenFile } from './scripts.ts';
export { planRotation, materialize, PHASE_CHANGES } from './plan.ts';
export { provePhases, proofHolds } from './prove.ts';
export { rehearseRotation, BEFORE_ID, type StateRehearsal } from './rehearse.ts';
export { keyDbEvidence, phaseByHosts, type PhaseEvidence, type IssuedFingerprint } from './evidence.ts';
export { parseScanReport, scanEvidence, combineEvidence, type ScanSightings } from './scan-evidence.ts';

export interface RotateInput {
  text: string;
  /** Certificate files, read relative to the folder the phase files are meant for. */
  files: CertificateFiles;
}

export interface RotateOptions {
  target: RotationTarget;
  now: Date;
  /** The PKI folder, relative to the rotation folder (default `pki`). */
  pkiDir?: string;
}

export interface Rotation {
  plan: RotationPlan;
  proofs: PhaseProof[];
  /** True when every phase keeps every connection trusted before it trusted. */
  proven: boolean;
  steps: Array<{ phase: Phase; hosts: HostSteps[] }>;
  /** Files the certificate files of the phases stand in for, until the host exports them. */
  standIns: string[];
  /** Every file to write into the rotation folder: the phase topologies, scripts, STEPS.txt. */
  files: WrittenFile[];
  reanalyze: Reanalyze;
}

export type RotateResult = { ok: true; rotation: Rotation } | { ok: false; message: string };

export async function rotate(input: RotateInput, options: RotateOptions): Promise<RotateResult> {
  const plain: Reanalyze = (text) => analyze(text, { certificateFiles: input.files, now: options.now });
  const initial = plain(input.text);
  const first = planRotation(initial, options.target, plain);
  if (!first.ok) return first;
  // A renewed self-signed certificate is exported by its host during the rotation; until
  // then the phases are read with a stand-in of the same subject (the host's own comes later).
  const standIns = new Map<string, CertificateFileResult>();
  for (const s of first.plan.successors) {
    if (s.file === undefined || input.files.read(s.file).ok) continue;
    standIns.set(s.file, await standIn(initial, s.old, options.now));
  }
  const files: CertificateFiles = { read: (path) => standIns.get(path) ?? input.files.read(path) };
  const reanalyze: Reanalyze = (text) => analyze(text, { certificateFiles: files, now: options.now });
  const planned = planRotation(reanalyze(input.text), options.target, reanalyze);
  if (!planned.ok) return planned;
  const plan = planned.plan;
  const proofs = provePhases(reanalyze(plan.initial), plan.phases, reanalyze);
  const stepOptions = { pkiDir: options.pkiDir ?? 'pki' };
  let before = reanalyze(plan.initial);
  const steps: Rotation['steps'] = [];
  const written: WrittenFile[] = [];
  for (const phase of plan.phases) {
    const hosts = phaseSteps(before, phase, plan, stepOptions);
    steps.push({ phase, hosts });
    try {
      written.push({ path: `${phase.id}.sptls`, content: phase.text }, ...phaseFiles(phase.id, phase.title, hosts));
    } catch (e) {
      if (e instanceof UnsafeText) return { ok: false, message: `${phase.id}: a script cannot carry a value of the topology: ${e.message}` };
      throw e;
    }
    before = reanalyze(phase.text);
  }
  return { ok: true, rotation: { plan, proofs, proven: proofHolds(proofs), steps, standIns: [...standIns.keys()], files: written, reanalyze } };
}

async function standIn(analysis: Analysis, component: string, now: Date): Promise<CertificateFileResult> {
  const spec = issueSpecs(analysis).specs.find((s) => s.name === component);
  const key = await generateKey({ kind: 'ec', curve: 'P-256' });
  const der = buildCertificate({
    subject: spec?.subject ?? `CN=${component}`, publicKey: key.publicKey, issuer: { selfSigned: key.privateKey },
    notBefore: now, notAfter: new Date(now.getTime() + 825 * 86_400_000), sans: spec?.sans ?? [], isCA: false,
  });
  return decodeCertificates(Buffer.from(certificatePem(der)));
}

export interface RotationStatus {
  target: RotationTarget;
  /** Phases the topology shows done, in order. */
  done: string[];
  /** The first phase with work left, or null when the rotation is complete. */
  current: Phase | null;
  /** Phases after the current one. */
  after: string[];
  /** The current phase and those after it, with what each still has to do. */
  remaining: Phase[];
  /** True when the topology cannot show this kind of phase (a renewal under the same CA). */
  unknowable: boolean;
}

/** Where an environment stands, worked out from its topology alone (no saved progress). */
export function rotationStatus(input: RotateInput, target: RotationTarget, now: Date): { ok: true; status: RotationStatus } | { ok: false; message: string } {
  const reanalyze: Reanalyze = (text) => analyze(text, { certificateFiles: input.files, now });
  const planned = planRotation(reanalyze(input.text), target, reanalyze);
  if (!planned.ok) return planned;
  const phases = planned.plan.phases;
  const i = phases.findIndex((p) => p.pending.length > 0);
  return {
    ok: true,
    status: {
      target,
      done: (i < 0 ? phases : phases.slice(0, i)).map((p) => p.id),
      current: i < 0 ? null : phases[i]!,
      after: i < 0 ? [] : phases.slice(i + 1).map((p) => p.id),
      remaining: i < 0 ? [] : phases.slice(i),
      unknowable: phases.some((p) => p.slug === 'renew'),
    },
  };
}
