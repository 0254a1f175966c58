import { MAX_TIME } from './date.js';

/**
 * UTC offsets of IANA time zones, read from the runtime's own time-zone data
 * through `Intl.DateTimeFormat`.
 *
 * Why not `@date-fns/tz`'s `tzOffset`: it loses the sign of an offset whose
 * hour part is zero and that has seconds, so Africa/Monrovia before 1972
 * (−00:44:30) comes out as +44.5 minutes and every deadline there is 89
 * minutes late. The parse below takes the sign from the text itself and keeps
 * the seconds; `test/reliability/zone-offsets.test.ts` holds it to an
 * independent oracle over every zone the runtime knows. See
 * `docs/time-limits.md` for the upstream report.
 *
 * @module
 */

const OFFSET_PATTERN = /^GMT(?:([+-])(\d{2}):?(\d{2})(?::?(\d{2}))?)?$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | undefined {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    } catch {
      return undefined;
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The offset of `timeZone` from UTC at the instant `at` (epoch ms), in
 * milliseconds, east positive (Moscow: `+3 h`); `NaN` for an unknown zone or
 * an instant outside the range of `Date`.
 *
 * @example
 * zoneOffsetMs('Europe/Moscow', Date.UTC(2026, 0, 1)); // 10_800_000
 * zoneOffsetMs('Africa/Monrovia', Date.UTC(1960, 0, 1)); // -2_670_000 (−00:44:30)
 */
export function zoneOffsetMs(timeZone: string, at: number): number {
  const formatter = formatterFor(timeZone);
  if (formatter === undefined || !Number.isFinite(at) || Math.abs(at) > MAX_TIME) return Number.NaN;
  const text = formatter.format(at);
  const match = OFFSET_PATTERN.exec(text.slice(text.lastIndexOf('GMT')));
  if (match === null) return Number.NaN;
  if (match[1] === undefined) return 0;
  const magnitude = (Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0)) * 1000;
  return match[1] === '-' ? -magnitude : magnitude;
}

/**
 * Whether the runtime knows `timeZone` as an IANA zone (or an offset name it accepts).
 *
 * @example
 * isKnownTimeZone('Asia/Yekaterinburg'); // true
 * isKnownTimeZone('Mars/Olympus_Mons'); // false
 */
export function isKnownTimeZone(timeZone: string): boolean {
  return formatterFor(timeZone) !== undefined;
}
