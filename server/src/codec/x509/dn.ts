// Distinguished names: the "CN=..,OU=..,O=..,C=.." strings GSKit's -dn option and SP's docs use,
// and their DER form. The string is read as RFC 4514 (most specific RDN first, so the DER
// SEQUENCE holds them in reverse); formatting reverses again, so a string round-trips unchanged.
import { DerError, TAG, children, oid, readOid, readString, seq, set, stringOf, type Asn1 } from '../asn1/der.ts';

export interface DnAttribute {
  /** Short name (CN, OU, …) when known, else the dotted OID. */
  type: string;
  oid: string;
  value: string;
}

/** Attributes in DER order (least specific first, as `openssl x509 -subject` prints them). */
export type DistinguishedName = DnAttribute[];

const SHORT_NAMES: Record<string, string> = {
  CN: '2.5.4.3', SERIALNUMBER: '2.5.4.5', C: '2.5.4.6', L: '2.5.4.7', ST: '2.5.4.8', STREET: '2.5.4.9',
  O: '2.5.4.10', OU: '2.5.4.11', T: '2.5.4.12', DC: '0.9.2342.19200300.100.1.25',
  UID: '0.9.2342.19200300.100.1.1', EMAILADDRESS: '1.2.840.113549.1.9.1',
};
const NAME_OF_OID = new Map(Object.entries(SHORT_NAMES).map(([k, v]) => [v, k === 'EMAILADDRESS' ? 'emailAddress' : k]));
const IA5_TYPES = new Set([SHORT_NAMES.DC, SHORT_NAMES.EMAILADDRESS]);
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

export class DnSyntaxError extends Error {}

/** Parses "CN=a,OU=b\,c,O=d,C=US". Throws DnSyntaxError naming the problem. */
export function parseDn(text: string): DistinguishedName {
  const attrs: DistinguishedName = [];
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new DnSyntaxError(`"${text}": expected TYPE=value at position ${i + 1}`);
    const typeName = text.slice(i, eq).trim();
    const oidValue = SHORT_NAMES[typeName.toUpperCase()] ?? (/^\d+(\.\d+)+$/.test(typeName) ? typeName : undefined);
    if (!oidValue) throw new DnSyntaxError(`"${text}": unknown attribute type "${typeName}" (use CN, OU, O, L, ST, C, DC, emailAddress or a dotted OID)`);
    let value = '';
    let j = eq + 1;
    for (; j < text.length && text[j] !== ',' && text[j] !== '+'; j++) {
      if (text[j] === '\\') {
        j++;
        if (j >= text.length) throw new DnSyntaxError(`"${text}": dangling backslash at the end`);
      }
      value += text[j];
    }
    value = value.trim();
    if (value === '') throw new DnSyntaxError(`"${text}": empty value for ${typeName}`);
    if (oidValue === SHORT_NAMES.C && !/^[A-Za-z]{2}$/.test(value)) throw new DnSyntaxError(`"${text}": C must be a two-letter country code, got "${value}"`);
    attrs.push({ type: NAME_OF_OID.get(oidValue) ?? oidValue, oid: oidValue, value });
    i = j + 1;
  }
  if (attrs.length === 0) throw new DnSyntaxError('empty distinguished name');
  return attrs.reverse();
}

/** RFC 4514 text, most specific first: "CN=a,OU=b,O=c,C=US". */
export function formatDn(dn: DistinguishedName): string {
  return [...dn].reverse().map((a) => `${a.type}=${a.value.replace(/([,+"\\<>;=])/g, '\\$1')}`).join(',');
}

export function dnToAsn1(dn: DistinguishedName): Asn1 {
  return seq(dn.map((a) => {
    const tag = a.oid === SHORT_NAMES.C ? TAG.PRINTABLE
      : IA5_TYPES.has(a.oid) ? TAG.IA5
      : PRINTABLE.test(a.value) ? TAG.PRINTABLE : TAG.UTF8;
    return set([seq([oid(a.oid), stringOf(tag, a.value)])]);
  }));
}

/** Reads a Name; multi-valued RDNs are flattened in order. */
export function dnFromAsn1(node: Asn1): DistinguishedName {
  const out: DistinguishedName = [];
  for (const rdn of children(node, 'Name')) {
    for (const atv of children(rdn, 'RelativeDistinguishedName')) {
      const [typeNode, valueNode] = children(atv, 'AttributeTypeAndValue');
      if (!valueNode) throw new DerError('AttributeTypeAndValue: missing value');
      const o = readOid(typeNode, 'attribute type');
      out.push({ type: NAME_OF_OID.get(o) ?? o, oid: o, value: readString(valueNode, `value of ${o}`) });
    }
  }
  return out;
}
