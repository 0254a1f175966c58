const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Whether a string is a real calendar date written `YYYY-MM-DD`
 * (`2025-02-30` is not: `Date.parse` would quietly read it as 2 March).
 *
 * @example
 * isCalendarDate('2024-02-29'); // true
 * isCalendarDate('2025-02-29'); // false
 */
export function isCalendarDate(text: string): boolean {
  const time = DATE_PATTERN.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
}
