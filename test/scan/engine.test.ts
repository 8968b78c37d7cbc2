// The scan engine with a fake prober: how many endpoints are in flight, cancellation,
// progress (the engine's events and the CLI's terminal line), and peer strings made
// safe for a terminal. No sockets.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeScanCommand } from '../../server/src/cli/commands/scan.ts';
import { createFakeProber, fakeReport, type HandshakeProber, type ProbeTarget } from '../../server/src/handshake/index.ts';
import { planScan, scanTopology, type ScanProgress } from '../../server/src/scan/index.ts';
import { analyze } from '../../server/src/analysis/engine.ts';

let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'sptls-scan-engine-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

/** `n` servers at 127.0.0.1 on ports 20001…, each reached by client C. */
function topology(n: number): string {
  const lines = ['ca Root { subject "CN=Root" }', 'client C { trusts Root }'];
  for (let i = 1; i <= n; i++) lines.push(`server S${i} { address "127.0.0.1" port ${20_000 + i} certificate signed-by Root }`, `C -> S${i}`);
  return `${lines.join('\n')}\n`;
}

/** A prober whose probes wait until the test lets them go, counting how many are in flight. */
function gatedProber() {
  let inFlight = 0;
  let most = 0;
  let calls = 0;
  const waiting: Array<() => void> = [];
  let onWait: (() => void) | undefined;
  const prober: HandshakeProber = {
    async probe(target: ProbeTarget) {
      calls++;
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => { waiting.push(resolve); onWait?.(); });
      inFlight--;
      return fakeReport(target);
    },
  };
  return {
    prober,
    most: () => most,
    calls: () => calls,
    /** Resolves once `n` probes are waiting. */
    waitingFor: (n: number) => new Promise<void>((resolve) => {
      const check = () => { if (waiting.length >= n) { onWait = undefined; resolve(); } };
      onWait = check;
      check();
    }),
    releaseAll() { for (const go of waiting.splice(0)) go(); },
    release() { waiting.shift()?.(); },
  };
}

describe('scan engine', () => {
  test('plans one endpoint per HOST:PORT, and says why a connection has none', () => {
    const a = analyze(`server A { address "127.0.0.1" port 1600 }
server N { }
ldap L { address "127.0.0.1" port 389 }
ldap M { address "127.0.0.1" }
client C { }
client D { }
C -> A
D -> A
C -> N
N -> L
N -> M
C -> A plain
`, { certificateFiles: { read: () => ({ ok: false, error: 'none' }) } as never });
    const plan = planScan(a);
    assert.deepEqual(plan.endpoints.map((e) => [e.host, e.port, e.responder.name, e.links.length, e.starttls ?? '']), [
      ['127.0.0.1', 1600, 'A', 2, ''],
      ['127.0.0.1', 389, 'L', 1, 'ldap'],
      ['127.0.0.1', 636, 'M', 1, ''],
    ]);
    assert.deepEqual(plan.skipped.map((s) => s.reason), ["N has no address in the topology: add 'address \"HOST\"' to scan it"]);
  });

  test('never more endpoints in flight than --concurrency, and exactly that many when there is work', async () => {
    const gate = gatedProber();
    const text = topology(20);
    const events: ScanProgress[] = [];
    const running = scanTopology({ path: join(dir, 't.sptls'), text }, { prober: gate.prober, concurrency: 5 }, { progress: (p) => events.push(p) });
    // Each endpoint makes two probes in turn (the handshake, then the versions): release them one at a time.
    while (events.at(-1)?.done !== 20) {
      await gate.waitingFor(1);
      gate.release();
      await new Promise((r) => setImmediate(r));
    }
    const result = await running;
    assert.equal(gate.most(), 5);
    assert.equal(result.endpoints.length, 20);
    assert.deepEqual(events.map((e) => e.done), Array.from({ length: 21 }, (_, i) => i));
    assert.ok(events.every((e) => e.total === 20));
  });

  test('a cancelled scan leaves the endpoints it had not finished as cancelled, and probes no more', async () => {
    const gate = gatedProber();
    const controller = new AbortController();
    const running = scanTopology({ path: join(dir, 't.sptls'), text: topology(10) }, { prober: gate.prober, concurrency: 2 }, { signal: controller.signal });
    await gate.waitingFor(2);
    controller.abort();
    const result = await running;
    gate.releaseAll();
    assert.deepEqual(result.endpoints.map((e) => e.status), Array(10).fill('cancelled'));
    assert.equal(gate.calls(), 2, 'only the two probes already in flight were made');
  });
});

describe('scan findings from what the prober saw', () => {
  test('versions are judged even when no certificate was seen (the handshake as the initiator ended in an alert)', async () => {
    const text = 'client C { }\nserver OLD { address "127.0.0.1" port 1500 version 8.1.10 }\nC -> OLD\n';
    const prober = createFakeProber((t, o) => o.tls === 'all'
      ? fakeReport(t, { session: undefined, outcome: 'handshake-alert', exitCode: 2, versions: [
        { version: '1.2', result: 'rejected', detail: 'alert 70 protocol_version' },
        { version: '1.3', result: 'accepted', detail: 'negotiated TLS_AES_256_GCM_SHA384' },
      ] })
      : fakeReport(t, { session: undefined, outcome: 'handshake-alert', exitCode: 2, failure: { phase: 'handshake', code: 'ALERT', message: 'the server ended the handshake with alert 70 protocol_version' } }));
    const r = await scanTopology({ path: join(dir, 'old.sptls'), text }, { prober });
    assert.deepEqual(r.findings.map((f) => `${f.code}: ${f.message}`).sort(), [
      'scan-not-judged: whether C trusts what OLD presents is not judged: C trusts nothing: its \'trusts\' names no CA or component with a certificate, so it accepts no server. Add \'trusts ROOT-CA\' to C, or use --trust FILE without --from',
      'scan-tls-version-accepted: OLD offers TLS 1.3 although version 8.1.10 caps at 1.2',
      'scan-tls-version-refused: OLD refuses TLS 1.2 although its range 1.2–1.2 includes it: alert 70 protocol_version',
    ]);
  });
});

describe('scan command output', () => {
  const run = async (prober: HandshakeProber, errIsTTY: boolean, ...extra: string[]) => {
    let out = '', err = '';
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'three.sptls'), topology(3));
    const code = await makeScanCommand(prober).run(['three.sptls', ...extra], { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: dir, env: {}, errIsTTY });
    return { code, out, err };
  };

  test('a progress line on a terminal, redrawn in place and cleared at the end', async () => {
    const r = await run(createFakeProber(), true);
    assert.match(r.err, /^\r\x1b\[2Kscanning: 0\/3 endpoint\(s\) done\r\x1b\[2Kscanning: 1\/3/);
    assert.match(r.err, /scanning: 3\/3 endpoint\(s\) done\r\x1b\[2K3 endpoint\(s\) scanned in /);
    const quiet = await run(createFakeProber(), false);
    assert.doesNotMatch(quiet.err, /scanning:/);
  });

  test('what a peer sends cannot drive the terminal', async () => {
    const evil = 'CN=\x1b]0;owned\x07\x1b[2J';
    const prober = createFakeProber((t) => fakeReport(t, {
      chain: [{ subject: evil, issuer: evil, serialNumber: '01', notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2030-01-01T00:00:00.000Z', daysLeft: 1000, keyType: 'ec', signatureAlgorithm: { name: 'ecdsa-with-SHA256', hash: 'sha256', oid: '1.2.840.10045.4.3.2' } as never, sans: [], isCA: false, selfIssued: true, fingerprintSha256: 'AA' }],
    }));
    const r = await run(prober, false);
    assert.match(r.out, /presents 'CN=\\x1b\]0;owned\\x07\\x1b\[2J'/);
    assert.doesNotMatch(r.out + r.err, /[\x00-\x08\x0b-\x1f\x7f]/);
  });
});
