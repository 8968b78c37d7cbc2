// Distinguished names compared as the spec says (§4.2): sets of type=value pairs,
// order ignored, types and values case-insensitive, values trimmed.

/** A key equal for two DNs exactly when they match. Accepts "CN=a,O=b" and Node's "O=b\nCN=a". */
export function dnKey(dn: string): string {
  return splitDn(dn)
    .map(([type, value]) => `${type.trim().toLowerCase()}=${value.trim().toLowerCase()}`)
    .sort()
    .join('\n');
}

function splitDn(dn: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let current = '';
  const flush = () => {
    const eq = current.indexOf('=');
    if (eq > 0) out.push([current.slice(0, eq), current.slice(eq + 1)]);
    current = '';
  };
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i]!;
    if (c === '\\' && i + 1 < dn.length) { current += dn[++i]; continue; }
    if (c === ',' || c === '\n' || c === '+') { flush(); continue; }
    current += c;
  }
  flush();
  return out;
}
