// Whether an initiator trusts a responder's certificate (spec §4.2 "Trust").
import type { Chains } from './chains.ts';
import type { Entity } from './model.ts';

export type TrustVerdict =
  | { kind: 'trusted'; via: Entity }
  | { kind: 'unknown'; reason: string } // the chain cannot be built; another diagnostic says why
  | { kind: 'untrusted'; reason: string; needs: string; suggestion: string };

export function trustVerdict(from: Entity, to: Entity, chains: Chains): TrustVerdict {
  const chain = chains.of(to);
  if (!chain) return { kind: 'unknown', reason: `${to.name} has no certificate` };
  if (chain.broken) return { kind: 'unknown', reason: `the chain of ${to.name}'s certificate cannot be built` };
  if (trusts(from, to.name)) return { kind: 'trusted', via: to };
  if (chain.root && trusts(from, chain.root.name)) return { kind: 'trusted', via: chain.root };
  if (chain.root === to) {
    return { kind: 'untrusted', reason: `${to.name} presents a self-signed certificate.`, needs: `${to.name}'s own certificate`, suggestion: to.name };
  }
  if (!chain.root) {
    // The chain ends at an issuer no `ca` declares (spec §4.2 v1.1): no root to trust.
    const top = chain.cas[chain.cas.length - 1];
    return {
      kind: 'untrusted',
      reason: top
        ? `${to.name}'s certificate chains ${chain.cas.map((c) => c.name).join(' → ')}, and the issuer of ${top.name} matches no ca of this file, so its root is unknown.`
        : `the issuer of ${to.name}'s certificate matches no ca of this file, so its root is unknown.`,
      needs: `${to.name}'s own certificate (or declare the root CA with 'ca … { file … }' and trust that)`,
      suggestion: to.name,
    };
  }
  const intermediates = chain.cas.filter((c) => c !== chain.root && trusts(from, c.name)).map((c) => c.name);
  const path = chain.cas.map((c) => c.name).join(' → ');
  const reason = intermediates.length
    ? `${to.name}'s certificate chains ${path}; trusting the intermediate ${intermediates.join(', ')} is not enough.`
    : `${to.name}'s certificate chains ${path} to the root ${chain.root.name}.`;
  return { kind: 'untrusted', reason, needs: `the root certificate ${chain.root.name}`, suggestion: chain.root.name };
}

// Trust lists are short: a scan beats building a set per connection.
function trusts(from: Entity, name: string): boolean {
  const list = from.trusts;
  for (let i = 0; i < list.length; i++) if (list[i]!.text === name) return true;
  return false;
}
