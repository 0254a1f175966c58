import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import type { Actor } from '../access/permissions.js';
import type { FieldDefinition } from '../definition/schema.js';
import type { Deal, FieldValue } from '../deal/deal.js';
import type { DealEvent } from '../deal/events.js';
import { applyEvent } from '../deal/apply.js';
import { openDeal } from '../deal/open.js';
import type { CompiledOutcome, CompiledSalesTopic } from './compiled-topic.js';
import type { DealMachineSnapshot } from './machine.js';

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
  readonly actor?: Actor;
  /** Stop after this many paths (default 10,000). */
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
  const opened = openDeal(topic, { id: 'path', clientId: 'client', ownerId: actor.id, at: openedAt, actor, fields: sampleFields(topic, topic.firstStage.requiredFields, openedAt) });
  if (!opened.ok) return [];
  const traversal = {
    input: { deal: opened.deal },
    events: (snapshot: DealMachineSnapshot) => outcomeEvents(topic, snapshot.context.deal, actor),
    serializeState: (snapshot: DealMachineSnapshot) => String(snapshot.value),
    limit: options.limit ?? 10_000,
  };
  const paths = options.kind === 'simple' ? getSimplePaths(topic.machine, traversal) : getShortestPaths(topic.machine, traversal);
  return paths.map((path) => {
    const events = path.steps.map((step) => step.event).filter((event) => (event.type as string) !== 'xstate.init');
    // States are told apart by value only, so the snapshot a path ends on may come from another
    // route to the same state: the deal is the replay of this path's own events.
    const deal = events.reduce((current, event) => {
      const result = applyEvent(topic, current, event);
      return result.ok ? result.deal : current;
    }, opened.deal);
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
export function outcomeEvents(topic: CompiledSalesTopic, deal: Deal, actor: Actor): DealEvent[] {
  const stage = topic.stages.get(deal.stageId);
  if (stage === undefined || deal.status !== 'open') return [];
  const at = (deal.history.at(-1)?.at ?? deal.openedAt) + HOUR;
  return [...stage.outcomes.values()].map((outcome) => recordingOf(topic, deal, outcome, at, actor));
}

function recordingOf(topic: CompiledSalesTopic, deal: Deal, outcome: CompiledOutcome, at: number, actor: Actor): DealEvent {
  const kind = outcome.kinds.values().next().value;
  const withKind = outcome.kindRequired && kind !== undefined;
  const needsComment = outcome.commentRequired || (withKind && kind.commentRequired);
  const target = outcome.to === null ? undefined : topic.stages.get(outcome.to);
  const fields = target === undefined || outcome.cyclic ? {} : sampleFields(topic, target.requiredFields, at, deal.fields);
  const planning = topic.definition.parameters.planning === 'mandatory' && outcome.finish === null;
  return {
    type: 'recordOutcome',
    outcomeId: outcome.id,
    at,
    actor,
    ...(withKind ? { kindId: kind.id } : {}),
    ...(needsComment ? { comment: `Recorded "${outcome.name}"` } : {}),
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
    ...(planning ? { plan: { activityId: `call-${deal.revision}`, kind: 'call' as const, plannedFor: at + 24 * HOUR } } : {}),
  };
}

/** Values of the right type for the required fields that are still empty. */
function sampleFields(
  topic: CompiledSalesTopic,
  required: readonly string[],
  at: number,
  current: Readonly<Record<string, FieldValue>> = {},
): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {};
  for (const id of required) {
    const field = topic.fields.get(id);
    if (field !== undefined && !Object.hasOwn(current, id)) values[id] = sampleValue(field, at);
  }
  return values;
}

function sampleValue(field: FieldDefinition, at: number): FieldValue {
  switch (field.type) {
    case 'text':
      return 'sample';
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
