import type { Outcome, OutcomeKind } from './schema.js';

/**
 * Whether an outcome kind may explain an outcome: neutral kinds fit anything,
 * a positive or negative kind fits only a finish of the same polarity, and
 * any kind fits an outcome that moves the deal.
 *
 * @example
 * kindFitsOutcome({ id: 'price', name: 'Too expensive', polarity: 'negative', commentRequired: false }, refusedOutcome); // true
 */
export function kindFitsOutcome(kind: OutcomeKind, outcome: Outcome): boolean {
  return kind.polarity === 'neutral' || !('finish' in outcome) || kind.polarity === outcome.finish;
}

/**
 * The outcome kinds that may be recorded with an outcome (S27): the ones the
 * outcome lists, or else every kind of a fitting polarity.
 *
 * @example
 * kindsForOutcome(topic.outcomeKinds, refusedOutcome).map((kind) => kind.id); // ['price', 'competitor']
 */
export function kindsForOutcome(kinds: readonly OutcomeKind[], outcome: Outcome): OutcomeKind[] {
  if (outcome.kinds !== undefined) {
    const listed = new Set(outcome.kinds);
    return kinds.filter((kind) => listed.has(kind.id) && kindFitsOutcome(kind, outcome));
  }
  return kinds.filter((kind) => kindFitsOutcome(kind, outcome));
}
