import type { CrmUser } from '../access/actor.js';
import type { FieldDefinition } from '../definition/schema.js';
import type { Deal, FieldValue } from '../deal/deal.js';
import type { DealEvent, DealEventOf } from '../deal/events.js';
import type { CompiledOutcome, CompiledSalesTopic } from './compiled-topic.js';

/*
 * Acceptable events for a deal's outcomes, built the way a CRM screen would
 * fill them in: what simulate, topicPaths and tests record. They need no
 * graph search, so they stay out of xstate/graph's import cost.
 */

const HOUR = 3_600_000;

/**
 * One acceptable `recordOutcome` event for every outcome of the deal's current
 * stage, an hour after its last change (see {@link topicPaths}).
 *
 * @example
 * outcomeEvents(compiled, deal, { id: 'u-1' }).map((event) => event.type === 'recordOutcome' && event.outcomeId);
 */
export function outcomeEvents(topic: CompiledSalesTopic, deal: Deal, actor: CrmUser): DealEvent[] {
  const stage = topic.stages.get(deal.stageId);
  if (stage === undefined || deal.status !== 'open') return [];
  const at = deal.lastEventAt + HOUR;
  return [...stage.outcomes.values()].map((outcome) => outcomeEvent(topic, deal, { outcome, at, actor }));
}

/**
 * What {@link outcomeEvent} builds an event for: the outcome, when and by
 * whom; the rest may be left out.
 *
 * @example
 * const request: OutcomeEventOptions = { outcome, at, actor, kindId: 'too-expensive', activityId: 'call-3', plan: true, plannedFor: at + 86_400_000 };
 */
export interface OutcomeEventOptions {
  /** The outcome to record, one the deal's current stage offers. */
  readonly outcome: CompiledOutcome;
  /** When (epoch ms). */
  readonly at: number;
  /** Who records it. */
  readonly actor: CrmUser;
  /** The outcome kind to record (S27); by default the first allowed kind, and only when the outcome requires one. */
  readonly kindId?: string | undefined;
  /** The planned contact this outcome records; it leaves the deal's planned activities. */
  readonly activityId?: string | undefined;
  /** Plan the next call with a continuing outcome even when planning is optional (it always is under mandatory planning, S33). */
  readonly plan?: boolean | undefined;
  /** The id of the planned call (default `call-<deal revision>`). */
  readonly planId?: string | undefined;
  /** When the planned call is (default a day after `at`); must be after `at` to count as the next contact. */
  readonly plannedFor?: number | undefined;
}

/**
 * An acceptable `recordOutcome` event for one outcome of the deal's current
 * stage: with a kind and a comment when the outcome or kind demands them
 * (S27), the next call when planning is mandatory (S33), and sample values
 * for the fields the target stage or the outcome requires that the deal
 * lacks, and for its amount when the outcome requires one.
 * {@link outcomeEvents} and `simulate` build their events with it.
 *
 * @example
 * const outcome = compiled.stages.get(deal.stageId)!.outcomes.get('refused')!;
 * const event = outcomeEvent(compiled, deal, { outcome, at: Date.now(), actor: { id: 'u-1' }, kindId: 'competitor' });
 * applyEvent(compiled, deal, event).ok; // true: the comment the kind requires is there
 */
export function outcomeEvent(topic: CompiledSalesTopic, deal: Deal, options: OutcomeEventOptions): DealEventOf<'recordOutcome'> {
  const { outcome, at, actor } = options;
  const chosen = options.kindId;
  const kind = chosen === undefined ? (outcome.kindRequired ? outcome.kinds.values().next().value : undefined) : outcome.kinds.get(chosen);
  const kindId = chosen ?? kind?.id;
  const needsComment = outcome.commentRequired || kind?.commentRequired === true;
  const target = outcome.to === null || outcome.cyclic ? undefined : topic.stages.get(outcome.to);
  const entering = target === undefined ? undefined : sampleFields(topic, target.requiredFields, at, deal.fields);
  const required = outcome.requiredFields.length === 0 ? undefined : sampleFields(topic, outcome.requiredFields, at, deal.fields);
  const fields = required === undefined ? entering : { ...entering, ...required };
  const planning = outcome.finish === null && (options.plan === true || topic.definition.parameters.planning === 'mandatory');
  // Built property by property (same keys, same order as a spread would give) to spare the simulation's hot loop.
  const event: Mutable<DealEventOf<'recordOutcome'>> = { type: 'recordOutcome', outcomeId: outcome.id, at, actor };
  if (kindId !== undefined) event.kindId = kindId;
  if (needsComment) event.comment = commentOf(outcome);
  if (options.activityId !== undefined) event.activityId = options.activityId;
  if (fields !== undefined) event.fields = fields;
  if (outcome.amountRequired && deal.amount === null) event.amount = SAMPLE_AMOUNT;
  if (planning) {
    event.plan = { activityId: options.planId ?? `call-${deal.revision}`, kind: 'call', plannedFor: options.plannedFor ?? at + 24 * HOUR };
  }
  return event;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The amount given to a deal that has none when an outcome requires one. */
const SAMPLE_AMOUNT = 1000;

// One comment string per outcome, shared by every event that needs it (simulations record many).
const comments = new WeakMap<CompiledOutcome, string>();
function commentOf(outcome: CompiledOutcome): string {
  let comment = comments.get(outcome);
  if (comment === undefined) {
    comment = `Recorded "${outcome.name}"`;
    comments.set(outcome, comment);
  }
  return comment;
}

/**
 * Values of the right type for the `required` fields that `current` lacks
 * (text `sample`, the number field's minimum, the date of `at`, `true`, the
 * first option), or `undefined` when none is missing.
 *
 * @example
 * sampleFields(compiled, compiled.stages.get('shipment')!.requiredFields, Date.now()); // { 'delivery-date': '2026-01-12' }
 */
export function sampleFields(
  topic: CompiledSalesTopic,
  required: readonly string[],
  at: number,
  current: Readonly<Record<string, FieldValue>> = {},
): Record<string, FieldValue> | undefined {
  let values: Record<string, FieldValue> | undefined;
  for (const id of required) {
    const field = topic.fields.get(id);
    if (field !== undefined && !Object.hasOwn(current, id)) {
      values ??= {};
      values[id] = sampleValue(field, at);
    }
  }
  return values;
}

function sampleValue(field: FieldDefinition, at: number): FieldValue {
  switch (field.type) {
    case 'text':
      // Within the field's maxLength (at least 1), or the sample would be rejected by the very rule it is for.
      return 'sample'.slice(0, field.maxLength ?? 6);
    case 'number':
      return field.min ?? field.max ?? 0;
    case 'date':
      return new Date(at).toISOString().slice(0, 10);
    case 'boolean':
      return true;
    case 'select':
      return field.options[0]?.id ?? '';
  }
}
