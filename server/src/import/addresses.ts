// Which collected host an address names: host folder names, the fqdn the collect script recorded,
// and every name and IP a collected hosts file gives for them. Comparison is case-insensitive; an
// unqualified name also matches the first label of a qualified one, and a qualified name matches a
// host known by its first label unless that host has another qualified name with the same label.
// Lookups are by map: a collection of thousands of hosts is read in one pass.
import { isIP } from 'node:net';
import type { HostsEntry } from './hosts-file.ts';

const short = (name: string) => (isIP(name) !== 0 ? name : name.split('.')[0]!);
const qualified = (name: string) => name.includes('.') && isIP(name) === 0;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);

export class AddressBook {
  /** Every alias (full and first label) -> the first host that has it. */
  private readonly hostByAlias = new Map<string, string>();
  /** Host -> its qualified names. */
  private readonly fqdns = new Map<string, Set<string>>();
  private readonly ipNames = new Map<string, Set<string>>();

  addHost(host: string, names: string[]): void {
    const q = this.fqdns.get(host) ?? new Set<string>();
    for (const raw of [host, ...names]) {
      const n = raw.toLowerCase();
      if (qualified(n)) q.add(n);
      for (const alias of [n, short(n)]) if (!this.hostByAlias.has(alias)) this.hostByAlias.set(alias, host);
    }
    this.fqdns.set(host, q);
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
    for (const n of names) {
      const exact = this.hostByAlias.get(n);
      if (exact !== undefined && (!qualified(n) || this.fqdns.get(exact)!.has(n) || ![...this.fqdns.get(exact)!].some((f) => short(f) === short(n)))) return exact;
      if (!qualified(n)) continue;
      const byLabel = this.hostByAlias.get(short(n));
      if (byLabel !== undefined && ![...this.fqdns.get(byLabel)!].some((f) => short(f) === short(n) && f !== n)) return byLabel;
    }
    return undefined;
  }
}
