// port-conflict: two components on one address listening on the same number.
import type { Value } from '../../../../grammar/src/index.ts';
import type { Entity } from '../model.ts';
import { PROPERTIES } from '../product.ts';
import { normalizeIp } from '../../codec/x509/ip.ts';
import type { RuleContext } from './context.ts';
import { reads } from './reads.ts';

const PORT_PROPERTIES = ['port', 'admin-port', 'ssl-port', 'ssl-admin-port'] as const;

/** What checkPorts reads: addresses and port numbers (and every property name, which decides the first of each). */
export const portsReads = reads(['address', ...PORT_PROPERTIES]);

export function checkPorts({ model, report }: RuleContext): void {
  // address (lower case) → port number → the first component that declared it
  const taken = new Map<string, Map<number, { owner: Entity; property: string }>>();
  for (const e of model.entities) {
    if (!e.isFirst || !listensOnAPort(e)) continue;
    const written = e.props.get('address')?.values[0]?.text;
    if (written === undefined) continue;
    // Host names compare case-insensitively, IP addresses by value (2001:db8::1 = 2001:0db8:0:0::1).
    const address = normalizeIp(written) ?? written.toLowerCase();
    let ports = taken.get(address);
    if (!ports) taken.set(address, (ports = new Map()));
    const mine: Array<[number, string, Value]> = [];
    for (const name of PORT_PROPERTIES) {
      const v = e.props.get(name)?.values[0];
      if (!v) continue;
      const n = Number(v.text);
      const [lo, hi] = PROPERTIES[name]!.range!;
      if (n >= lo && n <= hi) mine.push([n, name, v]);
    }
    for (const [n, name, v] of mine) {
      const other = ports.get(n);
      if (other && other.owner !== e) {
        report('port-conflict', v, `${e.name} and ${other.owner.name} both listen on ${e.props.get('address')!.values[0]!.text}:${n} (${name} here, ${other.property} there); only one can bind it. Choose another port.`);
      }
    }
    for (const [n, name] of mine) if (!ports.has(n)) ports.set(n, { owner: e, property: name });
  }
}

// Called for every declaration, most of which (clients) have no port: a plain loop, no closure.
function listensOnAPort(e: Entity): boolean {
  for (let i = 0; i < PORT_PROPERTIES.length; i++) if (e.props.has(PORT_PROPERTIES[i]!)) return true;
  return false;
}
