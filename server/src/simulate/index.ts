// `sptls simulate` as a library: plan from the analysis, rehearse on loopback.
import type { Analysis } from '../analysis/engine.ts';
import { planRehearsal } from './plan.ts';
import type { RehearsalPki } from './pki.ts';
import { rehearse, type RehearseOptions, type ResultRow } from './run.ts';

export type { PlanRow, Rehearsal, Verdict } from './plan.ts';
export type { Observed, ObservedVerdict, ResultRow, RehearseOptions } from './run.ts';
export type { RehearsalPki, Identity } from './pki.ts';
export { pkiFromDir, temporaryPki, rehearsalIssuer } from './pki.ts';
export { countRows, renderSimulationJson, renderSimulationText, type SimulationResult } from './render.ts';

export function simulate(analysis: Analysis, pki: RehearsalPki, options: RehearseOptions): Promise<ResultRow[]> {
  return rehearse(planRehearsal(analysis), pki, options);
}
