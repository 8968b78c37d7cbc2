// unknown-reference, wrong-reference-kind, ca-cycle.
import { holdsCertificate, type Entity, type Reference, type ReferenceRole } from '../model.ts';
import { closestName } from '../../../../grammar/src/names.ts';
import { article, type RuleContext } from './context.ts';
import { reads } from './reads.ts';

/** Which declarations a reference of each role may name. */
const FITS: Record<ReferenceRole, (e: Entity) => boolean> = {
  'trusts': holdsCertificate,
  'signed-by': (e) => e.kind === 'ca',
  'certificate-signed-by': (e) => e.kind === 'ca',
  'spoke-of': (e) => e.kind === 'server',
  // A CA at a connection end is a pair outside the product's table: connection-not-supported says so.
  'connection-end': () => true,
};

/** Which declarations are worth suggesting for a misspelt reference. */
const SUGGESTABLE: Record<ReferenceRole, (e: Entity) => boolean> = { ...FITS, 'connection-end': (e) => e.kind !== 'ca' };

const EXPECTED: Record<ReferenceRole, string> = {
  'trusts': 'a ca or a component with a certificate',
  'signed-by': 'a ca',
  'certificate-signed-by': 'a ca',
  'spoke-of': 'a server',
  'connection-end': 'a component',
};

// Suggestions compare the name with every candidate; past this many unknown names
// in one file the rest get no suggestion, so a pathological file stays linear.
const MAX_SUGGESTIONS = 200;

/** What checkReferences reads: names, kinds, connection ends and the values that name a declaration. */
export const referencesReads = reads(['trusts', 'signed-by', 'spoke-of', 'certificate']);

export function checkReferences(ctx: RuleContext): void {
  const { model, report } = ctx;
  let suggestions = 0;
  const candidates = new Map<ReferenceRole, string[]>();
  const namesFor = (role: ReferenceRole) => {
    let list = candidates.get(role);
    if (!list) {
      list = [...model.byName.values()].filter(SUGGESTABLE[role]).map((e) => e.name);
      candidates.set(role, list);
    }
    return list;
  };
  for (const ref of model.references) {
    const target = ref.target;
    if (!target) {
      const suggestion = suggestions++ < MAX_SUGGESTIONS ? closestName(ref.value.text, namesFor(ref.role)) : undefined;
      report('unknown-reference', ref.value,
        `'${ref.value.text}' is not declared${where(ref)}.` + (suggestion ? ` Did you mean '${suggestion}'?` : ` Declare it, or name ${EXPECTED[ref.role]} of this file.`),
        suggestion ? { suggestion } : undefined);
      continue;
    }
    if (!FITS[ref.role](target)) report('wrong-reference-kind', ref.value, wrongKind(ref, target));
  }
  checkCaCycles(ctx);
}

function where(ref: Reference): string {
  return ref.owner ? ` (in ${ref.role.replace('certificate-', 'certificate ')} of ${ref.owner.name})` : ' (connection end)';
}

function wrongKind(ref: Reference, target: Entity): string {
  if (ref.role === 'trusts') {
    return `${target.name} is ${article(target.kind)} ${target.kind} without a certificate, so there is nothing of it to install as trusted in ${ref.owner?.name ?? 'this'}'s key database. Trust a ca, or give ${target.name} a certificate.`;
  }
  if (ref.role === 'spoke-of') {
    return `${target.name} is ${article(target.kind)} ${target.kind}: a spoke is managed by a hub server. Name a server that is declared with 'hub'.`;
  }
  // signed-by and certificate signed-by; a connection end fits any kind.
  return `${target.name} is ${article(target.kind)} ${target.kind}, not a ca: only a ca can sign. Declare a ca and name it here.`;
}

/** CAs whose signed-by links come back to them, each reported at its own signed-by. */
function checkCaCycles({ model, report }: RuleContext): void {
  const state = new Map<Entity, 'visiting' | 'done'>();
  const next = (ca: Entity): Entity | undefined => {
    const up = ca.props.get('signed-by')?.values[0];
    const e = up ? model.byName.get(up.text) : undefined;
    return e?.kind === 'ca' ? e : undefined;
  };
  for (const start of model.entities) {
    if (start.kind !== 'ca' || !start.isFirst || state.has(start)) continue;
    const path: Entity[] = [];
    let ca: Entity | undefined = start;
    while (ca && !state.has(ca)) {
      state.set(ca, 'visiting');
      path.push(ca);
      ca = next(ca);
    }
    if (ca && state.get(ca) === 'visiting') {
      const cycle = path.slice(path.indexOf(ca));
      const names = cycle.map((c) => c.name);
      for (const member of cycle) {
        report('ca-cycle', member.props.get('signed-by')!.values[0]!,
          `signed-by links form a cycle (${[...names, names[0]].join(' → ')}): no root CA can be found. Make one of them a root by removing its signed-by.`);
      }
    }
    for (const p of path) state.set(p, 'done');
  }
}
