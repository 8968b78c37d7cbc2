// A HandshakeProber that answers from memory, for tests of the layers above
// (CLI, language server, simulate) that must not open sockets.
import type { HandshakeProber, HandshakeReport, ProbeOptions, ProbeTarget } from './report.ts';

/** A complete, trusted report for `target`, with `overrides` applied on top. */
export function fakeReport(target: ProbeTarget, overrides: Partial<HandshakeReport> = {}): HandshakeReport {
  return {
    schema: 'sptls.handshake/1',
    target: { host: target.host, port: target.port, address: target.host, expectedHostname: target.host },
    outcome: 'trusted',
    exitCode: 0,
    summary: `TLSv1.3 handshake with ${target.host}:${target.port} succeeded (fake)`,
    timings: { connectMs: 0, handshakeMs: 0, totalMs: 0 },
    session: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', group: 'X25519' },
    chain: [],
    trust: { source: 'given', labels: ['fake'], count: 0 },
    checks: [],
    ...overrides,
  };
}

export interface FakeProber extends HandshakeProber {
  /** Every probe call, in order. */
  calls: Array<{ target: ProbeTarget; options: ProbeOptions }>;
}

/** Answers each probe with `answer(target, options)`; by default a trusted report. */
export function createFakeProber(
  answer: (target: ProbeTarget, options: ProbeOptions) => HandshakeReport = (t) => fakeReport(t),
): FakeProber {
  const calls: FakeProber['calls'] = [];
  return {
    calls,
    async probe(target, options = {}) {
      calls.push({ target, options });
      return answer(target, options);
    },
  };
}
