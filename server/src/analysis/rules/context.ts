// What every rule receives. Rules are functions of the model; they report through
// `report` and never read files or the clock except through this context.
import type { Chains } from '../chains.ts';
import type { Report } from '../diagnostic.ts';
import type { Entity, Model } from '../model.ts';
import { KINDS, TLS13_SINCE } from '../product.ts';

export interface RuleContext {
  model: Model;
  chains: Chains;
  report: Report;
  now: Date;
  /** certificate-expiring fires when fewer than this many days are left. */
  expiryWarningDays: number;
}

export type Rule = (ctx: RuleContext) => void;

/** "the server SP1" — how messages name a component. */
export function describe(e: Entity): string {
  return `${e.kind === 'ca' ? 'CA' : e.kind} ${e.name}`;
}

/** The key database a component's trust lives in, for messages. */
export function keydbOf(e: Entity): string {
  const declared = e.props.get('keydb')?.values[0]?.text;
  return declared ?? KINDS[e.kind].keydb ?? 'key database';
}

/** "an" before a vowel sound: "an operations-center", "an ldap" (said "el-dap"). */
export function article(word: string): string {
  return /^(?:[aeiou]|ldap\b)/i.test(word) ? 'an' : 'a';
}

/** Why a component's TLS stops at `max`: its level (below 8.1.11 caps at 1.2) or its declared tls-max. */
export function tlsCapCause(e: Entity, max: string): string {
  const declared = e.props.get('tls-max')?.values[0]?.text;
  if (declared === max) return `${e.name} declares tls-max ${max}. `;
  const version = e.props.get('version')?.values[0]?.text;
  if (version && max === '1.2') return `${e.name} is at ${version}: a level below ${TLS13_SINCE} caps TLS at 1.2. `;
  return '';
}

/** How to raise a component's highest TLS version. */
export function tlsCapFix(e: Entity, max: string): string {
  const declared = e.props.get('tls-max')?.values[0]?.text;
  if (declared === max) return `raise ${e.name}'s tls-max`;
  return `upgrade ${e.name} to ${TLS13_SINCE} or later and enable TLS 1.3`;
}
