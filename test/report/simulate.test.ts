import { describe, expect, it } from 'vitest';
import { applyEvent, compileTopic, entryEvent, openDeal, replayDeal, standardTopic, type CompiledSalesTopic, type Deal, type DealEvent, type DealLogEntry } from '../../src/index.js';
import { outcomeEvent } from '../../src/compile/outcome-event.js';
import { formatFunnelReport, funnelReport } from '../../src/report/funnel.js';
import { createRandom, seedHash } from '../../src/report/random.js';
import { simulate, SimulationError, type SimulateOptions } from '../../src/report/simulate.js';
import { accepted, DAY, manager, MONDAY, newClients, open, standard, standardWith } from '../support.js';

const START = Date.parse('2026-01-05T09:00:00Z');

type Log = readonly DealLogEntry[];

/** The event an entry applied, if it is an event entry. */
const eventOf = (entry: DealLogEntry): DealEvent | undefined => (entry.type === 'opened' || entry.type === 'migrated' ? undefined : entryEvent(entry));
/** The outcome an entry recorded, if it recorded one. */
function outcomeOf(entry: DealLogEntry): string | undefined {
  const event = eventOf(entry);
  return event?.type === 'recordOutcome' ? event.outcomeId : undefined;
}
/** The activity an outcome entry recorded, if any. */
function recordedActivityOf(entry: DealLogEntry): string | undefined {
  const event = eventOf(entry);
  return event?.type === 'recordOutcome' ? event.activityId : undefined;
}
/** Each deal with its log, as funnelReport takes them. */
const withLogs = (deals: readonly Deal[], logs: readonly Log[]) => deals.map((deal, i) => ({ deal, entries: logs[i] ?? [] }));

/** The invariants every simulated deal and its log keep. */
function expectValid(topic: CompiledSalesTopic, deals: readonly Deal[], logs: readonly Log[]): void {
  expect(logs).toHaveLength(deals.length);
  deals.forEach((deal, d) => {
    const log = logs[d] ?? [];
    expect(topic.stages.has(deal.stageId), deal.id).toBe(true);
    expect(log.length, deal.id).toBe(deal.revision);
    expect(log[0]?.type).toBe('opened');
    expect(deal.topicId).toBe(topic.id);
    log.forEach((entry, i) => expect(entry, deal.id).toMatchObject({ dealId: deal.id, revision: i + 1, version: deal.topicVersion }));
    for (let i = 1; i < log.length; i++) {
      const entry = log[i];
      const previous = log[i - 1];
      expect(entry && previous && entry.at >= previous.at, deal.id).toBe(true);
      expect(entry && previous && entry.from === previous.to, deal.id).toBe(true);
    }
    expect(log.at(-1)).toMatchObject({ to: deal.stageId, status: deal.status, at: deal.lastEventAt });
    expect(deal.finish === null, deal.id).toBe(deal.status === 'open');
    // Accepted by applyEvent means it is a deal applyEvent still works on.
    const probe = applyEvent(topic, deal, { type: 'setFields', fields: {}, at: deal.lastEventAt, actor: manager });
    if (!probe.ok) expect(probe.error.code).toBe('deal_closed');
  });
}

describe('simulate', () => {
  const topic = standard();
  const small: SimulateOptions = { deals: 300, seed: 'test', keepDeals: true };

  it('is seeded: the same seed gives byte-identical results, another seed different ones', () => {
    const first = simulate(topic, small);
    const again = simulate(topic, small);
    expect(again).toEqual(first);
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    expect(formatFunnelReport(again.report, topic)).toBe(formatFunnelReport(first.report, topic));
    const other = simulate(topic, { ...small, seed: 'other' });
    expect(JSON.stringify(other.deals)).not.toBe(JSON.stringify(first.deals));
    expect(JSON.stringify(other.logs)).not.toBe(JSON.stringify(first.logs));
    expect(formatFunnelReport(other.report, topic)).not.toBe(formatFunnelReport(first.report, topic));
    // A number and its text are the same seed.
    expect(simulate(topic, { deals: 20, seed: 7, keepDeals: true })).toEqual(simulate(topic, { deals: 20, seed: '7', keepDeals: true }));
    // Without keepDeals only the report is kept, and it is the same report.
    const lean = simulate(topic, { ...small, keepDeals: false });
    expect(lean).toEqual({ ...first, deals: [], logs: [] });
  });

  it('produces valid deals and counts every accepted event', () => {
    const result = simulate(topic, { deals: 500, seed: 1, keepDeals: true });
    expect(result.deals).toHaveLength(500);
    expect(result.rejected).toBe(0);
    expectValid(topic, result.deals, result.logs);
    expect(result.events).toBe(result.deals.reduce((sum, deal) => sum + deal.revision - 1, 0));
    expect(new Set(result.deals.map((deal) => deal.id)).size).toBe(500);
    // Openings are spread, start at `start`, and come in order.
    const openings = result.deals.map((deal) => deal.openedAt);
    expect(openings[0]).toBe(START);
    expect(openings).toEqual([...openings].sort((a, b) => a - b));
    expect((openings.at(-1) ?? 0) - START).toBeGreaterThan(20 * DAY);
    // Cyclic outcomes, side tasks, several managers, deals without amount all happen.
    const entries = result.logs.flat();
    expect(entries).toHaveLength(result.events + 500);
    expect(entries.some((entry) => outcomeOf(entry) === 'no-answer')).toBe(true);
    expect(entries.some((entry) => outcomeOf(entry) === 'revise')).toBe(true);
    expect(entries.some((entry) => entry.type === 'planActivity')).toBe(true);
    expect(entries.some((entry) => entry.type === 'completeActivity')).toBe(true);
    expect(new Set(result.deals.map((deal) => deal.ownerId)).size).toBeGreaterThan(5);
    expect(result.deals.some((deal) => deal.amount === null)).toBe(true);
  });

  it("the report's totals add up, and equal a funnelReport of the deals", () => {
    const { deals, logs, report } = simulate(topic, { deals: 400, seed: 2, keepDeals: true });
    expect(report.deals).toBe(400);
    expect(report.counted).toBe(report.deals - report.skipped - report.negotiationsOngoing);
    expect(report.open + report.finished + report.closed).toBe(report.counted);
    expect(report.positive + report.negative).toBe(report.finished + report.closed);
    expect(report.stages[0]?.deals).toBe(report.counted);
    expect(report.stages.reduce((sum, row) => sum + row.finishedPositive, 0)).toBe(report.positive);
    expect(report.stages.reduce((sum, row) => sum + row.finishedNegative, 0)).toBe(report.negative);
    expect(report.stages.reduce((sum, row) => sum + row.open, 0)).toBe(report.open);
    expect(report.finishesByOutcome.reduce((sum, row) => sum + row.count, 0)).toBe(report.positive + report.negative);
    expect(report.finishesByKind.reduce((sum, row) => sum + row.count, 0)).toBe(report.positive + report.negative);
    for (const row of report.stages) {
      expect(row.visits).toBeGreaterThanOrEqual(row.deals);
      expect(row.toNextDeals).toBeLessThanOrEqual(row.deals);
    }
    // Stage limits matter: some deals are overdue, not all.
    const overdue = report.stages[0]?.overdueRate ?? 0;
    expect(overdue).toBeGreaterThan(0);
    expect(overdue).toBeLessThan(0.5);
    // Without a horizon every deal runs to its end; the report is taken at the last event.
    expect(report.now).toBe(Math.max(...logs.map((log) => log.at(-1)?.at ?? 0)));
    expect(report.now).toBe(Math.max(...deals.map((deal) => deal.lastEventAt)));
    expect(funnelReport(topic, withLogs(deals, logs), { now: report.now })).toEqual({ ok: true, report });
    // S27: refusals carry reasons.
    expect(report.finishesByKind.filter((row) => row.result === 'negative').every((row) => row.kindId !== null)).toBe(true);
  });

  it('weights: 0 is never drawn, a heavy weight dominates, the side map overrides the topic', () => {
    const never = simulate(topic, { deals: 300, seed: 3, keepDeals: true, weights: { acquaintance: { 'no-answer': 0 }, new: { refused: 0 } } });
    const neverEntries = never.logs.flat();
    expect(neverEntries.filter((entry) => entry.type === 'recordOutcome').length).toBeGreaterThan(300);
    expect(neverEntries.some((entry) => outcomeOf(entry) === 'no-answer')).toBe(false);
    expect(neverEntries.some((entry) => outcomeOf(entry) === 'refused' && entry.from === 'new')).toBe(false);

    const heavy = simulate(topic, { deals: 300, seed: 3, keepDeals: true, weights: { new: { refused: 50, qualified: 1 } } });
    const inNew = heavy.logs.flat().filter((entry) => entry.type === 'recordOutcome' && entry.from === 'new');
    expect(inNew.filter((entry) => outcomeOf(entry) === 'refused').length / inNew.length).toBeGreaterThan(0.9);

    // The outcome's own weight: a topic whose refusal weighs 0 never loses a deal, unless the side map says otherwise.
    const keen = standardWith({ globalOutcomes: [{ ...standardTopic.globalOutcomes[0], weight: 0 }] });
    const keenRun = simulate(keen, { deals: 200, seed: 4 });
    expect(keenRun.report.negative).toBe(0);
    expect(keenRun.report.positive).toBe(200);
    expect(keenRun.report.winRate).toBe(1);
    expect(simulate(keen, { deals: 200, seed: 4, weights: { offer: { refused: 1 } } }).report.negative).toBeGreaterThan(0);
  });

  it('validates the side map and the options, naming the path of each problem', () => {
    const issues = (options: SimulateOptions) => {
      try {
        simulate(topic, options);
      } catch (error) {
        expect(error).toBeInstanceOf(SimulationError);
        return (error as SimulationError).issues.map((issue) => `${issue.code}@${issue.path}`);
      }
      return [];
    };
    expect(issues({ weights: { ofer: { accepted: 1 } } })).toEqual(['unknown_stage@weights.ofer']);
    expect(issues({ weights: { offer: { acepted: 1, accepted: -1, revise: Number.NaN, refused: 2 } } })).toEqual([
      'unknown_outcome@weights.offer.acepted',
      'invalid_weight@weights.offer.accepted',
      'invalid_weight@weights.offer.revise',
    ]);
    expect(issues({ weights: { acquaintance: { 'no-answer': Infinity } } })).toEqual(['invalid_weight@weights.acquaintance["no-answer"]']);
    expect(issues({ weights: { offer: { accepted: 0, revise: 0, refused: 0 } } })).toEqual(['no_outcome_possible@weights.offer']);
    expect(issues({ weights: { offer: 3 } as never })).toEqual(['invalid_option@weights.offer']);
    expect(issues({ weights: [] as never })).toEqual(['invalid_option@weights']);
    expect(issues({ deals: -1, seed: Number.NaN, start: 1.5, pace: 0, maxEvents: 0, until: START - 1 })).toEqual([
      'invalid_option@deals',
      'invalid_option@seed',
      'invalid_option@start',
      'invalid_option@pace',
      'invalid_option@maxEvents',
      'invalid_option@until',
    ]);
    expect(() => simulate(topic, { weights: { ofer: {} } })).toThrow(/weights\.ofer: Stage "ofer" does not exist/);
    expect(() => simulate(compileTopic({ id: 'audit', name: 'Audit', kind: 'audit' }))).toThrow(SimulationError);
  });

  it('S11: deals that reach a stage without outcomes stay there and are left out of the report', () => {
    const talks = standardWith({
      stages: [
        { id: 'lead', name: 'Lead', maxDuration: 'P1D', outcomes: [{ id: 'won', name: 'Won', finish: 'positive' }, { id: 'talk', name: 'Talk', to: 'talks' }] },
        { id: 'talks', name: 'Talks' },
      ],
      globalOutcomes: [{ id: 'refused', name: 'Refused', finish: 'negative' }],
      documents: [],
    });
    const { deals, logs, report } = simulate(talks, { deals: 300, seed: 5, keepDeals: true, weights: { lead: { refused: 0 } } });
    const ongoing = deals.flatMap((deal, i) => (deal.stageId === 'talks' ? [{ deal, log: logs[i] ?? [] }] : []));
    expect(ongoing.length).toBeGreaterThan(50);
    expect(ongoing.every(({ deal, log }) => deal.status === 'open' && deal.negotiationsOngoing && outcomeOf(log.at(-1) as DealLogEntry) === 'talk')).toBe(true);
    expect(report.negotiationsOngoing).toBe(ongoing.length);
    expect(report.counted).toBe(300 - ongoing.length);
    expect(report.stages[0]?.deals).toBe(report.counted);
    expect(report.stages[1]?.deals).toBe(0);
    expect(report.open).toBe(0);
    expect(report.positive).toBe(report.counted);
  });

  it('S33: under mandatory planning every continuing outcome plans the next call, which the next outcome records', () => {
    const clients = newClients(); // mandatory planning, a required field in the last stage
    const { deals, logs, rejected } = simulate(clients, { deals: 300, seed: 6, keepDeals: true });
    expect(rejected).toBe(0);
    expectValid(clients, deals, logs);
    // Every outcome but a deal's first records the call the previous one planned.
    const later = logs.flatMap((log) => log.filter((entry) => entry.type === 'recordOutcome').slice(1));
    expect(later.length).toBeGreaterThan(100);
    expect(later.every((entry) => recordedActivityOf(entry)?.startsWith('call-'))).toBe(true);
    expect(deals.every((deal) => deal.status !== 'open' || deal.activities.some((activity) => activity.kind === 'call') || deal.revision === 1)).toBe(true);
    expect(deals.some((deal) => deal.stageId === 'shipment' && typeof deal.fields['delivery-date'] === 'string')).toBe(true);
  });

  it('S29: the fields a stage requires are filled on the way in; comments go where kinds require them', () => {
    const demanding = standardWith({
      fields: [
        { id: 'code', name: 'Code', type: 'text', maxLength: 3 },
        { id: 'size', name: 'Size', type: 'number', min: 5 },
        { id: 'when', name: 'When', type: 'date' },
        { id: 'vip', name: 'VIP', type: 'boolean' },
        { id: 'channel', name: 'Channel', type: 'select', options: [{ id: 'web', name: 'Web' }] },
      ],
      stages: standardTopic.stages.map((stage) => (stage.id === 'offer' ? { ...stage, requiredFields: ['code', 'size', 'when', 'vip', 'channel'] } : stage)),
    });
    const { deals, logs, rejected } = simulate(demanding, { deals: 300, seed: 11, keepDeals: true });
    expect(rejected).toBe(0);
    expectValid(demanding, deals, logs);
    const inOffer = deals.find((_, i) => logs[i]?.some((entry) => entry.to === 'offer'));
    expect(inOffer).toBeDefined();
    expect(inOffer?.fields).toMatchObject({ code: 'sam', size: 5, vip: true, channel: 'web' });
    expect(deals.some((deal) => deal.finish?.kindId === 'competitor' && deal.finish.comment !== undefined)).toBe(true);
  });

  it('S34: a won deal on a topic that closes on a business event is closed by it after a delay', () => {
    const invoiced = standardWith({ parameters: { ...standardTopic.parameters, closeOn: { on: 'business-event', events: ['invoice-paid'] } } });
    const { deals, logs, report } = simulate(invoiced, { deals: 300, seed: 7, keepDeals: true, weights: { new: { refused: 0 }, acquaintance: { refused: 0 } } });
    const won = deals.flatMap((deal, i) => (deal.finish?.result === 'positive' ? [{ deal, log: logs[i] ?? [] }] : []));
    expect(won.length).toBeGreaterThan(20);
    for (const { deal, log } of won) {
      const last = log.at(-1);
      expect(last).toMatchObject({ type: 'reportBusinessEvent', event: { name: 'invoice-paid' }, status: 'closed' });
      expect(last?.at).toBeGreaterThan(deal.finish?.at ?? Infinity);
    }
    expect(report.finished).toBe(0);
  });

  it('a horizon stops time: nothing happens after `until`, open deals make a pipeline', () => {
    const until = START + 10 * DAY;
    const { deals, logs, report } = simulate(topic, { deals: 300, seed: 8, until, keepDeals: true });
    expect(deals).toHaveLength(300);
    expect(logs.every((log) => log.length > 0 && log.every((entry) => entry.at <= until))).toBe(true);
    expect(deals.every((deal) => deal.lastEventAt <= until)).toBe(true);
    expect(Math.max(...deals.map((deal) => deal.openedAt))).toBeLessThanOrEqual(until);
    expect(report.now).toBe(until);
    expect(report.open).toBeGreaterThan(0);
    expect(report.openValue).toBeGreaterThan(0);
    expect(report.weightedValue).toBeGreaterThan(0);
    expect(report.weightedValue).toBeLessThan(report.openValue);
  });

  it('opens deals exactly as openDeal does', () => {
    const clients = newClients();
    for (const t of [topic, clients]) {
      const { deals, logs } = simulate(t, { deals: 50, seed: 9, until: START, keepDeals: true });
      expect(deals).toHaveLength(50);
      deals.forEach((deal, i) => {
        expect(deal.revision).toBe(1);
        expect(logs[i]).toHaveLength(1);
        const opened = openDeal(t, { id: deal.id, clientId: deal.clientId, ownerId: deal.ownerId, at: deal.openedAt, actor: { id: deal.ownerId }, amount: deal.amount, fields: {} });
        expect(opened.ok && opened.deal).toStrictEqual(deal);
        expect(opened.ok && opened.entry).toStrictEqual(logs[i]?.[0]);
      });
    }
  });

  it('every simulated deal replays from its log; a tampered log fails at the tampered entry', () => {
    for (const [t, seed] of [
      [topic, 12],
      [newClients(), 'replay'],
    ] as const) {
      const { deals, logs } = simulate(t, { deals: 200, seed, keepDeals: true });
      expect(deals).toHaveLength(200);
      expect(logs).toHaveLength(200);
      deals.forEach((deal, i) => {
        const replayed = replayDeal(t, logs[i] ?? []);
        expect(replayed, deal.id).toEqual({ ok: true, deal });
      });
      // Tamper with one entry of every log long enough: its `to` names another stage.
      const stageIds = [...t.stages.keys()];
      let tampered = 0;
      logs.forEach((log, i) => {
        if (log.length < 3) return;
        const index = 1 + (i % (log.length - 1));
        const original = log[index] as DealLogEntry;
        const otherStage = stageIds.find((id) => id !== original.to) as string;
        const forged = log.map((entry, k) => (k === index ? { ...entry, to: otherStage } : entry));
        const result = replayDeal(t, forged);
        expect(result.ok, deals[i]?.id).toBe(false);
        if (!result.ok) {
          expect(result.index, deals[i]?.id).toBe(index);
          expect(result.error.code).toBe('replay_mismatch');
        }
        // The log itself is untouched, and still replays.
        expect(replayDeal(t, log).ok).toBe(true);
        tampered++;
      });
      expect(tampered).toBeGreaterThan(50);
    }
  });

  it('stops a deal after maxEvents, and reports progress', () => {
    const progress: [number, number][] = [];
    const looping = simulate(topic, {
      deals: 1500,
      seed: 10,
      maxEvents: 12,
      keepDeals: true,
      weights: { acquaintance: { interested: 0, refused: 0 } },
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(Math.max(...looping.deals.map((deal) => deal.revision))).toBe(13);
    expect(looping.deals.filter((deal) => deal.stageId === 'acquaintance').every((deal) => deal.status === 'open')).toBe(true);
    expect(progress).toEqual([
      [1000, 1500],
      [1500, 1500],
    ]);
    expect(simulate(topic, { deals: 0 })).toMatchObject({ deals: [], events: 0, rejected: 0, report: { deals: 0, now: START } });
  });
});

describe('outcomeEvent', () => {
  const topic = standard();

  it('builds an acceptable recording of any outcome, with the kind, activity and plan asked for', () => {
    const deal = open(topic, MONDAY);
    const stage = topic.stages.get('new');
    const refused = stage?.outcomes.get('refused');
    const qualified = stage?.outcomes.get('qualified');
    if (refused === undefined || qualified === undefined) throw new Error('unreachable');
    const lost = outcomeEvent(topic, deal, { outcome: refused, at: MONDAY + 1000, actor: manager, kindId: 'competitor' });
    expect(lost).toEqual({ type: 'recordOutcome', outcomeId: 'refused', at: MONDAY + 1000, actor: manager, kindId: 'competitor', comment: 'Recorded "Отказ"' });
    expect(accepted(applyEvent(topic, deal, lost)).deal.finish).toMatchObject({ kindId: 'competitor' });
    expect(outcomeEvent(topic, deal, { outcome: refused, at: MONDAY + 1000, actor: manager })).toMatchObject({ kindId: 'too-expensive' });

    const planned = outcomeEvent(topic, deal, { outcome: qualified, at: MONDAY + 1000, actor: manager, plan: true, planId: 'c-1', plannedFor: MONDAY + DAY });
    expect(planned.plan).toEqual({ activityId: 'c-1', kind: 'call', plannedFor: MONDAY + DAY });
    const next = accepted(applyEvent(topic, deal, planned)).deal;
    const interested = topic.stages.get('acquaintance')?.outcomes.get('interested');
    if (interested === undefined) throw new Error('unreachable');
    const recorded = outcomeEvent(topic, next, { outcome: interested, at: MONDAY + DAY, actor: manager, activityId: 'c-1' });
    expect(recorded).not.toHaveProperty('plan');
    expect(accepted(applyEvent(topic, next, recorded)).deal.activities).toEqual([]);
  });
});

describe('createRandom', () => {
  it('is deterministic per seed, in [0, 1), and roughly uniform', () => {
    const a = createRandom('x');
    const b = createRandom('x');
    const c = createRandom('y');
    const first = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(first);
    const random = createRandom(123);
    const buckets = new Array<number>(10).fill(0);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const value = random.next();
      if (!(value >= 0 && value < 1)) outside++;
      buckets[Math.floor(value * 10)] = (buckets[Math.floor(value * 10)] ?? 0) + 1;
      sum += random.exponential(2);
    }
    expect(outside).toBe(0);
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
    expect(sum / 100_000).toBeCloseTo(2, 1);
    expect(random.int(1)).toBe(0);
  });

  it('hashes numbers and their text alike, and tells close seeds apart', () => {
    expect(seedHash(42)).toBe(seedHash('42'));
    expect(seedHash(1)).not.toBe(seedHash(2));
    expect(createRandom(0).next()).not.toBe(createRandom(1).next());
  });
});
