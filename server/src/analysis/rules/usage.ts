// unused-trust and unused-ca: hints about trust nobody needs.
import { holdsCertificate, type Entity } from '../model.ts';
import type { RuleContext } from './context.ts';

export function checkUsage({ model, chains, report }: RuleContext): void {
  // What each initiator's trust list must hold for its TLS sessions: the responder or any CA on its chain.
  const needed = new Map<Entity, Set<string>>();
  for (const l of model.links) {
    if (l.status !== 'checked' || !l.tls) continue;
    let set = needed.get(l.from!);
    if (!set) needed.set(l.from!, (set = new Set()));
    set.add(l.to!.name);
    const chain = chains.of(l.to!);
    for (const ca of chain?.cas ?? []) set.add(ca.name);
    if (chain?.root) set.add(chain.root.name);
  }
  const trusted = new Set<string>();
  for (const e of model.entities) {
    if (!e.isFirst) continue;
    const mine = needed.get(e);
    for (const v of e.trusts) {
      trusted.add(v.text);
      const target = model.byName.get(v.text);
      if (!target || !holdsCertificate(target)) continue; // unknown-reference / wrong-reference-kind already
      if (!mine?.has(v.text)) {
        report('unused-trust', v, `${e.name} opens no TLS session that needs ${v.text}; the trusted certificate can go. Remove '${v.text}' from its trusts.`, { initiator: e.name, trust: v.text });
      }
    }
  }
  const signs = new Set<Entity>();
  for (const e of model.entities) {
    const up = e.kind === 'ca' ? e.props.get('signed-by')?.values[0] : e.certificate?.issuer;
    if (up) { const ca = model.byName.get(up.text); if (ca) signs.add(ca); }
    // A file certificate (a component's, or a CA's issued by another CA) names its issuer by DN.
    const info = e.kind === 'ca' || e.certificate?.mode === 'file' ? chains.fileCertificate(e) : null;
    if (info) { const ca = chains.caMatching(info.issuer); if (ca && ca !== e) signs.add(ca); }
  }
  for (const e of model.entities) {
    if (e.kind !== 'ca' || !e.isFirst || signs.has(e) || trusted.has(e.name)) continue;
    report('unused-ca', e.decl.name!, `CA ${e.name} signs nothing of this topology and no component trusts it. Remove it, or use it with 'certificate signed-by ${e.name}'.`);
  }
}
