import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvent, compileTopic, findOverdue, nextDeadline, openDeal, overdue, standardTopic, type CompiledSalesTopic, type Deal, type DealEvent, type LimitKind, type OverdueOptions } from '../../src/index.js';
import { accepted, DAY, director, HOUR, manager, MINUTE, MONDAY, open, standard, standardWith } from '../support.js';

const outcome = (outcomeId: string, at: number, extra: Partial<DealEvent> = {}): DealEvent =>
  ({ type: 'recordOutcome', outcomeId, at, actor: manager, ...extra }) as DealEvent;
const parameters = (changes: Record<string, unknown>) => ({ parameters: { ...standardTopic.parameters, ...changes } });

/** Applies events in order, failing the test on the first rejection. */
function run(topic: CompiledSalesTopic, deal: Deal, ...events: DealEvent[]): Deal {
  return events.reduce((current, event) => accepted(applyEvent(topic, current, event)).deal, deal);
}

/** The kinds of the exceeded limits at `now`. */
const kindsAt = (topic: CompiledSalesTopic, deal: Deal, now: number): LimitKind[] => overdue(topic, deal, now).limits.map((limit) => limit.kind);

const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString());
const instant = (text: string): number => Date.parse(text);

/** Stage `id` of the standard topic with some of its outcome's settings replaced. */
function withOutcome(stageId: string, outcomeId: string, changes: Record<string, unknown>) {
  return structuredClone(standardTopic.stages).map((stage) =>
    stage.id !== stageId ? stage : { ...stage, outcomes: stage.outcomes.map((item) => (item.id === outcomeId ? { ...item, ...changes } : item)) },
  );
}

describe('overdue: limits are exceeded strictly after their deadline', () => {
  it('S6: the stage limit is not exceeded exactly at the deadline, and is one millisecond after', () => {
    const topic = standard();
    const deal = open(topic); // "new" has P1D
    expect(deal.stageDueAt).toBe(MONDAY + DAY);
    expect(overdue(topic, deal, MONDAY + DAY - 1)).toEqual({ overdue: false, limits: [] });
    expect(overdue(topic, deal, MONDAY + DAY)).toEqual({ overdue: false, limits: [] });
    expect(overdue(topic, deal, MONDAY + DAY + 1)).toEqual({ overdue: true, limits: [{ kind: 'stage', dueAt: MONDAY + DAY, by: 1 }] });
    expect(overdue(topic, deal, MONDAY + DAY + 5 * HOUR).limits).toEqual([{ kind: 'stage', dueAt: MONDAY + DAY, by: 5 * HOUR }]);
  });

  it('S3, S24: the whole-deal limit is not exceeded exactly at the deadline, and is one millisecond after', () => {
    // P5D for the deal; "new" without a stage limit.
    const stages = structuredClone(standardTopic.stages).map((stage) => {
      if (stage.id !== 'new') return stage;
      const { maxDuration: _dropped, ...unlimited } = stage;
      return unlimited;
    });
    const topic = standardWith({ maxDuration: 'P5D', stages });
    const deal = open(topic);
    expect(deal).toMatchObject({ dueAt: MONDAY + 5 * DAY, stageDueAt: null, idleDueAt: null });
    expect(overdue(topic, deal, MONDAY + 5 * DAY).overdue).toBe(false);
    expect(overdue(topic, deal, MONDAY + 5 * DAY + 1)).toEqual({ overdue: true, limits: [{ kind: 'deal', dueAt: MONDAY + 5 * DAY, by: 1 }] });
    // All three limits passed: listed stage, deal, idle, each with its own lateness.
    const moved = run(topic, deal, outcome('qualified', MONDAY + 4 * DAY)); // "acquaintance": P2D, idle P1D
    expect(overdue(topic, moved, MONDAY + 6 * DAY + 1).limits).toEqual([
      { kind: 'stage', dueAt: MONDAY + 6 * DAY, by: 1 },
      { kind: 'deal', dueAt: MONDAY + 5 * DAY, by: DAY + 1 },
      { kind: 'idle', dueAt: MONDAY + 5 * DAY, by: DAY + 1 },
    ]);
  });

  it('S3, S24: a topic without a maximum duration has no whole-deal limit', () => {
    const input: Record<string, unknown> = structuredClone(standardTopic);
    delete input.maxDuration;
    const topic = compileTopic(input) as CompiledSalesTopic;
    const deal = open(topic);
    expect(deal.dueAt).toBeNull();
    expect(kindsAt(topic, deal, MONDAY + 1000 * DAY)).toEqual(['stage']);
  });

  it('S25: an approved deadline change moves dueAt and with it what is overdue; a pending or rejected one does not', () => {
    const topic = standard(); // approval by a director
    const deal = open(topic);
    const pending = run(topic, deal, { type: 'requestDeadlineChange', dueAt: MONDAY + 40 * DAY, at: MONDAY + 29 * DAY, actor: manager });
    expect(pending.dueAt).toBe(MONDAY + 30 * DAY);
    expect(kindsAt(topic, pending, MONDAY + 30 * DAY + 1)).toEqual(['stage', 'deal']);

    const refused = run(topic, pending, { type: 'rejectDeadlineChange', at: MONDAY + 29 * DAY + HOUR, actor: director });
    expect(kindsAt(topic, refused, MONDAY + 30 * DAY + 1)).toEqual(['stage', 'deal']);

    const approved = run(topic, pending, { type: 'approveDeadlineChange', at: MONDAY + 29 * DAY + HOUR, actor: director });
    expect(approved.dueAt).toBe(MONDAY + 40 * DAY);
    expect(kindsAt(topic, approved, MONDAY + 30 * DAY + 1)).toEqual(['stage']);
    expect(overdue(topic, approved, MONDAY + 40 * DAY, { kinds: ['deal'] }).overdue).toBe(false);
    expect(overdue(topic, approved, MONDAY + 40 * DAY + 1, { kinds: ['deal'] }).limits).toEqual([{ kind: 'deal', dueAt: MONDAY + 40 * DAY, by: 1 }]);
  });

  it('S25: an approved earlier deadline moves the deal limit forward; one that has passed cannot be approved', () => {
    const topic = standard();
    const requested = run(topic, open(topic), { type: 'requestDeadlineChange', dueAt: MONDAY + 10 * DAY, at: MONDAY + 5 * DAY, actor: manager });
    const late = applyEvent(topic, requested, { type: 'approveDeadlineChange', at: MONDAY + 20 * DAY, actor: director });
    expect(late).toMatchObject({ ok: false, error: { code: 'invalid_deadline', rule: 'S25' } });
    const shortened = run(topic, requested, { type: 'approveDeadlineChange', at: MONDAY + 6 * DAY, actor: director });
    expect(overdue(topic, shortened, MONDAY + 10 * DAY, { kinds: ['deal'] }).overdue).toBe(false);
    expect(overdue(topic, shortened, MONDAY + 20 * DAY, { kinds: ['deal'] }).limits).toEqual([{ kind: 'deal', dueAt: MONDAY + 10 * DAY, by: 10 * DAY }]);
  });

  it('S25: without approval the requested deadline applies at once', () => {
    const topic = standardWith({ deadlineChange: { approval: 'none', approvers: [] } });
    const moved = run(topic, open(topic), { type: 'requestDeadlineChange', dueAt: MONDAY + 31 * DAY, at: MONDAY + HOUR, actor: manager });
    expect(overdue(topic, moved, MONDAY + 31 * DAY, { kinds: ['deal'] }).overdue).toBe(false);
    expect(overdue(topic, moved, MONDAY + 31 * DAY + 1, { kinds: ['deal'] }).overdue).toBe(true);
  });

  it('S6, S9, S10: a cyclic outcome keeps the stage deadline, unless it restarts the stage clock', () => {
    const keeps = standard(); // "no-answer" keeps the clock
    const restarts = standardWith({ stages: withOutcome('acquaintance', 'no-answer', { restartsStageClock: true }) });
    const walk = (topic: CompiledSalesTopic) => run(topic, open(topic), outcome('qualified', MONDAY + HOUR), outcome('no-answer', MONDAY + DAY + 2 * HOUR));

    const kept = walk(keeps);
    expect(kept).toMatchObject({ stageId: 'acquaintance', stageEnteredAt: MONDAY + HOUR, stageDueAt: MONDAY + HOUR + 2 * DAY, idleDueAt: MONDAY + 2 * DAY + 2 * HOUR });
    expect(kindsAt(keeps, kept, MONDAY + 2 * DAY + HOUR)).toEqual([]);
    expect(overdue(keeps, kept, MONDAY + 2 * DAY + HOUR + 1).limits).toEqual([{ kind: 'stage', dueAt: MONDAY + 2 * DAY + HOUR, by: 1 }]);

    const restarted = walk(restarts);
    expect(restarted).toMatchObject({ stageEnteredAt: MONDAY + DAY + 2 * HOUR, stageDueAt: MONDAY + 3 * DAY + 2 * HOUR });
    expect(kindsAt(restarts, restarted, MONDAY + 2 * DAY + HOUR + 1)).toEqual([]);
    expect(overdue(restarts, restarted, MONDAY + 3 * DAY + 2 * HOUR + 1, { kinds: ['stage'] }).limits).toEqual([
      { kind: 'stage', dueAt: MONDAY + 3 * DAY + 2 * HOUR, by: 1 },
    ]);
  });
});

describe('overdue: idle limits ("rotting")', () => {
  const topic = standard(); // "acquaintance": P2D, idle after P1D without activity
  const entered = run(topic, open(topic), outcome('qualified', MONDAY + HOUR));

  it('a deal without activity becomes idle one millisecond after its idle limit', () => {
    expect(entered.idleDueAt).toBe(MONDAY + HOUR + DAY);
    expect(overdue(topic, entered, MONDAY + HOUR + DAY).overdue).toBe(false);
    expect(overdue(topic, entered, MONDAY + HOUR + DAY + 1).limits).toEqual([{ kind: 'idle', dueAt: MONDAY + HOUR + DAY, by: 1 }]);
  });

  it('planning an activity refreshes idleDueAt', () => {
    const planned = run(topic, entered, { type: 'planActivity', activityId: 'call-1', kind: 'call', plannedFor: MONDAY + DAY + 12 * HOUR, at: MONDAY + 10 * HOUR, actor: manager });
    expect(planned.idleDueAt).toBe(MONDAY + 10 * HOUR + DAY);
    expect(overdue(topic, planned, MONDAY + HOUR + DAY + 1).overdue).toBe(false);
    expect(overdue(topic, planned, MONDAY + 10 * HOUR + DAY + 1).limits).toEqual([{ kind: 'idle', dueAt: MONDAY + 10 * HOUR + DAY, by: 1 }]);
  });

  it('completing an activity refreshes idleDueAt, while the stage limit keeps running', () => {
    const done = run(
      topic,
      entered,
      { type: 'planActivity', activityId: 'call-1', kind: 'call', plannedFor: MONDAY + DAY + 9 * HOUR, at: MONDAY + 10 * HOUR, actor: manager },
      { type: 'completeActivity', activityId: 'call-1', at: MONDAY + DAY + 9 * HOUR, actor: manager },
    );
    expect(done.idleDueAt).toBe(MONDAY + 2 * DAY + 9 * HOUR);
    expect(overdue(topic, done, MONDAY + 2 * DAY + 9 * HOUR, { kinds: ['idle'] }).overdue).toBe(false);
    expect(overdue(topic, done, MONDAY + 2 * DAY + 9 * HOUR + 1).limits).toEqual([
      { kind: 'stage', dueAt: MONDAY + 2 * DAY + HOUR, by: 8 * HOUR + 1 },
      { kind: 'idle', dueAt: MONDAY + 2 * DAY + 9 * HOUR, by: 1 },
    ]);
  });

  it('a stage without an idle limit never rots', () => {
    const deal = open(topic);
    expect(deal.idleDueAt).toBeNull();
    expect(overdue(topic, deal, MONDAY + 10 * DAY, { kinds: ['idle'] }).overdue).toBe(false);
  });
});

describe('overdue with a working calendar', () => {
  /** The Russian production calendar of 2024, as far as these deals need it: Saturday 27 April was worked. */
  const moscow = standardWith({
    calendar: {
      timeZone: 'Europe/Moscow',
      workDays: [1, 2, 3, 4, 5],
      workHours: { start: '09:00', end: '18:00' },
      holidays: ['2024-04-29', '2024-04-30', '2024-05-01', '2024-05-09', '2024-05-10', '2024-06-12'],
      workingDays: ['2024-04-27'],
    },
  });
  const openAt = (text: string) => open(moscow, instant(text));
  /** Checks a deadline's exact instant and that the deal turns overdue exactly one millisecond after it. */
  function expectLimit(deal: Deal, kind: LimitKind, expected: string) {
    const at = instant(expected);
    const stored = { stage: deal.stageDueAt, deal: deal.dueAt, idle: deal.idleDueAt }[kind];
    expect(iso(stored), kind).toBe(new Date(at).toISOString());
    expect(overdue(moscow, deal, at, { kinds: [kind] }).overdue).toBe(false);
    expect(overdue(moscow, deal, at + 1, { kinds: [kind] }).limits).toEqual([{ kind, dueAt: at, by: 1 }]);
  }

  it('S6: a deal opened late on a Friday is due on Monday at the end of the working day, not after 24 hours', () => {
    const deal = openAt('2024-04-19T19:30:00+03:00');
    expectLimit(deal, 'stage', '2024-04-22T18:00:00+03:00');
    // Calendar time would call it two days late by Sunday evening.
    expect(overdue(moscow, deal, instant('2024-04-21T20:00:00+03:00')).overdue).toBe(false);
  });

  it('S6: a deal opened on a weekend counts from the end of the previous working day', () => {
    expectLimit(openAt('2024-04-20T10:00:00+03:00'), 'stage', '2024-04-22T18:00:00+03:00');
  });

  it('S6: late on the Friday before a transferred working day, the deal is due that Saturday', () => {
    expectLimit(openAt('2024-04-26T19:00:00+03:00'), 'stage', '2024-04-27T18:00:00+03:00');
  });

  it('S6: public holidays are skipped: opened on the transferred Saturday, due after the May holidays', () => {
    expectLimit(openAt('2024-04-27T12:00:00+03:00'), 'stage', '2024-05-02T12:00:00+03:00');
  });

  it('S3, S24: the whole-deal limit P30D counts thirty working days', () => {
    expectLimit(openAt('2024-04-19T19:30:00+03:00'), 'deal', '2024-06-06T18:00:00+03:00');
  });

  it('S6: stage and idle limits across the Victory Day holidays', () => {
    const deal = run(moscow, openAt('2024-05-08T10:00:00+03:00'), outcome('qualified', instant('2024-05-08T15:00:00+03:00')));
    expectLimit(deal, 'stage', '2024-05-14T15:00:00+03:00'); // P2D: 9 and 10 May are holidays
    expectLimit(deal, 'idle', '2024-05-13T15:00:00+03:00'); // P1D
  });
});

describe('overdue across a DST night: Europe/Berlin vs Europe/Moscow', () => {
  const everyDay = (timeZone: string) =>
    standardWith({ calendar: { timeZone, workDays: [1, 2, 3, 4, 5, 6, 7], holidays: [], workingDays: [] } });
  const berlin = everyDay('Europe/Berlin');
  const moscow = everyDay('Europe/Moscow');

  it('S6: a day limit over the spring-forward night lasts 23 hours in Berlin and 24 in Moscow', () => {
    const inBerlin = open(berlin, instant('2026-03-28T12:00:00+01:00'));
    const inMoscow = open(moscow, instant('2026-03-28T12:00:00+03:00'));
    expect(iso(inBerlin.stageDueAt)).toBe('2026-03-29T10:00:00.000Z'); // 12:00 CEST
    expect(iso(inMoscow.stageDueAt)).toBe('2026-03-29T09:00:00.000Z'); // 12:00 MSK
    expect(overdue(berlin, inBerlin, inBerlin.openedAt + 23 * HOUR).overdue).toBe(false);
    expect(overdue(berlin, inBerlin, inBerlin.openedAt + 23 * HOUR + 1).limits).toEqual([{ kind: 'stage', dueAt: inBerlin.openedAt + 23 * HOUR, by: 1 }]);
    expect(overdue(moscow, inMoscow, inMoscow.openedAt + 23 * HOUR + 1).overdue).toBe(false);
    expect(overdue(moscow, inMoscow, inMoscow.openedAt + 24 * HOUR + 1).overdue).toBe(true);
  });

  it('S6: a deadline falling into the skipped hour moves to the end of the gap', () => {
    const deal = open(berlin, instant('2026-03-28T02:30:00+01:00'));
    expect(iso(deal.stageDueAt)).toBe('2026-03-29T01:00:00.000Z'); // 03:00 CEST: 02:30 does not exist
    expect(overdue(berlin, deal, instant('2026-03-29T01:00:00Z')).overdue).toBe(false);
    expect(overdue(berlin, deal, instant('2026-03-29T01:00:00Z') + 1).overdue).toBe(true);
  });

  it('S6: a day limit over the fall-back night lasts 25 hours in Berlin and 24 in Moscow', () => {
    const inBerlin = open(berlin, instant('2026-10-24T12:00:00+02:00'));
    const inMoscow = open(moscow, instant('2026-10-24T12:00:00+03:00'));
    expect(iso(inBerlin.stageDueAt)).toBe('2026-10-25T11:00:00.000Z'); // 12:00 CET
    expect(inMoscow.stageDueAt).toBe(inMoscow.openedAt + 24 * HOUR);
    expect(overdue(berlin, inBerlin, inBerlin.openedAt + 24 * HOUR + 1).overdue).toBe(false);
    expect(overdue(moscow, inMoscow, inMoscow.openedAt + 24 * HOUR + 1).overdue).toBe(true);
  });
});

describe('finished and closed deals are never overdue', () => {
  it('S12: a refused (closed) deal keeps its deadlines for history but is not overdue', () => {
    const topic = standard();
    const closed = run(topic, open(topic), outcome('refused', MONDAY + HOUR, { kindId: 'no-need' }));
    expect(closed).toMatchObject({ status: 'closed', stageDueAt: MONDAY + DAY, dueAt: MONDAY + 30 * DAY });
    expect(overdue(topic, closed, MONDAY + 1000 * DAY)).toEqual({ overdue: false, limits: [] });
    expect(nextDeadline(closed)).toBeNull();
    expect(findOverdue(topic, [closed], MONDAY + 1000 * DAY)).toEqual([]);
  });

  it('S34: a positively finished deal waiting for its business event is not overdue, nor after it closes', () => {
    const topic = standardWith(parameters({ closeOn: { on: 'business-event', events: ['goods-shipped'] } }));
    const finished = run(
      topic,
      open(topic),
      outcome('qualified', MONDAY + HOUR),
      outcome('interested', MONDAY + 2 * HOUR),
      outcome('accepted', MONDAY + 3 * HOUR),
      outcome('paid', MONDAY + 4 * HOUR),
      outcome('shipped', MONDAY + 5 * HOUR),
    );
    expect(finished.status).toBe('finished');
    expect(finished.stageDueAt).not.toBeNull();
    expect(overdue(topic, finished, MONDAY + 100 * DAY).overdue).toBe(false);
    expect(nextDeadline(finished)).toBeNull();
    const closed = run(topic, finished, { type: 'reportBusinessEvent', name: 'goods-shipped', at: MONDAY + 6 * HOUR, actor: manager });
    expect(closed.status).toBe('closed');
    expect(overdue(topic, closed, MONDAY + 100 * DAY).overdue).toBe(false);
  });
});

describe('overdue never throws', () => {
  const topic = standard();
  const deal = open(topic);
  const late = MONDAY + 100 * DAY;

  it('a deal of another topic, or any deal on an audit topic, is not overdue', () => {
    const other = standardWith({ id: 'other' });
    expect(overdue(other, deal, late).overdue).toBe(false);
    expect(findOverdue(other, [deal], late)).toEqual([]);
    const audit = compileTopic({ id: 'standard', name: 'Audit', kind: 'audit' });
    expect(overdue(audit, deal, late).overdue).toBe(false);
  });

  it('the topic version is not compared: stored deadlines are absolute instants', () => {
    const v2 = standardWith({ version: 2 });
    expect(overdue(v2, deal, late).overdue).toBe(true);
  });

  it('a malformed deadline is no limit, and the other deadlines still count', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '0', undefined, {}]) {
      const broken = { ...deal, stageDueAt: bad } as unknown as Deal;
      expect(kindsAt(topic, broken, late), String(bad)).toEqual(['deal']);
      expect(nextDeadline(broken), String(bad)).toEqual({ kind: 'deal', at: MONDAY + 30 * DAY });
    }
    const allBroken = { ...deal, stageDueAt: Number.NaN, dueAt: '1', idleDueAt: Number.NEGATIVE_INFINITY } as unknown as Deal;
    expect(overdue(topic, allBroken, late).overdue).toBe(false);
    expect(nextDeadline(allBroken)).toBeNull();
  });

  it('a non-finite now, a non-object deal, an unknown status or kind give "not overdue"', () => {
    expect(overdue(topic, deal, Number.NaN).overdue).toBe(false);
    expect(overdue(topic, deal, Number.POSITIVE_INFINITY).overdue).toBe(false);
    expect(overdue(topic, null as unknown as Deal, late).overdue).toBe(false);
    expect(overdue(topic, { ...deal, status: 'lost' } as unknown as Deal, late).overdue).toBe(false);
    expect(overdue(topic, deal, late, { kinds: ['nope' as LimitKind] }).overdue).toBe(false);
    expect(overdue(topic, deal, late, { kinds: [] }).overdue).toBe(false);
    expect(findOverdue(topic, null as unknown as Deal[], late)).toEqual([]);
    expect(findOverdue(topic, [null, undefined, 7] as unknown as Deal[], late)).toEqual([]);
  });

  it('an on-time deal costs no allocation: every "not overdue" answer is one shared frozen object', () => {
    const a = overdue(topic, deal, MONDAY);
    expect(overdue(topic, run(topic, deal, outcome('qualified', MONDAY + HOUR)), MONDAY + HOUR)).toBe(a);
    expect(Object.isFrozen(a) && Object.isFrozen(a.limits)).toBe(true);
  });
});

describe('nextDeadline', () => {
  const topic = standard();
  const deal = open(topic);
  const acquainted = run(topic, deal, outcome('qualified', MONDAY + HOUR)); // stage +2D, idle +1D

  it('picks the earliest deadline of an open deal', () => {
    expect(nextDeadline(deal)).toEqual({ kind: 'stage', at: MONDAY + DAY });
    expect(nextDeadline(acquainted)).toEqual({ kind: 'idle', at: MONDAY + HOUR + DAY });
  });

  it('with after, picks the earliest deadline strictly after it', () => {
    expect(nextDeadline(acquainted, MONDAY)).toEqual({ kind: 'idle', at: MONDAY + HOUR + DAY });
    expect(nextDeadline(acquainted, MONDAY + HOUR + DAY - 1)).toEqual({ kind: 'idle', at: MONDAY + HOUR + DAY });
    expect(nextDeadline(acquainted, MONDAY + HOUR + DAY)).toEqual({ kind: 'stage', at: MONDAY + HOUR + 2 * DAY });
    expect(nextDeadline(acquainted, MONDAY + HOUR + 2 * DAY)).toEqual({ kind: 'deal', at: MONDAY + 30 * DAY });
    expect(nextDeadline(acquainted, MONDAY + 30 * DAY)).toBeNull();
  });

  it('breaks ties stage before deal before idle', () => {
    const stages = structuredClone(standardTopic.stages).map((stage) => (stage.id === 'new' ? { ...stage, maxDuration: 'P30D', idleLimit: 'P30D' } : stage));
    const tied = open(standardWith({ stages }));
    expect([tied.stageDueAt, tied.dueAt, tied.idleDueAt]).toEqual([MONDAY + 30 * DAY, MONDAY + 30 * DAY, MONDAY + 30 * DAY]);
    expect(nextDeadline(tied)).toEqual({ kind: 'stage', at: MONDAY + 30 * DAY });
    expect(nextDeadline({ ...tied, stageDueAt: null })).toEqual({ kind: 'deal', at: MONDAY + 30 * DAY });
  });

  it('returns null for closed deals and for deals without deadlines', () => {
    const closed = run(topic, deal, outcome('refused', MONDAY + HOUR, { kindId: 'no-need' }));
    expect(nextDeadline(closed)).toBeNull();
    expect(nextDeadline({ ...deal, stageDueAt: null, dueAt: null, idleDueAt: null })).toBeNull();
  });
});

describe('findOverdue agrees with overdue', () => {
  const topic = standard();
  const other = standardWith({ id: 'other' });
  /** Deals made by the real API, in different stages and states, to vary with generated values. */
  const base: Deal[] = [
    open(topic),
    run(topic, open(topic), outcome('qualified', MONDAY + HOUR)),
    run(topic, open(topic), outcome('qualified', MONDAY + HOUR), outcome('interested', MONDAY + DAY)),
    run(topic, open(topic), outcome('refused', MONDAY + HOUR, { kindId: 'no-need' })),
    run(topic, open(topic), { type: 'requestDeadlineChange', dueAt: MONDAY + 3 * DAY, at: MONDAY + HOUR, actor: manager }, { type: 'approveDeadlineChange', at: MONDAY + 2 * HOUR, actor: director }),
    open(other),
  ];
  const deadline = fc.oneof(
    { arbitrary: fc.integer({ min: MONDAY - DAY, max: MONDAY + 40 * DAY }), weight: 6 },
    { arbitrary: fc.constant(null), weight: 2 },
    { arbitrary: fc.constantFrom<unknown>(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '123', undefined), weight: 1 },
  );
  const dealArb = fc
    .record({
      base: fc.constantFrom(...base),
      status: fc.constantFrom<unknown>('open', 'open', 'open', 'finished', 'closed', 'gone'),
      topicId: fc.constantFrom('standard', 'standard', 'other'),
      stageDueAt: deadline,
      dueAt: deadline,
      idleDueAt: deadline,
      keep: fc.boolean(),
    })
    .map(({ base: deal, keep, ...changes }) => (keep ? deal : ({ ...deal, ...changes } as unknown as Deal)));
  const nowArb = fc.oneof(fc.integer({ min: MONDAY - DAY, max: MONDAY + 41 * DAY }), fc.constantFrom(MONDAY + DAY, MONDAY + 30 * DAY, MONDAY + 3 * DAY));
  const optionsArb: fc.Arbitrary<OverdueOptions | undefined> = fc.option(
    fc.record({ kinds: fc.subarray<LimitKind>(['stage', 'deal', 'idle']) }),
    { nil: undefined },
  );

  it('on a generated population: the same deals, in order, with the same limits; arrays and other iterables alike', () => {
    fc.assert(
      fc.property(fc.array(dealArb, { maxLength: 60 }), nowArb, optionsArb, (deals, now, options) => {
        const expected = deals.flatMap((deal) => {
          const result = overdue(topic, deal, now, options);
          return result.overdue ? [{ deal, limits: result.limits }] : [];
        });
        const found = findOverdue(topic, deals, now, options);
        expect(found).toEqual(expected);
        found.forEach((hit, index) => expect(hit.deal).toBe(expected[index]?.deal));
        expect(findOverdue(topic, deals.values(), now, options)).toEqual(expected);
        expect(findOverdue(topic, (function* () { yield* deals; })(), now, options)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('a deal is overdue exactly when its next deadline is before now', () => {
    fc.assert(
      fc.property(dealArb, nowArb, (deal, now) => {
        fc.pre(deal.topicId === topic.id);
        const next = nextDeadline(deal);
        expect(overdue(topic, deal, now).overdue).toBe(next !== null && next.at < now);
        // Every exceeded limit is one of the deal's deadlines, late by now - dueAt.
        for (const limit of overdue(topic, deal, now).limits) {
          expect(limit.by).toBe(now - limit.dueAt);
          expect(limit.by).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('openDeal results straight from the API are scanned without change', () => {
    const opened = openDeal(topic, { id: 'x', clientId: 'c', ownerId: manager.id, at: MONDAY + MINUTE });
    if (!opened.ok) throw new Error(opened.error.message);
    expect(findOverdue(topic, [opened.deal], MONDAY + MINUTE + DAY + 1)).toEqual([
      { deal: opened.deal, limits: [{ kind: 'stage', dueAt: MONDAY + MINUTE + DAY, by: 1 }] },
    ]);
  });
});

describe('findOverdue over an array whose element reads throw (issue 12 item 7, one try per export)', () => {
  it('answers the hits before the throwing read, and goes on past a deal whose getters throw', () => {
    const topic = standard();
    const late = { ...open(topic), id: 'late', stageDueAt: MONDAY };
    const unreadable = Object.defineProperty({ ...late, id: 'unreadable' }, 'status', { get: () => { throw new Error('boom'); }, enumerable: true });
    const after = { ...late, id: 'after' };
    expect(findOverdue(topic, [late, unreadable, after] as Deal[], MONDAY + 1).map((hit) => hit.deal.id)).toEqual(['late', 'after']);
    // An array proxy (Array.isArray is true) whose third element cannot be read: the scan stops there, answering what it found.
    const list = new Proxy([late, after, late, after], {
      get: (target, key, receiver) => {
        if (key === '2') throw new Error('connection lost');
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    let found: ReturnType<typeof findOverdue> = [];
    expect(() => (found = findOverdue(topic, list, MONDAY + 1))).not.toThrow();
    expect(found.map((hit) => hit.deal.id)).toEqual(['late', 'after']);
  });
});
