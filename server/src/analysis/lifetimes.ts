// Certificate lifetimes (spec §4.2 "Lifetimes nest", v1.1): a `signed-by` certificate of
// this file lives its declared or defaulted `valid` from its issue date; a certificate
// read from a file ends at its notAfter.
import type { Property } from '../../../grammar/src/index.ts';
import type { Chains } from './chains.ts';
import type { Entity } from './model.ts';
import { DEFAULT_VALIDITY } from './product.ts';

export interface Validity {
  amount: number;
  unit: 'days' | 'years';
}

/** Where a certificate's lifetime comes from, and when it ends if issued at `issued`. */
export interface Lifetime {
  /** The `valid` property when declared. */
  declared: Property | null;
  /** Null when the end cannot be known (an unreadable file) or is not compared (`valid 0`). */
  end: Date | null;
  fromFile: boolean;
  /** "825 days", "10 years", or the file's notAfter date. */
  text: string;
}

/**
 * The lifetime of a CA's certificate or of the one a component presents. Durations are
 * counted from `issued`, one date for every certificate of the file, so they compare as
 * `sptls issue` would issue them. Null for a self-signed component certificate (it has
 * no issuer to outlive).
 */
export function lifetimeOf(e: Entity, chains: Chains, issued: Date): Lifetime | null {
  const fromFile = e.kind === 'ca' ? e.props.has('file') : e.certificate?.mode === 'file';
  if (fromFile) {
    const info = chains.fileCertificate(e);
    return { declared: null, end: info?.notAfter ?? null, fromFile: true, text: info ? `notAfter ${info.notAfter.toISOString().slice(0, 10)}` : 'unknown' };
  }
  const declared = (e.kind === 'ca' ? e.props : e.certificate?.props)?.get('valid') ?? null;
  const validity = validityOf(declared) ?? (e.kind === 'ca' ? DEFAULT_VALIDITY.ca : DEFAULT_VALIDITY.certificate);
  // `valid 0` is an invalid-value already: such a lifetime is not compared.
  const end = validity.amount > 0 ? endOf(issued, validity) : null;
  return { declared, end, fromFile: false, text: `${validity.amount} ${validity.unit}` };
}

/** A declared `valid` as a lifetime; null when absent or cut short by a syntax error. */
export function validityOf(p: Property | null | undefined): Validity | null {
  const [amount, unit] = p?.values ?? [];
  if (!amount || !unit) return null;
  return { amount: Number(amount.text), unit: unit.text.startsWith('year') ? 'years' : 'days' };
}

/** The instant a lifetime that starts at `from` ends: years are calendar years, as `sptls issue` counts them. */
export function endOf(from: Date, v: Validity): Date {
  const d = new Date(from);
  if (v.unit === 'years') d.setUTCFullYear(d.getUTCFullYear() + v.amount);
  else d.setTime(d.getTime() + v.amount * 86_400_000);
  return d;
}
