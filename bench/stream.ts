import { openDeal, type CompiledSalesTopic, type Deal, type DealEvent } from '../src/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.parse('2026-01-05T09:00:00Z');

/** One deal's worth of the realistic event stream: the opened deal and the events it takes. */
export interface DealRun {
  readonly deal: Deal;
  readonly events: readonly DealEvent[];
}

/**
 * A realistic event stream on the standard topic: outcomes that plan the next
 * call (and record the previous one), a cyclic stay, a cyclic outcome that
 * restarts the stage clock, field updates, and a finish — positive for most
 * deals, a refusal with a reason for every fifth. Every event is accepted.
 */
export function dealRuns(topic: CompiledSalesTopic, deals: number): DealRun[] {
  const runs: DealRun[] = [];
  for (let index = 0; index < deals; index += 1) {
    const at0 = START + (index % 1000) * HOUR;
    const opened = openDeal(topic, { id: `deal-${index}`, clientId: `client-${index}`, ownerId: 'manager', at: at0, amount: 1000 + index });
    if (!opened.ok) throw new Error(opened.error.message);
    const actor = { id: 'manager' };
    const at = (hours: number) => at0 + hours * HOUR;
    const plan = (id: string, hours: number) => ({ activityId: id, kind: 'call' as const, plannedFor: at(hours) });
    const events: DealEvent[] = [
      { type: 'recordOutcome', outcomeId: 'qualified', plan: plan('c1', 20), at: at(1), actor },
      { type: 'recordOutcome', outcomeId: 'no-answer', activityId: 'c1', plan: plan('c2', 30), at: at(20), actor },
      { type: 'setFields', fields: { carrier: 'ПЭК', 'delivery-date': '2026-02-01' }, at: at(21), actor },
      { type: 'recordOutcome', outcomeId: 'interested', activityId: 'c2', plan: plan('c3', 50), at: at(30), actor },
    ];
    if (index % 5 === 4) {
      events.push({ type: 'recordOutcome', outcomeId: 'refused', kindId: 'too-expensive', at: at(40), actor });
    } else {
      events.push(
        { type: 'recordOutcome', outcomeId: 'revise', comment: 'New prices', activityId: 'c3', plan: plan('c4', 70), at: at(50), actor },
        { type: 'recordOutcome', outcomeId: 'accepted', activityId: 'c4', at: at(70), actor },
        { type: 'recordOutcome', outcomeId: 'paid', at: at(4 * 24), actor },
        { type: 'recordOutcome', outcomeId: 'shipped', at: at(5 * 24), actor },
      );
    }
    runs.push({ deal: opened.deal, events });
  }
  return runs;
}

export { DAY, HOUR, START };
