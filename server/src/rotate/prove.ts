// The proof of a rotation by `check`: every phase state is analyzed like `sptls check`
// would, and every connection the rules judged trusted before the rotation must still be
// judged trusted in every phase. A phase may change one kind of thing only (plan.ts), so
// the states between two phases' ends are covered too. Pure apart from the analyzer given.
import type { Analysis } from '../analysis/engine.ts';
import { planRehearsal } from '../simulate/plan.ts';
import { PHASE_CHANGES, type Phase } from './plan.ts';

export interface Break {
  connection: string;
  /** 1-based line in the phase file. */
  line: number;
  why: string;
}

export interface PhaseProof {
  id: string;
  /** Connections trusted before the rotation that this phase state does not trust. */
  broken: Break[];
  /** Errors of rules that report more often than before the rotation ("line: rule-id: message"). */
  newErrors: string[];
  /** Changes of a kind this phase may not make (a half-done phase would not be covered). */
  misplaced: string[];
}

export function provePhases(initial: Analysis, phases: readonly Phase[], analyze: (text: string) => Analysis): PhaseProof[] {
  const before = planRehearsal(initial);
  const errorsBefore = new Map<string, number>();
  for (const d of initial.diagnostics) if (d.severity === 'error') errorsBefore.set(d.code, (errorsBefore.get(d.code) ?? 0) + 1);
  return phases.map((phase) => {
    const analysis = analyze(phase.text);
    const rows = planRehearsal(analysis);
    const broken: Break[] = [];
    before.forEach((b, i) => {
      const now = rows[i];
      if (b.predicted !== 'trusted') return;
      if (now?.predicted !== 'trusted') {
        broken.push({ connection: b.connection, line: now?.line ?? b.line, why: now?.predictedReason ?? (now?.predicted === 'not-judged' ? 'the chain of its certificate cannot be built in this phase' : `the rules judge it ${now?.predicted ?? 'gone'}`) });
      }
    });
    // A rule reporting more often than before is a new error; the same finding may read differently (names change).
    const seen = new Map<string, number>();
    const newErrors = analysis.diagnostics
      .filter((d) => d.severity === 'error' && (seen.set(d.code, (seen.get(d.code) ?? 0) + 1).get(d.code)! > (errorsBefore.get(d.code) ?? 0)))
      .map((d) => `${analysis.lines.lineOf(d.start) + 1}: ${d.code}: ${d.message}`);
    const allowed = PHASE_CHANGES[phase.slug];
    const misplaced = phase.changes.filter((c) => !allowed.has(c.type)).map((c) => `${c.type} in ${phase.slug}`);
    return { id: phase.id, broken, newErrors, misplaced };
  });
}

export const proofHolds = (proofs: readonly PhaseProof[]): boolean =>
  proofs.every((p) => p.broken.length === 0 && p.newErrors.length === 0 && p.misplaced.length === 0);
