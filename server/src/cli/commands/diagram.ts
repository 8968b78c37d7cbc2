// `sptls diagram FILE --format svg|dot|mermaid [--out F] [--expand GROUP…] [--no-chains]`:
// the topology diagram of one file (docs/diagram.md).
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { analyze } from '../../analysis/engine.ts';
import { DEFAULT_COLLAPSE_AT, DIAGRAM_FORMATS, renderDiagram, type DiagramFormat } from '../../diagram/index.ts';
import { nodeFileSink, type FileSink } from '../../pki/fs/file-sink.ts';
import { DiskCertificateFiles } from '../../workspace/disk-certificates.ts';
import { EXIT_OK, EXIT_USAGE, flag, parseArgs, UsageError, type CliIO, type Command } from '../io.ts';
import { readTopologyFile } from '../topology-input.ts';
import { parseNow } from './check.ts';

const help = `Usage: sptls diagram FILE [--format svg|dot|mermaid] [--out F] [--expand GROUP…]
                     [--no-chains] [--collapse N] [--now ISO-DATE]

Draws the topology of a .sptls file: components by kind, connections from initiator to
responder coloured by verdict (trusted, untrusted, not supported, plain, not resolved) —
the full verdict: an expired or mis-issued certificate is not trusted, whatever the trust
lists say — and the certificate chains (component → issuing CA) as a separate layer.
Node outlines show a component's own errors and warnings; the legend says which is which.
A file with syntax errors is drawn as far as it parsed, under a banner.

Options:
  --format svg|dot|mermaid  svg (default): laid out with ELK, ready to open;
                            dot: Graphviz text (render with 'dot -Tsvg');
                            mermaid: a Mermaid flowchart
  --out F                   write to F (atomically: temp file, then rename) instead of stdout
  --expand GROUP            draw a collapsed group of clients client by client; GROUP is the
                            group id (group:NODE001) or any member's name; repeat the option
                            or separate names with commas
  --collapse N              collapse clients with the same connections and trust list from
                            N on (default ${DEFAULT_COLLAPSE_AT}; 0 never collapses)
  --no-chains               leave out the certificate chain layer
  --now ISO-DATE            evaluate certificate validity at this instant

Exit status: 0 diagram written (whatever it shows), 2 usage or I/O error.
`;

/** Replaces `path` with `text` atomically: readers see the old file or the new one, never half. */
export async function writeAtomically(path: string, text: string, sink: FileSink = nodeFileSink): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await sink.writeNew(temp, Buffer.from(text, 'utf8'), 0o644);
    await sink.rename(temp, path);
  } catch (e) {
    await sink.remove(temp).catch(() => undefined);
    throw e;
  }
  await sink.syncDir(dirname(path));
}

export const diagramCommand: Command = {
  help,
  async run(args: string[], io: CliIO): Promise<number> {
    const parsed = parseArgs(args, { 'format': 'string', 'out': 'string', 'expand': 'multi', 'no-chains': 'boolean', 'collapse': 'string', 'now': 'string' });
    const format = (flag(parsed, 'format') ?? 'svg') as DiagramFormat;
    if (!DIAGRAM_FORMATS.includes(format)) throw new UsageError(`--format must be ${DIAGRAM_FORMATS.join(', ')}, not '${format}'`);
    if (parsed.positional.length !== 1) throw new UsageError('name exactly one .sptls file');
    const collapseText = flag(parsed, 'collapse');
    const collapseAt = collapseText === undefined ? DEFAULT_COLLAPSE_AT : Number(collapseText);
    if (!Number.isInteger(collapseAt) || collapseAt < 0) throw new UsageError(`--collapse takes a whole number (0 never collapses), not '${collapseText}'`);
    const expand = (parsed.flags.get('expand') ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    const now = parseNow(flag(parsed, 'now'));

    const input = readTopologyFile(parsed.positional[0]!, io, 'diagram');
    if (!input) return EXIT_USAGE;
    const analysis = analyze(input.text, { certificateFiles: new DiskCertificateFiles(dirname(input.path)), now: now ?? new Date() });
    const rendered = await renderDiagram(analysis, { format, collapseAt, expand, chains: !parsed.flags.has('no-chains') });

    const groups = rendered.model.groups;
    const unknown = expand.filter((x) => !groups.some((g) => g.id === x || g.members.includes(x)));
    if (unknown.length) {
      const known = groups.length ? `groups: ${groups.map((g) => `${g.id} (${g.members.length} clients)`).join(', ')}` : 'this file has no group of clients to collapse';
      throw new UsageError(`--expand ${unknown.join(', ')}: no such group or group member; ${known}`);
    }

    const out = flag(parsed, 'out');
    if (out === undefined) io.out(rendered.text);
    else {
      try {
        await writeAtomically(resolve(io.cwd, out), rendered.text);
      } catch (e) {
        io.err(`sptls diagram: ${out}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
        return EXIT_USAGE;
      }
      const m = rendered.model;
      const collapsed = groups.filter((g) => g.collapsed);
      io.err(`${out}: ${m.nodes.length} nodes, ${m.connections.length} connection edges, ${m.chains.length} chain edges`
        + `${collapsed.length ? `; ${collapsed.length} client group(s) collapsed (${collapsed.map((g) => g.id).join(', ')})` : ''}`
        + `${m.syntaxErrors.length ? `; ${m.syntaxErrors.length} syntax error(s), drawn as far as parsed` : ''}\n`);
    }
    return EXIT_OK;
  },
};
