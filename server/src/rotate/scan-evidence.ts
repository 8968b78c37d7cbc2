// What a saved `sptls scan --format json` shows of a rotation (`sptls rotate --status
// --scan FILE`): a scan sees only the certificate each responder presents, so it judges
// the changes that alter what a host presents — a reissue under the new CA, a switch to a
// renewed self-signed certificate — and leaves trust lists to the key databases. The
// report is outside input: its shape is checked and every value bounded before use.
import type { CertificateFiles } from '../analysis/certificate-files.ts';
import type { Change, Phase } from './plan.ts';
import { declaredEvidence, type Evidence, type EvidenceState, type IssuedFingerprint, type PhaseEvidence } from './evidence.ts';

/** Far above any fleet sptls scans (the scale benchmark is 500 endpoints). */
const MAX_ENDPOINTS = 100_000;
const MAX_NAME = 256;
const FINGERPRINT = /^[0-9A-Fa-f]{2}(:?[0-9A-Fa-f]{2}){31}$/;

/** Per responder, the SHA-256 fingerprint each of its endpoints presented (null: it presented none). */
export type ScanSightings = ReadonlyMap<string, ReadonlyArray<string | null>>;

export type ScanReportResult = { ok: true; sightings: ScanSightings } | { ok: false; message: string };

const norm = (fp: string) => fp.replace(/:/g, '').toLowerCase();

/** Reads the JSON `sptls scan --format json` writes (schema sptls.scan/1). */
export function parseScanReport(text: string): ScanReportResult {
  let doc: unknown;
  try { doc = JSON.parse(text); } catch { return { ok: false, message: 'not JSON (write it with sptls scan --format json)' }; }
  if (typeof doc !== 'object' || doc === null || (doc as { schema?: unknown }).schema !== 'sptls.scan/1') return { ok: false, message: "not a scan report: its schema is not 'sptls.scan/1'" };
  const endpoints = (doc as { endpoints?: unknown }).endpoints;
  if (!Array.isArray(endpoints)) return { ok: false, message: 'the scan report has no endpoints list' };
  if (endpoints.length > MAX_ENDPOINTS) return { ok: false, message: `the scan report has ${endpoints.length} endpoints, over the limit of ${MAX_ENDPOINTS}` };
  const sightings = new Map<string, Array<string | null>>();
  for (const [i, e] of endpoints.entries()) {
    const responder = (e as { responder?: unknown } | null)?.responder;
    if (typeof responder !== 'string' || responder.length === 0 || responder.length > MAX_NAME) return { ok: false, message: `endpoint ${i + 1} of the scan report has no valid responder name` };
    const leaf = (e as { leaf?: unknown }).leaf;
    let fp: string | null = null;
    if (leaf !== undefined) {
      const f = (leaf as { fingerprintSha256?: unknown } | null)?.fingerprintSha256;
      if (typeof f !== 'string' || !FINGERPRINT.test(f)) return { ok: false, message: `endpoint ${i + 1} of the scan report has no valid SHA-256 fingerprint` };
      fp = norm(f);
    }
    let seen = sightings.get(responder);
    if (!seen) sightings.set(responder, seen = []);
    seen.push(fp);
  }
  return { ok: true, sightings };
}

/**
 * For each change left, whether the hosts the scan reached already present it. A responder
 * with several endpoints has switched only when every one of them presents the new certificate.
 */
export function scanEvidence(phases: readonly Phase[], sightings: ScanSightings, issued: ReadonlyMap<string, IssuedFingerprint>, files: CertificateFiles): PhaseEvidence[] {
  const presents = (c: Change, component: string, want: string | undefined, what: string): Evidence => {
    const seen = sightings.get(component);
    if (!seen || seen.every((s) => s === null)) return { change: c, state: 'not-collected', why: `the scan saw no certificate from ${component}` };
    if (want === undefined) return { change: c, state: 'not-done', why: `${what} is not known yet, so ${component} cannot present it` };
    const off = seen.filter((s) => s !== norm(want)).length;
    return off === 0 ? { change: c, state: 'done', why: `${component} presents ${what}` }
      : { change: c, state: 'not-done', why: `${component} does not present ${what} yet${seen.length > 1 ? ` on ${off} of its ${seen.length} endpoints` : ''}` };
  };
  const judge = (c: Change): Evidence => {
    switch (c.type) {
      case 'reissue': {
        const mine = issued.get(c.component);
        const issuer = issued.get(c.issuer)?.fingerprint;
        const under = mine && issuer && mine.issuerFingerprint !== null && norm(mine.issuerFingerprint) === norm(issuer);
        return presents(c, c.component, under ? mine.fingerprint : undefined, `its certificate under ${c.issuer}`);
      }
      case 'switch': {
        const file = files.read(c.file);
        return presents(c, c.component, file.ok ? file.certificates[0]?.fingerprint256 : undefined, `${c.label} (${c.file})`);
      }
      case 'declare-ca': return declaredEvidence(c, issued);
      default: return { change: c, state: 'unknown', why: 'a scan does not show this change' };
    }
  };
  return phases.map((p) => ({ id: p.id, evidence: p.pending.map(judge) }));
}

/** Which state wins when key databases and a scan both speak: anything not done holds the change back. */
const RANK: Record<EvidenceState, number> = { 'not-done': 3, done: 2, 'not-collected': 1, unknown: 0 };

/** Key-database and scan evidence of the same phases, change by change. */
export function combineEvidence(a: readonly PhaseEvidence[], b: readonly PhaseEvidence[]): PhaseEvidence[] {
  return a.map((p, i) => ({ id: p.id, evidence: p.evidence.map((e, j) => { const o = b[i]!.evidence[j]!; return RANK[o.state] > RANK[e.state] ? o : e; }) }));
}
