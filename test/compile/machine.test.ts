import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  applyEvent,
  createDealActor,
  dealStateValue,
  openDeal,
  replayDeal,
  type Deal,
  type DealEvent,
  type DealLogEntry,
  type Effect,
} from '../../src/index.js';
import { topicPaths } from '../../src/testing/index.js';
import { accepted, admin, colleague, compileSales, DAY, director, expectAgreement, HOUR, manager, MONDAY, newClients, open, standard } from '../support.js';

describe('the XState machine of a topic', () => {
  const topic = standard();

  it('runs as a live actor that emits the effects applyEvent returns', () => {
    const deal = open(topic);
    const actor = createActor(topic.machine, { input: { deal } }).start();
    const emitted: Effect[] = [];
    actor.on('*', (effect) => emitted.push(effect));
    expect(actor.getSnapshot().value).toBe('new');
    actor.send({ type: 'recordOutcome', outcomeId: 'qualified', at: MONDAY + HOUR, actor: manager });
    actor.send({ type: 'recordOutcome', outcomeId: 'interested', at: MONDAY + 2 * HOUR, actor: manager });
    expect(actor.getSnapshot().value).toBe('offer');
    expect(emitted).toEqual([expect.objectContaining({ type: 'suggestDocuments', stageId: 'offer' })]);
    actor.send({ type: 'recordOutcome', outcomeId: 'nope', at: MONDAY + 3 * HOUR, actor: manager });
    expect(actor.getSnapshot().context.deal.revision).toBe(3);
    actor.send({ type: 'recordOutcome', outcomeId: 'refused', kindId: 'no-need', at: MONDAY + 3 * HOUR, actor: manager });
    expect(actor.getSnapshot().value).toBe('closed:negative');
    expect(actor.getSnapshot().hasTag('closed')).toBe(true);
    expect(emitted.map((effect) => effect.type)).toEqual(['suggestDocuments', 'cancelUnpaidInvoices', 'dealClosed']);
  });

  it("keeps the entry of each accepted event in its context, so the host's log replays to the actor's deal", () => {
    const first = open(topic);
    const opened = openDeal(topic, { id: first.id, clientId: first.clientId, ownerId: first.ownerId, at: first.openedAt });
    if (!opened.ok) expect.fail(opened.error.message);
    const actor = createActor(topic.machine, { input: { deal: opened.deal } }).start();
    expect(actor.getSnapshot().context.entry).toBeNull();
    const log: DealLogEntry[] = [opened.entry];
    // The host appends an entry when the revision moves on; a refused event leaves the last entry in place.
    actor.subscribe((snapshot) => {
      const { entry } = snapshot.context;
      if (entry !== null && entry.revision === (log.at(-1)?.revision ?? 0) + 1) log.push(entry);
    });
    let deal = opened.deal;
    const events: DealEvent[] = [
      { type: 'recordOutcome', outcomeId: 'qualified', at: MONDAY + HOUR, actor: manager },
      { type: 'recordOutcome', outcomeId: 'nope', at: MONDAY + 2 * HOUR, actor: manager },
      { type: 'setFields', fields: { carrier: 'ПЭК' }, at: MONDAY + 2 * HOUR, actor: manager },
      { type: 'recordOutcome', outcomeId: 'interested', at: MONDAY + 3 * HOUR, actor: manager },
    ];
    for (const event of events) {
      actor.send(event);
      const result = applyEvent(topic, deal, event);
      if (result.ok) {
        deal = result.deal;
        expect(actor.getSnapshot().context.entry).toEqual(result.entry);
      }
    }
    expect(log.map((entry) => entry.type)).toEqual(['opened', 'recordOutcome', 'setFields', 'recordOutcome']);
    expect(replayDeal(topic, log)).toEqual({ ok: true, deal: actor.getSnapshot().context.deal });
  });

  it('persists its snapshot as JSON and restores to the same state', () => {
    const actor = createActor(topic.machine, { input: { deal: open(topic) } }).start();
    actor.send({ type: 'recordOutcome', outcomeId: 'qualified', at: MONDAY + HOUR, actor: manager });
    const stored = JSON.parse(JSON.stringify(actor.getPersistedSnapshot())) as unknown;
    actor.stop();
    const restored = createActor(topic.machine, { snapshot: stored as ReturnType<typeof actor.getPersistedSnapshot>, input: { deal: open(topic) } }).start();
    expect(restored.getSnapshot().value).toBe('acquaintance');
    expect(restored.getSnapshot().context.deal.revision).toBe(2);
    restored.send({ type: 'recordOutcome', outcomeId: 'interested', at: MONDAY + 2 * HOUR, actor: manager });
    expect(restored.getSnapshot().value).toBe('offer');
  });

  it('starts an actor where a stored deal is, with createDealActor', () => {
    const deal = accepted(applyEvent(topic, open(topic), { type: 'moveToStage', stageId: 'payment', at: MONDAY + HOUR, actor: director })).deal;
    const actor = createDealActor(topic, JSON.parse(JSON.stringify(deal)) as Deal).start();
    expect(actor.getSnapshot().value).toBe('payment');
    actor.send({ type: 'recordOutcome', outcomeId: 'paid', at: MONDAY + 2 * HOUR, actor: manager });
    expect(actor.getSnapshot().value).toBe('shipment');
  });

  it('marks stages, cyclic re-entry and the privileged move in its structure (S9–S11)', () => {
    const json = JSON.parse(JSON.stringify(topic.machine.toJSON())) as {
      states: Record<string, { on?: Record<string, { reenter?: boolean; target?: string[]; guard?: { params?: unknown } }[]>; tags?: string[] }>;
      on: Record<string, unknown[]>;
    };
    expect(Object.keys(json.states)).toEqual(['new', 'acquaintance', 'offer', 'payment', 'shipment', 'finished:positive', 'closed:positive', 'closed:negative']);
    const stay = json.states.acquaintance?.on?.recordOutcome?.find((candidate) => JSON.stringify(candidate.guard?.params).includes('no-answer'));
    expect(stay?.reenter).toBe(true);
    expect(json.on.moveToStage).toHaveLength(5);
  });

  it('reaches every stage and both finishes of the standard topic with xstate/graph, and each path replays through applyEvent', () => {
    const paths = topicPaths(topic);
    expect(paths.map((path) => path.state).sort()).toEqual(['acquaintance', 'closed:negative', 'closed:positive', 'new', 'offer', 'payment', 'shipment']);
    for (const path of paths) {
      const { deal } = expectAgreement(topic, open(topic, Date.parse('2026-01-05T09:00:00Z'), 'path', 'client'), path.events);
      expect(dealStateValue(deal)).toBe(path.state);
      expect(deal.stageId).toBe(path.deal.stageId);
    }
  });

  it('finds routes through the "New clients" topic despite mandatory planning and required fields', () => {
    const clients = newClients();
    const paths = topicPaths(clients);
    expect(paths.map((path) => path.state)).toContain('closed:positive');
    const won = paths.find((path) => path.state === 'closed:positive');
    expect(won?.events.map((event) => (event.type === 'recordOutcome' ? event.outcomeId : event.type))).toEqual([
      'interested',
      'offer-accepted',
      'invoice-sent',
      'paid',
      'shipped',
    ]);
    expect(topicPaths(clients, { kind: 'simple' }).length).toBeGreaterThan(paths.length);
  });
});

describe('the machine and applyEvent agree', () => {
  it('on the standard topic, for a sequence with moves, stays, rejections, a privileged reopen and post-close events', () => {
    const topic = standard();
    const t = (hours: number) => MONDAY + hours * HOUR;
    const { deal, accepted: count } = expectAgreement(topic, open(topic), [
      { type: 'recordOutcome', outcomeId: 'interested', at: t(1), actor: manager }, // not offered in "new"
      { type: 'recordOutcome', outcomeId: 'qualified', at: t(1), actor: manager },
      { type: 'recordOutcome', outcomeId: 'no-answer', at: t(2), actor: manager },
      { type: 'planActivity', activityId: 'call', kind: 'call', plannedFor: t(30), at: t(3), actor: manager },
      { type: 'completeActivity', activityId: 'call', at: t(4), actor: colleague }, // anyone may, in the standard topic
      { type: 'setFields', fields: { carrier: 'ПЭК' }, at: t(5), actor: manager },
      { type: 'setFields', fields: { carrier: 7 }, at: t(5), actor: manager }, // wrong type
      { type: 'requestDeadlineChange', dueAt: t(1000), at: t(6), actor: manager },
      { type: 'approveDeadlineChange', at: t(7), actor: manager }, // not an approver
      { type: 'approveDeadlineChange', at: t(7), actor: director },
      { type: 'recordOutcome', outcomeId: 'interested', at: t(8), actor: manager },
      { type: 'recordOutcome', outcomeId: 'revise', at: t(9), actor: manager }, // comment required
      { type: 'recordOutcome', outcomeId: 'revise', comment: 'Cheaper', at: t(9), actor: manager },
      { type: 'recordOutcome', outcomeId: 'refused', kindId: 'too-expensive', at: t(10), actor: manager },
      { type: 'setFields', fields: { carrier: 'СДЭК' }, at: t(11), actor: manager }, // closed
      { type: 'moveToStage', stageId: 'offer', at: t(12), actor: manager }, // not permitted
      { type: 'moveToStage', stageId: 'offer', at: t(12), actor: admin },
      { type: 'recordOutcome', outcomeId: 'accepted', at: t(13), actor: manager },
      { type: 'recordOutcome', outcomeId: 'paid', at: t(14), actor: manager },
      { type: 'recordOutcome', outcomeId: 'shipped', at: t(15), actor: manager },
      { type: 'recordOutcome', outcomeId: 'shipped', at: t(16), actor: manager }, // closed
    ]);
    expect(count).toBe(14);
    expect(deal).toMatchObject({ status: 'closed', finish: { result: 'positive' }, dueAt: t(1000) });
  });

  it('on the "New clients" topic, for the sales team walk with its rejections', () => {
    const topic = newClients();
    const t = (hours: number) => MONDAY + hours * HOUR;
    const plan = (id: string, hours: number) => ({ activityId: id, kind: 'call' as const, plannedFor: t(hours) });
    const { deal } = expectAgreement(topic, open(topic), [
      { type: 'recordOutcome', outcomeId: 'unreachable', at: t(1), actor: manager }, // planning required (S33)
      { type: 'recordOutcome', outcomeId: 'unreachable', plan: plan('c1', 24), at: t(1), actor: manager },
      { type: 'recordOutcome', outcomeId: 'interested', activityId: 'c1', plan: plan('c2', 48), at: t(24), actor: manager },
      { type: 'requestDeadlineChange', dueAt: t(2000), at: t(25), actor: manager },
      { type: 'rejectDeadlineChange', at: t(26), actor: director },
      { type: 'recordOutcome', outcomeId: 'offer-accepted', plan: plan('c3', 72), at: t(48), actor: manager },
      { type: 'recordOutcome', outcomeId: 'invoice-sent', plan: plan('c4', 96), at: t(72), actor: manager },
      { type: 'recordOutcome', outcomeId: 'paid', plan: plan('c5', 120), at: t(96), actor: manager }, // delivery date missing
      { type: 'recordOutcome', outcomeId: 'paid', plan: plan('c5', 120), fields: { 'delivery-date': '2026-02-01' }, at: t(96), actor: manager },
      { type: 'recordOutcome', outcomeId: 'not-interested', at: t(97), actor: manager }, // kind required
      { type: 'recordOutcome', outcomeId: 'not-interested', kindId: 'competitor', comment: 'Rival was cheaper', at: t(97), actor: manager },
    ]);
    expect(deal).toMatchObject({ status: 'closed', finish: { result: 'negative', kindId: 'competitor' } });
  });

  it('for random event sequences on a topic that closes on a business event', () => {
    const base = standard().definition;
    const businessTopic = compileSales({ ...base, parameters: { ...base.parameters, closeOn: { on: 'business-event', events: ['goods-shipped'] } } });
    const outcomes = [...new Set(businessTopic.stageList.flatMap((stage) => [...stage.outcomes.keys()]))];
    const actors = [manager, colleague, director];
    const eventArbitrary = fc.oneof(
      fc.record({ type: fc.constant('recordOutcome' as const), outcomeId: fc.constantFrom(...outcomes), kindId: fc.option(fc.constantFrom('no-need', 'competitor'), { nil: undefined }), comment: fc.option(fc.constant('note'), { nil: undefined }) }),
      fc.record({ type: fc.constant('planActivity' as const), activityId: fc.constantFrom('a', 'b'), kind: fc.constantFrom('call' as const, 'task' as const), plannedFor: fc.constant(MONDAY + 400 * DAY) }),
      fc.record({ type: fc.constantFrom('completeActivity' as const, 'cancelActivity' as const), activityId: fc.constantFrom('a', 'b') }),
      fc.record({ type: fc.constant('setFields' as const), fields: fc.constantFrom({ carrier: 'ПЭК' }, { carrier: 1 }) }),
      fc.record({ type: fc.constant('requestDeadlineChange' as const), dueAt: fc.constant(MONDAY + 300 * DAY) }),
      fc.record({ type: fc.constantFrom('approveDeadlineChange' as const, 'rejectDeadlineChange' as const) }),
      fc.record({ type: fc.constant('reportBusinessEvent' as const), name: fc.constantFrom('goods-shipped', 'invoice-paid') }),
      fc.record({ type: fc.constant('moveToStage' as const), stageId: fc.constantFrom(...businessTopic.stageList.map((stage) => stage.id)) }),
    );
    const sequence = fc.array(fc.tuple(eventArbitrary, fc.constantFrom(...actors), fc.integer({ min: 0, max: 3 * HOUR })), { maxLength: 30 });
    fc.assert(
      fc.property(sequence, (steps) => {
        let at = MONDAY;
        const events = steps.map(([event, actor, gap]) => {
          at += gap;
          return { ...event, at, actor } as DealEvent;
        });
        expectAgreement(businessTopic, open(businessTopic), events);
      }),
      { numRuns: 150, seed: 20261122 },
    );
  });
});
