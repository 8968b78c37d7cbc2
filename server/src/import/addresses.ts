// Which collected host an address names: host folder names, the fqdn the collect script recorded,
// and every name and IP a collected hosts file gives for them. Comparison is case-insensitive; an
// unqualified name also matches the first label of a qualified one.
import { isIP } from 'node:net';
import type { HostsEntry } from './hosts-file.ts';

const short = (name: string) => (isIP(name) !== 0 ? name : name.split('.')[0]!);
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);

export class AddressBook {
  private readonly aliases = new Map<string, Set<string>>();
  private readonly ipNames = new Map<string, Set<string>>();

  addHost(host: string, names: string[]): void {
    const set = this.aliases.get(host) ?? new Set<string>();
    for (const n of [host, ...names]) { set.add(n.toLowerCase()); set.add(short(n.toLowerCase())); }
    this.aliases.set(host, set);
  }

  addHostsFile(entries: HostsEntry[]): void {
    for (const e of entries) {
      const names = this.ipNames.get(e.ip) ?? new Set<string>();
      for (const n of e.names) names.add(n);
      this.ipNames.set(e.ip, names);
    }
  }

  /** The names an address stands for: itself, and for an IP the names the hosts files give it. */
  namesOf(address: string): string[] {
    const a = address.toLowerCase();
    return [a, ...(this.ipNames.get(a) ?? [])];
  }

  /** The collected host an address names, `from` being the host whose file holds the address. */
  hostOf(address: string, from: string): string | undefined {
    const names = this.namesOf(address);
    if (names.some((n) => LOOPBACK.has(n))) return from;
    for (const [host, set] of this.aliases) {
      if (names.some((n) => set.has(n) || (n.includes('.') && isIP(n) === 0 && set.has(short(n)) && ![...set].some((s) => s.includes('.') && isIP(s) === 0 && short(s) === short(n) && s !== n)))) return host;
    }
    return undefined;
  }
}
