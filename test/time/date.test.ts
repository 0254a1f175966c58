import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCalendarDate } from '../../src/index.js';

describe('isCalendarDate', () => {
  it('accepts real dates and refuses impossible ones', () => {
    expect(['2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01'].map(isCalendarDate)).toEqual([true, true, true, true]);
    expect(['2025-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-1-01', '20260101', ' 2026-01-01', ''].map(isCalendarDate)).toEqual(
      Array(10).fill(false),
    );
  });

  it('agrees with the round trip through Date for every day of four centuries', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1600, max: 2400 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (year, month, day) => {
        const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const time = Date.parse(`${text}T00:00:00Z`);
        const roundTrip = !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
        expect(isCalendarDate(text)).toBe(roundTrip);
      }),
      { numRuns: 5000, seed: 3 },
    );
  });
});
