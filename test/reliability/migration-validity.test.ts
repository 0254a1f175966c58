import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  migrateDeal,
  openDeal,
  parseLogEntry,
  planMigration,
  replayDeal,
  retiredFields,
  standardTopic,
  type CompiledSalesTopic,
  type Deal,
  type DealEvent,
  type DealLogEntry,
  type MigrateOptions,
  type MigrateResult,
  type MigrationLogEntry,
} from '../../src/index.js';
import { parseDeal } from '../../src/deal/parse-deal.js';
import { compile, dealAt, FORWARD, next, outcome } from '../migrate/helpers.js';
import { accepted, DAY, HOUR, manager, MONDAY } from '../support.js';

/*
 * Issue 12, item 3: whatever migrateDeal returns is a valid stored deal of
 * the new version (parseDeal accepts it and it takes its next event), its
 * options are checked rather than stored as given, and a finished deal is
 * not moved to a version that would never close it (S34).
 */

/** A deal with the log its caller keeps beside it. */
interface Logged {
  readonly deal: Deal;
  readonly log: readonly DealLogEntry[];
}

/** The logged deal after one more accepted event, its entry appended to the log. */
function applied(topic: CompiledSalesTopic, { deal, log }: Logged, event: DealEvent): Logged {
  const result = accepted(applyEvent(topic, deal, event));
  return { deal: result.deal, log: [...log, result.entry] };
}

/** What `dealAt` builds, with its log. */
function loggedAt(topic: CompiledSalesTopic, steps: number, id: string): Logged {
  const opened = accepted(openDeal(topic, { id, clientId: `client-${id}`, ownerId: manager.id, at: MONDAY }));
  let logged: Logged = { deal: opened.deal, log: [opened.entry] };
  for (const [index, outcomeId] of FORWARD.slice(0, steps).entries()) logged = applied(topic, logged, outcome(outcomeId, MONDAY + (index + 1) * HOUR));
  return logged;
}

/** The log, stored as JSON and read back, replays on the versions to exactly the deal. */
function expectReplays(versions: readonly CompiledSalesTopic[], log: readonly DealLogEntry[], deal: Deal): void {
  const replayed = replayDeal(versions, JSON.parse(JSON.stringify(log)) as unknown[]);
  if (!replayed.ok) return expect.fail(`entry ${replayed.index} of the log does not replay: ${replayed.error.code}: ${replayed.error.message}`);
  expect(replayed.deal).toEqual(deal);
}

const v1 = compile(standardTopic);
const fieldsLogged = applied(v1, loggedAt(v1, 2, 'd-fields'), { type: 'setFields', fields: { carrier: 'ПЭК', 'delivery-date': '2026-02-01' }, at: MONDAY + DAY, actor: manager });
const withFields = fieldsLogged.deal;

function migration(result: MigrateResult): { deal: Deal; entry: MigrationLogEntry } {
  if (!result.ok) return expect.fail(`expected migrateDeal to succeed: ${result.error.code}: ${result.error.message}`);
  return result;
}

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
    const { deal, entry } = migration(migrateDeal(plan, withFields));
    expect(parseDeal(v2, deal)).toMatchObject({ ok: true });
    expect(deal.fields).toEqual({ carrier: 'ПЭК' });
    expect(entry).toMatchObject({ type: 'migrated', retiredFields: { 'delivery-date': '2026-02-01' } });
    expect(parseLogEntry(entry)).toEqual({ ok: true, entry });
    const log = [...fieldsLogged.log, entry];
    expect(retiredFields(log)).toEqual({ 'delivery-date': '2026-02-01' });
    expectReplays([v1, v2], log, deal);
  });

  it('the migrated deal takes its next events, and the retired value survives them', () => {
    const { deal, entry } = migration(migrateDeal(plan, withFields));
    const at = entry.at + HOUR;
    const set = applied(v2, { deal, log: [...fieldsLogged.log, entry] }, { type: 'setFields', fields: { carrier: 'СДЭК' }, at, actor: manager });
    const planned = applied(v2, set, { type: 'planActivity', activityId: 'call-1', kind: 'call', plannedFor: at + DAY, at, actor: manager });
    expect(parseDeal(v2, planned.deal)).toMatchObject({ ok: true });
    expect(retiredFields(planned.log)).toEqual({ 'delivery-date': '2026-02-01' });
    expectReplays([v1, v2], planned.log, planned.deal);
  });

  it('a field added back with another type starts empty; the retired value stays retired through a second migration', () => {
    const first = migration(migrateDeal(plan, withFields));
    const v3 = compile(next(v2Definition, { op: 'addField', field: { id: 'delivery-date', name: 'Days to deliver', type: 'number', min: 0 } }));
    const second = migration(migrateDeal(planMigration(v2, v3, [first.deal]), first.deal));
    expect(parseDeal(v3, second.deal)).toMatchObject({ ok: true });
    expect(second.deal.fields).toEqual({ carrier: 'ПЭК' });
    // The second migration retires nothing: the field of v3 is new, and the value stays in the first migration's entry.
    expect(second.entry.retiredFields).toBeUndefined();
    const log = [...fieldsLogged.log, first.entry, second.entry];
    expect(retiredFields(log)).toEqual({ 'delivery-date': '2026-02-01' });
    expectReplays([v1, v2, v3], log, second.deal);
    const at = second.entry.at + HOUR;
    expect(applyEvent(v3, second.deal, { type: 'setFields', fields: { 'delivery-date': 3 }, at, actor: manager })).toMatchObject({ ok: true });
  });

  it('a deal whose migration entry would not be a valid log entry is refused, not returned (a value no field rule ever saw)', () => {
    const broken = { ...withFields, fields: { ...withFields.fields, ghost: { nested: true } } } as unknown as Deal;
    const result = migrateDeal(planMigration(v1, v2, [broken]), broken);
    // Whatever migrateDeal returns must be storable: a deal parseDeal accepts and an entry parseLogEntry accepts.
    if (result.ok) expect(parseLogEntry(result.entry), 'migrateDeal returned an entry that parseLogEntry refuses').toMatchObject({ ok: true });
    expect(refusal(result)).toMatchObject({ code: 'invalid_deal', rule: 'input' });
  });
});

describe('parseLogEntry checks retired values', () => {
  const v2 = compile(next(standardTopic, { op: 'removeField', fieldId: 'delivery-date' }));
  const { entry } = migration(migrateDeal(planMigration(v1, v2, [withFields]), withFields));
  const withEntry = (change: Record<string, unknown>): unknown => ({ ...entry, ...change });

  it('refuses values that are not field values, keys that are not ids and more than 1000 of them', () => {
    expect(parseLogEntry(withEntry({ retiredFields: { budget: { amount: 1 } } }))).toMatchObject({ ok: false, error: { code: 'invalid_log_entry', path: 'retiredFields.budget' } });
    expect(parseLogEntry(withEntry({ retiredFields: { budget: Number.NaN } }))).toMatchObject({ ok: false, error: { path: 'retiredFields.budget' } });
    expect(parseLogEntry(withEntry({ retiredFields: { 'Not an id': 1 } }))).toMatchObject({ ok: false, error: { code: 'invalid_log_entry' } });
    const many = Object.fromEntries(Array.from({ length: 1001 }, (_, index) => [`f${index}`, index]));
    expect(parseLogEntry(withEntry({ retiredFields: many }))).toMatchObject({ ok: false, error: { code: 'invalid_log_entry', path: 'retiredFields' } });
    const thousand = Object.fromEntries(Object.entries(many).slice(0, 1000));
    expect(parseLogEntry(withEntry({ retiredFields: thousand }))).toEqual({ ok: true, entry: { ...entry, retiredFields: thousand } });
  });

  it('refuses an own __proto__ key rather than dropping its value', () => {
    expect(parseLogEntry(withEntry({ retiredFields: JSON.parse('{"__proto__": 1}') }))).toMatchObject({ ok: false, error: { code: 'invalid_log_entry', path: 'retiredFields.__proto__' } });
  });

  it('refuses retired values on an entry other than a migration', () => {
    const [opened, event] = fieldsLogged.log;
    expect(parseLogEntry(event)).toMatchObject({ ok: true });
    expect(parseLogEntry({ ...event, retiredFields: { x: 1 } })).toMatchObject({ ok: false, error: { code: 'invalid_log_entry', path: 'retiredFields' } });
    expect(parseLogEntry(opened)).toMatchObject({ ok: true });
    expect(parseLogEntry({ ...opened, retiredFields: { x: 1 } })).toMatchObject({ ok: false, error: { code: 'invalid_log_entry', path: 'retiredFields' } });
  });
});

describe('migrateDeal options are validated', () => {
  const v2 = compile(next(standardTopic, { op: 'updateTopic', changes: { maxDuration: 'P60D' } }));
  const plan = planMigration(v1, v2, [withFields]);

  it('null, undefined and an empty object mean the defaults', () => {
    for (const options of [null, undefined, {}]) {
      const { deal, entry } = migration(migrateDeal(plan, withFields, options));
      expect(entry).toMatchObject({ type: 'migrated', by: 'system', at: withFields.lastEventAt, deadlines: 'recompute' });
      expect(entry).not.toHaveProperty('reason');
      expect(deal.lastEventAt).toBe(withFields.lastEventAt);
      expect(parseDeal(v2, deal)).toMatchObject({ ok: true });
      expectReplays([v1, v2], [...fieldsLogged.log, entry], deal);
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
    const { deal, entry } = migration(migrateDeal(plan, withFields, { at: 8.64e15, by: 'admin', reason: 'x'.repeat(10_000) }));
    expect(parseDeal(v2, deal)).toMatchObject({ ok: true });
    expect(entry).toMatchObject({ at: 8.64e15, by: 'admin', reason: 'x'.repeat(10_000) });
    expect(parseLogEntry(entry)).toEqual({ ok: true, entry });
    const after = accepted(applyEvent(v2, deal, { type: 'setFields', fields: {}, at: 8.64e15, actor: manager }));
    expectReplays([v1, v2], [...fieldsLogged.log, entry, after.entry], after.deal);
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
