// Does a certificate name the address a peer is reached at? One answer for the rules
// (`hostname-mismatch`) and the live tester (the `hostname` check), so a topology the
// rules accept is never refused by the tester for its name, or the reverse.
import { normalizeIp } from './ip.ts';

export interface CertificateNames {
  dns: readonly string[];
  ip: readonly string[];
}

/**
 * SAN matching as spec §5.1 says: exact or one-label `*.` wildcard (case-insensitive),
 * IPs only against IP SANs, no CN fallback. Returns the SAN that matched, or null.
 */
export function covers(names: CertificateNames, address: string): string | null {
  const want = normalizeIp(address);
  if (want !== undefined) return names.ip.find((ip) => normalizeIp(ip) === want) ?? null;
  const host = address.toLowerCase();
  return names.dns.find((raw) => {
    const san = raw.toLowerCase();
    if (san === host) return true;
    if (!san.startsWith('*.')) return false;
    const dot = host.indexOf('.');
    return dot > 0 && host.slice(dot + 1) === san.slice(2);
  }) ?? null;
}
