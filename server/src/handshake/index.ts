// Public surface of the live TLS handshake tester.
export type * from './report.ts';
export { TLS_VERSIONS } from './report.ts';
export { nodeHandshakeProber, DEFAULT_TIMEOUT_MS } from './prober.ts';
export { readTrustFile, TrustInputError } from './trust.ts';
export { renderText, renderJson } from './render.ts';
export { createFakeProber, fakeReport, type FakeProber } from './fake.ts';
