/**
 * The latest instant a JavaScript `Date` can hold (epoch milliseconds):
 * every time the library accepts lies between 0 and this.
 *
 * @example
 * new Date(MAX_TIME).toISOString(); // '+275760-09-13T00:00:00.000Z'
 */
export const MAX_TIME = 8.64e15;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether a string is a real calendar date written `YYYY-MM-DD`
 * (`2025-02-30` is not, though `Date.parse` would quietly read it as 2 March).
 *
 * @example
 * isCalendarDate('2024-02-29'); // true
 * isCalendarDate('2025-02-29'); // false
 */
export function isCalendarDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number));
}
