/**
 * Sparse working calendars (issue 12, item 2): deadlines are counted over
 * whole weeks instead of walked day by day, with the same answers as before;
 * a calendar with no working time at all is refused by lint.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { lintTopic } from '../../src/definition/lint.js';
import type { Calendar, SalesTopic } from '../../src/definition/schema.js';
import { standardTopic } from '../../src/index.js';
import { addDuration, compileCalendar, type WorkingCalendar } from '../../src/time/calendar.js';
import { MAX_DURATION_DAYS, parseDuration, type Duration } from '../../src/time/duration.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MAX_INSTANT = 8.64e15;
const MAX_DAY = MAX_INSTANT / DAY + 1;

// ---- The oracle: the day-by-day walk of src/time/calendar.ts before issue 12, copied verbatim. ----

function oldAddDuration(start: number, duration: Duration, calendar: WorkingCalendar): number {
  const plain = start + ((duration.weeks * 7 + duration.days) * DAY + duration.hours * HOUR + duration.minutes * MINUTE + duration.seconds * 1000);
  if (!(Math.abs(start) <= MAX_INSTANT)) return plain;
  const days = Math.floor(nonNegative(duration.weeks * calendar.workDaysPerWeek + duration.days));
  const time = nonNegative(duration.hours * HOUR + duration.minutes * MINUTE + duration.seconds * SECOND);
  let at = start;
  if (days > 0) at = oldAddWorkingDays(calendar, at, days);
  if (time > 0) at = oldAddWorkingTime(calendar, at, time);
  return Number.isNaN(at) ? plain : at;
}

function nonNegative(value: number): number {
  return value > 0 ? value : 0;
}

function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

function isWorkingLocalDay(calendar: WorkingCalendar, day: number): boolean {
  if (calendar.workingDays.has(day)) return true;
  return (calendar.workDayMask & (1 << isoWeekday(day))) !== 0 && !calendar.holidays.has(day);
}

function oldAddWorkingDays(calendar: WorkingCalendar, start: number, count: number): number {
  const { clock } = calendar;
  const startOfHours = calendar.workStartMinute * MINUTE;
  const endOfHours = calendar.workEndMinute * MINUTE;
  const day = clock.dayOf(start);
  const working = isWorkingLocalDay(calendar, day);
  let anchorDay: number;
  let timeOfDay = endOfHours;
  if (working && clock.toInstant(day, startOfHours) < start && start < clock.toInstant(day, endOfHours)) {
    anchorDay = day;
    timeOfDay = Math.min(Math.max(clock.timeOfDay(start), startOfHours), endOfHours);
  } else if (working && clock.toInstant(day, endOfHours) <= start) {
    anchorDay = day;
  } else {
    anchorDay = oldPreviousWorkingDay(calendar, day);
  }
  return clock.toInstant(oldNthWorkingDayAfter(calendar, anchorDay, count), timeOfDay);
}

function oldPreviousWorkingDay(calendar: WorkingCalendar, day: number): number {
  const limit = day - 7 * (calendar.holidays.size + 1);
  let candidate = day - 1;
  while (candidate > limit && !isWorkingLocalDay(calendar, candidate)) candidate -= 1;
  return candidate;
}

function oldNthWorkingDayAfter(calendar: WorkingCalendar, day: number, count: number): number {
  const limit = Math.min(day + 7 * (count + calendar.holidays.size + 1), MAX_DAY);
  let candidate = day;
  let found = 0;
  while (candidate < limit) {
    candidate += 1;
    if (isWorkingLocalDay(calendar, candidate)) {
      found += 1;
      if (found === count) return candidate;
    }
  }
  return Number.NaN;
}

function oldAddWorkingTime(calendar: WorkingCalendar, from: number, time: number): number {
  const { clock } = calendar;
  const startOfHours = calendar.workStartMinute * MINUTE;
  const endOfHours = calendar.workEndMinute * MINUTE;
  let left = time;
  let at = from;
  for (let day = clock.dayOf(from); day <= MAX_DAY; day += 1) {
    if (!isWorkingLocalDay(calendar, day)) continue;
    const intervalStart = clock.toInstant(day, startOfHours);
    const intervalEnd = clock.toInstant(day, endOfHours);
    if (at < intervalStart) at = intervalStart;
    if (at >= intervalEnd) continue;
    const available = intervalEnd - at;
    if (left <= available) return at + left;
    left -= available;
    at = intervalEnd;
  }
  return Number.NaN;
}

// ---- Generators ----

const ZONES = ['UTC', 'Etc/GMT-3', 'Europe/Moscow', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'America/Santiago', 'Asia/Kolkata', 'Pacific/Chatham'];
const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2028, 0, 1);

const isoDate = fc.integer({ min: FROM / DAY, max: TO / DAY + 400 }).map((day) => new Date(day * DAY).toISOString().slice(0, 10));
/** Times of day on the quarter hour, 00:00 … 24:00, with the small hours (DST changes) well represented. */
const clockTime = fc.oneof(fc.integer({ min: 0, max: 96 }), fc.integer({ min: 4, max: 14 })).map((quarter) => `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`);

const calendarArb: fc.Arbitrary<Calendar> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    workDays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    hours: fc.option(fc.tuple(clockTime, clockTime), { nil: undefined }),
    holidays: fc.uniqueArray(isoDate, { maxLength: 40 }),
    workingDays: fc.uniqueArray(isoDate, { maxLength: 10 }),
  })
  .filter(({ hours }) => hours === undefined || hours[0] < hours[1])
  .map(({ timeZone, workDays, hours, holidays, workingDays }) => {
    const holidaySet = new Set(holidays);
    return {
      timeZone,
      workDays,
      ...(hours === undefined ? {} : { workHours: { start: hours[0], end: hours[1] } }),
      holidays,
      workingDays: workingDays.filter((date) => !holidaySet.has(date)),
    };
  });

const startArb = fc.oneof(
  fc.integer({ min: FROM, max: TO }),
  // On the quarter hour, so starts hit interval edges and DST changes exactly.
  fc.integer({ min: FROM / (15 * MINUTE), max: TO / (15 * MINUTE) }).map((quarter) => quarter * 15 * MINUTE),
);

const durationArb: fc.Arbitrary<Duration> = fc.record({
  weeks: fc.integer({ min: 0, max: 30 }),
  days: fc.integer({ min: 0, max: 120 }),
  hours: fc.integer({ min: 0, max: 1500 }),
  minutes: fc.integer({ min: 0, max: 200 }),
  seconds: fc.integer({ min: 0, max: 90 }),
});

function parsed(text: string): Duration {
  const duration = parseDuration(text);
  if (duration === undefined) throw new Error(`bad duration in test: ${text}`);
  return duration;
}

describe('sparse working calendars: whole weeks counted, not walked (issue 12)', () => {
  it('gives exactly the deadlines of the day-by-day walk (oracle) over random calendars, zones with DST, holidays, starts and limits', () => {
    fc.assert(
      fc.property(calendarArb, startArb, durationArb, (definition, start, duration) => {
        const calendar = compileCalendar(definition);
        const oracle = oldAddDuration(start, duration, compileCalendar(definition));
        expect(addDuration(start, duration, calendar)).toBe(oracle);
      }),
      { numRuns: 400 },
    );
  });

  it('gives the oracle deadlines for sparse calendars (one or two short working days a week) and limits of many weeks', () => {
    const sparse = fc.record({
      timeZone: fc.constantFrom(...ZONES),
      workDays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 2 }),
      start: fc.integer({ min: 0, max: 23 }),
      length: fc.integer({ min: 1, max: 3 }),
      holidays: fc.uniqueArray(isoDate, { maxLength: 6 }),
    });
    fc.assert(
      fc.property(sparse, startArb, durationArb, ({ timeZone, workDays, start: hour, length, holidays }, start, duration) => {
        const end = Math.min(hour + length, 24);
        const definition: Calendar = {
          timeZone,
          workDays,
          workHours: { start: `${String(hour).padStart(2, '0')}:00`, end: `${String(end).padStart(2, '0')}:00` },
          holidays,
          workingDays: [],
        };
        expect(addDuration(start, duration, compileCalendar(definition))).toBe(oldAddDuration(start, duration, compileCalendar(definition)));
      }),
      { numRuns: 200 },
    );
  });

  it('computes a multi-year limit on one working hour a week by hand: Mondays 09:00–10:00 UTC, PT87600H (ten years)', () => {
    const calendar = compileCalendar({ timeZone: 'UTC', workDays: [1], workHours: { start: '09:00', end: '10:00' }, holidays: ['2026-01-12'], workingDays: ['2026-01-17'] });
    const limit = parsed(`PT${MAX_DURATION_DAYS * 24}H`);
    // Start on Monday 2026-01-05 09:00. Hour 1 is Monday 01-05; the holiday Monday 01-12 gives none; the
    // transferred Saturday 01-17 gives hour 2; Monday 01-19 gives hour 3 and every Monday after one more.
    // Hour 87 600 is then the Monday 87 597 weeks after 01-19, ending at 10:00.
    const expected = Date.UTC(2026, 0, 19, 10) + 87_597 * 7 * DAY;
    expect(addDuration(Date.UTC(2026, 0, 5, 9), limit, calendar)).toBe(expected);
    // P3650D counts working days: the 3650th working day after Monday 01-05 18:00-less anchor (10:00 end).
    const days = parsed(`P${MAX_DURATION_DAYS}D`);
    // Anchor: start at 09:00 is not strictly inside the hours, so the anchor is the previous working day,
    // Monday 2025-12-29, at 10:00. Working days after it: 01-05 (1), 01-17 (2), 01-19 (3), then weekly.
    expect(addDuration(Date.UTC(2026, 0, 5, 9), days, calendar)).toBe(Date.UTC(2026, 0, 19, 10) + (MAX_DURATION_DAYS - 3) * 7 * DAY);
  });

  it('gives the same multi-year answer as the oracle in a DST zone with hours across the spring-forward gap', () => {
    const definition: Calendar = { timeZone: 'Europe/Berlin', workDays: [7], workHours: { start: '01:30', end: '03:30' }, holidays: ['2027-03-28'], workingDays: ['2027-04-03'] };
    const start = Date.UTC(2026, 2, 1);
    for (const text of ['PT2000H', 'P500D', 'P80W', 'P30DT700H30M']) {
      const duration = parsed(text);
      expect(addDuration(start, duration, compileCalendar(definition)), text).toBe(oldAddDuration(start, duration, compileCalendar(definition)));
    }
  });
});

describe('lint: a calendar with no working time at all is refused', () => {
  const withCalendar = (calendar: Calendar): SalesTopic => ({ ...(standardTopic as SalesTopic), calendar });

  it('refuses empty working hours with no_working_time at calendar.workHours, in English and Russian', () => {
    const topic = withCalendar({ timeZone: 'UTC', workDays: [1, 2, 3, 4, 5], workHours: { start: '09:00', end: '09:00' }, holidays: [], workingDays: ['2026-01-03'] });
    const en = lintTopic(topic).find((issue) => issue.code === 'no_working_time');
    const ru = lintTopic(topic, { locale: 'ru' }).find((issue) => issue.code === 'no_working_time');
    expect(en).toMatchObject({ severity: 'error', path: 'calendar.workHours', rule: 'calendar' });
    expect(en?.message).toMatch(/no working time/);
    expect(ru?.message).toMatch(/нет рабочего времени/);
  });

  it('refuses a calendar with no work day and no transferred working day at calendar.workDays, and accepts one a transferred day saves', () => {
    const none = lintTopic(withCalendar({ timeZone: 'UTC', workDays: [], holidays: [], workingDays: [] }));
    expect(none.filter((issue) => issue.code === 'no_working_time').map((issue) => `${issue.severity}@${issue.path}`)).toEqual(['error@calendar.workDays']);
    const saved = lintTopic(withCalendar({ timeZone: 'UTC', workDays: [], holidays: [], workingDays: ['2026-01-03'] }));
    expect(saved.some((issue) => issue.code === 'no_working_time')).toBe(false);
  });

  it('does not refuse a sparse but real calendar: one working hour a week', () => {
    const issues = lintTopic(withCalendar({ timeZone: 'UTC', workDays: [1], workHours: { start: '09:00', end: '10:00' }, holidays: [], workingDays: [] }));
    expect(issues.some((issue) => issue.code === 'no_working_time')).toBe(false);
  });
});

describe('a deadline on a sparse calendar costs a few weeks of walk, whatever the zone (issue 12, item 2)', () => {
  const withCalendar = (calendar: Calendar, maxDuration: string): SalesTopic => ({ ...(standardTopic as SalesTopic), calendar, maxDuration });
  const oneHourAWeek = (timeZone: string): Calendar => ({ timeZone, workDays: [1], workHours: { start: '09:00', end: '10:00' }, holidays: [], workingDays: [] });

  it('lint refuses a limit that would take more than ten years of calendar time on the calendar (limit_too_long), in English and Russian', () => {
    const topic = withCalendar(oneHourAWeek('Europe/Berlin'), 'PT87600H');
    const en = lintTopic(topic).find((issue) => issue.code === 'limit_too_long');
    const ru = lintTopic(topic, { locale: 'ru' }).find((issue) => issue.code === 'limit_too_long');
    expect(en).toMatchObject({ severity: 'error', path: 'maxDuration', rule: 'calendar', value: 'PT87600H' });
    expect(en?.message).toContain('PT87600H');
    expect(ru?.message).toMatch(/календарных дней/);
    const stage = { ...(standardTopic.stages[0] as SalesTopic['stages'][number]), maxDuration: 'P600D', idleLimit: 'P600D' };
    const stages = lintTopic({ ...withCalendar(oneHourAWeek('UTC'), 'P3650D'), maxDuration: undefined, stages: [stage, ...standardTopic.stages.slice(1)] } as SalesTopic);
    expect(stages.filter((issue) => issue.code === 'limit_too_long').map((issue) => issue.path)).toEqual(['stages[0].maxDuration', 'stages[0].idleLimit']);
  });

  it('lint accepts the longest limit that fits in ten years, and the same limits on a full working week', () => {
    expect(lintTopic(withCalendar(oneHourAWeek('Europe/Berlin'), 'PT520H')).some((issue) => issue.code === 'limit_too_long')).toBe(false);
    expect(lintTopic(withCalendar(oneHourAWeek('Europe/Berlin'), 'PT521H')).some((issue) => issue.code === 'limit_too_long')).toBe(true);
    const fullWeek: Calendar = { timeZone: 'Europe/Moscow', workDays: [1, 2, 3, 4, 5], workHours: { start: '09:00', end: '18:00' }, holidays: [], workingDays: [] };
    expect(lintTopic(withCalendar(fullWeek, 'P365D')).some((issue) => issue.code === 'limit_too_long')).toBe(false);
  });

  it('the longest accepted limit always ends within ten years of its start', () => {
    const calendar = compileCalendar(oneHourAWeek('Europe/Berlin'));
    const start = Date.UTC(2026, 0, 12, 9);
    expect(addDuration(start, parsed('PT520H'), calendar) - start).toBeLessThanOrEqual(MAX_DURATION_DAYS * DAY);
  });

  it('gives one calendar, asked again and again, the answers of a fresh calendar (the week offsets it keeps change nothing)', () => {
    fc.assert(
      fc.property(fc.constantFrom('Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Europe/Moscow'), fc.array(fc.integer({ min: 0, max: 20 * 365 * 24 }), { minLength: 2, maxLength: 12 }), (timeZone, hours) => {
        const kept = compileCalendar(oneHourAWeek(timeZone));
        for (const hour of hours) {
          const start = Date.UTC(2020, 0, 1) + hour * 3_600_000;
          expect(addDuration(start, parsed('PT300H'), kept)).toBe(addDuration(start, parsed('PT300H'), compileCalendar(oneHourAWeek(timeZone))));
        }
      }),
      { numRuns: 25 },
    );
  });
});
