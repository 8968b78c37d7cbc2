// Product levels and TLS protocol ranges (spec §4.1 defaults, §5.1 "Versions").
import type { Entity } from './model.ts';
import { isApplicable, SSL_ON_TCPPORT_SINCE, TLS13_SINCE, TLS_VERSIONS, type TlsVersion } from './product.ts';

/** Compares dotted versions part by part, missing parts being 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

const onTcpPort = new Map<string, boolean>();

/** Does a server or storage agent at `version` accept TLS on its TCPPORT (spec §5 ssl-port-required)? */
export function acceptsTlsOnTcpPort(version: string): boolean {
  let r = onTcpPort.get(version);
  if (r === undefined) {
    const since = Number(version.split('.')[0]) >= 8 ? SSL_ON_TCPPORT_SINCE.v8 : SSL_ON_TCPPORT_SINCE.v7;
    r = compareVersions(version, since) >= 0;
    if (onTcpPort.size < 1000) onTcpPort.set(version, r);
  }
  return r;
}

export function isTlsVersion(text: string): text is TlsVersion {
  return (TLS_VERSIONS as readonly string[]).includes(text);
}

export interface TlsRange {
  min: TlsVersion;
  max: TlsVersion;
  empty: boolean;
}

// Thousands of components share a handful of product levels.
const predates = new Map<string, boolean>();

/** Levels below this cannot enable TLS 1.3. */
export function predatesTls13(e: Entity): boolean {
  const v = e.props.get('version')?.values[0]?.text;
  if (v === undefined) return false;
  let r = predates.get(v);
  if (r === undefined) {
    r = compareVersions(v, TLS13_SINCE) < 0;
    if (predates.size < 1000) predates.set(v, r);
  }
  return r;
}

/**
 * The protocols a component accepts: declared values as written (even where a rule
 * reports them), defaults otherwise. Values that are not a TLS version count as not
 * declared: they are already an invalid-value. Null for kinds without TLS settings.
 */
export function tlsRange(e: Entity): TlsRange | null {
  // Every connection asks for both ends' ranges; the entity carries the answer.
  if (e.tlsRange === undefined) e.tlsRange = computeTlsRange(e);
  return e.tlsRange;
}


function computeTlsRange(e: Entity): TlsRange | null {
  if (!isApplicable('tls-min', e.kind)) return null;
  const declaredMin = e.props.get('tls-min')?.values[0]?.text;
  const declaredMax = e.props.get('tls-max')?.values[0]?.text;
  const min: TlsVersion = declaredMin && isTlsVersion(declaredMin) ? declaredMin : '1.2';
  const max: TlsVersion = declaredMax && isTlsVersion(declaredMax) ? declaredMax : predatesTls13(e) ? '1.2' : '1.3';
  return { min, max, empty: min > max };
}

export function rangesOverlap(a: TlsRange, b: TlsRange): boolean {
  return a.min <= b.max && b.min <= a.max;
}
