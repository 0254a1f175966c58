/*
 * Issue 12, item 11: time-zone offsets held to an independent oracle.
 *
 * The oracle reads the local wall clock of an instant field by field
 * (`formatToParts`, 24-hour cycle) and takes its distance from UTC, so it
 * shares nothing with the offset-name parse under test. It runs over every
 * zone the runtime knows, from 1900 to 2040.
 */
import { describe, expect, it } from 'vitest';

import { addDuration, compileCalendar } from '../../src/index.js';
import { zoneOffsetMs } from '../../src/time/zone-offset.js';

const hours = (count: number) => ({ weeks: 0, days: 0, hours: count, minutes: 0, seconds: 0 });
const oracles = new Map<string, Intl.DateTimeFormat>();

function oracleOffsetMs(timeZone: string, at: number): number {
  let format = oracles.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    oracles.set(timeZone, format);
  }
  const parts = new Map(format.formatToParts(at).map((part) => [part.type, Number(part.value)]));
  const field = (type: Intl.DateTimeFormatPartTypes): number => parts.get(type) ?? Number.NaN;
  const wall = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

const zones = Intl.supportedValuesOf('timeZone');
const FROM = Date.UTC(1900, 0, 1);
const TO = Date.UTC(2040, 0, 1);
const STEP = 89 * 24 * 3600 * 1000 + 3_601_000; // not a whole number of days, so the time of day drifts

describe('zoneOffsetMs against an independent oracle (S6 deadlines in the topic time zone)', () => {
  it(`agrees on every one of the ${zones.length} zones the runtime knows, 1900–2040`, () => {
    const disagreements: string[] = [];
    for (const zone of zones) {
      for (let at = FROM; at < TO; at += STEP) {
        const expected = oracleOffsetMs(zone, at);
        const actual = zoneOffsetMs(zone, at);
        if (actual !== expected) disagreements.push(`${zone} at ${new Date(at).toISOString()}: ${actual} ≠ ${expected}`);
      }
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
    expect(zones.length).toBeGreaterThan(300);
  });

  it('keeps the sign of a sub-minute offset with a zero hour (Africa/Monrovia before 1972, −00:44:30)', () => {
    const at = Date.UTC(1960, 5, 1, 12);
    expect(zoneOffsetMs('Africa/Monrovia', at)).toBe(-(44 * 60 + 30) * 1000);
    expect(oracleOffsetMs('Africa/Monrovia', at)).toBe(-(44 * 60 + 30) * 1000);
  });

  it('answers NaN, never throws, for an unknown zone or an instant outside Date', () => {
    expect(zoneOffsetMs('Mars/Olympus_Mons', 0)).toBeNaN();
    expect(zoneOffsetMs('UTC', Number.NaN)).toBeNaN();
    expect(zoneOffsetMs('UTC', 9e15)).toBeNaN();
    expect(zoneOffsetMs('UTC', 0)).toBe(0);
  });

  it('puts a working-hours deadline in Monrovia in 1960 at the local end of the day', () => {
    const calendar = compileCalendar({ timeZone: 'Africa/Monrovia', workDays: [1, 2, 3, 4, 5], workHours: { start: '09:00', end: '18:00' }, holidays: [], workingDays: [] });
    // Wednesday 1 June 1960, 10:00 local is 10:44:30 UTC; two working hours later is 12:00 local.
    const start = Date.UTC(1960, 5, 1, 10, 44, 30);
    const due = addDuration(start, hours(2), calendar);
    expect(due).toBe(Date.UTC(1960, 5, 1, 12, 44, 30));
    // The end of that working day (18:00 local) is 18:44:30 UTC.
    expect(addDuration(start, hours(8), calendar)).toBe(Date.UTC(1960, 5, 1, 18, 44, 30));
  });
});
