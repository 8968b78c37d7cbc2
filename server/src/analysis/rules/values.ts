// invalid-value, legacy-tls, tls-version-unsupported, weak-key (declared sizes), keydb-format.
import type { Property } from '../../../../grammar/src/index.ts';
import { propertiesOf, type Entity } from '../model.ts';
import { GSKIT_KINDS, JAVA_KINDS, PROPERTIES, TLS13_SINCE } from '../product.ts';
import { POLICY } from '../policy.ts';
import { isTlsVersion, predatesTls13, tlsRange } from '../versions.ts';
import { article, tlsCapCause, tlsCapFix, type RuleContext } from './context.ts';
import { reads } from './reads.ts';


const MIN_RSA_BITS = POLICY.minRsaBits;

/** What checkValues reads: every value. */
export const valuesReads = reads('all');

export function checkValues(ctx: RuleContext): void {
  const { model } = ctx;
  for (const e of model.entities) {
    for (const p of propertiesOf(e.decl.block)) {
      checkValue(ctx, p, 'declaration');
      for (const q of propertiesOf(p.block)) checkValue(ctx, q, 'certificate');
    }
    checkEffective(ctx, e);
  }
  for (const l of model.links) {
    for (const p of propertiesOf(l.connection.block)) checkValue(ctx, p, 'connection');
  }
}

/** Range and form checks that every occurrence gets, counted or not. */
function checkValue({ report }: RuleContext, p: Property, where: 'declaration' | 'certificate' | 'connection'): void {
  const v = p.values[0];
  if (!v) return;
  switch (p.name) {
    case 'port': case 'admin-port': case 'ssl-port': case 'ssl-admin-port': {
      const [lo, hi] = where === 'connection' ? [1, 65535] : PROPERTIES[p.name]!.range!;
      const n = Number(v.text);
      if (!(n >= lo && n <= hi)) {
        const option = where === 'connection' ? 'a connection port' : PROPERTIES[p.name]!.option;
        report('invalid-value', v, `${p.name} ${v.text} is out of range: ${option} takes ${lo}–${hi}.`);
      }
      return;
    }
    case 'tls-min': case 'tls-max':
      if (!isTlsVersion(v.text)) report('invalid-value', v, `'${v.text}' is not a TLS version: write 1.0, 1.1, 1.2 or 1.3.`);
      return;
    case 'key': {
      const size = p.values[1];
      if (v.text === 'rsa' && size && Number(size.text) % 8 !== 0) {
        report('invalid-value', size, `an RSA key of ${size.text} bits is not a whole number of bytes: use 2048, 3072 or 4096.`);
      }
      return;
    }
    case 'valid':
      if (Number(v.text) === 0) report('invalid-value', v, `a validity of 0 ${p.values[1]?.text ?? 'days'} makes a certificate that is never valid: give a positive lifetime.`);
      return;
  }
}

/** Checks of the values that count for a component. */
function checkEffective(ctx: RuleContext, e: Entity): void {
  const { report } = ctx;
  const min = e.props.get('tls-min')?.values[0];
  if (min && (min.text === '1.0' || min.text === '1.1')) {
    report('legacy-tls', min, `${e.name} accepts TLS ${min.text}, which is deprecated and disabled by default since 8.1.4; use tls-min 1.2.`);
  }
  const max = e.props.get('tls-max')?.values[0];
  if (max?.text === '1.3' && predatesTls13(e)) {
    const version = e.props.get('version')!.values[0]!.text;
    report('tls-version-unsupported', max, `${e.name} is at ${version}; TLS 1.3 can be enabled only from ${TLS13_SINCE}. Upgrade it or use tls-max 1.2.`);
  }
  const range = tlsRange(e);
  if (range?.empty) {
    const anchor = min && isTlsVersion(min.text) ? min : max!;
    report('invalid-value', anchor, `${e.name} accepts no TLS version at all: tls-min ${range.min} is above tls-max ${range.max}. ${tlsCapCause(e, range.max)}Fix: lower tls-min to ${range.max}, or ${tlsCapFix(e, range.max)}.`);
  }
  const key = e.kind === 'ca' ? e.props.get('key') : e.certificate?.props.get('key');
  if (key) checkKeySize(ctx, e, key);
  const keydb = e.props.get('keydb')?.values[0];
  if (keydb) {
    const ext = keydb.text.toLowerCase().match(/\.[^./\\]+$/)?.[0] ?? '';
    if (JAVA_KINDS.has(e.kind) && ext === '.kdb') {
      report('keydb-format', keydb, `${e.name} is ${article(e.kind)} ${e.kind}, a Java component: it reads a PKCS#12 truststore, not a GSKit .kdb. Use a .p12 file.`,
        { replacement: keydb.text.replace(/\.kdb$/i, '.p12') });
    } else if (GSKIT_KINDS.has(e.kind) && ext === '.jks') {
      report('keydb-format', keydb, `${e.name} is ${article(e.kind)} ${e.kind}, which uses GSKit: it reads a CMS .kdb key database, not a Java .jks keystore. Use a .kdb file.`,
        { replacement: keydb.text.replace(/\.jks$/i, '.kdb') });
    }
  }
}

function checkKeySize({ report }: RuleContext, e: Entity, key: Property): void {
  const size = key.values[1];
  if (key.values[0]?.text !== 'rsa' || !size) return;
  const bits = Number(size.text);
  if (bits % 8 === 0 && bits < MIN_RSA_BITS) {
    report('weak-key', size, `an RSA key of ${bits} bits for ${e.name} is too weak: use at least ${MIN_RSA_BITS} bits.`);
  }
}
