// When a certificate `sptls issue` signs starts and ends. Lifetimes nest (spec §4.2, v1.1): a
// certificate never outlives its issuer, so one whose `valid` would reach past the issuer's
// end ends with it, and the run says so. Pure: the executor and the dry-run plan share it.
import { notAfterOf, type IssueSpec } from './spec.ts';

/** Certificates start an hour back, so a peer whose clock lags a little accepts them. */
const CLOCK_SKEW_MS = 3_600_000;

/** notBefore of every certificate a run issues at `now` (whole seconds, as X.509 stores them). */
export function issueStart(now: Date): Date {
  return new Date(Math.floor((now.getTime() - CLOCK_SKEW_MS) / 1000) * 1000);
}

export interface Lifetime {
  notAfter: Date;
  /** Set when the spec's validity was cut at the issuer's end: the line that says so. */
  note?: string;
}

export function lifetimeOf(spec: IssueSpec, notBefore: Date, issuerEnd: Date | undefined): Lifetime {
  const wanted = notAfterOf(notBefore, spec.validity);
  if (!issuerEnd || wanted <= issuerEnd) return { notAfter: wanted };
  return {
    notAfter: issuerEnd,
    note: `${spec.name}: valid ${spec.validity.amount} ${spec.validity.unit} would outlive its issuer ${spec.issuer}; it ends with it, at ${issuerEnd.toISOString()}`,
  };
}
