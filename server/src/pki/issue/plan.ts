// The PLAN step of `sptls issue`: from what the topology asks (IssueSpec) and what the output
// directory already holds, decide per certificate: create, keep, renew or skip, and why.
// Pure: the caller reads the directory; nothing here touches files or keys.
import type { KeyDescription } from '../../codec/x509/keys.ts';
import type { ManifestEntry } from './layout.ts';
import { describeKeySpec, specHash, type IssueSpec } from './spec.ts';

export type ActionKind = 'create' | 'keep' | 'renew' | 'skip';

export interface PlannedAction {
  spec: IssueSpec;
  action: ActionKind;
  reason: string;
  /** create/renew: generate a new key pair (else the existing key is re-used). */
  newKey: boolean;
  /** A skip that is a problem (not a deselection): the run cannot do what the topology asks. */
  blocked?: boolean;
  /** A keep that deserves attention: the spec changed or the certificate expires soon. */
  stale?: boolean;
}

/** What the output directory holds for one name. */
export interface ExistingEntry {
  manifest?: ManifestEntry;
  keyExists: boolean;
  /** The key, read from the key file (or from the certificate when the key is encrypted). */
  key?: KeyDescription;
  certificate?: { notAfter: Date; fingerprintSha256: string };
}

export interface PlanOptions {
  now: Date;
  renew: boolean;
  force: boolean;
  /** Names given with --only; issuers they need that do not exist yet are added. */
  only?: ReadonlySet<string>;
  renewWithinDays?: number;
}

const DAY_MS = 86_400_000;

export function planIssue(specs: IssueSpec[], existing: ReadonlyMap<string, ExistingEntry>, options: PlanOptions): PlannedAction[] {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const selected = selection(specs, byName, existing, options.only);
  const decided = new Map<string, PlannedAction>();
  const out: PlannedAction[] = [];
  for (const spec of specs) {
    const action = decide(spec, existing.get(spec.name) ?? { keyExists: false }, selected.get(spec.name), decided, existing, options);
    decided.set(spec.name, action);
    out.push(action);
  }
  return out;
}

/** Selected names with why (undefined reason = selected by the user or by default). */
function selection(specs: IssueSpec[], byName: Map<string, IssueSpec>, existing: ReadonlyMap<string, ExistingEntry>, only: ReadonlySet<string> | undefined): Map<string, string | null> {
  const out = new Map<string, string | null>();
  if (!only) { for (const s of specs) out.set(s.name, null); return out; }
  for (const name of only) if (byName.has(name)) out.set(name, null);
  // Issuers that are not there yet must be created to sign what was selected.
  for (const s of [...specs].reverse()) {
    if (!out.has(s.name) || !s.issuer) continue;
    const issuer = s.issuer;
    if (!out.has(issuer) && !existing.get(issuer)?.manifest) out.set(issuer, `needed to sign ${s.name}`);
  }
  return out;
}

function decide(
  spec: IssueSpec, have: ExistingEntry, selectedBecause: string | null | undefined,
  decided: Map<string, PlannedAction>, existing: ReadonlyMap<string, ExistingEntry>, options: PlanOptions,
): PlannedAction {
  const act = (action: ActionKind, reason: string, extra: Partial<PlannedAction> = {}): PlannedAction =>
    ({ spec, action, reason, newKey: false, ...extra });
  const issuerAction = spec.issuer ? decided.get(spec.issuer) : undefined;
  const issuerReissued = issuerAction?.action === 'create' || issuerAction?.action === 'renew';

  if (selectedBecause === undefined) {
    return act('skip', issuerReissued && have.manifest
      ? `not selected by --only, but its issuer ${spec.issuer} is re-issued: run again with --only ${spec.name}`
      : 'not selected by --only', issuerReissued && have.manifest ? { stale: true } : {});
  }
  if (issuerAction && issuerAction.action === 'skip' && !existing.get(spec.issuer!)?.manifest) {
    return act('skip', `its issuer ${spec.issuer} is not issued (${issuerAction.reason})`, { blocked: true });
  }
  const why = selectedBecause ? ` (${selectedBecause})` : '';
  const m = have.manifest;
  const wanted = describeKeySpec(spec.key);
  const keyFits = have.key === undefined || keyMatches(have.key, spec);

  if (!have.keyExists) {
    if (!m && !have.certificate) return act('create', `new${why}`, { newKey: true });
    return act('create', `its key file is missing: issuing a new key and certificate${why}`, { newKey: true });
  }
  if (options.force) {
    return act(m ? 'renew' : 'create', `--force: new key and certificate (the old key is kept as a dated backup)${why}`, { newKey: true });
  }
  if (!m) {
    if (!keyFits) return act('skip', `a key file exists (${describeKey(have.key!)}) that the manifest does not record and the spec asks for ${wanted}: not overwriting it (use --force to replace it, with a backup)`, { blocked: true });
    if (have.key === undefined) return act('skip', 'a key file exists that the manifest does not record and that cannot be read (encrypted? pass --ca-passphrase-env)', { blocked: true });
    return act('create', `a key file exists that the manifest does not record (an interrupted run?): issuing its certificate with that key${why}`);
  }
  if (!have.certificate) return act('renew', `its certificate file is missing: re-issuing it with the existing key${why}`);
  if (issuerReissued) return act('renew', `its issuer ${spec.issuer} is re-issued: re-signing with the existing key${why}`);
  if (spec.issuer && m.issuerFingerprint !== (existing.get(spec.issuer)?.certificate?.fingerprintSha256 ?? m.issuerFingerprint)) {
    return act('renew', `its issuer ${spec.issuer} was re-issued since: re-signing with the existing key${why}`);
  }
  const changes = specChanges(m.spec, spec);
  if (specHash(spec) !== m.specHash && changes.length > 0) {
    if (!options.renew) return act('keep', `the spec changed since it was issued (${changes.join('; ')}): run with --renew to re-issue`, { stale: true });
    if (!keyFits) return act('skip', `the key changed (${changes.find((c) => c.startsWith('key')) ?? wanted}): that needs a new key; run with --renew --force (the old key is kept as a backup)`, { blocked: true });
    return act('renew', `the spec changed (${changes.join('; ')}): re-issuing with the existing key${why}`);
  }
  const days = Math.floor((have.certificate.notAfter.getTime() - options.now.getTime()) / DAY_MS);
  if (days < (options.renewWithinDays ?? 30)) {
    const when = days < 0 ? `expired ${-days} day(s) ago` : `expires in ${days} day(s)`;
    if (!options.renew) return act('keep', `${when}: run with --renew to re-issue`, { stale: true });
    return act('renew', `${when}: re-issuing with the existing key${why}`);
  }
  return act('keep', `up to date (valid until ${have.certificate.notAfter.toISOString().slice(0, 10)})`);
}

function keyMatches(k: KeyDescription, spec: IssueSpec): boolean {
  return spec.key.kind === 'rsa' ? k.type === 'rsa' && k.bits === spec.key.bits : k.type === 'ec' && k.curve === spec.key.curve;
}

function describeKey(k: KeyDescription): string {
  return k.type === 'ec' ? `EC ${k.curve ?? '?'}` : `${k.type.toUpperCase()} ${k.bits ?? '?'}`;
}

/** Human-readable differences between the spec a certificate was issued from and the current one. */
export function specChanges(before: IssueSpec, after: IssueSpec): string[] {
  const out: string[] = [];
  const sans = (s: IssueSpec) => s.sans.map((n) => n.value).join(', ') || 'none';
  const validity = (s: IssueSpec) => `${s.validity.amount} ${s.validity.unit}`;
  if (describeKeySpec(before.key) !== describeKeySpec(after.key)) out.push(`key ${describeKeySpec(before.key)} → ${describeKeySpec(after.key)}`);
  if (validity(before) !== validity(after)) out.push(`valid ${validity(before)} → ${validity(after)}`);
  if (before.subject !== after.subject) out.push(`subject "${before.subject}" → "${after.subject}"`);
  if (sans(before) !== sans(after)) out.push(`san ${sans(before)} → ${sans(after)}`);
  if (before.issuer !== after.issuer) out.push(`issuer ${before.issuer ?? 'self'} → ${after.issuer ?? 'self'}`);
  const pathLen = (s: IssueSpec) => (s.pathLen === undefined ? 'unlimited' : String(s.pathLen));
  if (pathLen(before) !== pathLen(after)) out.push(`path length ${pathLen(before)} → ${pathLen(after)}`);
  if ((before.label ?? '') !== (after.label ?? '')) out.push(`label "${before.label ?? ''}" → "${after.label ?? ''}"`);
  if (before.kind !== after.kind) out.push(`kind ${before.kind} → ${after.kind}`);
  return out;
}
