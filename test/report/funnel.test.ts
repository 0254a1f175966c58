import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvent, compileTopic, openDeal, type CompiledSalesTopic, type Deal, type DealEvent, type DealLogEntry, type TopicInput } from '../../src/index.js';
import { formatDuration, formatFunnelReport, funnelBuilder, funnelReport as funnelResult, type DealWithLog, type FunnelReport } from '../../src/report/funnel.js';
import { accepted, admin, compileSales, DAY, HOUR, manager, MONDAY, standard } from '../support.js';

/** The report of `funnelReport`, which answers errors as data; these suites expect a report. */
function funnelReport(...args: Parameters<typeof funnelResult>): FunnelReport {
  const result = funnelResult(...args);
  if (!result.ok) throw new Error(`expected a report: ${result.error.code}: ${result.error.message}`);
  return result.report;
}

/*
 * A small topic and a handful of deals with chosen times, whose funnel is
 * worked out by hand below. Stage limits: lead P1D, offer P2D, contract none;
 * "talks" has no outcomes of its own (S11).
 */
const smallTopic = (changes: Partial<TopicInput> = {}): CompiledSalesTopic =>
  compileSales({
    id: 'small',
    name: 'Small',
    kind: 'sales',
    stages: [
      {
        id: 'lead',
        name: 'Lead',
        maxDuration: 'P1D',
        probability: 10,
        outcomes: [
          { id: 'qualify', name: 'Qualified', to: 'offer' },
          { id: 'retry', name: 'No answer', to: 'lead' },
        ],
      },
      {
        id: 'offer',
        name: 'Offer',
        maxDuration: 'P2D',
        probability: 50,
        outcomes: [
          { id: 'accept', name: 'Accepted', to: 'contract' },
          { id: 'revise', name: 'Revised', to: 'offer', restartsStageClock: true },
        ],
      },
      { id: 'contract', name: 'Contract', probability: 80, outcomes: [{ id: 'signed', name: 'Signed', finish: 'positive' }] },
      { id: 'talks', name: 'Talks' },
    ],
    globalOutcomes: [
      { id: 'lost', name: 'Lost', finish: 'negative', kindRequired: true },
      { id: 'park', name: 'Parked', to: 'talks' },
    ],
    outcomeKinds: [
      { id: 'price', name: 'Price', polarity: 'negative' },
      { id: 'competitor', name: 'Competitor', polarity: 'negative', commentRequired: true },
    ],
    ...changes,
  });

const T0 = MONDAY;
const NOW = T0 + 10 * DAY;

/** A deal and its log, kept beside it as the funnel reads them. */
interface Logged extends DealWithLog {
  readonly deal: Deal;
  readonly entries: DealLogEntry[];
}

/** Opens a deal (with its log's `opened` entry) at `at`. */
function opened(topic: CompiledSalesTopic, at: number, id: string, amount: number | null = null): Logged {
  const result = accepted(openDeal(topic, { id, clientId: `client-${id}`, ownerId: manager.id, at, amount }));
  return { deal: result.deal, entries: [result.entry] };
}

/** Applies one event to a logged deal, appending its entry to (a copy of) the log. */
function apply(topic: CompiledSalesTopic, logged: Logged, event: DealEvent): Logged {
  const result = accepted(applyEvent(topic, logged.deal, event));
  return { deal: result.deal, entries: [...logged.entries, result.entry] };
}

/** Opens a deal at `at` and applies the outcomes `[outcomeId, at, extra?]` in order. */
function dealOf(topic: CompiledSalesTopic, id: string, at: number, amount: number | null, steps: [string, number, Partial<DealEvent>?][]): Logged {
  let logged = opened(topic, at, id, amount);
  for (const [outcomeId, time, extra] of steps) {
    logged = apply(topic, logged, { type: 'recordOutcome', outcomeId, at: time, actor: manager, ...extra } as DealEvent);
  }
  return logged;
}

function handBuiltDeals(topic: CompiledSalesTopic): Logged[] {
  return [
    // A: won. lead 10 h (a cyclic "retry" keeps the visit); offer 24 h, then 72 h after a clock-restarting "revise" (overdue); contract 24 h.
    dealOf(topic, 'A', T0, 1000, [
      ['retry', T0 + 2 * HOUR],
      ['qualify', T0 + 10 * HOUR],
      ['revise', T0 + 34 * HOUR],
      ['accept', T0 + 106 * HOUR],
      ['signed', T0 + 130 * HOUR],
    ]),
    // B: lead 30 h (overdue), lost in offer after 5 h: too expensive.
    dealOf(topic, 'B', T0 + HOUR, 3000, [
      ['qualify', T0 + 31 * HOUR],
      ['lost', T0 + 36 * HOUR, { kindId: 'price' }],
    ]),
    // C: lost in lead after 2 h to a competitor.
    dealOf(topic, 'C', T0 + 2 * HOUR, null, [['lost', T0 + 4 * HOUR, { kindId: 'competitor', comment: 'Went elsewhere' }]]),
    // D: lead 4 h, still in offer at NOW (236 h: overdue).
    dealOf(topic, 'D', T0, 2000, [['qualify', T0 + 4 * HOUR]]),
    // E: opened exactly a day before NOW, still in lead: 24 h is the limit itself, not over it.
    dealOf(topic, 'E', NOW - DAY, null, []),
    // F: parked in "talks" (S11) and still there: excluded.
    dealOf(topic, 'F', T0, 5000, [['park', T0 + HOUR]]),
    // H: parked, then lost while in "talks": finished, so counted (lead 1 h, talks 2 h).
    dealOf(topic, 'H', T0, 700, [
      ['park', T0 + HOUR],
      ['lost', T0 + 3 * HOUR, { kindId: 'price' }],
    ]),
    // I: lead 1 h, offer 1 h, still in contract (238 h, no limit).
    dealOf(topic, 'I', T0, 500, [
      ['qualify', T0 + HOUR],
      ['accept', T0 + 2 * HOUR],
    ]),
  ];
}

describe('funnelReport', () => {
  const topic = smallTopic();
  const other = opened(standard(), T0, 'G');
  const deals = [...handBuiltDeals(topic), other];
  const report = funnelReport(topic, deals, { now: NOW });
  const stage = (id: string) => report.stages.find((row) => row.stageId === id);

  it('counts deals: skipped (other topic), excluded (S11, open in "talks"), and by status', () => {
    expect(report).toMatchObject({
      topicId: 'small',
      topicVersion: 1,
      now: NOW,
      deals: 9,
      skipped: 1,
      negotiationsOngoing: 1,
      counted: 7,
      open: 3,
      finished: 0,
      closed: 4,
      positive: 1,
      negative: 3,
      winRate: 0.25,
    });
    expect(report.stages.map((row) => row.stageId)).toEqual(['lead', 'offer', 'contract', 'talks']);
  });

  it('the first stage: every counted deal entered it; median, p90 and overdue per visit', () => {
    // Visits: A 10 h, B 30 h, C 2 h, D 4 h, E 24 h, H 1 h, I 1 h → sorted 1 1 2 4 10 24 30.
    expect(stage('lead')).toEqual({
      stageId: 'lead',
      index: 0,
      limit: 'P1D',
      probability: 10,
      negotiationsOngoing: false,
      deals: 7,
      visits: 7,
      toNextDeals: 4, // A, B, D, I entered the offer
      toNext: 4 / 7,
      positiveDeals: 1,
      toPositive: 1 / 7,
      medianTime: 4 * HOUR,
      p90Time: 26.4 * HOUR, // rank 6 × 0.9 = 5.4: 24 h + 0.4 × (30 h − 24 h)
      overdueVisits: 1, // B; E ends exactly at its deadline
      overdueRate: 1 / 7,
      open: 1,
      openValue: 0, // E has no amount
      weightedValue: 0,
      finishedPositive: 0,
      finishedNegative: 1, // C
    });
  });

  it('a clock-restarting cyclic outcome starts a new visit; open deals are measured up to now', () => {
    // Visits: A 24 h and 72 h (overdue), B 5 h, D 236 h (overdue, still open), I 1 h.
    expect(stage('offer')).toMatchObject({
      deals: 4,
      visits: 5,
      toNextDeals: 2,
      toNext: 0.5,
      toPositive: 0.25,
      medianTime: 24 * HOUR,
      p90Time: 170.4 * HOUR, // rank 3.6: 72 h + 0.6 × (236 h − 72 h)
      overdueVisits: 2,
      overdueRate: 0.4,
      open: 1,
      openValue: 2000,
      weightedValue: 1000,
      finishedNegative: 1,
    });
    expect(stage('contract')).toMatchObject({
      deals: 2,
      visits: 2,
      toNext: 0, // nobody went on to "talks"
      toPositive: 0.5,
      medianTime: 131 * HOUR,
      p90Time: 216.6 * HOUR,
      overdueVisits: 0,
      overdueRate: null, // no limit
      open: 1,
      openValue: 500,
      weightedValue: 400,
      finishedPositive: 1,
    });
    expect(stage('talks')).toMatchObject({
      negotiationsOngoing: true,
      deals: 1, // H only: F is excluded
      visits: 1,
      toNext: null, // the last stage
      toPositive: 0,
      medianTime: 2 * HOUR,
      p90Time: 2 * HOUR,
      probability: null,
      weightedValue: null,
      finishedNegative: 1,
    });
  });

  it('pipeline: open value and amount × probability (deals without amount count 0; S11 deals excluded)', () => {
    expect(report.openValue).toBe(2500); // D 2000 + E 0 + I 500; F's 5000 is left out
    expect(report.weightedValue).toBeCloseTo(1400); // 2000 × 50 % + 500 × 80 %
  });

  it('S27: finishes by outcome and by outcome kind, with shares of the same result', () => {
    expect(report.finishesByOutcome).toEqual([
      { outcomeId: 'lost', result: 'negative', count: 3, share: 1 },
      { outcomeId: 'signed', result: 'positive', count: 1, share: 1 },
    ]);
    expect(report.finishesByKind).toEqual([
      { kindId: 'price', result: 'negative', count: 2, share: 2 / 3 },
      { kindId: null, result: 'positive', count: 1, share: 1 },
      { kindId: 'competitor', result: 'negative', count: 1, share: 1 / 3 },
    ]);
  });

  it('is plain data that survives JSON, and the order of the deals does not matter', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(funnelReport(topic, [...deals].reverse(), { now: NOW })).toEqual(report);
  });

  it('a builder fed one deal at a time gives the same report, and can report again later', () => {
    const funnel = funnelBuilder(topic);
    for (const { deal, entries } of deals) funnel.add(deal, entries);
    expect(funnel.report({ now: NOW })).toEqual(report);
    const later = funnel.report({ now: NOW + DAY });
    expect(later.stages[2]?.p90Time).toBeGreaterThan(report.stages[2]?.p90Time ?? Infinity);
    expect(funnel.report({ now: NOW })).toEqual(report);
  });

  it('moveToStage starts a new visit, also when it reopens a closed deal', () => {
    const lost = dealOf(topic, 'R', T0, null, [['lost', T0 + HOUR, { kindId: 'price' }]]);
    const reopened = apply(topic, lost, { type: 'moveToStage', stageId: 'offer', at: T0 + 5 * HOUR, actor: admin });
    const moved = apply(topic, reopened, { type: 'moveToStage', stageId: 'offer', at: T0 + 7 * HOUR, actor: admin });
    const result = funnelReport(topic, [moved], { now: T0 + 8 * HOUR });
    expect(result).toMatchObject({ open: 1, closed: 0, negative: 0, winRate: null });
    expect(result.stages[0]).toMatchObject({ visits: 1, medianTime: HOUR, toNextDeals: 1 });
    expect(result.stages[1]).toMatchObject({ deals: 1, visits: 2, medianTime: 1.5 * HOUR }); // 2 h and 1 h
  });

  it('S6: overdue counts working time when the topic has a calendar', () => {
    const friday = Date.parse('2026-01-16T09:00:00Z');
    const monday = Date.parse('2026-01-19T08:00:00Z'); // 71 hours later, but not one working day
    const plain = smallTopic();
    const working = smallTopic({ calendar: { timeZone: 'UTC', workDays: [1, 2, 3, 4, 5] } });
    const overdueRate = (t: CompiledSalesTopic) =>
      funnelReport(t, [dealOf(t, 'W', friday, null, [['qualify', monday]])], { now: monday }).stages[0]?.overdueRate;
    expect(overdueRate(plain)).toBe(1);
    expect(overdueRate(working)).toBe(0);
  });

  it('median and p90 interpolate between the closest ranks of the visit times (checked against a sort)', () => {
    const reference = (values: number[], p: number) => {
      const sorted = [...values].sort((a, b) => a - b);
      const rank = (sorted.length - 1) * p;
      const low = Math.floor(rank);
      const lower = sorted[low] ?? 0;
      const upper = sorted[Math.min(low + 1, sorted.length - 1)] ?? 0;
      return Math.round(lower + (upper - lower) * (rank - low));
    };
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 40 }), (minutes) => {
        const deals = minutes.map((m, i) => dealOf(topic, `P${i}`, T0, null, [['lost', T0 + m * 60_000, { kindId: 'price' }]]));
        const lead = funnelReport(topic, deals, { now: NOW }).stages[0];
        const times = minutes.map((m) => m * 60_000);
        expect(lead?.medianTime).toBe(reference(times, 0.5));
        expect(lead?.p90Time).toBe(reference(times, 0.9));
      }),
      { numRuns: 100 },
    );
  });

  it('an empty set of deals gives nulls, not NaN', () => {
    const empty = funnelReport(topic, [], { now: NOW });
    expect(empty).toMatchObject({ deals: 0, counted: 0, winRate: null, openValue: 0, weightedValue: 0, finishesByOutcome: [], finishesByKind: [] });
    expect(empty.stages[0]).toMatchObject({ deals: 0, visits: 0, toNext: null, toPositive: null, medianTime: null, p90Time: null, overdueRate: null });
    expect(JSON.stringify(empty)).not.toContain('NaN');
  });

  it('refuses audit and service topics and a missing now, as typed errors (issue 12 item 7)', () => {
    expect(funnelResult(compileTopic({ id: 'audit', name: 'Audit', kind: 'audit' }), [], { now: NOW })).toEqual({
      ok: false,
      error: { code: 'not_a_sales_topic', rule: 'S23', path: 'topic', message: expect.stringMatching(/sales topic/) },
    });
    expect(funnelResult(standard(), [], { now: Number.NaN })).toMatchObject({ ok: false, error: { code: 'invalid_options', path: 'now' } });
    expect(funnelResult(standard(), [], {} as { now: number })).toMatchObject({ ok: false, error: { code: 'invalid_options', message: expect.stringMatching(/options\.now/) } });
  });
});

describe('formatFunnelReport', () => {
  const topic = smallTopic();
  const report: FunnelReport = funnelReport(topic, handBuiltDeals(topic), { now: NOW });

  it('renders a deterministic table with stage names, percentages and human durations', () => {
    const text = formatFunnelReport(report, topic);
    expect(formatFunnelReport(report, topic)).toBe(text);
    expect(text).not.toContain('\u001b[');
    const lines = text.split('\n');
    expect(lines[0]).toBe('Funnel: Small (small v1), at 2026-01-22 09:00 UTC');
    expect(text).toContain('Win rate: 25.0% (1 positive of 4 finished)');
    expect(text).toContain('Open pipeline: 2,500; weighted 1,400');
    const lead = lines.find((line) => line.startsWith('Lead '));
    expect(lead?.split(/\s{2,}/)).toEqual(['Lead', '7', '7', '57.1%', '14.3%', '4h', '1d 2h', 'P1D', '14.3%', '1', '0', '0', '0', '1']);
    const talks = lines.find((line) => line.startsWith('Talks'));
    expect(talks).toMatch(/^Talks \*/);
    expect(text).toContain('* negotiations ongoing (S11)');
    expect(text).toMatch(/Lost \(lost\)\s+negative\s+3\s+100\.0%/);
    expect(text).toMatch(/Price \(price\)\s+negative\s+2\s+66\.7%/);
    expect(text).toMatch(/\(no kind\)\s+positive\s+1\s+100\.0%/);
  });

  it('adds ANSI colours only when asked', () => {
    const colored = formatFunnelReport(report, topic, { color: true });
    expect(colored).toContain('\u001b[1m');
    const ansi = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g');
    expect(colored.replace(ansi, '')).toBe(formatFunnelReport(report, topic));
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [999, '0s'],
    [30_000, '30s'],
    [90_000, '1m 30s'],
    [45 * 60_000, '45m'],
    [3 * HOUR + 20 * 60_000, '3h 20m'],
    [28 * HOUR, '1d 4h'],
    [2 * DAY + 59 * 60_000, '2d'],
    [-5, '0s'],
    [Number.NaN, '0s'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
