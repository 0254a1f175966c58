import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { Calendar } from '../../src/definition/schema.js';
import { addDuration, compileCalendar, isWorkingDay, isWorkingTime, type WorkingCalendar } from '../../src/time/calendar.js';
import { durationToMs, parseDuration, type Duration } from '../../src/time/duration.js';

const HOUR = 3_600_000;

function duration(text: string): Duration {
  const parsed = parseDuration(text);
  if (parsed === undefined) throw new Error(`bad duration in test: ${text}`);
  return parsed;
}

function calendar(overrides: Partial<Calendar> & Pick<Calendar, 'timeZone'>): WorkingCalendar {
  return compileCalendar({ workDays: [1, 2, 3, 4, 5], holidays: [], workingDays: [], ...overrides });
}

/** Asserts `addDuration(start, limit, cal)` is the instant `expected` (ISO with an explicit offset). */
function expectDeadline(start: string, limit: string, cal: WorkingCalendar | undefined, expected: string): void {
  const result = addDuration(Date.parse(start), duration(limit), cal);
  expect(new Date(result).toISOString(), `${start} + ${limit}`).toBe(new Date(expected).toISOString());
}

const hours9to18 = { start: '09:00', end: '18:00' };
const berlin = calendar({ timeZone: 'Europe/Berlin', workHours: hours9to18 });
const berlinDays = calendar({ timeZone: 'Europe/Berlin' });
const berlinEveryDay = calendar({ timeZone: 'Europe/Berlin', workDays: [1, 2, 3, 4, 5, 6, 7] });
const berlinEveryDay9to18 = calendar({ timeZone: 'Europe/Berlin', workDays: [1, 2, 3, 4, 5, 6, 7], workHours: hours9to18 });
const moscow = calendar({ timeZone: 'Europe/Moscow', workHours: hours9to18 });
const moscowEveryDay = calendar({ timeZone: 'Europe/Moscow', workDays: [1, 2, 3, 4, 5, 6, 7] });
/** The Russian production calendar for 2024 (Saturdays 27 April, 2 November and 28 December were worked). */
const russia2024 = calendar({
  timeZone: 'Europe/Moscow',
  workHours: hours9to18,
  holidays: [
    '2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08', '2024-02-23', '2024-03-08',
    '2024-04-29', '2024-04-30', '2024-05-01', '2024-05-09', '2024-05-10', '2024-06-12', '2024-11-04', '2024-12-30',
    '2024-12-31',
    // and the start of 2025
    '2025-01-01', '2025-01-02', '2025-01-03', '2025-01-06', '2025-01-07', '2025-01-08',
  ],
  workingDays: ['2024-04-27', '2024-11-02', '2024-12-28'],
});

describe('addDuration without a calendar', () => {
  it('is plain addition: a day is 24 hours even across a DST change', () => {
    expectDeadline('2026-03-28T12:00:00+01:00', 'P1D', undefined, '2026-03-29T13:00:00+02:00');
    expectDeadline('2026-03-27T20:00:00+01:00', 'P1W', undefined, '2026-04-03T21:00:00+02:00');
    expectDeadline('2026-03-30T12:00:00+02:00', 'P1DT2H30M', undefined, '2026-03-31T14:30:00+02:00');
  });
});

describe('addDuration: working days', () => {
  it('counts working days and keeps the time of day', () => {
    expectDeadline('2026-03-02T12:00:00+01:00', 'P1D', berlin, '2026-03-03T12:00:00+01:00');
    expectDeadline('2026-03-02T12:00:00+01:00', 'P4D', berlin, '2026-03-06T12:00:00+01:00');
  });

  it('skips weekends', () => {
    expectDeadline('2026-03-05T12:00:00+01:00', 'P2D', berlin, '2026-03-09T12:00:00+01:00');
    expectDeadline('2026-03-06T10:00:00+01:00', 'P1D', berlinDays, '2026-03-09T10:00:00+01:00');
  });

  it('starts a deal opened on a day off from the end of the last working day', () => {
    expectDeadline('2026-03-07T12:00:00+01:00', 'P1D', berlin, '2026-03-09T18:00:00+01:00'); // Saturday
    expectDeadline('2026-03-08T23:59:00+01:00', 'P1D', berlin, '2026-03-09T18:00:00+01:00'); // Sunday night
    expectDeadline('2026-03-07T12:00:00+01:00', 'P1D', berlinDays, '2026-03-10T00:00:00+01:00'); // end of Monday
  });

  it('handles deals opened late on a Friday', () => {
    expectDeadline('2026-03-20T20:00:00+01:00', 'P1D', berlin, '2026-03-23T18:00:00+01:00');
    expectDeadline('2026-03-20T20:00:00+01:00', 'P2D', berlin, '2026-03-24T18:00:00+01:00');
    expectDeadline('2026-03-20T23:30:00+01:00', 'PT1H', berlin, '2026-03-23T10:00:00+01:00');
    expectDeadline('2026-03-20T17:30:00+01:00', 'PT1H', berlin, '2026-03-23T09:30:00+01:00');
    // Whole working days: Friday 23:00 is still inside Friday.
    expectDeadline('2026-03-20T23:00:00+01:00', 'P1D', berlinDays, '2026-03-23T23:00:00+01:00');
    expectDeadline('2026-03-20T23:00:00+01:00', 'PT2H', berlinDays, '2026-03-23T01:00:00+01:00');
  });

  it('treats a start exactly at the start of the hours as "before" and at the end as "after"', () => {
    expectDeadline('2026-03-02T09:00:00+01:00', 'P1D', berlin, '2026-03-02T18:00:00+01:00');
    expectDeadline('2026-03-02T08:59:00+01:00', 'P1D', berlin, '2026-03-02T18:00:00+01:00');
    expectDeadline('2026-03-02T09:01:00+01:00', 'P1D', berlin, '2026-03-03T09:01:00+01:00');
    expectDeadline('2026-03-02T18:00:00+01:00', 'P1D', berlin, '2026-03-03T18:00:00+01:00');
    expectDeadline('2026-03-02T17:59:59+01:00', 'P1D', berlin, '2026-03-03T17:59:59+01:00');
    expectDeadline('2026-03-02T09:00:00+01:00', 'PT1H', berlin, '2026-03-02T10:00:00+01:00');
    expectDeadline('2026-03-02T18:00:00+01:00', 'PT1H', berlin, '2026-03-03T10:00:00+01:00');
    // Whole days: Monday 00:00 is the start of Monday, so the anchor is the end of Friday.
    expectDeadline('2026-03-09T00:00:00+01:00', 'P1D', berlinDays, '2026-03-10T00:00:00+01:00');
  });

  it('counts a week as the number of work days', () => {
    expectDeadline('2026-03-02T12:00:00+01:00', 'P1W', berlin, '2026-03-09T12:00:00+01:00');
    expectDeadline('2026-03-04T12:00:00+01:00', 'P1W', berlin, '2026-03-11T12:00:00+01:00');
    expectDeadline('2026-03-02T12:00:00+01:00', 'P2W1D', berlin, '2026-03-17T12:00:00+01:00');
    // Six work days a week: a week is six working days.
    const sixDays = calendar({ timeZone: 'Europe/Berlin', workDays: [1, 2, 3, 4, 5, 6], workHours: hours9to18 });
    expectDeadline('2026-03-02T12:00:00+01:00', 'P1W', sixDays, '2026-03-09T12:00:00+01:00');
    expectDeadline('2026-03-02T12:00:00+01:00', 'P5D', sixDays, '2026-03-07T12:00:00+01:00');
    // A holiday inside the week pushes the deadline by a day.
    const withHoliday = calendar({ timeZone: 'Europe/Berlin', workHours: hours9to18, holidays: ['2026-03-04'] });
    expectDeadline('2026-03-02T12:00:00+01:00', 'P1W', withHoliday, '2026-03-10T12:00:00+01:00');
  });

  it('skips public holidays (Easter 2026 in Germany)', () => {
    const easter = calendar({ timeZone: 'Europe/Berlin', workHours: hours9to18, holidays: ['2026-04-03', '2026-04-06'] });
    expectDeadline('2026-04-02T12:00:00+02:00', 'P1D', easter, '2026-04-07T12:00:00+02:00');
    expectDeadline('2026-04-02T17:00:00+02:00', 'PT2H', easter, '2026-04-07T10:00:00+02:00');
    expectDeadline('2026-04-03T12:00:00+02:00', 'P1D', easter, '2026-04-07T18:00:00+02:00'); // opened on Good Friday
  });

  it('follows the Russian 2024 production calendar with transferred working Saturdays', () => {
    expect(isWorkingDay('2024-04-27', russia2024)).toBe(true);
    expect(isWorkingDay('2024-04-28', russia2024)).toBe(false);
    expect(isWorkingDay('2024-04-29', russia2024)).toBe(false);
    expect(isWorkingDay('2024-05-01', russia2024)).toBe(false);
    expect(isWorkingDay('2024-05-02', russia2024)).toBe(true);
    expect(isWorkingDay('2024-11-02', russia2024)).toBe(true);
    expect(isWorkingDay('2024-11-04', russia2024)).toBe(false);
    expectDeadline('2024-04-26T12:00:00+03:00', 'P1D', russia2024, '2024-04-27T12:00:00+03:00');
    expectDeadline('2024-04-26T12:00:00+03:00', 'P2D', russia2024, '2024-05-02T12:00:00+03:00');
    expectDeadline('2024-04-27T17:00:00+03:00', 'PT2H', russia2024, '2024-05-02T10:00:00+03:00');
    expectDeadline('2024-04-28T12:00:00+03:00', 'P1D', russia2024, '2024-05-02T18:00:00+03:00'); // Sunday: after Saturday's hours
    expectDeadline('2024-11-01T18:30:00+03:00', 'P1D', russia2024, '2024-11-02T18:00:00+03:00');
    expectDeadline('2024-11-01T18:30:00+03:00', 'P2D', russia2024, '2024-11-05T18:00:00+03:00');
    expectDeadline('2024-12-27T12:00:00+03:00', 'P1D', russia2024, '2024-12-28T12:00:00+03:00');
    expectDeadline('2024-12-27T12:00:00+03:00', 'P2D', russia2024, '2025-01-09T12:00:00+03:00');
  });

  it('mixes days and time: days first, then working time', () => {
    expectDeadline('2026-03-02T17:00:00+01:00', 'P1DT2H', berlin, '2026-03-04T10:00:00+01:00');
    expectDeadline('2026-03-02T09:00:00+01:00', 'P1DT1H', berlin, '2026-03-03T10:00:00+01:00');
  });
});

describe('addDuration: working time', () => {
  it('spreads hours over several working days of 09:00–18:00', () => {
    expectDeadline('2026-03-02T15:00:00+01:00', 'PT20H', berlin, '2026-03-04T17:00:00+01:00');
    expectDeadline('2026-03-02T09:00:00+01:00', 'PT45H', berlin, '2026-03-06T18:00:00+01:00');
    expectDeadline('2026-03-02T09:00:00+01:00', 'PT45H1S', berlin, '2026-03-09T09:00:01+01:00');
    expectDeadline('2026-03-02T07:00:00+01:00', 'PT90M', berlin, '2026-03-02T10:30:00+01:00');
  });

  it('ends at the end of the hours, not the next morning, when the time runs out there', () => {
    expectDeadline('2026-03-02T09:00:00+01:00', 'PT9H', berlin, '2026-03-02T18:00:00+01:00');
    expectDeadline('2026-03-06T12:00:00+01:00', 'PT6H', berlin, '2026-03-06T18:00:00+01:00');
  });

  it('supports working hours that end at 24:00', () => {
    const evenings = calendar({ timeZone: 'Europe/Moscow', workHours: { start: '20:00', end: '24:00' } });
    expectDeadline('2026-03-02T22:00:00+03:00', 'PT2H', evenings, '2026-03-03T00:00:00+03:00');
    expectDeadline('2026-03-02T22:00:00+03:00', 'PT3H', evenings, '2026-03-03T21:00:00+03:00');
    expectDeadline('2026-03-02T22:00:00+03:00', 'P1D', evenings, '2026-03-03T22:00:00+03:00');
    expectDeadline('2026-03-03T00:00:00+03:00', 'P1D', evenings, '2026-03-04T00:00:00+03:00'); // at Monday's end
    expectDeadline('2026-03-06T23:00:00+03:00', 'PT2H', evenings, '2026-03-09T21:00:00+03:00');
    expect(isWorkingTime(Date.parse('2026-03-02T23:59:59+03:00'), evenings)).toBe(true);
    expect(isWorkingTime(Date.parse('2026-03-03T00:00:00+03:00'), evenings)).toBe(false);
    // In Berlin across the spring-forward night.
    const berlinEvenings = calendar({
      timeZone: 'Europe/Berlin',
      workDays: [1, 2, 3, 4, 5, 6, 7],
      workHours: { start: '20:00', end: '24:00' },
    });
    expectDeadline('2026-03-28T23:00:00+01:00', 'PT2H', berlinEvenings, '2026-03-29T21:00:00+02:00');
    expectDeadline('2026-03-28T23:00:00+01:00', 'P1D', berlinEvenings, '2026-03-29T23:00:00+02:00');
  });
});

describe('addDuration across DST in Europe/Berlin', () => {
  it('spring forward (2026-03-29) with work hours', () => {
    expectDeadline('2026-03-27T12:00:00+01:00', 'P1D', berlin, '2026-03-30T12:00:00+02:00');
    expectDeadline('2026-03-27T12:00:00+01:00', 'PT12H', berlin, '2026-03-30T15:00:00+02:00');
    expectDeadline('2026-03-28T12:00:00+01:00', 'P1D', berlinEveryDay9to18, '2026-03-29T12:00:00+02:00');
    expectDeadline('2026-03-28T12:00:00+01:00', 'PT9H', berlinEveryDay9to18, '2026-03-29T12:00:00+02:00');
  });

  it('spring forward (2026-03-29) with whole days', () => {
    expectDeadline('2026-03-28T12:00:00+01:00', 'P1D', berlinEveryDay, '2026-03-29T12:00:00+02:00');
    // 02:30 does not exist on 29 March: the first instant after the gap.
    expectDeadline('2026-03-28T02:30:00+01:00', 'P1D', berlinEveryDay, '2026-03-29T03:00:00+02:00');
    expectDeadline('2026-03-29T01:30:00+01:00', 'P1D', berlinEveryDay, '2026-03-30T01:30:00+02:00');
    expectDeadline('2026-03-29T03:30:00+02:00', 'P1D', berlinEveryDay, '2026-03-30T03:30:00+02:00');
    // Working time is elapsed time: the 23-hour Sunday holds 23 hours.
    expectDeadline('2026-03-29T00:00:00+01:00', 'PT24H', berlinEveryDay, '2026-03-30T01:00:00+02:00');
    expectDeadline('2026-03-27T12:00:00+01:00', 'P1D', berlinDays, '2026-03-30T12:00:00+02:00');
    expectDeadline('2026-03-28T12:00:00+01:00', 'P1D', berlinDays, '2026-03-31T00:00:00+02:00');
  });

  it('fall back (2026-10-25) with work hours', () => {
    expectDeadline('2026-10-23T17:00:00+02:00', 'P1D', berlin, '2026-10-26T17:00:00+01:00');
    expectDeadline('2026-10-23T17:00:00+02:00', 'PT2H', berlin, '2026-10-26T10:00:00+01:00');
    expectDeadline('2026-10-24T12:00:00+02:00', 'P1D', berlinEveryDay9to18, '2026-10-25T12:00:00+01:00');
    expectDeadline('2026-10-24T12:00:00+02:00', 'PT9H', berlinEveryDay9to18, '2026-10-25T12:00:00+01:00');
  });

  it('fall back (2026-10-25) with whole days', () => {
    expectDeadline('2026-10-24T12:00:00+02:00', 'P1D', berlinEveryDay, '2026-10-25T12:00:00+01:00');
    // 02:30 happens twice on 25 October: the first one.
    expectDeadline('2026-10-24T02:30:00+02:00', 'P1D', berlinEveryDay, '2026-10-25T02:30:00+02:00');
    expectDeadline('2026-10-25T02:30:00+02:00', 'P1D', berlinEveryDay, '2026-10-26T02:30:00+01:00');
    // The second 02:30 counts as 03:00, the latest reading so far, so deadlines never go backwards.
    expectDeadline('2026-10-25T02:30:00+01:00', 'P1D', berlinEveryDay, '2026-10-26T03:00:00+01:00');
    // The 25-hour Sunday holds 25 hours.
    expectDeadline('2026-10-25T00:00:00+02:00', 'PT24H', berlinEveryDay, '2026-10-25T23:00:00+01:00');
    expectDeadline('2026-10-23T12:00:00+02:00', 'P1D', berlinDays, '2026-10-26T12:00:00+01:00');
  });
});

describe('addDuration in Europe/Moscow (no DST) on the same dates', () => {
  it('keeps 24-hour days and the same offset', () => {
    expectDeadline('2026-03-27T12:00:00+03:00', 'P1D', moscow, '2026-03-30T12:00:00+03:00');
    expectDeadline('2026-03-27T12:00:00+03:00', 'PT12H', moscow, '2026-03-30T15:00:00+03:00');
    expectDeadline('2026-03-28T02:30:00+03:00', 'P1D', moscowEveryDay, '2026-03-29T02:30:00+03:00');
    expectDeadline('2026-03-29T00:00:00+03:00', 'PT24H', moscowEveryDay, '2026-03-30T00:00:00+03:00');
    expectDeadline('2026-10-25T02:30:00+03:00', 'P1D', moscowEveryDay, '2026-10-26T02:30:00+03:00');
    expectDeadline('2026-10-25T00:00:00+03:00', 'PT24H', moscowEveryDay, '2026-10-26T00:00:00+03:00');
    expectDeadline('2026-10-23T17:00:00+03:00', 'PT2H', moscow, '2026-10-26T10:00:00+03:00');
  });
});

describe('isWorkingTime and isWorkingDay', () => {
  it('tells working time from the rest', () => {
    expect(isWorkingTime(Date.parse('2026-03-30T09:00:00+02:00'), berlin)).toBe(true);
    expect(isWorkingTime(Date.parse('2026-03-30T08:59:59+02:00'), berlin)).toBe(false);
    expect(isWorkingTime(Date.parse('2026-03-30T17:59:59+02:00'), berlin)).toBe(true);
    expect(isWorkingTime(Date.parse('2026-03-30T18:00:00+02:00'), berlin)).toBe(false);
    expect(isWorkingTime(Date.parse('2026-03-28T12:00:00+01:00'), berlin)).toBe(false);
    expect(isWorkingTime(Date.parse('2024-04-27T12:00:00+03:00'), russia2024)).toBe(true);
    expect(isWorkingTime(Date.parse('2024-04-29T12:00:00+03:00'), russia2024)).toBe(false);
  });

  it('rejects malformed dates instead of throwing', () => {
    expect(isWorkingDay('2026-02-30', berlin)).toBe(false);
    expect(isWorkingDay('tomorrow', berlin)).toBe(false);
    expect(isWorkingDay('2026-03-02', berlin)).toBe(true);
  });
});

describe('compileCalendar', () => {
  it('precomputes the calendar and freezes it', () => {
    const compiled = calendar({ timeZone: 'Europe/Moscow', workDays: [5, 1, 1, 3], workHours: { start: '08:30', end: '24:00' } });
    expect(compiled.workDays).toEqual([1, 3, 5]);
    expect(compiled.workDaysPerWeek).toBe(3);
    expect(compiled.workStartMinute).toBe(510);
    expect(compiled.workEndMinute).toBe(1440);
    expect(Object.isFrozen(compiled)).toBe(true);
  });

  it('rejects what the schema and lint reject', () => {
    expect(() => calendar({ timeZone: 'Europe/Nowhere' })).toThrow(RangeError);
    expect(() => calendar({ timeZone: 'Europe/Berlin', workDays: [] })).toThrow(RangeError);
    expect(() => calendar({ timeZone: 'Europe/Berlin', workHours: { start: '18:00', end: '09:00' } })).toThrow(RangeError);
    expect(() => calendar({ timeZone: 'Europe/Berlin', holidays: ['2026-13-01'] })).toThrow(RangeError);
  });

  it('gives the same answers after its per-date cache starts over', () => {
    const cal = calendar({ timeZone: 'Europe/Berlin', workHours: hours9to18 });
    const start = Date.parse('2026-03-27T12:00:00+01:00');
    const before = addDuration(start, duration('P3DT5H'), cal);
    // Visit more local dates than the cache keeps (1970 … 2035).
    for (let at = 0; at < 2_100_000_000_000; at += 86_400_000) isWorkingTime(at, cal);
    expect(addDuration(start, duration('P3DT5H'), cal)).toBe(before);
    expect(new Date(before).toISOString()).toBe(new Date('2026-04-01T17:00:00+02:00').toISOString());
  });

  it('returns the start unchanged for a zero duration', () => {
    const saturday = Date.parse('2026-03-07T12:00:00+01:00');
    expect(addDuration(saturday, { weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 }, berlin)).toBe(saturday);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const FROM = Date.parse('2025-12-01T00:00:00Z');
const TO = Date.parse('2027-02-01T00:00:00Z');

const calendarArbitrary: fc.Arbitrary<WorkingCalendar> = fc
  .record({
    timeZone: fc.constantFrom('Europe/Berlin', 'Europe/Moscow', 'America/New_York', 'Australia/Lord_Howe'),
    workDays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    workHours: fc.option(
      fc
        .tuple(fc.integer({ min: 0, max: 1440 }), fc.integer({ min: 0, max: 1440 }))
        .filter(([a, b]) => a !== b)
        .map(([a, b]) => ({ start: hhmm(Math.min(a, b)), end: hhmm(Math.max(a, b)) })),
      { nil: undefined },
    ),
    holidays: fc.uniqueArray(fc.integer({ min: FROM / 86_400_000, max: TO / 86_400_000 + 60 }), { maxLength: 40 }),
    workingDays: fc.uniqueArray(fc.integer({ min: FROM / 86_400_000, max: TO / 86_400_000 + 60 }), { maxLength: 5 }),
  })
  .map(({ holidays, workingDays, ...rest }) =>
    compileCalendar({ ...rest, holidays: holidays.map(isoDate), workingDays: workingDays.filter((d) => !holidays.includes(d)).map(isoDate) }),
  );

const durationArbitrary: fc.Arbitrary<Duration> = fc.record({
  weeks: fc.integer({ min: 0, max: 3 }),
  days: fc.integer({ min: 0, max: 10 }),
  hours: fc.integer({ min: 0, max: 60 }),
  minutes: fc.integer({ min: 0, max: 59 }),
  seconds: fc.integer({ min: 0, max: 59 }),
});

const instantArbitrary = fc.integer({ min: FROM, max: TO });

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function isoDate(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

describe('addDuration properties', () => {
  it('never returns an instant before the start', () => {
    fc.assert(
      fc.property(calendarArbitrary, instantArbitrary, durationArbitrary, (cal, start, limit) => {
        expect(addDuration(start, limit, cal)).toBeGreaterThanOrEqual(start);
      }),
    );
  });

  it('is monotonic in the start', () => {
    fc.assert(
      fc.property(
        calendarArbitrary,
        instantArbitrary,
        fc.oneof(fc.integer({ min: 0, max: 2 * HOUR }), fc.integer({ min: 0, max: 20 * 24 * HOUR })),
        durationArbitrary,
        (cal, t1, gap, limit) => {
          expect(addDuration(t1, limit, cal)).toBeLessThanOrEqual(addDuration(t1 + gap, limit, cal));
        },
      ),
    );
  });

  it('is monotonic through the DST nights of Berlin, Moscow and New York', () => {
    const nights = ['2026-03-08T07:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-11-01T06:00:00Z'].map(Date.parse);
    fc.assert(
      fc.property(
        calendarArbitrary,
        fc.constantFrom(...nights),
        fc.integer({ min: -4 * HOUR, max: 4 * HOUR }),
        fc.integer({ min: 0, max: 2 * HOUR }),
        durationArbitrary,
        (cal, night, offset, gap, limit) => {
          const t1 = night + offset;
          expect(addDuration(t1, limit, cal)).toBeLessThanOrEqual(addDuration(t1 + gap, limit, cal));
          // Starts 24 hours before the night land on it.
          expect(addDuration(t1 - 24 * HOUR, limit, cal)).toBeLessThanOrEqual(addDuration(t1 - 24 * HOUR + gap, limit, cal));
        },
      ),
    );
  });

  it('is monotonic inside the repeated hour of a fall-back night (whole days)', () => {
    const night = Date.parse('2026-10-25T00:00:00Z'); // 02:00 CEST, an hour before the clocks go back
    fc.assert(
      fc.property(
        fc.constantFrom(berlinEveryDay, berlinDays, calendar({ timeZone: 'America/New_York', workDays: [7] })),
        fc.integer({ min: -HOUR, max: 3 * HOUR }),
        fc.integer({ min: 0, max: HOUR }),
        fc.integer({ min: 1, max: 3 }),
        (cal, offset, gap, days) => {
          const limit = { weeks: 0, days, hours: 0, minutes: 0, seconds: 0 };
          const t1 = night + offset;
          const t2 = (cal.timeZone === 'America/New_York' ? Date.parse('2026-11-01T05:00:00Z') : night) + offset;
          expect(addDuration(t1, limit, cal)).toBeLessThanOrEqual(addDuration(t1 + gap, limit, cal));
          expect(addDuration(t2, limit, cal)).toBeLessThanOrEqual(addDuration(t2 + gap, limit, cal));
        },
      ),
    );
  });

  it('equals plain addition without a calendar', () => {
    fc.assert(
      fc.property(instantArbitrary, durationArbitrary, (start, limit) => {
        expect(addDuration(start, limit)).toBe(start + durationToMs(limit));
      }),
    );
  });

  it('adds working time in pieces as in one go, and ends inside working time', () => {
    fc.assert(
      fc.property(calendarArbitrary, instantArbitrary, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 40 }), (cal, start, a, b) => {
        const once = addDuration(start, { weeks: 0, days: 0, hours: 0, minutes: a + b, seconds: 0 }, cal);
        const twice = addDuration(addDuration(start, { weeks: 0, days: 0, hours: 0, minutes: a, seconds: 0 }, cal), { weeks: 0, days: 0, hours: 0, minutes: b, seconds: 0 }, cal);
        expect(twice).toBe(once);
        expect(isWorkingTime(once - 1, cal)).toBe(true);
      }),
    );
  });

  it('adds working days in pieces as in one go when the hours avoid DST changes', () => {
    const calendars = [berlin, moscow, russia2024, calendar({ timeZone: 'Europe/Berlin', workDays: [2, 4, 6], workHours: hours9to18, holidays: ['2026-06-04'] })];
    fc.assert(
      fc.property(fc.constantFrom(...calendars), instantArbitrary, fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 15 }), (cal, start, a, b) => {
        const days = (n: number): Duration => ({ weeks: 0, days: n, hours: 0, minutes: 0, seconds: 0 });
        expect(addDuration(addDuration(start, days(a), cal), days(b), cal)).toBe(addDuration(start, days(a + b), cal));
      }),
    );
  });
});

// A slow, independent oracle for the time part: walk minute by minute with Intl.

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(at: number, timeZone: string): { date: string; weekday: number; minute: number } {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday ?? '') + 1;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

interface PlainCalendar {
  readonly timeZone: string;
  readonly workDays: readonly number[];
  readonly start: number;
  readonly end: number;
  readonly holidays: readonly string[];
}

function oracleAddMinutes(start: number, minutes: number, cal: PlainCalendar): number {
  let at = start;
  let left = minutes;
  let wall = wallClock(at, cal.timeZone);
  while (left > 0) {
    // Offsets here change only on whole hours: ask Intl every quarter hour, count minutes in between.
    if (at !== start) wall = at % (15 * 60_000) === 0 ? wallClock(at, cal.timeZone) : { ...wall, minute: wall.minute + 1 };
    const workingDay = cal.workDays.includes(wall.weekday) && !cal.holidays.includes(wall.date);
    if (workingDay && wall.minute >= cal.start && wall.minute < cal.end) left -= 1;
    at += 60_000;
  }
  return at;
}

describe('addDuration agrees with a minute-by-minute oracle for working time', () => {
  const plains: PlainCalendar[] = [
    { timeZone: 'Europe/Berlin', workDays: [1, 2, 3, 4, 5], start: 540, end: 1080, holidays: ['2026-03-31'] },
    { timeZone: 'Europe/Berlin', workDays: [1, 2, 3, 4, 5, 6, 7], start: 0, end: 1440, holidays: [] },
    { timeZone: 'Europe/Berlin', workDays: [6, 7], start: 1200, end: 1440, holidays: [] },
    { timeZone: 'Europe/Moscow', workDays: [1, 2, 3, 4, 5], start: 600, end: 1140, holidays: ['2026-10-26'] },
  ];
  const compiled = plains.map((plain) =>
    compileCalendar({
      timeZone: plain.timeZone,
      workDays: [...plain.workDays],
      workHours: plain.start === 0 && plain.end === 1440 ? undefined : { start: hhmm(plain.start), end: hhmm(plain.end) },
      holidays: [...plain.holidays],
      workingDays: [],
    }),
  );
  const nights = ['2026-03-28T12:00:00Z', '2026-10-24T12:00:00Z'].map(Date.parse);

  it('around the DST nights', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: plains.length - 1 }),
        fc.constantFrom(...nights),
        fc.integer({ min: -3 * 24 * 60, max: 2 * 24 * 60 }),
        fc.integer({ min: 1, max: 1200 }),
        (index, night, offsetMinutes, minutes) => {
          const start = night + offsetMinutes * 60_000;
          const limit = { weeks: 0, days: 0, hours: 0, minutes, seconds: 0 };
          expect(addDuration(start, limit, compiled[index])).toBe(oracleAddMinutes(start, minutes, plains[index] as PlainCalendar));
        },
      ),
      { numRuns: 60 },
    );
  });
});
