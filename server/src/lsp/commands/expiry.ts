// `sptls.expiry [uri, { within?, format?, keydbs?, now? }]` ("List certificate expiry"): the
// certificates a saved topology knows, soonest end first, as `sptls expiry FILE` prints them.
import { fileURLToPath } from 'node:url';
import type { CommandResult, ExpiryOptions } from '../../../../protocol/index.ts';
import { renderExpiry, topologyExpiry, type ExpiryFormat } from '../../rotate/expiry-run.ts';
import { ArgumentError, optionsArgument, refusal, uriArgument, type CommandContext, type ServerCommand } from './registry.ts';
import { savedTopology } from './topology.ts';

const NOT_LISTED = 'expiry not listed';
const FORMATS: readonly unknown[] = ['text', 'json', 'ics'];

export const expiryCommand: ServerCommand = {
  async run(args: unknown[], ctx: CommandContext): Promise<CommandResult> {
    const uri = uriArgument(args);
    const { within, format = 'text', keydbs, now: nowText }: { [K in keyof ExpiryOptions]?: unknown } = optionsArgument(args);
    if (within !== undefined && (typeof within !== 'number' || !Number.isInteger(within) || within < 0)) throw new ArgumentError('the option within must be a whole number of days');
    if (!FORMATS.includes(format)) throw new ArgumentError('the option format must be text, json or ics');
    if (keydbs !== undefined && (typeof keydbs !== 'string' || !keydbs.startsWith('file:'))) throw new ArgumentError('the option keydbs must be a file: URI');
    const now = nowText === undefined ? new Date() : new Date(String(nowText));
    if (Number.isNaN(now.getTime())) throw new ArgumentError('the option now must be an ISO date');
    const topology = await savedTopology(uri, ctx.documents);
    if (typeof topology === 'string') return refusal(NOT_LISTED, [topology]);
    ctx.progress(keydbs === undefined ? 'reading the issued PKI' : 'reading the issued PKI and the collected key databases');
    const r = await topologyExpiry(topology.path, topology.text, {
      now, topologyArg: topology.path,
      ...(keydbs !== undefined ? { keydbs: fileURLToPath(keydbs) } : {}),
      ...(within !== undefined ? { withinDays: within } : {}),
    });
    if (!r.ok) return refusal(NOT_LISTED, [r.message]);
    const text = renderExpiry(r.entries, format as ExpiryFormat, { now, ...(within !== undefined ? { withinDays: within } : {}) });
    const first = r.entries[0];
    const summary = first ? `${r.entries.length} certificate(s); the first to end: ${first.name} on ${first.notAfter.toISOString().slice(0, 10)}` : text.trim();
    return { ok: true, summary, text, written: [] };
  },
};
