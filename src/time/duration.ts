/**
 * A time limit parsed from an ISO 8601 duration such as `P2D`, `PT4H` or `P1W`.
 *
 * Weeks and days are kept apart from the time part because a working calendar
 * counts them in working days, while hours, minutes and seconds count working
 * time. Years and months are not accepted: their length varies, and a sales
 * limit is always stated in weeks, days or hours.
 */
export interface Duration {
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

/**
 * The longest limit a topic may state: ten years, in days. Longer ones are typos.
 *
 * @example
 * parseDuration(`P${MAX_DURATION_DAYS + 1}D`); // undefined
 */
export const MAX_DURATION_DAYS = 3650;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The shape of an accepted ISO 8601 duration; {@link parseDuration} also checks the range. */
export const ISO_DURATION =
  /^P(?:(\d{1,7})W)?(?:(\d{1,7})D)?(?:T(?:(\d{1,9})H)?(?:(\d{1,9})M)?(?:(\d{1,9})S)?)?$/;

/**
 * Parses an ISO 8601 duration (`P1W`, `P2D`, `PT4H`, `P1DT12H`, `PT90M`).
 * Returns `undefined` for anything else, including zero, negative, year/month
 * and over-long durations (more than {@link MAX_DURATION_DAYS}).
 *
 * @example
 * parseDuration('P2D');   // { weeks: 0, days: 2, hours: 0, minutes: 0, seconds: 0 }
 * parseDuration('P1M');   // undefined: months vary in length
 */
export function parseDuration(text: string): Duration | undefined {
  const match = ISO_DURATION.exec(text);
  if (match === null || text === 'P' || text.endsWith('T')) return undefined;
  const [weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const duration: Duration = { weeks, days, hours, minutes, seconds };
  const ms = durationToMs(duration);
  if (ms <= 0 || ms > MAX_DURATION_DAYS * DAY) return undefined;
  return duration;
}

/**
 * The length of a duration in calendar time (no working calendar): a day is
 * 24 hours and a week is 7 days.
 *
 * @example
 * durationToMs(parseDuration('P1DT1H')!); // 90_000_000
 */
export function durationToMs(duration: Duration): number {
  return (
    (duration.weeks * 7 + duration.days) * DAY +
    duration.hours * HOUR +
    duration.minutes * MINUTE +
    duration.seconds * 1000
  );
}
