import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvent, parseTopic, safeParseTopic, standardTopic, type ApplyResult, type CompiledSalesTopic, type Deal, type DealEvent, type EventLogEntry } from '../../src/index.js';
import { dealError } from '../../src/deal/errors.js';
import { compileSales } from '../support.js';
import type { Step } from './events.js';
import { runSequence, strictDiff } from './invariants.js';
import { MAX_GENERATED_STAGES, topicArbitrary, TRICKY_IDS } from './topics.js';

/*
 * The suite's own tests: the topic arbitrary makes valid topics of the
 * variety it promises, and the invariants of runSequence fail for the bugs
 * they are there to catch (each broken applyEvent below is caught by name).
 */

const HOUR = 3_600_000;
const topic = compileSales(standardTopic);
const openedAt = Date.parse('2026-03-02T09:00:00Z');
/** Record the first offered outcome three times, an hour apart: new → acquaintance → offer → payment. */
const forward: Step[] = Array.from({ length: 3 }, () => ({ op: 'outcome', a: 0, b: 1, actor: 0, gap: HOUR }));

type Apply = (topic: CompiledSalesTopic, deal: Deal, event: DealEvent) => ApplyResult;
/** applyEvent with its accepted deal changed by `change`. */
const tamper = (change: (next: Deal, before: Deal) => Deal): Apply => (on, deal, event) => {
  const result = applyEvent(on, deal, event);
  return result.ok ? { ...result, deal: change(result.deal, deal) } : result;
};
const tamperEntry = (change: (entry: EventLogEntry) => EventLogEntry): Apply => (on, deal, event) => {
  const result = applyEvent(on, deal, event);
  return result.ok ? { ...result, entry: change(result.entry) } : result;
};

describe('the generated topics', () => {
  it('all pass parseTopic, and cover what they promise', () => {
    const seen = { stages: new Set<number>(), calendars: new Set<string>(), planning: new Set<string>(), closeOn: new Set<string>(), approval: new Set<string>(), fieldTypes: new Set<string>(), tricky: 0, cyclic: 0, global: 0, required: 0, workHours: 0 };
    fc.assert(
      fc.property(topicArbitrary, (input) => {
        const result = safeParseTopic(input);
        if (!result.ok) expect.fail(JSON.stringify(result.issues.slice(0, 3)));
        const topicDefinition = parseTopic(input);
        if (topicDefinition.kind !== 'sales') return;
        seen.stages.add(topicDefinition.stages.length);
        if (topicDefinition.calendar !== undefined) seen.calendars.add(topicDefinition.calendar.timeZone);
        if (topicDefinition.calendar?.workHours !== undefined) seen.workHours += 1;
        seen.planning.add(topicDefinition.parameters.planning);
        seen.closeOn.add(topicDefinition.parameters.closeOn.on);
        seen.approval.add(topicDefinition.deadlineChange.approval);
        for (const field of topicDefinition.fields) seen.fieldTypes.add(field.type);
        if (topicDefinition.stages.some((stage) => (TRICKY_IDS as readonly string[]).includes(stage.id))) seen.tricky += 1;
        if (topicDefinition.stages.some((stage) => stage.outcomes.some((outcome) => 'to' in outcome && outcome.to === stage.id))) seen.cyclic += 1;
        if (topicDefinition.globalOutcomes.length > 0) seen.global += 1;
        if (topicDefinition.stages.some((stage) => stage.requiredFields.length > 0)) seen.required += 1;
      }),
      { numRuns: 400, seed: 42 },
    );
    expect(Math.max(...seen.stages)).toBeGreaterThanOrEqual(MAX_GENERATED_STAGES - 3);
    expect(Math.max(...seen.stages)).toBeLessThanOrEqual(MAX_GENERATED_STAGES);
    expect(Math.min(...seen.stages)).toBe(1);
    expect([...seen.calendars].sort()).toEqual(['Europe/Berlin', 'Europe/Moscow']);
    expect(seen.planning.size + seen.closeOn.size + seen.approval.size).toBe(6);
    expect(seen.fieldTypes.size).toBe(5);
    for (const count of [seen.tricky, seen.cyclic, seen.global, seen.required, seen.workHours]) expect(count).toBeGreaterThan(20);
  });
});

describe('the invariants catch broken implementations', () => {
  it('the real applyEvent passes the fixed sequence', () => {
    expect(runSequence(topic, openedAt, forward).stageId).toBe('payment');
  });

  it.each<[string, Apply, RegExp]>([
    ['a throw', () => {
      throw new Error('boom');
    }, /applyEvent threw/],
    ['a write to the frozen deal', (on, deal, event) => {
      (deal as { revision: number }).revision += 1;
      return applyEvent(on, deal, event);
    }, /applyEvent threw: TypeError/],
    ['an error code outside the catalogue', () => ({ ok: false, error: { code: 'oops' as never, message: 'Oops', params: {}, rule: 'S1' } }), /code oops is not in the catalogue/],
    ['a message its params do not make', () => ({ ok: false, error: { ...dealError('unknown_outcome', { id: 'won', stage: 'new' }), message: 'Outcome "lost" is not offered.' } }), /is not the one its params make/],
    ['an error without a message', () => ({ ok: false, error: { code: 'unknown_outcome', message: '', params: {}, rule: 'S8' } }), /no message/],
    ['a revision not incremented', tamper((next, before) => ({ ...next, revision: before.revision })), /revision 1 became 1/],
    ['a log entry of another revision', tamperEntry((entry) => ({ ...entry, revision: entry.revision + 1 })), /the log entry is revision 3 of deal-1, the deal 2/],
    ['a log entry that names the wrong stage', tamperEntry((entry) => ({ ...entry, to: entry.from })), /the log entry says/],
    ['a log entry JSON cannot keep', tamperEntry((entry) => ({ ...entry, by: undefined as unknown as string })), /the log entry is not storable/],
    ['a stage deadline off by a millisecond', tamper((next) => ({ ...next, stageDueAt: (next.stageDueAt ?? 0) + 1 })), /stageDueAt/],
    ['an idle deadline not refreshed', tamper((next, before) => ({ ...next, idleDueAt: before.idleDueAt })), /idleDueAt/],
    ['a deal deadline moved', tamper((next) => ({ ...next, dueAt: (next.dueAt ?? 0) + 1 })), /dueAt/],
    ['a stage that is not in the topic', tamper((next) => ({ ...next, stageId: 'nowhere' })), /stage nowhere is not in the topic/],
    ['a value JSON cannot keep (undefined)', tamper((next) => ({ ...next, amount: undefined as unknown as null })), /does not survive JSON/],
    ['a value JSON cannot keep (-0)', tamper((next) => ({ ...next, fields: { carrier: -0 } })), /does not survive JSON/],
    ['a rejection of everything', () => ({ ok: false, error: dealError('unknown_outcome', { id: 'any', stage: 'any' }) }), /the actor accepted what applyEvent rejected/],
  ])('%s', (_name, apply, message) => {
    expect(() => runSequence(topic, openedAt, forward, { apply, parse: false })).toThrow(message);
  });

  it('a deal its log does not rebuild (without the machine, which would see it first)', () => {
    const apply = tamper((next) => ({ ...next, ownerId: 'someone else' }));
    expect(() => runSequence(topic, openedAt, forward, { apply, parse: false, machine: false })).toThrow(/replaying the log gives another deal: .*ownerId/);
  });

  it('a deal from the store that applyEvent cannot rebuild is caught by parseDeal', () => {
    const apply = tamper((next) => ({ ...next, negotiationsOngoing: !next.negotiationsOngoing }));
    expect(() => runSequence(topic, openedAt, forward, { apply, machine: false })).toThrow(/parseDeal refused a deal applyEvent made: invalid_deal at negotiationsOngoing/);
  });

  it('strictDiff tells -0, undefined keys and prototypes apart', () => {
    expect(strictDiff({ a: 0 }, { a: -0 })).toBe('.a: 0 ≠ -0');
    expect(strictDiff({ a: undefined }, {})).toMatch(/keys/);
    expect(strictDiff(Object.create(null), {})).toMatch(/different kinds/);
    expect(strictDiff([1, { b: [2] }], [1, { b: [2] }])).toBeUndefined();
  });
});
