import { describe, expect, it } from 'vitest';
import {
  compileTopic,
  dealDeadline,
  lintTopic,
  parseTopic,
  safeParseTopic,
  stageDeadline,
  type CompiledSalesTopic,
  type CompiledStage,
} from '../../src/index.js';
import { codes, DELETE, edit, salesInput } from './helpers.js';

/*
 * Issue 12, item 10: lint compares a stage limit (S6) with the deal limit
 * (S24) in the clock the deadlines use. With a working calendar days count
 * working days and hours count working time (stageDeadline and dealDeadline
 * both go through addDuration over the topic's calendar), so calendar-time
 * milliseconds are the wrong yardstick. The guarantee: a stage entered when
 * its deal opens never runs out after the deal, whenever the deal opens.
 */

const BERLIN_9_TO_18 = { timeZone: 'Europe/Berlin', workDays: [1, 2, 3, 4, 5], workHours: { start: '09:00', end: '18:00' }, holidays: ['2026-04-03', '2026-04-06'], workingDays: [] };
const BERLIN_WHOLE_DAYS = { timeZone: 'Europe/Berlin', workDays: [1, 2, 3, 4, 5, 6, 7], holidays: [], workingDays: [] };

/** The sales fixture with a calendar, a deal limit and a limit on the first stage. */
function topic(calendar: unknown, deal: string | typeof DELETE, stage: string | typeof DELETE): unknown {
  // Only the first stage has a limit, so each finding is about the pair under test.
  return edit(
    salesInput(),
    ['calendar', calendar ?? DELETE],
    ['maxDuration', deal],
    ['stages.0.maxDuration', stage],
    ['stages.1.maxDuration', DELETE],
    ['stages.1.idleLimit', DELETE],
    ['stages.2.maxDuration', DELETE],
  );
}

function lint(input: unknown): string[] {
  return codes(lintTopic(parseTopic(input, { lint: false })));
}

const HOUR = 3_600_000;
/** Every hour (and a minute past it) of four weeks around Easter 2026 and the spring clock change (29 March). */
const STARTS = Array.from({ length: 28 * 24 }, (_, hour) => Date.parse('2026-03-16T00:00:00Z') + hour * HOUR).flatMap((at) => [at, at + 60_000]);

/** The first stage's deadline and the deal's deadline for a deal opened at `at`, from the two compiled halves of one topic. */
function deadlines(calendar: unknown, deal: string, stage: string) {
  const stageTopic = compileTopic(topic(calendar, DELETE, stage)) as CompiledSalesTopic;
  const dealTopic = compileTopic(topic(calendar, deal, DELETE)) as CompiledSalesTopic;
  const first = stageTopic.stages.get('lead') as CompiledStage;
  return (at: number) => ({ stage: stageDeadline(stageTopic, first, at) as number, deal: dealDeadline(dealTopic, at) as number });
}

describe('lintTopic: stage and deal limits in the working clock (S6, S24, issue 12 item 10)', () => {
  it('accepts a stage limit of a week (5 working days) under a deal limit of 6 working days, once refused as 7 > 6 calendar days', () => {
    const input = topic(BERLIN_9_TO_18, 'P6D', 'P1W');
    expect(lint(input)).toEqual([]);
    expect(safeParseTopic(input).ok).toBe(true);
    const compiled = compileTopic(input) as CompiledSalesTopic;
    const first = compiled.stages.get('lead') as CompiledStage;
    for (const at of STARTS) expect(stageDeadline(compiled, first, at) as number).toBeLessThanOrEqual(dealDeadline(compiled, at) as number);
  });

  it('accepts P2D (18 working hours) under PT30H of working time, once refused as 48 h > 30 h', () => {
    const input = topic(BERLIN_9_TO_18, 'PT30H', 'P2D');
    expect(lint(input)).toEqual([]);
    const compiled = compileTopic(input) as CompiledSalesTopic;
    const first = compiled.stages.get('lead') as CompiledStage;
    for (const at of STARTS) expect(stageDeadline(compiled, first, at) as number).toBeLessThanOrEqual(dealDeadline(compiled, at) as number);
  });

  it('accepts equal working amounts (PT9H against P1D in 9–18 hours: Berlin never changes its clock between 9 and 18)', () => {
    expect(lint(topic(BERLIN_9_TO_18, 'P1D', 'PT9H'))).toEqual([]);
    const at = deadlines(BERLIN_9_TO_18, 'P1D', 'PT9H');
    for (const start of STARTS) expect(at(start).stage).toBeLessThanOrEqual(at(start).deal);
  });

  it('refuses PT16H of working time under a deal limit of P1D, once accepted as 16 h < 24 h: its stage deadlines fall after the deal deadline', () => {
    expect(lint(topic(BERLIN_9_TO_18, 'P1D', 'PT16H'))).toEqual(['stage_limit_exceeds_deal_limit@stages[0].maxDuration']);
    expect(safeParseTopic(topic(BERLIN_9_TO_18, 'P1D', 'PT16H')).ok).toBe(false);
    const at = deadlines(BERLIN_9_TO_18, 'P1D', 'PT16H');
    const monday = Date.parse('2026-03-30T12:00:00+02:00');
    // Monday 12:00: 6 working hours on Monday, 9 on Tuesday, the last one on Wednesday; the deal ends on Tuesday at noon.
    expect(at(monday)).toEqual({ stage: Date.parse('2026-04-01T10:00:00+02:00'), deal: Date.parse('2026-03-31T12:00:00+02:00') });
    // Not one opening moment is safe: the stage always runs out later.
    for (const start of STARTS) expect(at(start).stage).toBeGreaterThan(at(start).deal);
  });

  it('refuses P2D under PT10H of working time (2 working days are 18 working hours)', () => {
    expect(lint(topic(BERLIN_9_TO_18, 'PT10H', 'P2D'))).toEqual(['stage_limit_exceeds_deal_limit@stages[0].maxDuration']);
    const at = deadlines(BERLIN_9_TO_18, 'PT10H', 'P2D');
    for (const start of STARTS) expect(at(start).stage).toBeGreaterThan(at(start).deal);
  });

  it('compares mixed limits exactly in a zone whose clock changes outside the working hours (P1DT8H against P2D: 17 h ≤ 18 h; P1DT10H: 19 h > 18 h)', () => {
    expect(lint(topic(BERLIN_9_TO_18, 'P2D', 'P1DT8H'))).toEqual([]);
    expect(lint(topic(BERLIN_9_TO_18, 'P2D', 'P1DT10H'))).toEqual(['stage_limit_exceeds_deal_limit@stages[0].maxDuration']);
    const safe = deadlines(BERLIN_9_TO_18, 'P2D', 'P1DT8H');
    const late = deadlines(BERLIN_9_TO_18, 'P2D', 'P1DT10H');
    for (const start of STARTS) {
      expect(safe(start).stage).toBeLessThanOrEqual(safe(start).deal);
      expect(late(start).stage).toBeGreaterThan(late(start).deal);
    }
  });

  it('is conservative where the clock change falls in working time (whole days in Berlin): PT24H against P1D is refused, and is late once', () => {
    expect(lint(topic(BERLIN_WHOLE_DAYS, 'P1D', 'PT24H'))).toEqual(['stage_limit_exceeds_deal_limit@stages[0].maxDuration']);
    const at = deadlines(BERLIN_WHOLE_DAYS, 'P1D', 'PT24H');
    // Saturday noon before the spring change: the next day at noon is 23 hours away.
    const saturday = Date.parse('2026-03-28T12:00:00+01:00');
    expect(at(saturday).stage).toBeGreaterThan(at(saturday).deal);
    // With room for the shorter day (and more), the topic is accepted and holds.
    expect(lint(topic(BERLIN_WHOLE_DAYS, 'P1D', 'PT22H'))).toEqual([]);
    const roomy = deadlines(BERLIN_WHOLE_DAYS, 'P1D', 'PT22H');
    for (const start of STARTS) expect(roomy(start).stage).toBeLessThanOrEqual(roomy(start).deal);
  });

  it('still decides pure day limits and pure time limits exactly, DST or not', () => {
    expect(lint(topic(BERLIN_WHOLE_DAYS, 'P3D', 'P3D'))).toEqual([]);
    expect(lint(topic(BERLIN_WHOLE_DAYS, 'P3D', 'P4D'))).toEqual(['stage_limit_exceeds_deal_limit@stages[0].maxDuration']);
    expect(lint(topic(BERLIN_WHOLE_DAYS, 'PT72H', 'PT72H'))).toEqual([]);
    expect(lint(topic(BERLIN_WHOLE_DAYS, 'PT72H', 'PT73H'))).toEqual(['stage_limit_exceeds_deal_limit@stages[0].maxDuration']);
  });

  it('compares the idle limit with the stage limit in the same clock (warning)', () => {
    const idle = (limit: string, stageLimit: string) =>
      lint(edit(salesInput(), ['calendar', BERLIN_9_TO_18], ['stages.1.maxDuration', stageLimit], ['stages.1.idleLimit', limit]));
    expect(idle('PT9H', 'P1D')).toEqual([]);
    expect(idle('PT10H', 'P1D')).toEqual(['idle_limit_exceeds_stage_limit@stages[1].idleLimit']);
  });

  it('keeps calendar time without a calendar', () => {
    expect(lint(topic(undefined, 'P1D', 'PT24H'))).toEqual([]);
    expect(lint(topic(undefined, 'P1D', 'PT25H'))).toEqual(['stage_limit_exceeds_deal_limit@stages[0].maxDuration']);
  });
});
