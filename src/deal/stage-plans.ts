import type { CompiledSalesTopic, CompiledStage } from '../compile/compiled-topic.js';
import { addDuration } from '../time/calendar.js';
import type { PlannedActivity } from './deal.js';
import { documentEffects, type Effect, type StagePlannedActivity } from './effects.js';
import { dealError, type DealError } from './errors.js';

/** What a stage plans for a deal entering it: the deal's new activities, and the effect telling the host. */
export interface StagePlans {
  readonly activities: readonly PlannedActivity[];
  readonly effects: readonly Effect[];
}

const NOTHING: StagePlans = Object.freeze({ activities: Object.freeze([]), effects: Object.freeze([]) });

/**
 * The activities a stage plans when a deal enters it at `at`, as the entry
 * at `revision` makes them: each `after` its delay (working time when the
 * topic has a calendar), authored by the deal's owner (the topic plans on
 * their behalf, so they may close it under S4), with the id
 * `auto-<revision>-<n>`, unique in the deal's life. The `activitiesPlanned`
 * effect carries each plan's id and title for the host's calendar.
 *
 * @example
 * stagePlans(compiled, compiled.stages.get('offer')!, deal, Date.now(), deal.revision + 1).activities;
 * // [{ id: 'auto-3-0', kind: 'call', authorId: 'u-17', plannedFor: … }]
 */
export function stagePlans(topic: CompiledSalesTopic, stage: CompiledStage, deal: { readonly id: string; readonly ownerId: string }, at: number, revision: number): StagePlans {
  if (stage.plans.length === 0) return NOTHING;
  const activities: PlannedActivity[] = [];
  const described: StagePlannedActivity[] = [];
  stage.plans.forEach((plan, index) => {
    const id = `auto-${revision}-${index}`;
    const plannedFor = addDuration(at, plan.after, topic.calendar ?? undefined);
    activities.push({ id, kind: plan.kind, authorId: deal.ownerId, plannedFor });
    described.push({ id, kind: plan.kind, plannedFor, planId: plan.id, title: plan.title });
  });
  return { activities, effects: [{ type: 'activitiesPlanned', dealId: deal.id, stageId: stage.id, activities: described }] };
}

/**
 * What entering a stage at `at` (the entry at `revision`) does to a deal's
 * activities and effects: the stage's plans join `activities`, and the
 * effects are the stage's document templates (S28), then the plans. A
 * plan whose id one of `activities` already has is refused
 * (`duplicate_activity`), never dropped. Every entry into a stage (opening,
 * a move, the privileged move) goes through here.
 *
 * @example
 * const entered = stageEntry(compiled, offer, deal, deal.activities, Date.now(), deal.revision + 1);
 * if (entered.ok) console.log(entered.effects.map((effect) => effect.type)); // ['suggestDocuments', 'activitiesPlanned']
 */
export function stageEntry(
  topic: CompiledSalesTopic,
  stage: CompiledStage,
  deal: { readonly id: string; readonly ownerId: string },
  activities: readonly PlannedActivity[],
  at: number,
  revision: number,
): { readonly ok: true; readonly activities: readonly PlannedActivity[]; readonly effects: readonly Effect[] } | { readonly ok: false; readonly error: DealError } {
  const documents = documentEffects(deal.id, stage);
  const planned = stagePlans(topic, stage, deal, at, revision);
  if (planned.activities.length === 0) return { ok: true, activities, effects: documents };
  const taken = planned.activities.find((activity) => activities.some((existing) => existing.id === activity.id));
  if (taken !== undefined) return { ok: false, error: dealError('duplicate_activity', { id: taken.id }, 'activities') };
  return { ok: true, activities: [...activities, ...planned.activities], effects: [...documents, ...planned.effects] };
}
