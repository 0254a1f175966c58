import type { CrmUser } from '../access/actor.js';
import { compileTopic } from '../compile/compile.js';
import type { CompiledTopic } from '../compile/compiled-topic.js';
import { topicPaths } from '../compile/paths.js';
import type { DealEvent } from '../deal/events.js';

/** One route through a topic: the state it reaches and the events that lead there from a new deal. */
export interface TopicRoute {
  /** A stage id, or a finish state: `closed:positive`, `closed:negative`, `finished:positive`. */
  readonly to: string;
  readonly events: readonly DealEvent[];
}

/**
 * Every shortest route through a sales topic, one per stage and finish a deal
 * can reach, as event sequences (found by `xstate/graph`), so a test can drive
 * a CRM integration through every route of its topic. Accepts a topic
 * definition or a compiled topic; an audit or service topic has no routes.
 *
 * @example
 * import { topicRoutes } from 'crm-topics/testing';
 * for (const route of topicRoutes(salesTopic)) {
 *   it(`reaches ${route.to}`, async () => {
 *     const deal = await crm.openDeal();
 *     for (const event of route.events) await crm.apply(deal.id, event);
 *   });
 * }
 */
export function topicRoutes(topic: unknown, options: { readonly openedAt?: number; readonly actor?: CrmUser } = {}): TopicRoute[] {
  const compiled: CompiledTopic = isCompiled(topic) ? topic : compileTopic(topic);
  if (compiled.kind !== 'sales') return [];
  return topicPaths(compiled, options).map((path) => ({ to: path.state, events: path.events }));
}

function isCompiled(topic: unknown): topic is CompiledTopic {
  return typeof topic === 'object' && topic !== null && 'machine' in topic && 'definition' in topic;
}
