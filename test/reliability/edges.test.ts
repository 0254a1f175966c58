import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  addDuration,
  availableOutcomes,
  checkPlanning,
  compileCalendar,
  compileTopic,
  dealEventSchema,
  durationToMs,
  isCalendarDate,
  isWorkingDay,
  isWorkingTime,
  parseDuration,
  parseTopic,
  planEvent,
  safeParseTopic,
  standardTopic,
  TopicValidationError,
  type Deal,
  type Duration,
} from '../../src/index.js';
import { topicPaths } from '../../src/testing/index.js';
import { parseInput } from '../../src/deal/errors.js';
import { formatPath } from '../../src/definition/issue.js';
import { processIo } from '../../src/cli/io.js';
import { compileSales, newClients } from '../support.js';
import { freeze } from './invariants.js';
import { HOUR, MEGABYTE, openDealFixture, T0, topic } from './corpus.js';

/*
 * Hostile values at the edges the other suites reach only by accident:
 * durations and instants out of range, working calendars at the end of
 * time, Russian messages for every lint finding, and the small helpers.
 */

const CYRILLIC = /[А-Яа-яЁё]/;
const berlin = compileCalendar({ timeZone: 'Europe/Berlin', workDays: [1, 2, 3, 4, 5], workHours: { start: '09:00', end: '18:00' }, holidays: ['2026-12-25'], workingDays: [] });
const sundays = compileCalendar({ timeZone: 'Europe/Moscow', workDays: [7], holidays: [], workingDays: [] });

describe('time: hostile durations and instants', () => {
  it('parseDuration refuses junk of every kind without throwing', () => {
    for (const text of ['', 'P', 'PT', 'P1DT', '-P1D', 'P1.5D', 'P1Y', 'P1M', 'p1d', '__proto__', 'constructor', MEGABYTE, `P${'9'.repeat(400)}D`, 'P9999999W', 'PT999999999H', 'P0D', 'PT0S']) {
      expect(parseDuration(text)).toBeUndefined();
    }
    expect(parseDuration('P3650D')).toEqual({ weeks: 0, days: 3650, hours: 0, minutes: 0, seconds: 0 });
  });

  it('addDuration with a calendar never throws and never goes back, and falls back to calendar time at the end of Date', () => {
    const odd: Duration[] = [
      { weeks: Number.NaN, days: 1, hours: 0, minutes: 0, seconds: 0 },
      { weeks: 0, days: -5, hours: 0, minutes: 0, seconds: 0 },
      { weeks: 0, days: 1.7, hours: 0, minutes: 0, seconds: 0 },
      { weeks: 0, days: 0, hours: -3, minutes: Number.NaN, seconds: 0 },
      { weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 },
      { weeks: 521, days: 0, hours: 0, minutes: 0, seconds: 0 },
    ];
    for (const calendar of [berlin, sundays]) {
      for (const duration of odd) {
        for (const start of [T0, 0, Date.parse('2026-03-29T01:30:00Z'), Date.parse('2026-10-25T00:30:00Z')]) {
          const due = addDuration(start, duration, calendar);
          expect(due >= start, `${JSON.stringify(duration)} from ${start}`).toBe(true);
        }
      }
    }
    // Without a calendar it is plain addition, as documented (parseDuration never gives negative parts).
    for (const duration of odd) expect(addDuration(T0, duration)).toBe(T0 + durationToMs(duration));
    // Near the end of the range of Date the search runs out of days: the result is plain addition, not NaN.
    const end = 8.64e15 - 2 * 86_400_000;
    const week = parseDuration('P1W') as Duration;
    expect(addDuration(end, week, berlin)).toBe(end + durationToMs(week));
    expect(addDuration(end, parseDuration('PT1000H') as Duration, sundays)).toBe(end + 1000 * HOUR);
    expect(addDuration(Number.POSITIVE_INFINITY, week, berlin)).toBe(Number.POSITIVE_INFINITY);
  });

  it('calendar predicates answer false for what is not a date or an instant', () => {
    for (const at of [Number.NaN, Number.POSITIVE_INFINITY, -Number.MAX_VALUE, 9e15]) expect(isWorkingTime(at, berlin)).toBe(false);
    for (const date of ['2025-02-29', '__proto__', '', MEGABYTE, '2026-1-5']) {
      expect(isWorkingDay(date, berlin)).toBe(false);
      expect(isCalendarDate(date)).toBe(false);
    }
  });

  it('compileCalendar throws a RangeError (only) for what the schema refuses', () => {
    const bad = [
      { timeZone: 'Mars/Olympus', workDays: [1], holidays: [], workingDays: [] },
      { timeZone: 'Europe/Berlin', workDays: [0, 8, 1.5], holidays: [], workingDays: [] },
      { timeZone: 'Europe/Berlin', workDays: [1], workHours: { start: '18:00', end: '09:00' }, holidays: [], workingDays: [] },
      { timeZone: 'Europe/Berlin', workDays: [1], workHours: { start: '9am', end: '18:00' }, holidays: [], workingDays: [] },
      { timeZone: 'Europe/Berlin', workDays: [1], holidays: ['2025-02-29'], workingDays: [] },
    ];
    for (const calendar of bad) expect(() => compileCalendar(calendar)).toThrow(RangeError);
  });
});

describe('messages and helpers', () => {
  it('every lint finding has a Russian message', () => {
    const definition = parseTopic(
      {
        ...structuredClone(standardTopic),
        maxDuration: 'P1D',
        deadlineChange: { approval: 'none', approvers: [{ role: 'director' }] },
        stages: [
          { id: 'a', name: 'A', maxDuration: 'P2D', idleLimit: 'P3D', probability: 50, requiredFields: ['nope'], outcomes: [{ id: 'x', name: 'X', to: 'a' }, { id: 'x', name: 'X2', to: 'c' }, { id: 'wait', name: 'Wait', to: 'b' }, { id: 'won', name: 'Won', finish: 'positive', kinds: ['neg'] }] },
          { id: 'b', name: 'B', probability: 40, outcomes: [] },
          { id: 'c', name: 'C', probability: 140, outcomes: [{ id: 'y', name: 'Y', to: 'c' }] },
          { id: 'd', name: 'D', outcomes: [{ id: 'z', name: 'Z', finish: 'negative', kindRequired: true, kinds: ['missing'] }] },
          { id: 'd', name: 'D2', outcomes: [] },
        ],
        globalOutcomes: [],
        outcomeKinds: [{ id: 'neg', name: 'N', polarity: 'negative', commentRequired: false }, { id: 'neg', name: 'N2', polarity: 'negative', commentRequired: false }],
        fields: [{ id: 'f', name: 'F', type: 'number', min: 5, max: 1 }, { id: 'f', name: 'F2', type: 'select', options: [{ id: 'o', name: 'O' }, { id: 'o', name: 'O2' }] }],
        documents: [{ id: 'doc', name: 'D', template: 't', stages: ['nowhere'] }, { id: 'doc', name: 'D2', template: 't' }],
        calendar: { timeZone: 'Europe/Moscow', workDays: [1], workHours: { start: '10:00', end: '09:00' }, holidays: ['2026-01-05'], workingDays: ['2026-01-05'] },
      },
      { lint: false },
    );
    const english = safeParseTopic(definition);
    const russian = safeParseTopic(definition, { locale: 'ru' });
    if (english.ok || russian.ok) expect.fail('expected lint errors');
    const codes = new Set(russian.issues.map((issue) => issue.code));
    for (const code of ['duplicate_id', 'unknown_field', 'unknown_kind', 'unknown_stage', 'unreachable_stage', 'no_finish_reachable', 'negotiations_ongoing', 'stage_limit_exceeds_deal_limit', 'idle_limit_exceeds_stage_limit', 'probability_out_of_range', 'probability_decreasing', 'approvers_unused', 'kind_polarity_mismatch', 'no_kinds_available', 'invalid_range', 'conflicting_dates']) {
      expect(codes, code).toContain(code);
    }
    expect(russian.issues.map((issue) => `${issue.code}@${issue.path}`)).toEqual(english.issues.map((issue) => `${issue.code}@${issue.path}`));
    for (const issue of russian.issues) expect(issue.message, issue.code).toMatch(CYRILLIC);
    const audit = safeParseTopic({ id: 'a', name: 'A', kind: 'audit', outcomeKinds: [{ id: 'k', name: 'K' }, { id: 'k', name: 'K2', commentRequired: true }] }, { locale: 'ru' });
    expect(audit.ok || audit.issues.map((issue) => issue.code)).toEqual(['duplicate_id', 'audit_kind_without_comment']);
    if (!audit.ok) for (const issue of audit.issues) expect(issue.message).toMatch(CYRILLIC);
  });

  it('a discriminator that matches nothing names the options, in both languages', () => {
    for (const locale of ['en', 'ru'] as const) {
      const result = safeParseTopic({ ...structuredClone(standardTopic), fields: [{ id: 'f', name: 'F', type: 'color' }], parameters: { closeOn: { on: 'never' } } }, { locale });
      if (result.ok) expect.fail('expected issues');
      expect(result.issues.map((issue) => `${issue.code}@${issue.path}`)).toEqual(['invalid_value@fields[0].type', 'invalid_value@parameters.closeOn.on']);
      expect(result.issues[0]?.message).toContain('"text" | "number" | "date" | "boolean" | "select"');
      expect(result.issues[0]?.value).toBe('color');
    }
  });

  it('a TopicValidationError lists ten issues and counts the rest', () => {
    const stages = Array.from({ length: 12 }, (_, index) => ({ id: `-bad${index}`, name: 'S' }));
    let thrown: unknown;
    try {
      compileTopic({ ...structuredClone(standardTopic), stages });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TopicValidationError);
    expect((thrown as Error).message).toMatch(/… and 2 more$/);
    expect((thrown as Error).message.split('\n')).toHaveLength(12);
  });

  it('formatPath quotes what is not an identifier', () => {
    expect(formatPath(['stages', 0, 'max duration', Symbol('s'), '0a', '__proto__'])).toBe('stages[0]["max duration"]["Symbol(s)"]["0a"].__proto__');
    expect(formatPath([])).toBe('');
    // Ids may be written in any script (issue 16): Cyrillic keys read as they are, with a dot.
    expect(formatPath(['fields', 'доставка', 'дата_2', 'дата-доставки', '2026'])).toBe('fields.доставка.дата_2["дата-доставки"]["2026"]');
  });

  it('parseInput on input that is no object at all says where (the root) and what', () => {
    expect(parseInput(dealEventSchema, null, 'invalid_event')).toEqual({
      ok: false,
      error: {
        code: 'invalid_event',
        rule: 'input',
        message: 'The event is malformed at (root): Invalid input: expected object, received null',
        params: { path: '(root)', detail: 'Invalid input: expected object, received null', detailRu: expect.stringMatching(/[а-яё]/iu) as unknown },
        path: '',
      },
    });
  });

  it('processIo writes to the process streams', () => {
    const io = processIo();
    expect(() => {
      io.stdout('');
      io.stderr('');
    }).not.toThrow();
  });
});

describe('deal helpers on hostile ground', () => {
  it('checkPlanning: not for event topics, and the contact being recorded does not count as the next one (S33)', () => {
    const clients = newClients();
    const audit = compileTopic({ id: 'audit', name: 'Audit', kind: 'audit', outcomeKinds: [] });
    const deal = { ...openDealFixture(), activities: [{ id: 'c1', kind: 'call' as const, authorId: 'u', plannedFor: T0 + 10 * HOUR }] } as Deal;
    expect(checkPlanning(audit, deal, T0)).toEqual({ ok: true });
    expect(checkPlanning(clients, deal, T0)).toEqual({ ok: true });
    expect(checkPlanning(clients, deal, T0, 'c1')).toMatchObject({ ok: false, error: { code: 'planning_required' } });
    expect(checkPlanning(clients, deal, T0 + 10 * HOUR)).toMatchObject({ ok: false });
  });

  it('availableOutcomes offers nothing on event topics or in a stage the topic lacks', () => {
    const audit = compileTopic({ id: 'audit', name: 'Audit', kind: 'audit', outcomeKinds: [] });
    expect(availableOutcomes(audit, openDealFixture(), T0, { id: 'u' })).toEqual([]);
    expect(availableOutcomes(topic, { ...openDealFixture(), stageId: 'constructor' }, T0, { id: 'u' })).toEqual([]);
  });

  it('topicPaths gives no routes when no deal can be opened the way it asks', () => {
    expect(topicPaths(compileSales(standardTopic), { actor: { id: '' } })).toEqual([]);
    expect(topicPaths(compileSales(standardTopic), { openedAt: Number.NaN })).toEqual([]);
  });

  it('the audit event machine records and cancels through the same functions', () => {
    const audit = compileTopic({ id: 'audit', name: 'Audit', kind: 'audit', outcomeKinds: [{ id: 'ok', name: 'OK', polarity: 'positive', commentRequired: true }] });
    const planned = planEvent(audit, { id: 'e', clientId: 'c', actor: { id: 'u' }, at: T0, plannedFor: T0 + HOUR });
    if (!planned.ok) expect.fail(planned.error.message);
    freeze(planned.event);
    for (const [event, state] of [
      [{ type: 'record', actor: { id: 'u' }, at: T0 + HOUR, answer: 'yes', kindId: 'ok', comment: 'Fine' }, 'recorded'],
      [{ type: 'record', actor: { id: 'u' }, at: T0 + HOUR, answer: 'no' }, 'planned'],
      [{ type: 'cancel', actor: { id: 'u' }, at: T0 + HOUR }, 'cancelled'],
      [{ type: 'cancel', actor: { id: 'u' }, at: Number.NaN }, 'planned'],
    ] as const) {
      const actor = createActor(audit.machine, { input: { event: planned.event } }).start();
      actor.send(event);
      expect(actor.getSnapshot().value).toBe(state);
      expect(actor.getSnapshot().status === 'done').toBe(state !== 'planned');
      actor.stop();
    }
  });
});
