// Public surface of `sptls scan`: the engine the CLI and the language server share.
export { scanTopology, endpointBudgetMs, DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from './run.ts';
export { renderScanJson, renderScanText, scanFindings, summaryLine, countScan } from './render.ts';
export type { ScanInput, ScanOptions, ScanHooks, ScanProgress, ScanResult, EndpointResult, EndpointStatus } from './run.ts';
export type { ScanFinding } from './findings.ts';
export { planScan, type Endpoint, type ScanPlan } from './endpoints.ts';
