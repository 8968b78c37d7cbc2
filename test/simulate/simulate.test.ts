// `sptls simulate`: real listeners on 127.0.0.1 and the real prober must agree with the
// rules on every rehearsable connection of the examples and the shared conformance cases.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { makeSimulateCommand } from '../../server/src/cli/commands/simulate.ts';
import { createFakeProber, fakeReport, nodeHandshakeProber, type HandshakeProber } from '../../server/src/handshake/index.ts';
import { runIssue } from '../../server/src/pki/issue/run.ts';
import { analyzeTopology } from '../../server/src/workspace/topology.ts';
import { ensureCommand } from '../support/system.ts';
import { countRows, pkiFromDir, rehearsalIssuer, simulate, temporaryPki, type ResultRow } from '../../server/src/simulate/index.ts';

const root = resolve(import.meta.dirname, '..', '..');
const conformance = join(root, '..', 'shared', 'conformance');
const TOPOLOGIES = [
  join(root, 'examples', 'production.sptls'),
  join(root, 'examples', 'broken.sptls'),
  ...(existsSync(conformance) ? readdirSync(conformance).filter((f) => f.endsWith('.sptls')).sort().map((f) => join(conformance, f)) : []),
];

async function run(path: string, prober: HandshakeProber): Promise<ResultRow[]> {
  const analysis = analyzeTopology(path, readFileSync(path, 'utf8'));
  const pki = await temporaryPki(analysis, { now: new Date(), topologyName: 'test.sptls' });
  try {
    return await simulate(analysis, pki, { prober, timeoutMs: 3000 });
  } finally {
    await pki.dispose();
  }
}

/** The real prober, recording every port it was sent to. */
function recordingProber(): HandshakeProber & { ports: Set<number> } {
  const ports = new Set<number>();
  return { ports, probe: (target, options) => { ports.add(target.port); return nodeHandshakeProber.probe(target, options); } };
}

function refused(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); done(false); });
    s.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED'));
  });
}

describe('simulate agrees with the rules', () => {
  const observedVerdicts = new Set<string>();
  for (const path of TOPOLOGIES) {
    it(path.slice(root.length - 4), async () => {
      const prober = recordingProber();
      const rows = await run(path, prober);
      const links = analyzeTopology(path, readFileSync(path, 'utf8')).model.links;
      assert.equal(rows.length, links.length, 'every connection has a row');
      for (const r of rows) {
        if (r.agree === undefined) assert.ok(r.skip && r.skip.length > 10, `${r.connection} (line ${r.line}) is skipped with a reason`);
        else assert.equal(r.agree, true, `${r.connection} (line ${r.line}): ${r.disagreement}`);
        if (r.observed) observedVerdicts.add(r.observed.verdict);
      }
      for (const port of prober.ports) assert.ok(await refused(port), `listener on port ${port} is closed`);
    });
  }
  after(() => {
    // The corpus exercises every observable verdict, so agreement above means something.
    assert.deepEqual([...observedVerdicts].sort(), ['no-common-version', 'trusted', 'untrusted']);
  });
});

describe('simulate catches a prober that disagrees', () => {
  const untrusted = join(conformance, '02-untrusted.sptls');

  it('flags connections the rules call untrusted when the handshake says trusted', { skip: !existsSync(untrusted) }, async () => {
    const liar = createFakeProber((t) => fakeReport(t, { checks: [{ id: 'chain', status: 'pass', reason: 'trusted (fake)' }] }));
    const rows = await run(untrusted, liar);
    const bad = rows.filter((r) => r.agree === false).map((r) => r.connection);
    assert.deepEqual(bad.sort(), ['A -> SP1', 'B -> SP1']);
    assert.match(rows.find((r) => r.connection === 'B -> SP1')!.disagreement!, /predict untrusted.*showed trusted/);
  });

  it('flags a version the ranges should not settle on', async () => {
    const wrongVersion = createFakeProber((t) => fakeReport(t, {
      session: { protocol: 'TLSv1.2', cipher: 'x' }, checks: [{ id: 'chain', status: 'pass', reason: 'trusted (fake)' }],
    }));
    const rows = await run(join(root, 'examples', 'production.sptls'), wrongVersion);
    const c = countRows(rows);
    assert.ok(c.rehearsed > 10);
    assert.equal(c.disagree, c.rehearsed);
    assert.match(rows.find((r) => r.agree === false)!.disagreement!, /settle on TLS 1\.3.*negotiated TLSv1\.2/);
  });

  it('exits 1 from the CLI on a disagreement, 0 on agreement', async () => {
    const io = (sink: string[]) => ({ out: (t: string) => sink.push(t), err: (t: string) => sink.push(t), cwd: root, env: {} });
    const lied: string[] = [];
    const liar = createFakeProber((t) => fakeReport(t, { failure: { phase: 'handshake', code: 'ALERT', message: 'alert 70', alert: { number: 70, name: 'protocol_version' } }, session: undefined }));
    assert.equal(await makeSimulateCommand(liar).run(['examples/production.sptls'], io(lied)), 1);
    assert.match(lied.join(''), /DISAGREE/);
    const honest: string[] = [];
    assert.equal(await makeSimulateCommand(nodeHandshakeProber).run(['examples/production.sptls', '--format', 'json'], io(honest)), 0);
    const json = JSON.parse(honest.join(''));
    assert.equal(json.schema, 'sptls.simulate/1');
    assert.equal(json.counts.disagree, 0);
    assert.equal(json.rows.length, 27);
  });
});

describe('simulate with an issued PKI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sptls-sim-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('uses --pki DIR and reports what was not issued there', async () => {
    const topology = join(root, 'examples', 'production.sptls');
    const issued = await runIssue({ topologyPath: topology, text: readFileSync(topology, 'utf8'), outDir: dir, issuer: rehearsalIssuer });
    assert.equal(issued.kind, 'done');
    rmSync(join(dir, 'components', 'SPB1'), { recursive: true });
    const out: string[] = [];
    const code = await makeSimulateCommand(nodeHandshakeProber).run([topology, '--pki', dir, '--format', 'json'], { out: (t) => out.push(t), err: (t) => out.push(t), cwd: root, env: {} });
    assert.equal(code, 0);
    const rows = JSON.parse(out.join('')).rows as ResultRow[];
    const toSpb1 = rows.filter((r) => r.connection.endsWith('-> SPB1'));
    assert.equal(toSpb1.length, 2);
    for (const r of toSpb1) assert.match(r.skip!, /cannot read .*SPB1\/cert\.pem.*run sptls issue/);
    assert.ok(rows.filter((r) => r.agree === true).length >= 20);
  });

  it('refuses a --pki directory that does not exist (usage error)', async () => {
    await assert.rejects(
      makeSimulateCommand(nodeHandshakeProber).run(['examples/production.sptls', '--pki', join(dir, 'nope')], { out: () => {}, err: () => {}, cwd: root, env: {} }),
      /no such directory/,
    );
  });
});

describe('simulate names a self-signed responder as openssl does', () => {
  it('certificate self-signed (a leaf: no CA:TRUE, no keyCertSign) not trusted: "self-signed", not an incomplete chain', async () => {
    ensureCommand('openssl', 'openssl');
    const dir = mkdtempSync(join(tmpdir(), 'sptls-sim-self-'));
    try {
      const path = join(dir, 'self.sptls');
      writeFileSync(path, 'ca R { }\nserver S { certificate self-signed }\nclient C { trusts R }\nC -> S\n');
      const issued = await runIssue({ topologyPath: path, text: readFileSync(path, 'utf8'), issuer: rehearsalIssuer });
      assert.equal(issued.kind, 'done', JSON.stringify(issued));
      const analysis = analyzeTopology(path, readFileSync(path, 'utf8'));
      const [row] = await simulate(analysis, pkiFromDir(join(dir, 'pki'), analysis), { prober: nodeHandshakeProber, timeoutMs: 5000 });
      assert.equal(row?.observed?.verdict, 'untrusted');
      assert.equal(row?.agree, true, row?.disagreement);
      assert.match(row!.observed!.reason, /^self-signed certificate '[^']*CN=S[^']*' is not trusted: it is not in the trust set \(R\)/);
      // The oracle: openssl verify calls the same certificate self-signed (error 18).
      const cert = readdirSync(join(dir, 'pki', 'components', 'S')).find((f) => f === 'cert.pem');
      assert.ok(cert, 'S has an issued cert.pem');
      const verify = spawnSync('openssl', ['verify', join(dir, 'pki', 'components', 'S', cert)], { encoding: 'utf8' });
      assert.notEqual(verify.status, 0);
      assert.match(verify.stdout + verify.stderr, /error 18 at 0 depth lookup: self-signed certificate/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
