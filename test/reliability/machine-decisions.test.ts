/*
 * Issue 12, item 5: the XState machine decides from the event's content,
 * never from the event object's identity, so it cannot disagree with
 * applyEvent when a host reuses or changes an event object.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';

import { applyEvent, createDealActor, DealStateError, dealStateValue, openDeal, standardTopic, type DealEvent } from '../../src/index.js';
import { HOUR, MONDAY, compileSales, manager } from '../support.js';

const topic = compileSales(standardTopic);

function fresh() {
  const opened = openDeal(topic, { id: 'd-1', clientId: 'c-1', ownerId: manager.id, at: MONDAY });
  if (!opened.ok) throw new Error('opens');
  return opened.deal;
}

describe('the deal machine judges each send by what the event says now', () => {
  it('accepts an event fixed in place and sent again (S27: the refusal needs a kind)', () => {
    const event: { -readonly [K in keyof DealEvent]?: unknown } & Record<string, unknown> = { type: 'recordOutcome', outcomeId: 'refused', at: MONDAY + HOUR, actor: manager };
    const actor = createDealActor(topic, fresh()).start();
    actor.send(event as DealEvent);
    expect(actor.getSnapshot().context.deal.status).toBe('open');
    event.kindId = 'no-need';
    expect(applyEvent(topic, actor.getSnapshot().context.deal, event as DealEvent).ok).toBe(true);
    actor.send(event as DealEvent);
    const snapshot = actor.getSnapshot();
    expect(snapshot.context.deal.status).toBe('closed');
    expect(snapshot.value).toEqual(dealStateValue(snapshot.context.deal));
    actor.stop();
  });

  it('keeps state and context together when a changed event goes to a second actor', () => {
    const event: Record<string, unknown> = { type: 'recordOutcome', outcomeId: 'qualified', at: MONDAY + HOUR, actor: manager };
    const deal = fresh(); // both actors start from the very same deal object
    const first = createDealActor(topic, deal).start();
    first.send(event as DealEvent);
    expect(first.getSnapshot().context.deal.stageId).toBe('acquaintance');
    event.outcomeId = 'refused'; // now the global negative finish, with its reason (S12, S27)
    event.kindId = 'no-need';
    const second = createDealActor(topic, deal).start();
    second.send(event as DealEvent);
    const snapshot = second.getSnapshot();
    expect(snapshot.context.deal.status).toBe('closed');
    expect(snapshot.context.deal.finish?.result).toBe('negative');
    expect(snapshot.value).toEqual(dealStateValue(snapshot.context.deal));
    first.stop();
    second.stop();
  });

  it('agrees with applyEvent for the same object sent to actors on different deals', () => {
    const event = { type: 'recordOutcome', outcomeId: 'qualified', at: MONDAY + HOUR, actor: manager } as const;
    const early = createActor(topic.machine, { input: { deal: fresh() } }).start();
    const moved = applyEvent(topic, fresh(), event);
    if (!moved.ok) throw new Error('moves');
    const late = createDealActor(topic, moved.deal).start();
    early.send(event);
    late.send(event); // the same object: on the moved deal it is not an outcome of "acquaintance"
    expect(early.getSnapshot().context.deal.stageId).toBe('acquaintance');
    expect(late.getSnapshot().context.deal.revision).toBe(moved.deal.revision);
    expect(late.getSnapshot().value).toEqual(dealStateValue(late.getSnapshot().context.deal));
    early.stop();
    late.stop();
  });
});

describe('a live actor starts only where the deal is', () => {
  it('refuses a deal in a stage the topic does not have, instead of starting in the first stage (S7)', () => {
    const deal = { ...fresh(), stageId: 'gone' };
    let thrown: unknown;
    try {
      createDealActor(topic, deal);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DealStateError);
    expect((thrown as DealStateError).error).toMatchObject({ code: 'unknown_stage', path: 'stageId' });
  });
});
