// "Expires in N days" above every `ca` and every component `certificate` whose end is
// known — read from its `file`, or from the PKI `sptls issue` wrote — and a "Plan
// rotation" beside it. Pure: the issued dates and the instant come from the caller.
import type { CodeLens } from 'vscode-languageserver';
import { COMMANDS, type PlanRotationOptions } from '../../../../protocol/index.ts';
import type { Analysis } from '../../analysis/engine.ts';

const DAY_MS = 86_400_000;

export function expiryLenses(analysis: Analysis, uri: string, issued: ReadonlyMap<string, Date>, now: Date): CodeLens[] {
  const out: CodeLens[] = [];
  for (const e of analysis.model.entities) {
    if (!e.isFirst || (e.kind !== 'ca' && !e.certificate)) continue;
    const fromFile = e.kind === 'ca' ? e.props.has('file') : e.certificate?.mode === 'file';
    const notAfter = fromFile ? analysis.chains.fileCertificate(e)?.notAfter : issued.get(e.name);
    const anchor = e.kind === 'ca' ? e.decl.name! : e.certificate!.property;
    const range = { start: analysis.lines.position(anchor.start), end: analysis.lines.position(e.kind === 'ca' ? anchor.end : anchor.start + 'certificate'.length) };
    const args = [uri, { kind: e.kind === 'ca' ? 'ca' : 'certificate', name: e.name } satisfies PlanRotationOptions];
    if (notAfter) {
      const days = Math.trunc((notAfter.getTime() - now.getTime()) / DAY_MS);
      const title = days < 0 ? `expired ${-days} day${-days === 1 ? '' : 's'} ago` : `expires in ${days} day${days === 1 ? '' : 's'}`;
      out.push({ range, command: { title, command: COMMANDS.planRotation, tooltip: `${notAfter.toISOString().slice(0, 10)} (${fromFile ? 'its file' : 'the issued PKI'}); click to plan the rotation`, arguments: args } });
    }
    out.push({ range, command: { title: 'Plan rotation', command: COMMANDS.planRotation, tooltip: `Phases that replace ${e.name}'s ${e.kind === 'ca' ? 'CA certificate' : 'certificate'} without breaking a connection`, arguments: args } });
  }
  return out;
}
