import type { Approver, DocumentTemplate } from '../definition/schema.js';
import type { FinishPolarity } from './deal.js';

/**
 * Work the host must carry out after an accepted event. The library never
 * performs I/O: it says what should happen, the host does it (and may do it
 * in the same database transaction that stores the deal).
 *
 * - `removePlannedActivities` (S4): the final contact was recorded and the
 *   topic lets anyone close planned contacts: remove these other authors'
 *   planned contacts from the planned-events registry.
 * - `createSharedAssignment` (S5): attach the client to the team as well.
 * - `cancelPlannedActivities` (S35): the deal closed and the topic cancels what was still planned.
 * - `cancelUnpaidInvoices` (S35): the deal closed and the topic cancels its unpaid invoices.
 * - `suggestDocuments` (S28): the deal entered a stage with document templates.
 * - `activitiesPlanned`: the deal entered a stage that plans activities;
 *   they are on the deal (authored by its owner), for the host's calendar.
 * - `requestApproval` (S25): ask these approvers to decide on a new deadline.
 * - `dealClosed` (S34): the deal closed with this result.
 *
 * @example
 * for (const effect of result.effects) {
 *   if (effect.type === 'suggestDocuments') ui.offerTemplates(effect.documents);
 * }
 */
export type Effect =
  | { readonly type: 'removePlannedActivities'; readonly dealId: string; readonly activityIds: readonly string[]; readonly authorIds: readonly string[] }
  | { readonly type: 'createSharedAssignment'; readonly dealId: string; readonly clientId: string }
  | { readonly type: 'cancelPlannedActivities'; readonly dealId: string; readonly activityIds: readonly string[] }
  | { readonly type: 'cancelUnpaidInvoices'; readonly dealId: string; readonly clientId: string }
  | { readonly type: 'suggestDocuments'; readonly dealId: string; readonly stageId: string; readonly documents: readonly DocumentTemplate[] }
  | { readonly type: 'activitiesPlanned'; readonly dealId: string; readonly stageId: string; readonly activities: readonly StagePlannedActivity[] }
  | {
      readonly type: 'requestApproval';
      readonly dealId: string;
      readonly approvers: readonly Approver[];
      readonly dueAt: number;
      readonly requestedBy: string;
    }
  | { readonly type: 'dealClosed'; readonly dealId: string; readonly result: FinishPolarity };

/** An activity a stage planned, as the `activitiesPlanned` effect describes it: the deal's activity with the plan's id and title. */
export interface StagePlannedActivity {
  readonly id: string;
  readonly kind: 'call' | 'meeting' | 'task';
  readonly plannedFor: number;
  readonly planId: string;
  readonly title: string;
}

/** The effect of one `type`. */
export type EffectOf<T extends Effect['type']> = Extract<Effect, { readonly type: T }>;

/**
 * Whether an effect is of the given `type`, narrowing it for TypeScript.
 *
 * @example
 * for (const effect of result.effects.filter((e) => isEffect(e, 'suggestDocuments'))) offer(effect.documents);
 */
export function isEffect<T extends Effect['type']>(effect: Effect, type: T): effect is EffectOf<T> {
  return effect.type === type;
}

const NONE: readonly Effect[] = Object.freeze([]);

/**
 * The effects of a deal entering a stage: its document templates suggested (S28), if it has any.
 *
 * @example
 * documentEffects('d-1', compiled.stages.get('offer')!); // [{ type: 'suggestDocuments', … }]
 */
export function documentEffects(dealId: string, stage: { readonly id: string; readonly documents: readonly DocumentTemplate[] }): readonly Effect[] {
  return stage.documents.length === 0 ? NONE : [{ type: 'suggestDocuments', dealId, stageId: stage.id, documents: stage.documents }];
}
