// `sptls issue` from topology text to files: analyze, refuse on errors that affect the PKI,
// plan against the output directory, and (unless a dry run) execute. The CLI command and the
// VS Code command both call this and print `formatPlan`.
import { relative } from 'node:path';
import { analyzeTopology, defaultPkiDir } from '../../workspace/topology.ts';
import type { FileSink } from '../fs/file-sink.ts';
import { executePlan, type ExecuteResult } from './execute.ts';
import { nodeCertificateIssuer, type CertificateIssuer } from './issuer.ts';
import { issueStart, lifetimeOf } from './lifetime.ts';
import { planIssue, type ExistingEntry, type PlannedAction } from './plan.ts';
import { describeKeySpec, issueSpecs, pkiBlockingDiagnostics, type IssueSpec } from './spec.ts';
import { readExisting } from './store.ts';

export interface IssueRequest {
  /** Absolute path of the .sptls file; `file` certificates are read relative to its folder. */
  topologyPath: string;
  text: string;
  /** Default: `pki/` beside the topology file. */
  outDir?: string;
  only?: string[];
  dryRun?: boolean;
  renew?: boolean;
  force?: boolean;
  caPassphrase?: string;
  now?: Date;
  issuer?: CertificateIssuer;
  sink?: FileSink;
}

export type IssueOutcome =
  /** Nothing was written: each line is `path:line:col: message` or a plain message. */
  | { kind: 'refused'; problems: string[] }
  /** `notes`: the lifetimes the run would cut at their issuer's end. */
  | { kind: 'planned'; outDir: string; actions: PlannedAction[]; notIssued: Array<{ name: string; reason: string }>; notes: string[] }
  | { kind: 'done'; outDir: string; actions: PlannedAction[]; notIssued: Array<{ name: string; reason: string }>; result: ExecuteResult };

export async function runIssue(req: IssueRequest): Promise<IssueOutcome> {
  const now = req.now ?? new Date();
  const analysis = analyzeTopology(req.topologyPath, req.text, now);
  const at = (start: number) => { const p = analysis.lines.position(start); return `${req.topologyPath}:${p.line + 1}:${p.character + 1}`; };
  const blocking = pkiBlockingDiagnostics(analysis).map((d) => `${at(d.start)}: ${d.code}: ${d.message}`);
  const { specs, problems, notIssued } = issueSpecs(analysis);
  const refused = [...blocking, ...problems.map((p) => `${at(p.start)}: ${p.message}`)];
  const known = new Set(specs.map((s) => s.name));
  for (const name of req.only ?? []) {
    if (!known.has(name)) refused.push(`--only ${name}: no CA or issued certificate of that name in ${req.topologyPath} (issued here: ${[...known].join(', ') || 'none'})`);
  }
  if (refused.length > 0) return { kind: 'refused', problems: refused };

  const outDir = req.outDir ?? defaultPkiDir(req.topologyPath);
  const existing = readExisting(outDir, relative(outDir, req.topologyPath), specs, req.caPassphrase);
  if (!existing.ok) return { kind: 'refused', problems: [existing.message] };
  const actions = planIssue(specs, existing.entries, {
    now, renew: req.renew ?? false, force: req.force ?? false, ...(req.only?.length ? { only: new Set(req.only) } : {}),
  });
  if (req.dryRun) return { kind: 'planned', outDir, actions, notIssued, notes: plannedLifetimeNotes(actions, existing.entries, now) };
  const result = await executePlan(actions, {
    outDir, manifest: existing.manifest, issuer: req.issuer ?? nodeCertificateIssuer, now, force: req.force ?? false,
    ...(req.caPassphrase !== undefined ? { caPassphrase: req.caPassphrase } : {}), ...(req.sink ? { sink: req.sink } : {}),
  });
  return { kind: 'done', outDir, actions, notIssued, result };
}

/** What a run at `now` would cut: issuers in this run end as planned, the others as issued. */
function plannedLifetimeNotes(actions: PlannedAction[], existing: ReadonlyMap<string, ExistingEntry>, now: Date): string[] {
  const notBefore = issueStart(now);
  const ends = new Map<string, Date | undefined>();
  const notes: string[] = [];
  for (const a of actions) {
    const issued = a.action === 'create' || a.action === 'renew';
    if (!issued) { ends.set(a.spec.name, existing.get(a.spec.name)?.certificate?.notAfter); continue; }
    const { notAfter, note } = lifetimeOf(a.spec, notBefore, a.spec.issuer ? ends.get(a.spec.issuer) : undefined);
    ends.set(a.spec.name, notAfter);
    if (note) notes.push(note);
  }
  return notes;
}

/** One line per certificate: action, name, what it is, why. */
export function formatPlan(actions: PlannedAction[], notIssued: Array<{ name: string; reason: string }>, dryRun: boolean): string {
  const width = Math.max(4, ...actions.map((a) => a.spec.name.length), ...notIssued.map((n) => n.name.length));
  const verb = (a: PlannedAction) => (dryRun && a.action !== 'keep' && a.action !== 'skip' ? `would ${a.action}` : a.action).padEnd(dryRun ? 12 : 6);
  const lines = actions.map((a) => `${verb(a)}  ${a.spec.name.padEnd(width)}  ${what(a.spec)}: ${a.reason}`);
  for (const n of notIssued) lines.push(`${'not issued'.padEnd(dryRun ? 12 : 6)}  ${n.name.padEnd(width)}  ${n.reason}`);
  return lines.join('\n') + '\n';
}

function what(spec: IssueSpec): string {
  const validity = `${spec.validity.amount} ${spec.validity.unit}`;
  if (spec.role === 'ca') return `${spec.issuer ? `intermediate CA under ${spec.issuer}` : 'root CA'}, ${describeKeySpec(spec.key)}, ${validity}`;
  const by = spec.issuer ? `signed by ${spec.issuer}` : 'self-signed';
  const sans = spec.sans.length ? `, SAN ${spec.sans.map((s) => s.value).join(' ')}` : '';
  return `${spec.kind} ${by}, ${describeKeySpec(spec.key)}, ${validity}${sans}`;
}

/** `note:` lines for lifetimes cut at the issuer's end, and the warning about CA keys in clear. */
export function resultNotes(result: ExecuteResult): string[] {
  const lines = result.notes.map((n) => `note: ${n}`);
  if (result.unencryptedCaKeys.length) {
    lines.push(`warning: CA private key(s) written without a passphrase (${result.unencryptedCaKeys.join(', ')}): --ca-passphrase-env VAR encrypts them`);
  }
  return lines;
}

export function summarize(actions: PlannedAction[]): string {
  const count = (k: PlannedAction['action']) => actions.filter((a) => a.action === k).length;
  const stale = actions.filter((a) => a.stale).map((a) => a.spec.name);
  const attention = stale.length ? ` (${stale.join(', ')}: spec changed, expiring or issuer re-issued; see above)` : '';
  return `${count('create')} created, ${count('renew')} renewed, ${count('keep')} kept${attention}, ${count('skip')} skipped`;
}
