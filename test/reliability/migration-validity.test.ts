import { describe, expect, it } from 'vitest';
import { applyEvent, migrateDeal, planMigration, retiredFields, standardTopic, type Deal, type MigrateOptions, type MigrateResult } from '../../src/index.js';
import { parseDeal } from '../../src/deal/parse-deal.js';
import { compile, dealAt, next, outcome } from '../migrate/helpers.js';
import { accepted, DAY, HOUR, manager, MONDAY } from '../support.js';

/*
 * Issue 12, item 3: whatever migrateDeal returns is a valid stored deal of
 * the new version (parseDeal accepts it and it takes its next event), its
 * options are checked rather than stored as given, and a finished deal is
 * not moved to a version that would never close it (S34).
 */

const v1 = compile(standardTopic);
const withFields = accepted(
  applyEvent(v1, dealAt(v1, 2, 'd-fields'), { type: 'setFields', fields: { carrier: 'ПЭК', 'delivery-date': '2026-02-01' }, at: MONDAY + DAY, actor: manager }),
).deal;

function refusal(result: MigrateResult) {
  if (result.ok) return expect.fail('expected migrateDeal to refuse');
  return result.error;
}

function moved(result: MigrateResult): Deal {
  if (!result.ok) return expect.fail(`expected migrateDeal to succeed: ${result.error.code}: ${result.error.message}`);
  return result.deal;
}

describe('S29: values of removed fields are retired, not left in fields', () => {
  const v2Definition = next(standardTopic, { op: 'removeField', fieldId: 'delivery-date' });
  const v2 = compile(v2Definition);
  const plan = planMigration(v1, v2, [withFields]);

  it('the migrated deal passes parseDeal on the new version and keeps the value in the migration entry', () => {
    const deal = moved(migrateDeal(plan, withFields));
    expect(parseDeal(v2, deal)).toMatchObject({ ok: true });
    expect(deal.fields).toEqual({ carrier: 'ПЭК' });
    expect(deal.history.at(-1)).toMatchObject({ type: 'migrated', retiredFields: { 'delivery-date': '2026-02-01' } });
    expect(retiredFields(deal)).toEqual({ 'delivery-date': '2026-02-01' });
  });

  it('the migrated deal takes its next events, and the retired value survives them', () => {
    const deal = moved(migrateDeal(plan, withFields));
    const at = (deal.history.at(-1)?.at ?? MONDAY) + HOUR;
    const set = accepted(applyEvent(v2, deal, { type: 'setFields', fields: { carrier: 'СДЭК' }, at, actor: manager })).deal;
    const planned = accepted(applyEvent(v2, set, { type: 'planActivity', activityId: 'call-1', kind: 'call', plannedFor: at + DAY, at, actor: manager })).deal;
    expect(parseDeal(v2, planned)).toMatchObject({ ok: true });
    expect(retiredFields(planned)).toEqual({ 'delivery-date': '2026-02-01' });
  });

  it('a field added back with another type starts empty; the retired value stays retired through a second migration', () => {
    const first = moved(migrateDeal(plan, withFields));
    const v3 = compile(next(v2Definition, { op: 'addField', field: { id: 'delivery-date', name: 'Days to deliver', type: 'number', min: 0 } }));
    const second = moved(migrateDeal(planMigration(v2, v3, [first]), first));
    expect(parseDeal(v3, second)).toMatchObject({ ok: true });
    expect(second.fields).toEqual({ carrier: 'ПЭК' });
    expect(retiredFields(second)).toEqual({ 'delivery-date': '2026-02-01' });
    const at = (second.history.at(-1)?.at ?? MONDAY) + HOUR;
    expect(applyEvent(v3, second, { type: 'setFields', fields: { 'delivery-date': 3 }, at, actor: manager })).toMatchObject({ ok: true });
  });

  it('a deal whose result parseDeal would refuse is refused, not returned (a value no field rule ever saw)', () => {
    const broken = { ...withFields, fields: { ...withFields.fields, ghost: { nested: true } } } as unknown as Deal;
    const result = refusal(migrateDeal(planMigration(v1, v2, [broken]), broken));
    expect(result).toMatchObject({ code: 'invalid_deal', rule: 'input', path: `history[${broken.history.length}].retiredFields.ghost` });
  });
});

describe('parseDeal checks retired values', () => {
  const v2 = compile(next(standardTopic, { op: 'removeField', fieldId: 'delivery-date' }));
  const deal = moved(migrateDeal(planMigration(v1, v2, [withFields]), withFields));
  const last = deal.history.length - 1;
  const withEntry = (change: Record<string, unknown>): unknown => ({ ...deal, history: deal.history.map((entry, index) => (index === last ? { ...entry, ...change } : entry)) });

  it('refuses values that are not field values, keys that are not ids, an own __proto__ key and more than 1000 of them', () => {
    expect(parseDeal(v2, withEntry({ retiredFields: { budget: { amount: 1 } } }))).toMatchObject({ ok: false, error: { code: 'invalid_deal', path: `history[${last}].retiredFields.budget` } });
    expect(parseDeal(v2, withEntry({ retiredFields: { budget: Number.NaN } }))).toMatchObject({ ok: false, error: { path: `history[${last}].retiredFields.budget` } });
    expect(parseDeal(v2, withEntry({ retiredFields: { 'Not an id': 1 } }))).toMatchObject({ ok: false, error: { code: 'invalid_deal' } });
    expect(parseDeal(v2, withEntry({ retiredFields: JSON.parse('{"__proto__": 1}') }))).toMatchObject({ ok: false, error: { path: `history[${last}].retiredFields.__proto__` } });
    const many = Object.fromEntries(Array.from({ length: 1001 }, (_, index) => [`f${index}`, index]));
    expect(parseDeal(v2, withEntry({ retiredFields: many }))).toMatchObject({ ok: false, error: { code: 'invalid_deal', path: `history[${last}].retiredFields` } });
    expect(parseDeal(v2, withEntry({ retiredFields: Object.fromEntries(Object.entries(many).slice(0, 1000)) }))).toMatchObject({ ok: true });
  });

  it('refuses retired values on an entry other than a migration', () => {
    const opened = { ...withFields, history: withFields.history.map((entry, index) => (index === 1 ? { ...entry, retiredFields: { x: 1 } } : entry)) };
    expect(parseDeal(v1, opened)).toMatchObject({ ok: false, error: { code: 'invalid_deal', path: 'history[1].retiredFields' } });
    const first = { ...withFields, history: withFields.history.map((entry, index) => (index === 0 ? { ...entry, retiredFields: { x: 1 } } : entry)) };
    expect(parseDeal(v1, first)).toMatchObject({ ok: false, error: { code: 'invalid_deal', path: 'history[0].retiredFields' } });
  });
});

describe('migrateDeal options are validated', () => {
  const v2 = compile(next(standardTopic, { op: 'updateTopic', changes: { maxDuration: 'P60D' } }));
  const plan = planMigration(v1, v2, [withFields]);

  it('null, undefined and an empty object mean the defaults', () => {
    for (const options of [null, undefined, {}]) {
      const deal = moved(migrateDeal(plan, withFields, options));
      expect(deal.history.at(-1)).toMatchObject({ type: 'migrated', by: 'system', at: withFields.history.at(-1)?.at });
      expect(parseDeal(v2, deal)).toMatchObject({ ok: true });
    }
  });

  it.each<[string, unknown, string]>([
    ['a time past the latest date (8.64e15), which would freeze the deal', { at: 8.64e15 + 1 }, 'at'],
    ['a time of 1e300', { at: 1e300 }, 'at'],
    ['a fractional time', { at: MONDAY + DAY + 0.5 }, 'at'],
    ['a non-string by', { by: 42 }, 'by'],
    ['an empty by', { by: '' }, 'by'],
    ['an over-long by', { by: 'x'.repeat(201) }, 'by'],
    ['an over-long reason', { reason: 'x'.repeat(10_001) }, 'reason'],
    ['a non-string reason', { reason: ['why'] }, 'reason'],
    ['an unknown deadline policy', { deadlines: 'sometimes' }, 'deadlines'],
    ['an unknown key (a misspelt option)', { deadline: 'keep' }, 'deadline'],
  ])('refuses %s as invalid_options with its path', (_name, options, path) => {
    const error = refusal(migrateDeal(plan, withFields, options as MigrateOptions));
    expect(error).toMatchObject({ code: 'invalid_options', rule: 'input', path });
    expect(error.message).toContain(path);
  });

  it('refuses options that are not an object', () => {
    for (const options of ['keep', 7, [1]]) expect(refusal(migrateDeal(plan, withFields, options as unknown as MigrateOptions))).toMatchObject({ code: 'invalid_options' });
  });

  it('accepts the latest date itself, and the deal then still takes an event at that time', () => {
    const deal = moved(migrateDeal(plan, withFields, { at: 8.64e15, by: 'admin', reason: 'x'.repeat(10_000) }));
    expect(parseDeal(v2, deal)).toMatchObject({ ok: true });
    expect(applyEvent(v2, deal, { type: 'setFields', fields: {}, at: 8.64e15, actor: manager })).toMatchObject({ ok: true });
  });
});

describe('S34: a finished deal waiting for a business event the new version no longer closes on', () => {
  const onEvents = (events: string[]) => next(standardTopic, { op: 'setParameters', parameters: { closeOn: { on: 'business-event', events } } });
  const shippedDefinition = onEvents(['goods-shipped']);
  const shipped = compile(shippedDefinition);
  const finished = accepted(applyEvent(shipped, dealAt(shipped, 4, 'd-finished'), outcome('shipped', MONDAY + 5 * HOUR, { fields: { 'delivery-date': '2026-02-01' } }))).deal;

  it('is a cannot_close conflict in the plan, and migrateDeal refuses it naming that conflict', () => {
    expect(finished.status).toBe('finished');
    const v2 = next(shippedDefinition, { op: 'setParameters', parameters: { closeOn: { on: 'business-event', events: ['payment-received'] } } });
    const plan = planMigration(shipped, v2, [finished]);
    expect(plan.conflicts).toEqual([expect.objectContaining({ code: 'cannot_close', rule: 'S34', dealId: 'd-finished', path: 'status' })]);
    expect(plan.conflicts[0]?.message).toContain('goods-shipped');
    const error = refusal(migrateDeal(plan, finished));
    expect(error).toMatchObject({ code: 'plan_has_conflicts', path: 'status' });
    expect(error.message).toContain('cannot_close');
  });

  it('migrates when the new version still closes on every event the deal waits for, and the deal then closes', () => {
    const v2 = compile(next(shippedDefinition, { op: 'setParameters', parameters: { closeOn: { on: 'business-event', events: ['goods-shipped', 'payment-received'] } } }));
    const deal = moved(migrateDeal(planMigration(shipped, v2, [finished]), finished));
    expect(parseDeal(v2, deal)).toMatchObject({ ok: true });
    const closed = accepted(applyEvent(v2, deal, { type: 'reportBusinessEvent', name: 'goods-shipped', at: MONDAY + DAY, actor: manager })).deal;
    expect(closed.status).toBe('closed');
  });
});
