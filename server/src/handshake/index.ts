// Public surface of the live TLS handshake tester.
export type * from './report.ts';
export { TLS_VERSIONS } from './report.ts';
export { nodeHandshakeProber, DEFAULT_TIMEOUT_MS, DEFAULT_POST_HANDSHAKE_MS } from './prober.ts';
export { certFacts } from './cert-facts.ts';
export { readTrustFile, certificatesFromPem, TrustInputError } from './trust.ts';
export { renderText, renderJson } from './render.ts';
export { createFakeProber, fakeReport, type FakeProber } from './fake.ts';
