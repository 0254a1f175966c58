import type { CompiledTopic } from '../compile/compiled-topic.js';
import type { Deal, PlannedActivity } from './deal.js';
import { dealError, type DealError } from './errors.js';

/** The answer of {@link checkPlanning}. */
export type PlanningCheck = { readonly ok: true } | { readonly ok: false; readonly error: DealError };

/** Whether an activity is a call or meeting planned after `at`: the kind that satisfies mandatory planning (S33). */
export function isNextContact(activity: Pick<PlannedActivity, 'kind' | 'plannedFor'>, at: number): boolean {
  return (activity.kind === 'call' || activity.kind === 'meeting') && activity.plannedFor > at;
}

/**
 * Whether an outcome that keeps the deal going may be recorded at `at` (S33):
 * with mandatory planning, the deal must have a call or meeting planned for
 * after that moment. Finishing outcomes never need one. `recordedActivityId`
 * names the planned contact the outcome itself records, which no longer
 * counts as the next one.
 *
 * @example
 * const check = checkPlanning(compiled, deal, Date.now());
 * if (!check.ok) console.log(check.error.message); // 'Planning is mandatory: …'
 */
export function checkPlanning(topic: CompiledTopic, deal: Deal, at: number, recordedActivityId?: string): PlanningCheck {
  if (topic.kind !== 'sales' || topic.definition.parameters.planning === 'optional') return { ok: true };
  const remaining = recordedActivityId === undefined ? deal.activities : deal.activities.filter((activity) => activity.id !== recordedActivityId);
  return hasNextContact(remaining, at) ? { ok: true } : { ok: false, error: dealError('planning_required') };
}

/**
 * Whether any of the activities is a call or meeting planned after `at` (S33).
 *
 * @example
 * hasNextContact(deal.activities, Date.now());
 */
export function hasNextContact(activities: readonly PlannedActivity[], at: number): boolean {
  return activities.some((activity) => isNextContact(activity, at));
}
