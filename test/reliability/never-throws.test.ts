/*
 * Issue 12, item 7: every function documented as never throwing answers any
 * value in any argument position with a typed result. Each argument of each
 * export below gets, in turn, `null`, `undefined`, a number, a proxy whose
 * every trap throws, an object whose getters throw and a frozen foreign
 * object (a Date), while the other arguments stay valid. The arguments that
 * are plain data (deals, log entries, inputs) must come back unmodified.
 */
import { describe, expect, it } from 'vitest';

import {
  applyEvent,
  availableOutcomes,
  canEditTopic,
  canUseTopic,
  cancelEvent,
  createTopic,
  editTopic,
  isApprover,
  planEvent,
  recordEvent,
  findOverdue,
  funnelReport,
  isCompiledTopic,
  migrateDeal,
  nextDeadline,
  openDeal,
  overdue,
  overdueNotices,
  parseDeal,
  parseLogEntry,
  planMigration,
  replayDeal,
  replayEntry,
  safeParseTopic,
  standardTopic,
  compileTopic,
} from '../../src/index.js';
import { MONDAY, compileSales, director, manager } from '../support.js';

const boom = (): never => {
  throw new Error('boom');
};
const throwingProxy = new Proxy({}, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom, apply: boom });
const throwingGetters = Object.defineProperties({}, Object.fromEntries(
  ['id', 'stageId', 'status', 'topicId', 'kind', 'locale', 'lint', 'kinds', 'clientDeals', 'deadlines', 'stageDueAt', 'dueAt', 'deal', 'entries', 'type', 'dealId', 'revision', 'at'].map((key) => [key, { get: boom, enumerable: true }]),
));
const hostile: ReadonlyArray<readonly [string, unknown]> = [
  ['null', null],
  ['undefined', undefined],
  ['a number', 42],
  ['a throwing proxy', throwingProxy],
  ['throwing getters', throwingGetters],
  ['a frozen Date', Object.freeze(new Date(0))],
];

const topic = compileSales(standardTopic);
const opened = openDeal(topic, { id: 'd-1', clientId: 'c-1', ownerId: manager.id, at: MONDAY });
if (!opened.ok) throw new Error('the standard topic opens a deal');
const deal = opened.deal;
const moved = applyEvent(topic, deal, { type: 'recordOutcome', outcomeId: 'qualified', at: MONDAY + 1, actor: manager });
if (!moved.ok) throw new Error('the standard topic records an outcome');
/** The deal's log, kept by the caller beside the deal. */
const log = [opened.entry, moved.entry];
const input = { id: 'd-2', clientId: 'c-1', ownerId: manager.id, at: MONDAY };
const v2 = compileSales({ ...standardTopic, version: 2 });
const plan = planMigration(topic, v2, [deal]);
if (!plan.ok) throw new Error('the standard topic migrates to its next version');
type Plan = { ok?: unknown; conflicts?: { code?: unknown }[] } | null;
const planOrConflicts = (r: unknown): boolean =>
  typeof (r as Plan)?.ok === 'boolean' && Array.isArray((r as Plan)?.conflicts) && ((r as Plan)?.ok === true || ((r as Plan)?.conflicts ?? []).every((c) => typeof c.code === 'string') && ((r as Plan)?.conflicts?.length ?? 0) > 0);

type Answer = { ok?: unknown; issues?: unknown[]; error?: { code?: unknown }; overdue?: unknown; at?: unknown } | null;
const resultOrError = (r: unknown): boolean => (r as Answer)?.ok === true || typeof (r as Answer)?.error?.code === 'string';

const parsedOrIssues = (r: unknown): boolean => (r as Answer)?.ok === true || ((r as Answer)?.issues?.length ?? 0) > 0;
const eventOrError = (r: unknown): boolean => (r as { ok?: unknown; event?: unknown } | null)?.event !== undefined || typeof (r as Answer)?.error?.code === 'string';
const serviceTopic = compileTopic({ id: 'maintenance', name: 'Maintenance', kind: 'service' });
const planned = planEvent(serviceTopic, { id: 'e-1', clientId: 'c-1', actor: manager, at: MONDAY, plannedFor: MONDAY + 1 });
if (!planned.ok) throw new Error('a service topic plans an event');
const plannedEvent = planned.event;

/** Each export with valid arguments and what a typed answer looks like. */
const cases: ReadonlyArray<{ name: string; args: readonly unknown[]; call: (...args: never[]) => unknown; typed: (result: unknown) => boolean; plain?: readonly number[] }> = [
  { name: 'safeParseTopic', args: [standardTopic, {}], call: safeParseTopic, typed: (r) => (r as Answer)?.ok === true || ((r as Answer)?.issues?.length ?? 0) > 0 },
  { name: 'applyEvent', args: [topic, deal, { type: 'recordOutcome', outcomeId: 'qualified', at: MONDAY + 1, actor: manager }], call: applyEvent, typed: resultOrError },
  { name: 'parseDeal', args: [topic, deal, {}], call: parseDeal, typed: resultOrError },
  { name: 'openDeal', args: [topic, input, { clientDeals: [] }], call: openDeal, typed: resultOrError },
  { name: 'overdue', args: [topic, deal, MONDAY, {}], call: overdue, typed: (r) => typeof (r as Answer)?.overdue === 'boolean' },
  { name: 'overdueNotices', args: [topic, deal, MONDAY, null], call: overdueNotices, typed: resultOrError },
  { name: 'findOverdue', args: [topic, [deal], MONDAY, {}], call: findOverdue, typed: (r) => Array.isArray(r) },
  { name: 'nextDeadline', args: [deal, MONDAY], call: nextDeadline, typed: (r) => r === null || typeof (r as Answer)?.at === 'number' },
  { name: 'availableOutcomes', args: [topic, deal, MONDAY, manager], call: availableOutcomes, typed: (r) => Array.isArray(r) },
  { name: 'planMigration', args: [topic, v2, [deal], {}], call: planMigration, typed: planOrConflicts },
  { name: 'migrateDeal', args: [plan, deal, { at: MONDAY + 1 }], call: migrateDeal, typed: resultOrError },
  { name: 'funnelReport', args: [topic, [{ deal: moved.deal, entries: log }], { now: MONDAY + 1 }], call: funnelReport, typed: resultOrError, plain: [1, 2] },
  { name: 'funnelReport (one deal with a hostile log)', args: [topic, log, { now: MONDAY + 1 }], call: (t: never, entries: never, o: never) => funnelReport(t, [{ deal: moved.deal, entries }], o), typed: resultOrError, plain: [1, 2] },
  { name: 'funnelReport (a hostile deal with its log)', args: [moved.deal, log], call: (d: never, entries: never) => funnelReport(topic, [{ deal: d, entries }], { now: MONDAY + 1 }), typed: resultOrError, plain: [0, 1] },
  { name: 'replayDeal', args: [topic, log], call: replayDeal, typed: resultOrError, plain: [1] },
  { name: 'replayDeal (the versions of a topic)', args: [[topic, v2], log], call: replayDeal, typed: resultOrError, plain: [1] },
  { name: 'replayDeal (a hostile entry in the log)', args: [opened.entry, moved.entry], call: (first: never, second: never) => replayDeal(topic, [first, second]), typed: resultOrError, plain: [0, 1] },
  { name: 'replayEntry', args: [topic, deal, moved.entry], call: replayEntry, typed: resultOrError, plain: [1, 2] },
  { name: 'replayEntry (the opening)', args: [[topic], undefined, opened.entry], call: replayEntry, typed: resultOrError, plain: [2] },
  { name: 'parseLogEntry', args: [moved.entry], call: parseLogEntry, typed: resultOrError, plain: [0] },
  { name: 'parseLogEntry (the opening)', args: [opened.entry], call: parseLogEntry, typed: resultOrError, plain: [0] },
  { name: 'canEditTopic', args: [director], call: canEditTopic, typed: (r) => typeof r === 'boolean' },
  { name: 'canUseTopic', args: [topic, director], call: canUseTopic, typed: (r) => typeof r === 'boolean' },
  { name: 'isApprover', args: [director, [{ role: 'director' }]], call: isApprover, typed: (r) => typeof r === 'boolean' },
  { name: 'editTopic', args: [standardTopic, director, { op: 'updateTopic', changes: { name: 'Renamed' } }, {}], call: editTopic, typed: parsedOrIssues },
  { name: 'createTopic', args: [director, { kind: 'service', id: 'visits', name: 'Visits' }, {}], call: createTopic, typed: parsedOrIssues },
  { name: 'planEvent', args: [serviceTopic, { id: 'e-1', clientId: 'c-1', actor: manager, at: MONDAY, plannedFor: MONDAY + 1 }], call: planEvent, typed: eventOrError },
  { name: 'recordEvent', args: [serviceTopic, plannedEvent, { actor: manager, at: MONDAY + 1 }], call: recordEvent, typed: eventOrError },
  { name: 'cancelEvent', args: [serviceTopic, plannedEvent, { actor: manager, at: MONDAY + 1, reason: 'Client asked' }], call: cancelEvent, typed: eventOrError },
];

/** Copies of the plain-data arguments at `positions`, to compare with after a call. */
const snapshot = (args: readonly unknown[], positions: readonly number[], except = -1): ReadonlyMap<number, unknown> =>
  new Map(positions.filter((position) => position !== except).map((position) => [position, structuredClone(args[position])]));
const expectUnchanged = (args: readonly unknown[], before: ReadonlyMap<number, unknown>): void => {
  for (const [position, copy] of before) expect(args[position], `argument ${position + 1}`).toStrictEqual(copy);
};

describe('never-throwing exports answer hostile arguments with typed results', () => {
  for (const { name, args, call, typed, plain = [] } of cases) {
    it(`${name}: valid arguments give a typed answer`, () => {
      const before = snapshot(args, plain);
      expect(typed(call(...(args as never[])))).toBe(true);
      expectUnchanged(args, before);
    });
    for (let position = 0; position < args.length; position += 1) {
      for (const [label, value] of hostile) {
        it(`${name}: ${label} as argument ${position + 1}`, () => {
          const hostileArgs = args.map((arg, index) => (index === position ? value : arg));
          const before = snapshot(hostileArgs, plain, position);
          let result: unknown;
          expect(() => (result = call(...(hostileArgs as never[])))).not.toThrow();
          expect(typed(result)).toBe(true);
          expectUnchanged(hostileArgs, before);
        });
      }
    }
  }

  it('the valid log replays to the deal it was kept beside, entry by entry too', () => {
    expect(replayDeal(topic, log)).toStrictEqual({ ok: true, deal: moved.deal });
    expect(replayDeal([topic, v2], log)).toStrictEqual({ ok: true, deal: moved.deal });
    const first = replayEntry(topic, undefined, opened.entry);
    expect(first).toStrictEqual({ ok: true, deal });
    expect(replayEntry(topic, deal, moved.entry)).toStrictEqual({ ok: true, deal: moved.deal });
    expect(parseLogEntry(moved.entry)).toStrictEqual({ ok: true, entry: moved.entry });
  });

  it('replayDeal, replayEntry and parseLogEntry name what they refuse', () => {
    expect(replayDeal(null as never, log)).toMatchObject({ ok: false, index: 0, error: { code: 'invalid_topic', path: 'topic' } });
    expect(replayDeal({ ...topic } as never, log)).toMatchObject({ ok: false, index: 0, error: { code: 'invalid_topic', path: 'topic' } });
    expect(replayDeal(topic, null as never)).toMatchObject({ ok: false, index: 0, error: { code: 'unreadable_input' } });
    expect(replayDeal(topic, throwingProxy as never)).toMatchObject({ ok: false, index: 0, error: { code: 'unreadable_input' } });
    expect(replayDeal(topic, [])).toMatchObject({ ok: false, index: 0, error: { code: 'invalid_log_entry' } });
    expect(replayDeal(topic, [opened.entry, throwingGetters])).toMatchObject({ ok: false, index: 1, error: { code: 'unreadable_input' } });
    expect(replayDeal(topic, [opened.entry, null])).toMatchObject({ ok: false, index: 1, error: { code: 'invalid_log_entry', path: '' } });
    expect(replayEntry(topic, undefined, moved.entry)).toMatchObject({ ok: false, error: { code: 'invalid_log_entry', path: 'type' } });
    expect(replayEntry(topic, deal, opened.entry)).toMatchObject({ ok: false, error: { code: 'invalid_log_entry', path: 'type' } });
    expect(replayEntry(topic, throwingGetters as never, moved.entry)).toMatchObject({ ok: false, error: { code: 'invalid_deal' } });
    expect(replayEntry(topic, { id: 'deal-1', revision: 2, stageId: 'acquaintance' } as never, moved.entry)).toMatchObject({ ok: false, error: { code: 'invalid_deal' } });
    expect(replayEntry(topic, null as never, moved.entry)).toMatchObject({ ok: false, error: { code: 'invalid_deal' } });
    expect(replayEntry(serviceTopic, undefined, opened.entry)).toMatchObject({ ok: false, error: { code: 'not_a_sales_topic' } });
    expect(parseLogEntry(throwingProxy)).toMatchObject({ ok: false, error: { code: 'unreadable_input' } });
    expect(parseLogEntry(throwingGetters)).toMatchObject({ ok: false, error: { code: 'unreadable_input' } });
    expect(parseLogEntry(Object.freeze(new Date(0)))).toMatchObject({ ok: false, error: { code: 'invalid_log_entry', path: '' } });
    expect(parseLogEntry(null)).toMatchObject({ ok: false, error: { code: 'invalid_log_entry', path: '' } });
  });

  it('refuses a topic that compileTopic did not make, naming the argument', () => {
    const lookalike = { ...topic };
    expect(isCompiledTopic(topic)).toBe(true);
    expect(isCompiledTopic(lookalike)).toBe(false);
    expect(isCompiledTopic(compileTopic(standardTopic))).toBe(true);
    const parsed = parseDeal(lookalike as never, deal);
    expect(parsed).toMatchObject({ ok: false, error: { code: 'invalid_topic', path: 'topic' } });
    expect(openDeal(null as never, input)).toMatchObject({ ok: false, error: { code: 'invalid_topic', path: 'topic' } });
    expect(overdue(lookalike as never, { ...deal, stageDueAt: 0 }, MONDAY).overdue).toBe(false);
  });

  it('refuses a client list with a throwing deal in it for S32 rather than throwing', () => {
    const forbidding = compileSales({ ...standardTopic, parameters: { ...standardTopic.parameters, concurrentDeals: 'forbidden' } });
    const result = openDeal(forbidding, input, { clientDeals: [throwingGetters] as never });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'clientDeals' } });
    const other = openDeal(forbidding, { ...input, clientId: 'c-9' }, { clientDeals: [throwingProxy] as never });
    expect(other).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'clientDeals' } });
  });

  it('reads a throwing topic input as unreadable, in English and Russian', () => {
    const en = safeParseTopic(throwingProxy);
    expect(en).toMatchObject({ ok: false, issues: [{ code: 'unreadable_input', path: '' }] });
    const ru = safeParseTopic(throwingGetters, { locale: 'ru' });
    expect(ru.ok).toBe(false);
    if (!ru.ok) expect(ru.issues.some((issue) => /[а-я]/.test(issue.message))).toBe(true);
  });

  it('keeps the deals an iterator yielded before it threw', () => {
    const late = { ...deal, stageDueAt: MONDAY - 1 };
    function* deals(): Generator<unknown> {
      yield late;
      throw new Error('connection lost');
    }
    const found = findOverdue(topic, deals() as never, MONDAY);
    expect(found.map((hit) => hit.deal)).toEqual([late]);
  });

  it('planMigration, migrateDeal, funnelReport and replayDeal answer with codes, and leave the caller\'s objects as they were', () => {
    const before = structuredClone(deal);
    const logBefore = structuredClone(log);
    const frozenDeal = deepFreeze(structuredClone(deal));
    const frozenLog = deepFreeze(structuredClone(log.slice(0, 1)));
    const options = deepFreeze({ at: MONDAY + 1 });
    const deals = deepFreeze([frozenDeal]);
    const withLogs = deepFreeze([{ deal: frozenDeal, entries: frozenLog }]);
    expect(planMigration(topic, v2, deals).ok).toBe(true);
    const migrated = migrateDeal(plan, frozenDeal, options);
    expect(migrated).toMatchObject({ ok: true, entry: { type: 'migrated', dealId: frozenDeal.id, revision: frozenDeal.revision + 1, fromVersion: 1, version: 2, at: MONDAY + 1 } });
    expect(funnelReport(topic, withLogs, deepFreeze({ now: MONDAY + 1 })).ok).toBe(true);
    expect(replayDeal(topic, frozenLog)).toStrictEqual({ ok: true, deal: frozenDeal });
    expect(planMigration(topic, v2, null as never)).toMatchObject({ ok: false, conflicts: [{ code: 'invalid_deal', path: 'deals' }] });
    expect(planMigration(topic, v2, [throwingGetters] as never)).toMatchObject({ ok: false, conflicts: [{ code: 'unreadable_input', path: '[0]' }] });
    expect(planMigration(throwingProxy as never, v2, [deal])).toMatchObject({ ok: false, topic: null, conflicts: [{ code: 'unreadable_input' }] });
    expect(planMigration({ ...topic } as never, v2, [deal])).toMatchObject({ ok: false, conflicts: [{ code: 'invalid_topic', path: 'before' }] });
    expect(migrateDeal(null as never, deal)).toMatchObject({ ok: false, error: { code: 'invalid_plan' } });
    expect(migrateDeal({ ...plan, topic: { ...v2 } } as never, deal)).toMatchObject({ ok: false, error: { code: 'invalid_plan' } });
    expect(migrateDeal(throwingProxy as never, deal)).toMatchObject({ ok: false, error: { code: 'unreadable_input' } });
    expect(migrateDeal(plan, throwingGetters as never)).toMatchObject({ ok: false, error: { code: 'unreadable_input' } });
    const item = { deal, entries: log.slice(0, 1) };
    expect(funnelReport(null as never, [item], { now: MONDAY })).toMatchObject({ ok: false, error: { code: 'invalid_topic', path: 'topic' } });
    expect(funnelReport(topic, null as never, { now: MONDAY })).toMatchObject({ ok: false, error: { code: 'invalid_deals', path: 'deals' } });
    expect(funnelReport(topic, [item, throwingGetters] as never, { now: MONDAY })).toMatchObject({ ok: false, error: { code: 'unreadable_input', path: 'deals[1]' } });
    expect(funnelReport(topic, [item, { deal: throwingGetters, entries: [] }] as never, { now: MONDAY })).toMatchObject({ ok: false, error: { code: 'unreadable_input', path: 'deals[1]' } });
    expect(funnelReport(topic, [{ deal, entries: throwingProxy }] as never, { now: MONDAY })).toMatchObject({ ok: false, error: { code: 'unreadable_input', path: 'deals[0]' } });
    expect(funnelReport(topic, [{ deal, entries: [opened.entry, throwingGetters] }] as never, { now: MONDAY })).toMatchObject({ ok: false, error: { code: 'unreadable_input', path: 'deals[0]' } });
    // A deal without its log, as the old input shape passed it, is refused rather than counted without its visits.
    expect(funnelReport(topic, [deal] as never, { now: MONDAY })).toMatchObject({ ok: false, error: { code: 'invalid_deals', path: 'deals[0].entries' } });
    expect(funnelReport(topic, [{ deal, entries: null }] as never, { now: MONDAY })).toMatchObject({ ok: false, error: { code: 'invalid_deals', path: 'deals[0].entries' } });
    // A null in the list is not a deal of this topic: skipped, like a deal of another topic.
    const withNull = funnelReport(topic, [item, null] as never, { now: MONDAY + 1 });
    expect(withNull.ok && withNull.report).toMatchObject({ deals: 2, skipped: 1, counted: 1 });
    expect(deal).toEqual(before);
    expect(log).toEqual(logBefore);
    expect(frozenDeal).toEqual(before);
    expect(plan.deals).toHaveLength(1);
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}
