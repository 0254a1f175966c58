import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dealEventSchema } from '../../src/index.js';
import { isWellFormedEvent } from '../../src/deal/event-check.js';
import { ID_PATTERN, isId } from '../../src/definition/id.js';

/*
 * The fast event check may only let through what the zod schema accepts (the
 * schema remains the one definition of a valid event). It should also let
 * through the ordinary valid events, or applyEvent loses its speed.
 */
/** Mostly valid values, sometimes junk, so that both sides of the check are exercised. */
const mostly = (good: fc.Arbitrary<unknown>, bad: fc.Arbitrary<unknown>) => fc.oneof({ weight: 9, arbitrary: good }, { weight: 1, arbitrary: bad });
const id = mostly(fc.constantFrom('a', 'call-1', 'new', 'x_y', 'A9'), fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('__proto__', '', '-x', 'a.b', 'x'.repeat(65), 7)));
const time = mostly(fc.integer({ min: 0, max: 2e12 }), fc.constantFrom(-1, 1.5, Number.NaN, Infinity, 8.64e15, 8.64e15 + 1, '1'));
const text = mostly(fc.string({ maxLength: 8 }), fc.constantFrom('x'.repeat(10_001), 5, null));
const actor = mostly(
  fc.record(
    { id: mostly(fc.constant('u-1'), fc.constantFrom('', 'x'.repeat(201), 1)), roles: mostly(fc.array(fc.constantFrom('manager', 'director'), { maxLength: 3 }), fc.constantFrom([''], 'director', [1])), administrator: mostly(fc.boolean(), fc.constant('yes')), crmAccess: mostly(fc.constantFrom('none', 'read', 'full'), fc.constant('root')) },
    { requiredKeys: ['id'] },
  ),
  fc.constantFrom(null, 'u-1', {}, { id: 'u-1', extra: 1 }, []),
);
const fieldValue = mostly(fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant(null)), fc.constantFrom(Number.NaN, Infinity, undefined, [1], {}, 'x'.repeat(10_001)));
const fields = mostly(fc.dictionary(id.filter((key): key is string => typeof key === 'string'), fieldValue, { maxKeys: 3 }), fc.constantFrom(null, [], 'x'));
const activityKind = mostly(fc.constantFrom('call', 'meeting', 'task'), fc.constant('fax'));
const plan = mostly(fc.record({ activityId: id, kind: activityKind, plannedFor: time }), fc.constantFrom({}, { activityId: 'a', kind: 'call', plannedFor: 1, extra: 1 }));
const base = { at: time, actor, expectedRevision: mostly(fc.nat(), fc.constantFrom(-1, 0.5)), extra: fc.constant(1) };
const optional = ['expectedRevision', 'extra'];
const ofType = (type: string, keys: Record<string, fc.Arbitrary<unknown>>, required: string[]) => {
  const arbitraries: Record<string, fc.Arbitrary<unknown>> = { ...base, ...keys };
  return fc
    .record(arbitraries, { requiredKeys: ['at', 'actor', ...required].filter((key) => !optional.includes(key)) })
    .chain((body) => fc.constant({ type, ...body }))
    // The extra key is rare; most events keep to the format.
    .chain((candidate) => fc.nat(9).map((roll) => (roll === 0 ? candidate : Object.fromEntries(Object.entries(candidate).filter(([key]) => key !== 'extra')))));
};
const event = fc.oneof(
  ofType('recordOutcome', { outcomeId: id, kindId: id, comment: text, activityId: id, plan, fields }, ['outcomeId']),
  ofType('planActivity', { activityId: id, kind: activityKind, plannedFor: time }, ['activityId', 'kind', 'plannedFor']),
  ofType('completeActivity', { activityId: id, comment: text }, ['activityId']),
  ofType('cancelActivity', { activityId: id, reason: text }, ['activityId']),
  ofType('requestDeadlineChange', { dueAt: time, reason: text }, ['dueAt']),
  ofType('approveDeadlineChange', { comment: text }, []),
  ofType('rejectDeadlineChange', { reason: text }, []),
  ofType('setFields', { fields }, ['fields']),
  ofType('setAmount', { amount: mostly(fc.oneof(fc.integer({ min: 0 }), fc.double({ min: 0, max: 1e9, noNaN: true }), fc.constant(null)), fc.constantFrom(-1, -0.5, Number.NaN, Infinity, '100', undefined)) }, ['amount']),
  ofType('reportBusinessEvent', { name: id }, ['name']),
  ofType('moveToStage', { stageId: id, reason: text }, ['stageId']),
  ofType('explode', { stageId: id }, []),
  fc.constantFrom(null, 'event', [], { type: 'setFields' }),
);

describe('the fast event check', () => {
  it('never accepts an event the schema rejects', () => {
    let passed = 0;
    fc.assert(
      fc.property(event, (candidate) => {
        if (!isWellFormedEvent(candidate)) return;
        passed += 1;
        expect(dealEventSchema.safeParse(candidate).success).toBe(true);
      }),
      { numRuns: 20_000, seed: 7 },
    );
    // Enough generated events pass the fast check for the property to mean something.
    expect(passed).toBeGreaterThan(2000);
  });

  it('accepts the ordinary well-formed events of every type', () => {
    const base = { at: 1_700_000_000_000, actor: { id: 'u-1', roles: ['manager'] } };
    const events = [
      { type: 'recordOutcome', outcomeId: 'interested', kindId: 'price', comment: 'ok', activityId: 'c1', plan: { activityId: 'c2', kind: 'call', plannedFor: 1_700_000_100_000 }, fields: { carrier: 'x', n: 1, b: true, gone: null } },
      { type: 'planActivity', activityId: 'c2', kind: 'meeting', plannedFor: 1_700_000_100_000 },
      { type: 'completeActivity', activityId: 'c2', comment: 'done' },
      { type: 'cancelActivity', activityId: 'c2' },
      { type: 'requestDeadlineChange', dueAt: 1_800_000_000_000, reason: 'late budget' },
      { type: 'approveDeadlineChange' },
      { type: 'rejectDeadlineChange', reason: 'no' },
      { type: 'setFields', fields: {} },
      { type: 'reportBusinessEvent', name: 'invoice-paid' },
      { type: 'moveToStage', stageId: 'offer', reason: 'back', expectedRevision: 3 },
    ];
    for (const body of events) {
      const candidate = { ...base, ...body };
      expect(dealEventSchema.safeParse(candidate).success).toBe(true);
      expect(isWellFormedEvent(candidate)).toBe(true);
    }
  });
});

describe('isId', () => {
  it('is the same test as ID_PATTERN', () => {
    const ascii = fc.string({ unit: fc.constantFrom(...'aZ09_-.:/ _Яé'.split('')), maxLength: 70 });
    fc.assert(
      fc.property(fc.oneof(ascii, fc.string({ maxLength: 70 }), fc.constantFrom('x'.repeat(64), 'x'.repeat(65), '', '-a', '_a', 'a-', 'A_9')), (text) => {
        expect(isId(text)).toBe(ID_PATTERN.test(text));
      }),
      { numRuns: 20_000, seed: 11 },
    );
    expect([1, null, undefined, {}].map(isId)).toEqual([false, false, false, false]);
  });
});
