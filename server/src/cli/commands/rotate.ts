// `sptls rotate FILE --ca NAME | --certificate COMPONENT`: args -> rotate engine -> render.
import { basename, dirname, join, resolve } from 'node:path';
import { nodeHandshakeProber, type HandshakeProber } from '../../handshake/index.ts';
import { existsSync, statSync } from 'node:fs';
import { analyze } from '../../analysis/engine.ts';
import { DiskKeyDbSource } from '../../pki/audit/disk-source.ts';
import { MANIFEST_FILE, parseManifest } from '../../pki/issue/layout.ts';
import { combineEvidence, keyDbEvidence, parseScanReport, phaseByHosts, scanEvidence, rehearseRotation, rotationStatus, type IssuedFingerprint, type PhaseEvidence, type RotationTarget } from '../../rotate/index.ts';
import { planRotationFolder } from '../../rotate/write.ts';
import { renderEvidenceText, renderRehearsalText, renderRotationText, renderStatusText, rotationJson } from '../../rotate/render.ts';
import { jsseClient, JavaUnavailableError, type JavaClient } from '../../simulate/java/jsse-client.ts';
import { DiskCertificateFiles } from '../../workspace/disk-certificates.ts';
import { readBoundedFile } from '../../workspace/bounded-read.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, flag, parseArgs, timeoutFlag, UsageError, type CliIO, type Command } from '../io.ts';
import { readTopologyFile } from '../topology-input.ts';
import { parseNow } from './check.ts';

const help = `Usage: sptls rotate FILE (--ca NAME | --certificate COMPONENT) [--out DIR] [--force]
                    [--rehearse [--java] [--timeout MS]] [--format text|json] [--now ISO-DATE]
       sptls rotate FILE (--ca NAME | --certificate COMPONENT) --status [--keydbs DIR] [--scan REPORT]
                    [--pki DIR]

Plans a certificate rotation as phases so that no connection breaks on the way:

  phase-1-trust-new  every component that trusts the old anchor gets the new one beside
                     it (a new CA is declared and issued; a renewed self-signed
                     certificate is created on its host and its .arm distributed)
  phase-2-reissue    every certificate under the old CA is issued under the new one
  (or -switch)       (a self-signed renewal: the component presents the new certificate)
  phase-3-drop-old   the old anchor leaves every key database and the topology

--ca NAME rotates a CA (sptls issues it) and every CA under it: a new key under the
same subject, named NAME-2 (NAME-3 when that is taken). --certificate COMPONENT renews
a component's certificate: a self-signed one (server, storage agent) in the three
phases above; one signed by a CA in one phase (renew), since nobody's trust changes.

Each phase is written to DIR as a whole topology, phase-N-SLUG.sptls, and a folder
phase-N-SLUG/ with STEPS.txt (the order), sptls.sh (the workstation: sptls issue /
keydb, and copying each host's files into its folder) and HOST/run.sh per host
(gsk8capicmd_64, dsmcert, keytool, or the server commands CREATE CERTIFICATE /
SET DEFAULTTLSCERT from server level 8.1.19; the process to restart). Scripts take the
tools from GSK, DSMCERT, KEYTOOL, DSMADMC, SPTLS (default: on PATH), the administrator
from SPTLS_ADMIN_ID / SPTLS_ADMIN_PASSWORD and a Java truststore's password from
SPTLS_STOREPASS. The PKI folder is pki/ beside FILE.

Every phase is proven before anything is written: 'sptls check' of each phase state
must judge trusted every connection it judged trusted before, add no error, and each
phase changes one kind of thing only (trust added / certificates / trust removed), so a
half-done phase is safe too.

Options
  --out DIR       the rotation folder (default: rotate-NAME/ beside FILE); refused when
                  it holds files, unless --force
  --rehearse      also rehearse the state before and after every phase on 127.0.0.1 with
                  real TLS (simulate's rehearsal; one throw-away PKI with the old and the
                  new CAs and certificates); fails when a connection that worked before
                  breaks in any phase. Writes nothing.
  --java          with --rehearse: the Operations Center and reporting agent connections
                  also from Java (JSSE), as 'sptls simulate --java'
  --status        which phase the environment is in, worked out from FILE itself (a
                  finished phase leaves its mark in the topology), and what is left
  --keydbs DIR    with --status: also what the key databases collected from the hosts
                  show (DIR/<Name>/cert.kdb and the like, as 'sptls check --keydbs'):
                  for each change left, whether its host already holds it, compared by
                  fingerprint with the PKI (--pki DIR, default pki/ beside FILE)
  --scan REPORT   with --status: also what the hosts present live, from the JSON
                  'sptls scan FILE --format json' wrote: a reissued certificate is done
                  when every endpoint of its host presents the one issued under the new
                  CA (by fingerprint with the PKI), a self-signed switch when it presents
                  the renewed certificate file; a scan does not show trust lists. With
                  --keydbs too, a change is done only when neither says it is not done
  --format        text (default) or json
  --now ISO-DATE  the instant for the rules and the rehearsal's certificates
  --timeout MS    with --rehearse: limit for each handshake phase (default 5000)

Exit status: 0 the plan is proven (and rehearsed), 1 a phase would break a connection,
2 usage or I/O error.

Examples
  sptls rotate production.sptls --ca CorpIssuing
  sptls rotate production.sptls --ca CorpRoot --rehearse --java
  sptls rotate production.sptls --ca CorpRoot --status
`;

const OPTIONS = {
  ca: 'string', certificate: 'string', out: 'string', force: 'boolean', rehearse: 'boolean', java: 'boolean',
  status: 'boolean', keydbs: 'string', scan: 'string', pki: 'string', format: 'string', now: 'string', timeout: 'string',
} as const;

/** Fingerprints of what `sptls issue` wrote into `dir` (none when it has no manifest). */
function issuedFingerprints(dir: string): Map<string, IssuedFingerprint> {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return new Map();
  const file = readBoundedFile(path, { kind: 'manifest' });
  if (!file.ok) throw new UsageError(`${path}: ${file.reason}`);
  const m = parseManifest(file.bytes.toString('utf8'));
  if (!m.ok) throw new UsageError(`${path}: ${m.message}`);
  return new Map(Object.entries(m.manifest.entries).map(([name, e]) => [name, { fingerprint: e.fingerprintSha256, issuerFingerprint: e.issuerFingerprint }]));
}

export function makeRotateCommand(prober: HandshakeProber): Command {
  return {
    help,
    async run(argv: string[], io: CliIO): Promise<number> {
      const args = parseArgs(argv, OPTIONS);
      if (args.positional.length !== 1) throw new UsageError(`one topology FILE expected, got ${args.positional.length}`);
      const ca = flag(args, 'ca');
      const cert = flag(args, 'certificate');
      if ((ca === undefined) === (cert === undefined)) throw new UsageError('give one of --ca NAME or --certificate COMPONENT');
      const target: RotationTarget = ca !== undefined ? { kind: 'ca', name: ca } : { kind: 'certificate', name: cert! };
      const format = flag(args, 'format') ?? 'text';
      if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
      const now = parseNow(flag(args, 'now')) ?? new Date();
      const input = readTopologyFile(args.positional[0]!, io, 'rotate');
      if (!input) return EXIT_USAGE;
      const topologyDir = dirname(input.path);

      if (args.flags.has('status')) {
        const r = rotationStatus({ text: input.text, files: new DiskCertificateFiles(topologyDir) }, target, now);
        if (!r.ok) { io.err(`sptls rotate: ${r.message}\n`); return EXIT_FINDINGS; }
        const keydbs = flag(args, 'keydbs');
        const scan = flag(args, 'scan');
        const files = new DiskCertificateFiles(topologyDir);
        const issued = () => issuedFingerprints(resolve(io.cwd, flag(args, 'pki') ?? join(topologyDir, 'pki')));
        let evidence: PhaseEvidence[] | undefined;
        if (keydbs !== undefined) {
          const dir = resolve(io.cwd, keydbs);
          if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--keydbs ${keydbs}: no such directory`);
          const analysis = analyze(input.text, { certificateFiles: files, now });
          evidence = await keyDbEvidence(analysis, r.status.remaining, new DiskKeyDbSource(dir), issued());
        }
        if (scan !== undefined) {
          const read = readBoundedFile(resolve(io.cwd, scan), { kind: 'scan-report' });
          if (!read.ok) throw new UsageError(`--scan ${scan}: ${read.reason}`);
          const report = parseScanReport(read.bytes.toString('utf8'));
          if (!report.ok) throw new UsageError(`--scan ${scan}: ${report.message}`);
          const seen = scanEvidence(r.status.remaining, report.sightings, issued(), files);
          evidence = evidence ? combineEvidence(evidence, seen) : seen;
        }
        const sources = [keydbs !== undefined ? 'key databases' : '', scan !== undefined ? 'scan' : ''].filter(Boolean).join(' and ');
        if (format === 'json') {
          io.out(`${JSON.stringify({
            schema: 'sptls.rotate-status/1', target, done: r.status.done, current: r.status.current && { id: r.status.current.id, pending: r.status.current.pending },
            after: r.status.after, unknowable: r.status.unknowable, ...(evidence ? { [scan !== undefined ? 'hosts' : 'keydbs']: evidence, phaseByHosts: phaseByHosts(evidence) } : {}),
          }, null, 2)}\n`);
        } else io.out(renderStatusText(r.status) + (evidence ? renderEvidenceText(evidence, phaseByHosts(evidence), sources) : ''));
        return EXIT_OK;
      }

      const rehearsing = args.flags.has('rehearse');
      const out = flag(args, 'out');
      const r = await planRotationFolder(input.path, input.text, {
        target, now, force: args.flags.has('force'), dryRun: rehearsing, ...(out !== undefined ? { outDir: resolve(io.cwd, out) } : {}),
      });
      if (!r.ok) { io.err(`sptls rotate: ${r.message}\n`); return EXIT_FINDINGS; }
      if (r.refused) throw new UsageError(r.refused);
      const { rotation, outDir } = r;

      if (rehearsing) {
        let java: JavaClient | undefined;
        if (args.flags.has('java')) {
          try { java = jsseClient(io.env); } catch (e) { if (e instanceof JavaUnavailableError) throw new UsageError(e.message); throw e; }
        }
        const timeoutMs = timeoutFlag(args);
        const states = await rehearseRotation(rotation.plan, rotation.reanalyze, { prober, now, ...(java ? { java } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
        const broken = states.some((s) => s.broken.length > 0);
        if (format === 'json') io.out(`${JSON.stringify({ ...(rotationJson(rotation, outDir) as object), rehearsal: states.map((s) => ({ id: s.id, broken: s.broken, rows: s.rows.length })) }, null, 2)}\n`);
        else io.out(renderRotationText(rotation, `${outDir} (not written: --rehearse)`) + renderRehearsalText(states));
        return broken || !rotation.proven ? EXIT_FINDINGS : EXIT_OK;
      }

      io.out(format === 'json' ? `${JSON.stringify(rotationJson(rotation, outDir), null, 2)}\n` : renderRotationText(rotation, outDir));
      if (format === 'text') io.out(`Next: ${basename(outDir)}/phase-1-${rotation.plan.phases[0]?.slug ?? ''}/STEPS.txt\n`);
      return rotation.proven ? EXIT_OK : EXIT_FINDINGS;
    },
  };
}

export const rotateCommand: Command = makeRotateCommand(nodeHandshakeProber);
