import { expect } from 'vitest';
import { applyEvent, type CompiledSalesTopic, type Deal, type DealEvent, type SalesTopic, type TopicDefinition } from '../../src/index.js';
import { editTopic, type EditResult, type TopicEdit } from '../../src/definition/edit.js';
import { accepted, compileSales, director, HOUR, manager, MONDAY, open } from '../support.js';

/** The next version of a topic, edited by a director; fails the test when the edit is refused. */
export function next<T extends TopicDefinition>(topic: T, edit: TopicEdit | readonly TopicEdit[]): T {
  const result: EditResult<T> = editTopic(topic, director, edit);
  if (!result.ok) expect.fail(`expected the edit to be accepted, got ${JSON.stringify(result.issues, null, 2)}`);
  return result.topic;
}

/** The outcomes that walk the standard topic forward, stage by stage. */
export const FORWARD = ['qualified', 'interested', 'accepted', 'paid'] as const;

export const outcome = (outcomeId: string, at: number, extra: Partial<DealEvent> = {}): DealEvent =>
  ({ type: 'recordOutcome', outcomeId, at, actor: manager, ...extra }) as DealEvent;

/** A deal opened at MONDAY and moved `steps` stages forward, one hour apart. */
export function dealAt(topic: CompiledSalesTopic, steps: number, id: string): Deal {
  let deal = open(topic, MONDAY, id, `client-${id}`);
  for (const [index, outcomeId] of FORWARD.slice(0, steps).entries()) deal = accepted(applyEvent(topic, deal, outcome(outcomeId, MONDAY + (index + 1) * HOUR))).deal;
  return deal;
}

/** One deal in each stage of the standard topic, and one lost (closed). */
export function pipeline(topic: CompiledSalesTopic): { deals: Deal[]; byStage: Record<string, Deal>; lost: Deal } {
  const byStage: Record<string, Deal> = {};
  topic.stageList.forEach((stage, index) => {
    byStage[stage.id] = dealAt(topic, index, `d-${stage.id}`);
  });
  const lost = accepted(applyEvent(topic, open(topic, MONDAY, 'd-lost', 'client-lost'), outcome('refused', MONDAY + HOUR, { kindId: 'no-need' }))).deal;
  return { deals: [...Object.values(byStage), lost], byStage, lost };
}

export const compile = (topic: SalesTopic): CompiledSalesTopic => compileSales(topic);
