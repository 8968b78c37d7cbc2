// What every rule receives. Rules are functions of the model; they report through
// `report` and never read files or the clock except through this context.
import type { Chains } from '../chains.ts';
import type { Report } from '../diagnostic.ts';
import type { Entity, Model } from '../model.ts';
import { KINDS } from '../product.ts';

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

export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
