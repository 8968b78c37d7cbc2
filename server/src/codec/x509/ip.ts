// IP addresses: recognising them (SAN matching, spec §5.1) and their 4/16 raw bytes in
// a subjectAltName iPAddress. Written without node:net so the analysis, which uses this
// codec, stays free of network modules.
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** 4 or 6 when `text` is an IPv4 or IPv6 address, else 0 (as node:net's isIP). */
export function ipVersion(text: string): 0 | 4 | 6 {
  if (IPV4.test(text)) return 4;
  if (!text.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(text)) return 0;
  try {
    // The WHATWG URL parser implements the full IPv6 grammar (compression, embedded IPv4).
    new URL(`http://[${text}]/`);
    return 6;
  } catch {
    return 0;
  }
}

/** The canonical text of an IP address (compare by value: 2001:0db8:0:0::1 → 2001:db8::1); undefined for a host name. */
export function normalizeIp(text: string): string | undefined {
  const bytes = ipVersion(text) ? ipToBytes(text) : undefined;
  return bytes ? bytesToIp(bytes) : undefined;
}

export function ipToBytes(ip: string): Buffer | undefined {
  const version = ipVersion(ip.replace(/%.*$/, ''));
  if (version === 4) return Buffer.from(ip.split('.').map(Number));
  if (version !== 6) return undefined;
  let text = ip.replace(/%.*$/, '');
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = v4[1]!.split('.').map(Number);
    text = text.slice(0, -v4[1]!.length) + `${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? 0 : 8 - headParts.length - tailParts.length;
  const groups = [...headParts, ...Array(zeros).fill('0'), ...tailParts];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

export function bytesToIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16) return Buffer.from(bytes).toString('hex');
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[i * 2]! << 8) | bytes[i * 2 + 1]!).toString(16));
  // Compress the longest run of zero groups (RFC 5952).
  let best = { start: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.len && j - i > 1) best = { start: i, len: j - i };
    i = j;
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.len).join(':')}`;
}
