import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import type { CrmUser } from '../access/actor.js';
import type { Deal } from '../deal/deal.js';
import type { DealEvent } from '../deal/events.js';
import { applyEvent } from '../deal/apply.js';
import { openDeal } from '../deal/open.js';
import type { CompiledSalesTopic } from './compiled-topic.js';
import type { DealMachineSnapshot } from './deal-machine.js';
import { outcomeEvent, outcomeEvents, sampleFields } from './outcome-event.js';

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
      const event = outcomeEvent(topic, deal, { outcome, at: deal.lastEventAt + HOUR, actor });
      const result = applyEvent(topic, deal, event);
      if (!result.ok) break;
      events.push(event);
      deal = result.deal;
    }
    return { state: String(path.state.value), events, deal };
  });
}
