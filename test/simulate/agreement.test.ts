// Three tools, one verdict. For every TLS connection of examples/ and of the shared
// conformance cases whose responder can be served (its key is issued here), `sptls check`
// (the rules), `sptls simulate` (predicted and observed) and `sptls handshake --from
// INITIATOR --topology FILE` against a listener serving the responder's issued
// certificate must say the same: trusted, untrusted or no-common-version. Nothing here
// hard-codes a verdict: check's diagnostics decide what the others must show. Where the
// version is agreed on, `openssl verify` — GSKit's rule: no -partial_chain — judges the
// served chain against the initiator's trust set too, as an oracle outside sptls.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createServer, type SecureVersion, type Server } from 'node:tls';
import { main } from '../../server/src/cli/cli.ts';
import type { HandshakeReport } from '../../server/src/handshake/report.ts';
import { executePlan } from '../../server/src/pki/issue/execute.ts';
import { emptyManifest } from '../../server/src/pki/issue/layout.ts';
import { planIssue } from '../../server/src/pki/issue/plan.ts';
import { analyzeTopology } from '../../server/src/workspace/topology.ts';
import { issueSpecs } from '../../server/src/pki/issue/spec.ts';
import { pkiFromDir, rehearsalIssuer, trustPems, type Identity } from '../../server/src/simulate/pki.ts';
import { trustEntries } from '../../server/src/simulate/plan.ts';
import { ensureCommand } from '../support/system.ts';

const root = resolve(import.meta.dirname, '..', '..');
const CONFORMANCE = join(root, '..', 'shared', 'conformance');
const topologies = [
  ...readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.sptls')).map((f) => join(root, 'examples', f)),
  ...(existsSync(CONFORMANCE) ? readdirSync(CONFORMANCE).filter((f) => f.endsWith('.sptls')).map((f) => join(CONFORMANCE, f)) : []),
].sort();

type Verdict = 'trusted' | 'untrusted' | 'no-common-version' | string;

interface Diagnostic { code: string; range: { start: { line: number; character: number } } }
interface SimRow {
  connection: string;
  line: number;
  client: 'node' | 'java';
  predicted: Verdict | null;
  observed?: { verdict: Verdict; reason: string };
  rehearsal: { initiator: string; responder: string; responderRange: { min: string; max: string } } | null;
}

const NODE_VERSION: Record<string, SecureVersion> = { '1.0': 'TLSv1', '1.1': 'TLSv1.1', '1.2': 'TLSv1.2', '1.3': 'TLSv1.3' };

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd, env: {} });
  return { code, out, err };
}

/** The verdict the rules give a connection: their diagnostics anchored inside "A -> B" on its line. */
function checkVerdict(source: string[], row: SimRow, diagnostics: Diagnostic[]): Verdict {
  const [from, to] = row.connection.split(' -> ');
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(?<![\\w.-])${esc(from!)}\\s*->\\s*${esc(to!)}(?![\\w.-])`).exec(source[row.line - 1] ?? '');
  assert.ok(m, `connection ${row.connection} found on line ${row.line}`);
  const on = (code: string) => diagnostics.some((d) => d.code === code && d.range.start.line + 1 === row.line
    && d.range.start.character >= m.index && d.range.start.character <= m.index + m[0].length);
  if (on('no-common-tls-version')) return 'no-common-version';
  if (on('untrusted-responder')) return 'untrusted';
  return 'trusted';
}

/** The verdict of one `sptls handshake --from` report, on the chain and the version only. */
function handshakeVerdict(r: { code: number; out: string; err: string }): Verdict {
  if (r.out === '') return `error: ${r.err.trim()}`;
  const report = JSON.parse(r.out) as HandshakeReport;
  if (report.session) {
    const chain = report.checks.find((c) => c.id === 'chain');
    return chain?.status === 'pass' || chain?.status === 'warn' ? 'trusted' : 'untrusted';
  }
  if (report.failure?.alert?.number === 70) return 'no-common-version';
  return `no session: ${report.failure?.message ?? report.summary}`;
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * `openssl verify` on what `served` presents, with `trust` as the only anchors (no system
 * store, no -partial_chain). Spec §4.2 also trusts a component whose own certificate is
 * installed: only then may the chain stop at the leaf (-partial_chain). Times are not
 * checked: validity is a rule of its own, not a trust verdict.
 */
function opensslVerdict(work: string, served: Identity, trust: string[]): Verdict {
  const anchors = trust.flatMap((pem) => pem.match(PEM) ?? []);
  if (anchors.length === 0) return 'untrusted';
  const leaf = new X509Certificate(served.certPem).fingerprint256;
  const pinned = anchors.some((pem) => new X509Certificate(pem).fingerprint256 === leaf);
  writeFileSync(join(work, 'leaf.pem'), served.certPem);
  writeFileSync(join(work, 'chain.pem'), served.chainPem);
  writeFileSync(join(work, 'trust.pem'), anchors.join('\n'));
  const r = spawnSync('openssl', ['verify', '-no-CApath', '-no-CAstore', '-no_check_time', '-CAfile', 'trust.pem',
    ...(served.chainPem.trim() ? ['-untrusted', 'chain.pem'] : []), ...(pinned ? ['-partial_chain'] : []), 'leaf.pem'], { cwd: work, encoding: 'utf8' });
  return r.status === 0 ? 'trusted' : 'untrusted';
}

before(() => ensureCommand('openssl', 'openssl'));

const servers: Array<{ server: Server; sockets: Set<Socket> }> = [];
const scratch: string[] = [];

/** A listener on 127.0.0.1 presenting `name`'s issued certificate and chain, within its TLS range. */
async function serve(id: Identity, range: { min: string; max: string }): Promise<number> {
  const legacy = range.min === '1.0' || range.min === '1.1';
  const server = createServer({
    key: id.keyPem, cert: id.certPem + id.chainPem,
    minVersion: NODE_VERSION[range.min], maxVersion: NODE_VERSION[range.max], ...(legacy ? { ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  server.on('tlsClientError', () => {});
  await new Promise<void>((res, rej) => { server.once('error', rej); server.listen(0, '127.0.0.1', res); });
  servers.push({ server, sockets });
  return (server.address() as { port: number }).port;
}

after(async () => {
  for (const { server, sockets } of servers) { for (const s of sockets) s.destroy(); await new Promise((r) => server.close(r)); }
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

describe('check, simulate and handshake --from give every served TLS connection the same verdict', () => {
  let compared = 0;
  const seen = new Map<Verdict, number>();
  for (const path of topologies) {
    it(basename(path), async (t) => {
      const text = readFileSync(path, 'utf8');
      const nowText = /^# now: (\d{4}-\d{2}-\d{2})/.exec(text)?.[1];
      const now = nowText ? new Date(`${nowText}T12:00:00Z`) : new Date();
      const nowArgs = nowText ? ['--now', nowText] : [];
      // One PKI for simulate and handshake: everything the topology declares (EC keys, for speed).
      const pkiDir = mkdtempSync(join(tmpdir(), 'sptls-agree-'));
      scratch.push(pkiDir);
      const actions = planIssue(issueSpecs(analyzeTopology(path, text, now)).specs, new Map(), { now, renew: false, force: false });
      await executePlan(actions, { outDir: pkiDir, manifest: emptyManifest(basename(path)), issuer: rehearsalIssuer, now, force: false });

      const checked = await cli(root, 'check', path, '--format', 'json', ...nowArgs);
      const diagnostics = (JSON.parse(checked.out) as { files: Array<{ diagnostics: Diagnostic[] }> }).files[0]!.diagnostics;
      const simulated = await cli(root, 'simulate', path, '--pki', pkiDir, '--format', 'json', '--timeout', '15000', ...nowArgs);
      assert.notEqual(simulated.code, 2, simulated.err);
      const rows = (JSON.parse(simulated.out) as { rows: SimRow[] }).rows.filter((r) => r.client === 'node');
      const source = text.split(/\r?\n/);
      const analysis = analyzeTopology(path, text, now);
      const pki = pkiFromDir(pkiDir, analysis);

      const ports = new Map<string, number>();
      const disagreements: string[] = [];
      let here = 0;
      for (const row of rows) {
        if (!row.rehearsal || !row.observed) continue;
        const { initiator, responder, responderRange } = row.rehearsal;
        const served = pki.identity(responder);
        assert.ok(served.ok, `${responder} can be served: ${served.ok ? '' : served.reason}`);
        let port = ports.get(responder);
        if (port === undefined) ports.set(responder, port = await serve(served.value, responderRange));
        const shaken = await cli(root, 'handshake', `127.0.0.1:${port}`, '--from', initiator, '--topology', path, '--pki', pkiDir, '--format', 'json', '--timeout', '15000');
        const verdicts: Record<string, Verdict | null> = {
          check: checkVerdict(source, row, diagnostics),
          'simulate (predicted)': row.predicted,
          'simulate (observed)': row.observed.verdict,
          handshake: handshakeVerdict(shaken),
        };
        if (verdicts['check'] !== 'no-common-version') {
          const trust = trustPems(trustEntries(analysis, analysis.model.byName.get(initiator)!), pki, initiator);
          assert.ok(trust.ok, trust.ok ? '' : trust.reason);
          verdicts['openssl verify'] = opensslVerdict(pkiDir, served.value, trust.value.map((t) => t.pem));
        }
        if (new Set(Object.values(verdicts)).size !== 1) {
          disagreements.push(`line ${row.line} ${row.connection}: ${Object.entries(verdicts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
        }
        here++;
        seen.set(verdicts['check']!, (seen.get(verdicts['check']!) ?? 0) + 1);
      }
      compared += here;
      t.diagnostic(`${here} connection(s) compared, ${rows.length - here} not served (plain, unsupported, no key here)`);
      assert.deepEqual(disagreements, [], disagreements.join('\n'));
    });
  }

  after(() => {
    // examples/ alone rehearse 30 connections (60 with the conformance cases): a run that compares fewer has lost its peers.
    assert.ok(compared >= 30, `only ${compared} connections were compared`);
    // The comparison means something only if every verdict occurs.
    assert.deepEqual([...seen.keys()].sort(), ['no-common-version', 'trusted', 'untrusted'], JSON.stringify([...seen]));
  });
});
