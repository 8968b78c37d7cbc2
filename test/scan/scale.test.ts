// 200 endpoints at the default concurrency: every one scanned, nothing reported (each
// presents its own issued certificate), within the time docs/scan.md promises for a
// responsive fleet on loopback.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { nodeHandshakeProber } from '../../server/src/handshake/index.ts';
import { DEFAULT_CONCURRENCY, scanTopology } from '../../server/src/scan/index.ts';
import { startFleet, type Fleet } from './fleet.ts';

/** docs/scan.md: "200 responsive endpoints … in under a minute at the default concurrency". */
const DOCUMENTED_MS = 60_000;
let fleet: Fleet;
before(async () => { fleet = await startFleet(200); });
after(async () => { await fleet?.close(); });

test(`200 endpoints at the default concurrency (${DEFAULT_CONCURRENCY}) in under ${DOCUMENTED_MS / 1000} s, nothing false`, async () => {
  let most = 0;
  let inFlight = 0;
  const counting = {
    async probe(...args: Parameters<typeof nodeHandshakeProber.probe>) {
      most = Math.max(most, ++inFlight);
      try { return await nodeHandshakeProber.probe(...args); } finally { inFlight--; }
    },
  };
  const r = await scanTopology({ path: fleet.topology, text: fleet.text }, { prober: counting });
  assert.equal(r.endpoints.length, 200);
  assert.deepEqual(r.endpoints.filter((e) => e.status !== 'scanned').map((e) => e.summary), []);
  assert.deepEqual(r.findings.map((f) => f.message), []);
  assert.ok(r.endpoints.every((e) => e.protocol === 'TLSv1.3' && e.accepted?.join() === '1.2,1.3'));
  assert.equal(most, DEFAULT_CONCURRENCY, 'the default concurrency was used, and not exceeded');
  assert.ok(r.ms < DOCUMENTED_MS, `took ${r.ms} ms`);
});
