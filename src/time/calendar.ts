/**
 * Working-calendar deadline arithmetic.
 *
 * A topic may carry a working {@link Calendar}: a time zone, the ISO weekdays
 * that are worked, optional working hours, public holidays and transferred
 * working days (production calendars such as the Russian one). A limit such as
 * `P2D` or `PT4H` then counts working days and working time instead of
 * calendar time. {@link compileCalendar} turns the definition into a
 * {@link WorkingCalendar} once; {@link addDuration} computes a deadline from
 * it on every stage move.
 *
 * Semantics of `addDuration(start, duration, calendar)`:
 *
 * 1. Without a calendar the result is `start + durationToMs(duration)`:
 *    calendar time, a day is 24 hours and a week is 7 days.
 * 2. A local date (in the calendar's time zone) is a working day when its ISO
 *    weekday is a work day and it is not a holiday, or when it is a
 *    transferred working day. Its working interval is
 *    `[workHours.start, workHours.end)` in local time, or the whole local day
 *    `[00:00, next 00:00)` without work hours; `24:00` means the next day's
 *    midnight. Local times are turned into instants as "the first instant of
 *    that local date whose wall clock reads at or after that time": a time
 *    skipped by a spring-forward gap becomes the first instant after the
 *    gap, and a time repeated by a fall-back night means its first occurrence.
 * 3. Days: `N = weeks × (number of distinct work days) + days`. When `N > 0`
 *    the deadline is taken from an anchor. If `start` lies strictly inside a
 *    working interval, the anchor is that day at `start`'s local time of day;
 *    otherwise (at or before the start of the working hours, after them, or
 *    on a day off) the anchor is the most recent working day whose interval
 *    ended at or before `start`, at the end of its working hours. The result
 *    is the N-th working day after the anchor's day, at the anchor's time of
 *    day. Monday 12:00 + `P1D` is Tuesday 12:00; Monday 09:00 (when hours are
 *    09:00–18:00) + `P1D` is Monday 18:00; Friday 20:00 + `P2D` is Tuesday
 *    18:00; Saturday + `P1D` is Monday 18:00. Inside the repeated hour of a
 *    fall-back night the time of day is the latest wall-clock reading of the
 *    day so far (03:00 in Berlin for the second 02:xx), so deadlines never go
 *    backwards when the start moves forward.
 * 4. Time: the hours, minutes and seconds are consumed as working time from
 *    the result of step 3 (or from `start`), starting at the next working
 *    interval when that point is outside working time. When the time runs out
 *    exactly at the end of an interval, the result is that end, not the next
 *    morning. Working time is elapsed time: a whole working day of 23 hours
 *    (spring forward) holds 23 hours.
 * 5. A duration of zero returns `start` unchanged, even outside working time.
 *    A negative (or `NaN`) day count or time part counts as zero, and a
 *    fractional day count is rounded down. The result is never before `start`, the search is bounded,
 *    and nothing throws once the calendar is compiled. A `start` outside the
 *    range of `Date` falls back to calendar time.
 *
 * The compiled calendar caches the facts of each local date it meets (where
 * the date starts and ends, and its offset change if any); the cache is
 * internal, bounded, and never changes an answer.
 *
 * @module
 */
import type { Calendar } from '../definition/schema.js';
import { durationToMs, type Duration } from './duration.js';
import { isKnownTimeZone, zoneOffsetMs } from './zone-offset.js';
import { MAX_TIME } from './date.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Wider than any UTC offset (−12 h … +14 h), so a wall time's instants lie within it. */
const SPAN = 15 * HOUR;
/** The largest instant a `Date` can hold. */
/** The largest local date, as days since 1970-01-01, that the searches visit. */
const MAX_DAY = MAX_TIME / DAY + 1;
/** Cached local dates per calendar before the cache starts over. */
const CACHE_LIMIT = 20_000;

/**
 * Time-zone arithmetic for one IANA zone, with the facts of each local date
 * cached. Local dates are numbered as days since 1970-01-01 (the same count
 * `Date.UTC(y, m, d) / 86_400_000` gives), times of day as milliseconds after
 * local midnight.
 *
 * @example
 * const clock = compileCalendar(calendar).clock;
 * const day = clock.dayOf(Date.parse('2026-03-29T12:00:00+02:00')); // 20541
 * clock.toInstant(day, 2.5 * 3_600_000); // 2026-03-29T03:00:00+02:00: 02:30 does not exist
 */
export interface TimeZoneClock {
  /** The IANA time zone. */
  readonly timeZone: string;
  /** The UTC offset at an instant, in milliseconds (east of Greenwich is positive). */
  readonly offsetAt: (at: number) => number;
  /** The local date of an instant, as days since 1970-01-01. */
  readonly dayOf: (at: number) => number;
  /**
   * The local time of day of an instant, in milliseconds after midnight. In
   * the repeated hour of a fall-back night it is the latest reading of the
   * day so far, so it never decreases within a day.
   */
  readonly timeOfDay: (at: number) => number;
  /**
   * The first instant of local date `day` whose wall clock reads `timeOfDay`
   * or later (`timeOfDay` 86 400 000 is the next day's midnight).
   */
  readonly toInstant: (day: number, timeOfDay: number) => number;
}

/**
 * A compiled, immutable working calendar: sets of local dates, working hours
 * in minutes and a cached time-zone clock, so that deadlines are cheap to
 * compute. Build it with {@link compileCalendar}; local dates are days since
 * 1970-01-01.
 *
 * @example
 * const calendar = compileCalendar({ timeZone: 'Europe/Moscow', workDays: [1, 2, 3, 4, 5], holidays: [], workingDays: [] });
 * calendar.workDaysPerWeek; // 5
 * calendar.workEndMinute;   // 1440: whole days
 */
export interface WorkingCalendar {
  /** The IANA time zone the calendar's days and hours are in. */
  readonly timeZone: string;
  /** The distinct ISO weekdays that are worked (1 = Monday … 7 = Sunday), ascending. */
  readonly workDays: readonly number[];
  /** Bit `1 << weekday` is set for each ISO weekday in {@link WorkingCalendar.workDays}. */
  readonly workDayMask: number;
  /** How many working days a week of a limit stands for. */
  readonly workDaysPerWeek: number;
  /** Start of the working hours, in minutes after local midnight (0 without work hours). */
  readonly workStartMinute: number;
  /** End of the working hours, in minutes after local midnight (1440 for 24:00 or without work hours). */
  readonly workEndMinute: number;
  /** Days off that fall on work days, as local dates. */
  readonly holidays: ReadonlySet<number>;
  /** Transferred working days that fall on days off, as local dates. */
  readonly workingDays: ReadonlySet<number>;
  /** The time-zone arithmetic, with per-date facts cached. */
  readonly clock: TimeZoneClock;
}

/**
 * Compiles a calendar definition for fast deadline computation. Throws a
 * `RangeError` only for what the schema and lint reject: an unknown time
 * zone, no valid work day, malformed dates or hours, or working hours that do
 * not start before they end.
 *
 * @example
 * const calendar = compileCalendar({
 *   timeZone: 'Europe/Berlin',
 *   workDays: [1, 2, 3, 4, 5],
 *   workHours: { start: '09:00', end: '18:00' },
 *   holidays: ['2026-12-25'],
 *   workingDays: [],
 * });
 */
export function compileCalendar(calendar: Calendar): WorkingCalendar {
  const { timeZone } = calendar;
  if (!isKnownTimeZone(timeZone)) throw new RangeError(`Unknown time zone: ${timeZone}`);
  const workDays = [...new Set(calendar.workDays)].filter((day) => Number.isInteger(day) && day >= 1 && day <= 7).sort((a, b) => a - b);
  if (workDays.length === 0) throw new RangeError('A working calendar needs at least one work day (1 = Monday … 7 = Sunday).');
  const workStartMinute = calendar.workHours === undefined ? 0 : parseTimeOfDay(calendar.workHours.start);
  const workEndMinute = calendar.workHours === undefined ? 24 * 60 : parseTimeOfDay(calendar.workHours.end);
  if (workStartMinute >= workEndMinute) {
    throw new RangeError(`Working hours must start before they end: ${calendar.workHours?.start}–${calendar.workHours?.end}`);
  }
  return Object.freeze({
    timeZone,
    workDays: Object.freeze(workDays),
    workDayMask: workDays.reduce((mask, day) => mask | (1 << day), 0),
    workDaysPerWeek: workDays.length,
    workStartMinute,
    workEndMinute,
    holidays: new Set(calendar.holidays.map(parseDate)),
    workingDays: new Set(calendar.workingDays.map(parseDate)),
    clock: createClock(timeZone),
  });
}

/**
 * Whether a local date (`YYYY-MM-DD`) is a working day of the calendar: a
 * work day that is not a holiday, or a transferred working day. A malformed
 * date is not a working day.
 *
 * @example
 * isWorkingDay('2024-04-27', russia2024); // true: a Saturday worked instead of 2024-04-29
 * isWorkingDay('2024-05-01', russia2024); // false: a public holiday
 */
export function isWorkingDay(date: string, calendar: WorkingCalendar): boolean {
  const day = localDateOf(date);
  return !Number.isNaN(day) && isWorkingLocalDay(calendar, day);
}

/**
 * Whether an instant falls inside a working interval of the calendar
 * (working day, within the working hours; the end of the hours is excluded).
 *
 * @example
 * isWorkingTime(Date.parse('2026-03-30T09:00:00+02:00'), berlin9to18); // true: Monday 09:00
 * isWorkingTime(Date.parse('2026-03-30T18:00:00+02:00'), berlin9to18); // false: the hours are over
 */
export function isWorkingTime(at: number, calendar: WorkingCalendar): boolean {
  if (!(Math.abs(at) <= MAX_TIME)) return false;
  const { clock } = calendar;
  const day = clock.dayOf(at);
  return (
    isWorkingLocalDay(calendar, day) &&
    clock.toInstant(day, calendar.workStartMinute * MINUTE) <= at &&
    at < clock.toInstant(day, calendar.workEndMinute * MINUTE)
  );
}

/**
 * The deadline of a limit of `duration` that starts at `start` (epoch
 * milliseconds in and out). Without a calendar it is plain addition; with one,
 * weeks and days count working days and the time part counts working time
 * (see the module notes for the exact rules).
 *
 * @example
 * const mon12 = Date.parse('2026-03-30T12:00:00+02:00');
 * addDuration(mon12, parseDuration('P1D')!);               // Tuesday 12:00 (plain: + 24 h)
 * addDuration(mon12, parseDuration('PT8H')!, berlin9to18); // Tuesday 11:00
 */
export function addDuration(start: number, duration: Duration, calendar?: WorkingCalendar): number {
  const plain = start + durationToMs(duration);
  if (calendar === undefined || !(Math.abs(start) <= MAX_TIME)) return plain;
  const days = Math.floor(nonNegative(duration.weeks * calendar.workDaysPerWeek + duration.days));
  const time = nonNegative(duration.hours * HOUR + duration.minutes * MINUTE + duration.seconds * SECOND);
  let at = start;
  if (days > 0) at = addWorkingDays(calendar, at, days);
  if (time > 0) at = addWorkingTime(calendar, at, time);
  return Number.isNaN(at) ? plain : at;
}

function nonNegative(value: number): number {
  return value > 0 ? value : 0;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a local date; 1970-01-01 was a Thursday. */
function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

function isWorkingLocalDay(calendar: WorkingCalendar, day: number): boolean {
  if (calendar.workingDays.has(day)) return true;
  return (calendar.workDayMask & (1 << isoWeekday(day))) !== 0 && !calendar.holidays.has(day);
}

/** Step 3: the N-th working day after the anchor, at the anchor's time of day. */
function addWorkingDays(calendar: WorkingCalendar, start: number, count: number): number {
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
    anchorDay = previousWorkingDay(calendar, day);
  }
  return clock.toInstant(nthWorkingDayAfter(calendar, anchorDay, count), timeOfDay);
}

/**
 * The most recent working day before `day`. Every 7 consecutive days hold a
 * work weekday, and at most `holidays.size` of those are days off, so the
 * search ends within `7 × (holidays + 1)` days.
 */
function previousWorkingDay(calendar: WorkingCalendar, day: number): number {
  const limit = day - 7 * (calendar.holidays.size + 1);
  let candidate = day - 1;
  while (candidate > limit && !isWorkingLocalDay(calendar, candidate)) candidate -= 1;
  return candidate;
}

/**
 * The `count`-th working day after `day`; found within `7 × (count + holidays + 1)` days.
 * Whole weeks free of holidays and transferred working days hold exactly
 * `workDaysPerWeek` working days each, so they are counted, not walked.
 */
function nthWorkingDayAfter(calendar: WorkingCalendar, day: number, count: number): number {
  const limit = Math.min(day + 7 * (count + calendar.holidays.size + 1), MAX_DAY);
  const { exceptions } = factsOf(calendar);
  let candidate = day;
  let found = 0;
  while (candidate < limit) {
    const weeks = Math.min(
      Math.floor((count - found - 1) / calendar.workDaysPerWeek),
      Math.floor((nextException(exceptions, candidate) - 1 - candidate) / 7),
    );
    if (weeks > 0) {
      // Days candidate + 1 … candidate + 7 × weeks: no exception, fewer than `count` found.
      candidate += 7 * weeks;
      found += weeks * calendar.workDaysPerWeek;
      continue;
    }
    candidate += 1;
    if (isWorkingLocalDay(calendar, candidate)) {
      found += 1;
      if (found === count) return candidate;
    }
  }
  return Number.NaN;
}

/** Facts derived once per compiled calendar: its exceptional dates, sorted, and whether its zone never changes offset. */
interface CalendarFacts {
  readonly exceptions: readonly number[];
  readonly fixedOffset: boolean;
  /** The zone's offset at the week boundaries {@link skippableWeeks} has asked for, by local date: the same weeks recur in every deadline. */
  readonly weekOffsets: Map<number, number>;
}

/** Enough week boundaries for ten years of deadlines on one calendar many times over; the memo starts again past it. */
const WEEK_OFFSETS_LIMIT = 100_000;

const calendarFacts = new WeakMap<WorkingCalendar, CalendarFacts>();

/** Zones whose offset never changes: UTC and its aliases, `Etc/GMT±N` and numeric offsets. */
const FIXED_ZONE = /^(?:(?:Etc\/)?(?:UTC|UCT|GMT|GMT[+-]0|GMT0|Universal|Zulu|Greenwich)|Etc\/GMT[+-]\d{1,2}|[+-]\d{2}(?::?\d{2})?)$/i;

function factsOf(calendar: WorkingCalendar): CalendarFacts {
  let facts = calendarFacts.get(calendar);
  if (facts === undefined) {
    const exceptions = [...new Set([...calendar.holidays, ...calendar.workingDays])].sort((a, b) => a - b);
    facts = { exceptions, fixedOffset: FIXED_ZONE.test(calendar.timeZone), weekOffsets: new Map() };
    calendarFacts.set(calendar, facts);
  }
  return facts;
}

/** The first holiday or transferred working day after `day` (`Infinity` when none). */
function nextException(exceptions: readonly number[], day: number): number {
  let low = 0;
  let high = exceptions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((exceptions[middle] as number) <= day) low = middle + 1;
    else high = middle;
  }
  return low < exceptions.length ? (exceptions[low] as number) : Number.POSITIVE_INFINITY;
}

/**
 * How many whole weeks from local date `day` on can be counted instead of
 * walked by {@link addWorkingTime}: weeks with no exceptional date whose
 * offset stays the same (checked at every week boundary; a fixed-offset zone
 * needs no check), each holding `weekTime` of working time, all of it less
 * than `left`. Returns the weeks and the offset.
 */
function skippableWeeks(calendar: WorkingCalendar, day: number, left: number, weekTime: number): { weeks: number; offset: number; shifts: boolean } {
  const { exceptions, fixedOffset, weekOffsets } = factsOf(calendar);
  const weeks = Math.min(Math.ceil(left / weekTime) - 1, Math.floor((nextException(exceptions, day - 1) - day) / 7), Math.floor((MAX_DAY - day) / 7));
  if (!(weeks > 0)) return { weeks: 0, offset: 0, shifts: false };
  const { offsetAt } = calendar.clock;
  const offset = offsetAt(day * DAY - SPAN);
  if (fixedOffset) return { weeks, offset, shifts: false };
  if (weekOffsets.size > WEEK_OFFSETS_LIMIT) weekOffsets.clear();
  for (let week = 1; week <= weeks; week += 1) {
    const boundary = day + 7 * week;
    let next = weekOffsets.get(boundary);
    if (next === undefined) {
      next = offsetAt(boundary * DAY + SPAN);
      weekOffsets.set(boundary, next);
    }
    // The offset changes within the week after `week - 1` whole weeks: those are counted, that one is walked.
    if (next !== offset) return { weeks: week - 1, offset, shifts: true };
  }
  return { weeks, offset, shifts: false };
}

/**
 * Step 4: consumes `time` ms of working time from `from`. Each working day
 * gives a non-empty interval (only a spring-forward gap that swallows all the
 * working hours can empty one), and working days recur within
 * `7 × (holidays + 1)` days, so the loop ends; it also stops at the end of
 * the range of `Date`.
 */
function addWorkingTime(calendar: WorkingCalendar, from: number, time: number): number {
  const { clock } = calendar;
  const startOfHours = calendar.workStartMinute * MINUTE;
  const endOfHours = calendar.workEndMinute * MINUTE;
  const weekTime = calendar.workDaysPerWeek * (endOfHours - startOfHours);
  let left = time;
  let at = from;
  const first = clock.dayOf(from);
  // Dates before this one are walked: the offset changes among them.
  let walkUntil = first + 1;
  for (let day = first; day <= MAX_DAY; day += 1) {
    if (day >= walkUntil) {
      // At the start of a date, nothing of it used yet: count whole weeks of
      // constant offset, where each working day holds exactly its nominal hours.
      const { weeks, offset, shifts } = skippableWeeks(calendar, day, left, weekTime);
      if (weeks > 0) {
        left -= weeks * weekTime;
        day += 7 * weeks;
        at = Math.max(at, day * DAY - offset);
      }
      if (shifts) walkUntil = day + 7;
    }
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

/** Minutes after midnight of `HH:MM` (`24:00` is 1440). */
function parseTimeOfDay(text: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  const minutes = match === null ? Number.NaN : Number(match[1]) * 60 + Number(match[2]);
  if (!(minutes >= 0 && minutes <= 24 * 60) || Number(match?.[2]) >= 60) throw new RangeError(`Invalid time of day: ${text}`);
  return minutes;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, or `NaN` when it is not a real date. */
function localDateOf(text: string): number {
  const time = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  // Date.parse turns 2025-02-30 into 2 March; the round trip catches it.
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(text) ? time / DAY : Number.NaN;
}

function parseDate(text: string): number {
  const day = localDateOf(text);
  if (Number.isNaN(day)) throw new RangeError(`Invalid date: ${text}`);
  return day;
}

/**
 * The facts of one local date. The date runs over the instants
 * `[start, end)`; its UTC offset is `before` until `shiftAt` and `after` from
 * then on (`shiftAt === end` when the offset does not change during the day).
 * This assumes a zone changes its offset at most once within one local date.
 */
interface LocalDay {
  readonly start: number;
  readonly end: number;
  readonly shiftAt: number;
  readonly before: number;
  readonly after: number;
}

function createClock(timeZone: string): TimeZoneClock {
  const days = new Map<number, LocalDay>();
  let lastDay = Number.NaN;
  let last: LocalDay | undefined;

  const offsetAt = (at: number): number => zoneOffsetMs(timeZone, at);

  /** The first instant at or after `from` whose offset is `offset`; `offsetAt(to) === offset`. */
  const shiftBetween = (from: number, to: number, offset: number): number => {
    let low = from;
    let high = to;
    while (high - low > 1) {
      const middle = low + Math.floor((high - low) / 2);
      if (offsetAt(middle) === offset) high = middle;
      else low = middle;
    }
    return high;
  };

  /** The first instant whose wall clock (as ms since 1970-01-01 local) reads `wall` or later. */
  const resolveWall = (wall: number): number => {
    const before = offsetAt(wall - SPAN);
    const after = offsetAt(wall + SPAN);
    if (before === after) return wall - before;
    const shift = shiftBetween(wall - SPAN, wall + SPAN, after);
    return wall - before < shift ? wall - before : Math.max(shift, wall - after);
  };

  const localDay = (day: number): LocalDay => {
    const cached = days.get(day);
    if (cached !== undefined) return cached;
    if (days.size >= CACHE_LIMIT) days.clear();
    const midnight = day * DAY;
    const start = days.get(day - 1)?.end ?? resolveWall(midnight);
    const before = offsetAt(start);
    let facts: LocalDay;
    if (start + before === midnight && offsetAt(start + DAY) === before) {
      facts = { start, end: start + DAY, shiftAt: start + DAY, before, after: before };
    } else {
      const end = days.get(day + 1)?.start ?? resolveWall(midnight + DAY);
      const after = offsetAt(end - 1);
      // A date skipped whole (Pacific/Apia, 2011-12-30) is empty: start === end.
      const shiftAt = after === before || end <= start ? end : shiftBetween(start, end - 1, after);
      facts = { start, end, shiftAt, before, after };
    }
    days.set(day, facts);
    return facts;
  };

  const dayOf = (at: number): number => {
    if (last !== undefined && at >= last.start && at < last.end) return lastDay;
    let day = Math.floor((at + (last === undefined ? offsetAt(at) : last.after)) / DAY);
    // The guess is at most a day off; step towards the date that holds `at`.
    for (let step = 0; step < 3; step += 1) {
      const facts = localDay(day);
      if (at < facts.start) day -= 1;
      else if (at >= facts.end) day += 1;
      else {
        last = facts;
        lastDay = day;
        return day;
      }
    }
    return Math.floor((at + offsetAt(at)) / DAY);
  };

  const timeOfDay = (at: number): number => {
    const day = dayOf(at);
    const facts = localDay(day);
    const wall = at < facts.shiftAt ? at + facts.before : Math.max(at + facts.after, facts.shiftAt + facts.before);
    return wall - day * DAY;
  };

  const toInstant = (day: number, time: number): number => {
    const facts = localDay(day);
    const wall = day * DAY + time;
    const early = Math.max(facts.start, wall - facts.before);
    if (early < facts.shiftAt) return early;
    const late = Math.max(facts.shiftAt, wall - facts.after);
    return late < facts.end ? late : facts.end;
  };

  return Object.freeze({ timeZone, offsetAt, dayOf, timeOfDay, toInstant });
}
