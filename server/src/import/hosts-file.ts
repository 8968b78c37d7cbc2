// A collected hosts file (/etc/hosts, C:\Windows\System32\drivers\etc\hosts): `IP name [aliases…]`,
// `#` comments. Used only to turn IP addresses in server definitions into host names.
import { isIP } from 'node:net';

export interface HostsEntry { ip: string; names: string[]; line: number }

export function parseHostsFile(text: string): HostsEntry[] {
  const out: HostsEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const [ip, ...names] = raw.replace(/#.*$/, '').trim().split(/\s+/);
    if (ip && names.length > 0 && isIP(ip) !== 0) out.push({ ip: ip.toLowerCase(), names: names.map((n) => n.toLowerCase()), line: i + 1 });
  });
  return out;
}

/** A hosts file by content: every non-comment line is `IP name…`, at least one such line. */
export function looksLikeHostsFile(text: string): boolean {
  let n = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const [ip, name] = line.split(/\s+/);
    if (!ip || !name || isIP(ip) === 0) return false;
    n++;
  }
  return n > 0;
}
