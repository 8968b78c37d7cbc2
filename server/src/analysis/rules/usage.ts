// unused-trust and unused-ca: hints about trust nobody needs.
import type { Value } from '../../../../grammar/src/index.ts';
import { holdsCertificate, type Entity } from '../model.ts';
import type { RuleContext } from './context.ts';

export function checkUsage({ model, chains, report }: RuleContext): void {
  // A trust entry is needed when a TLS session of its component goes to that entry, or to a
  // component whose chain holds it. Chains are few (one per responder), so their names are
  // collected once per responder and each session marks the entries it uses.
  const chainNames = new Map<Entity, Set<string>>();
  const used = new Set<Value>();
  for (const l of model.links) {
    if (l.status !== 'checked' || !l.tls || l.from!.trusts.length === 0) continue;
    let names = chainNames.get(l.to!);
    if (!names) {
      const chain = chains.of(l.to!);
      names = new Set([l.to!.name, ...(chain?.cas ?? []).map((c) => c.name), ...(chain?.root ? [chain.root.name] : [])]);
      chainNames.set(l.to!, names);
    }
    for (const v of l.from!.trusts) if (names.has(v.text)) used.add(v);
  }
  const trusted = new Set<string>();
  for (const e of model.entities) {
    if (!e.isFirst) continue;
    for (const v of e.trusts) {
      trusted.add(v.text);
      const target = model.byName.get(v.text);
      if (!target || !holdsCertificate(target)) continue; // unknown-reference / wrong-reference-kind already
      if (!used.has(v)) {
        report('unused-trust', v, `${e.name} opens no TLS session that needs ${v.text}; the trusted certificate can go. Remove '${v.text}' from its trusts.`, { initiator: e.name, trust: v.text });
      }
    }
  }
  const signs = new Set<Entity>();
  for (const e of model.entities) {
    const up = e.kind === 'ca' ? e.props.get('signed-by')?.values[0] : e.certificate?.issuer;
    if (up) { const ca = model.byName.get(up.text); if (ca) signs.add(ca); }
    // A file certificate (a component's, or a CA's issued by another CA) names its issuer by DN.
    if (e.kind === 'ca' || e.certificate) {
      const link = chains.issuerOf(e);
      if (link.kind === 'ca') signs.add(link.ca);
    }
  }
  for (const e of model.entities) {
    if (e.kind !== 'ca' || !e.isFirst || signs.has(e) || trusted.has(e.name)) continue;
    report('unused-ca', e.decl.name!, `CA ${e.name} signs nothing of this topology and no component trusts it. Remove it, or use it with 'certificate signed-by ${e.name}'.`);
  }
}
