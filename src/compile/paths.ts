import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import type { CrmUser } from '../access/actor.js';
import type { FieldDefinition } from '../definition/schema.js';
import type { Deal, FieldValue } from '../deal/deal.js';
import type { DealEvent, DealEventOf } from '../deal/events.js';
import { applyEvent } from '../deal/apply.js';
import { openDeal } from '../deal/open.js';
import type { CompiledOutcome, CompiledSalesTopic } from './compiled-topic.js';
import type { DealMachineSnapshot } from './deal-machine.js';

const HOUR = 3_600_000;

/** A route through a topic: the events that take a new deal from the first stage to `state`. */
export interface TopicPath {
  /** The machine state reached: a stage id, or a finish state such as `closed:positive`. */
  readonly state: string;
  readonly events: readonly DealEvent[];
  /** The deal at the end of the path. */
  readonly deal: Deal;
}

/** Options of {@link topicPaths}. */
export interface TopicPathsOptions {
  /** `shortest` (default): one shortest path to every reachable state; `simple`: every path that visits no state twice. */
  readonly kind?: 'shortest' | 'simple';
  /** When the deal opens, epoch ms (default 2026-01-05T09:00:00Z, a Monday). */
  readonly openedAt?: number;
  /** Who records the outcomes (default `{ id: 'tester' }`). */
  readonly actor?: CrmUser;
  /**
   * Return at most this many paths (default 10,000). It trims the result and
   * never throws; simple paths are still all enumerated first, and their
   * number grows exponentially with the outcomes of a dense topic.
   */
  readonly limit?: number;
}

/**
 * Every route through a sales topic as event sequences, found by `xstate/graph`
 * on the compiled machine: with `shortest`, one shortest path to each stage
 * and finish a deal can reach. Each step records an outcome of the current
 * stage one hour after the previous one, carrying what the topic demands: a
 * kind and a comment (S27), the next call when planning is mandatory (S33),
 * and sample values for fields the next stage requires.
 *
 * @example
 * for (const path of topicPaths(compiled)) {
 *   await myCrm.replay(path.events); // drive your own integration through every route
 * }
 */
export function topicPaths(topic: CompiledSalesTopic, options: TopicPathsOptions = {}): TopicPath[] {
  const openedAt = options.openedAt ?? Date.parse('2026-01-05T09:00:00Z');
  const actor = options.actor ?? { id: 'tester' };
  const opened = openDeal(topic, { id: 'path', clientId: 'client', ownerId: actor.id, at: openedAt, actor, fields: sampleFields(topic, topic.firstStage.requiredFields, openedAt) ?? {} });
  if (!opened.ok) return [];
  const traversal = {
    input: { deal: opened.deal },
    events: (snapshot: DealMachineSnapshot) => outcomeEvents(topic, snapshot.context.deal, actor),
    // xstate/graph keys plain objects by this string: a bare stage id such as "constructor" or
    // "toString" would find Object.prototype's member there and break the traversal.
    serializeState: (snapshot: DealMachineSnapshot) => `state ${String(snapshot.value)}`,
    // No xstate `limit`: it counts traversal steps and throws when they run out, while the
    // traversal of states is finite anyway (each stage is visited once); `limit` trims paths.
  };
  const paths = options.kind === 'simple' ? getSimplePaths(topic.machine, traversal) : getShortestPaths(topic.machine, traversal);
  return paths.slice(0, Math.max(0, options.limit ?? 10_000)).map((path) => {
    // States are told apart by value only, so xstate/graph built the events leaving a state for the
    // first deal it met there, which may have come another way (earlier, or with other fields): on
    // another route they could be out of order or miss a field. Each step is built again for this
    // route's own deal, and the deal is the replay of these events.
    const events: DealEvent[] = [];
    let deal = opened.deal;
    for (const step of path.steps) {
      const recorded = step.event as DealEvent | { readonly type: 'xstate.init' };
      if (recorded.type !== 'recordOutcome') continue;
      const outcome = topic.stages.get(deal.stageId)?.outcomes.get(recorded.outcomeId);
      if (outcome === undefined) break;
      const event = outcomeEvent(topic, deal, outcome, (deal.history.at(-1)?.at ?? deal.openedAt) + HOUR, actor);
      const result = applyEvent(topic, deal, event);
      if (!result.ok) break;
      events.push(event);
      deal = result.deal;
    }
    return { state: String(path.state.value), events, deal };
  });
}

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
  const at = (deal.history.at(-1)?.at ?? deal.openedAt) + HOUR;
  return [...stage.outcomes.values()].map((outcome) => outcomeEvent(topic, deal, outcome, at, actor));
}

/**
 * Options of {@link outcomeEvent}; every one may be left out.
 *
 * @example
 * outcomeEvent(compiled, deal, outcome, at, actor, { kindId: 'too-expensive', activityId: 'call-3', plan: true, plannedFor: at + 86_400_000 });
 */
export interface OutcomeEventOptions {
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
 * stage at `at`: with a kind and a comment when the outcome or kind demands
 * them (S27), the next call when planning is mandatory (S33), and sample
 * values for the fields the target stage requires that the deal lacks.
 * {@link outcomeEvents} and `simulate` build their events with it.
 *
 * @example
 * const stage = compiled.stages.get(deal.stageId)!;
 * const event = outcomeEvent(compiled, deal, stage.outcomes.get('refused')!, Date.now(), { id: 'u-1' }, { kindId: 'competitor' });
 * applyEvent(compiled, deal, event).ok; // true: the comment the kind requires is there
 */
export function outcomeEvent(
  topic: CompiledSalesTopic,
  deal: Deal,
  outcome: CompiledOutcome,
  at: number,
  actor: CrmUser,
  options?: OutcomeEventOptions,
): DealEventOf<'recordOutcome'> {
  const chosen = options?.kindId;
  const kind = chosen === undefined ? (outcome.kindRequired ? outcome.kinds.values().next().value : undefined) : outcome.kinds.get(chosen);
  const kindId = chosen ?? kind?.id;
  const needsComment = outcome.commentRequired || kind?.commentRequired === true;
  const target = outcome.to === null || outcome.cyclic ? undefined : topic.stages.get(outcome.to);
  const fields = target === undefined ? undefined : sampleFields(topic, target.requiredFields, at, deal.fields);
  const planning = outcome.finish === null && (options?.plan === true || topic.definition.parameters.planning === 'mandatory');
  // Built property by property (same keys, same order as a spread would give) to spare the simulation's hot loop.
  const event: Mutable<DealEventOf<'recordOutcome'>> = { type: 'recordOutcome', outcomeId: outcome.id, at, actor };
  if (kindId !== undefined) event.kindId = kindId;
  if (needsComment) event.comment = commentOf(outcome);
  if (options?.activityId !== undefined) event.activityId = options.activityId;
  if (fields !== undefined) event.fields = fields;
  if (planning) {
    event.plan = { activityId: options?.planId ?? `call-${deal.revision}`, kind: 'call', plannedFor: options?.plannedFor ?? at + 24 * HOUR };
  }
  return event;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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
