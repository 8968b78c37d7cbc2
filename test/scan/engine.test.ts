// The scan engine with a fake prober: how many endpoints are in flight, cancellation,
// progress (the engine's events and the CLI's terminal line), and peer strings made
// safe for a terminal. No sockets.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../server/src/cli/cli.ts';
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
  test('plans one endpoint per HOST:PORT (a level below 8.1.2 on its ssl-port), and says why a connection has none', () => {
    const a = analyze(`server A { address "127.0.0.1" port 1600 }
server N { }
server OLD { address "127.0.0.1" port 1500 ssl-port 1543 version 8.1.0 }
server NEW { address "127.0.0.1" port 1700 ssl-port 1743 version 8.1.2 }
ldap L { address "127.0.0.1" port 389 }
ldap M { address "127.0.0.1" }
client C { }
client D { }
C -> A
D -> A
C -> N
C -> OLD
C -> NEW
N -> L
N -> M
C -> A plain
`, { certificateFiles: { read: () => ({ ok: false, error: 'none' }) } as never, now: new Date() });
    const plan = planScan(a);
    assert.deepEqual(plan.endpoints.map((e) => [e.host, e.port, e.responder.name, e.links.length, e.starttls ?? '']), [
      ['127.0.0.1', 1600, 'A', 2, ''],
      ['127.0.0.1', 1543, 'OLD', 1, ''],
      ['127.0.0.1', 1700, 'NEW', 1, ''],
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
    // No PKI is issued for this topology, so C's trust in Root cannot be had: not judged.
    const text = 'ca Root { }\nclient C { trusts Root }\nserver OLD { address "127.0.0.1" port 1500 version 8.1.10 certificate signed-by Root }\nC -> OLD\n';
    const prober = createFakeProber((t, o) => o.tls === 'all'
      ? fakeReport(t, { session: undefined, outcome: 'handshake-alert', exitCode: 2, versions: [
        { version: '1.2', result: 'rejected', detail: 'alert 70 protocol_version' },
        { version: '1.3', result: 'accepted', detail: 'negotiated TLS_AES_256_GCM_SHA384' },
      ] })
      : fakeReport(t, { session: undefined, outcome: 'handshake-alert', exitCode: 2, failure: { phase: 'handshake', code: 'ALERT', message: 'the server ended the handshake with alert 70 protocol_version' } }));
    const r = await scanTopology({ path: join(dir, 'old.sptls'), text }, { prober });
    const pki = join(dir, 'pki');
    const messages = r.findings.map((f) => `${f.code}: ${f.message}`).sort();
    assert.equal(messages.length, 3);
    assert.ok(messages[0]!.startsWith(`scan-not-judged: whether C trusts what OLD presents is not judged: the certificate C trusts as Root is not available: cannot read ${pki}/ca/Root.crt.pem (`), messages[0]);
    assert.deepEqual(messages.slice(1), [
      'scan-tls-version-accepted: OLD offers TLS 1.3 although version 8.1.10 caps at 1.2',
      'scan-tls-version-refused: OLD refuses TLS 1.2 although its range 1.2–1.2 includes it: alert 70 protocol_version',
    ]);
  });
});

describe('scan command output', () => {
  test('progress goes to the status line when there is one (a terminal), is cleared at the end, and is absent otherwise', async () => {
    writeFileSync(join(dir, 'three.sptls'), topology(3));
    const run = async (withStatus: boolean) => {
      const lines: Array<string | null> = [];
      let err = '';
      const io = { out: () => {}, err: (t: string) => { err += t; }, cwd: dir, env: {}, ...(withStatus ? { status: (l: string | null) => { lines.push(l); } } : {}) };
      const code = await makeScanCommand(createFakeProber()).run(['three.sptls'], io);
      return { code, lines, err };
    };
    const tty = await run(true);
    assert.deepEqual(tty.lines, ['scanning: 0/3 endpoint(s) done', 'scanning: 1/3 endpoint(s) done', 'scanning: 2/3 endpoint(s) done', 'scanning: 3/3 endpoint(s) done', null]);
    assert.match(tty.err, /^3 endpoint\(s\) scanned in /);
    const piped = await run(false);
    assert.deepEqual(piped.lines, []);
    assert.match(piped.err, /^3 endpoint\(s\) scanned in /);
  });

  test('the CLI hands a command the status line of the process that runs it', async () => {
    const lines: Array<string | null> = [];
    writeFileSync(join(dir, 'none.sptls'), 'server A { }\n');
    const code = await main(['scan', 'none.sptls'], { out: () => {}, err: () => {}, cwd: dir, env: {}, status: (l) => { lines.push(l); } });
    assert.equal(code, 0);
    assert.deepEqual(lines, ['scanning: 0/0 endpoint(s) done', null]);
  });
});
