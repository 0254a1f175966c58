/*
 * crm-topics/postgres on PGlite (always runs): schema, topics, deals with
 * compare-and-set and idempotent event ids, the log, the outbox and the
 * overdue scan, and how bad rows and database errors come back.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editTopic, standardTopic, type CrmUser, type DealEvent } from '../../src/index.js';
import { createStore, pgliteDriver, type Store } from '../../src/postgres/index.js';

const HOUR = 3_600_000;
const MONDAY = Date.parse('2026-01-12T09:00:00Z');
const manager: CrmUser = { id: 'manager-1' };
const qualified: DealEvent = { type: 'recordOutcome', outcomeId: 'qualified', at: MONDAY + HOUR, actor: manager };

let db: PGlite;
let store: Store;
beforeAll(async () => {
  db = await PGlite.create();
  store = createStore(pgliteDriver(db));
  expect(await store.migrate()).toEqual({ ok: true, applied: [1] });
  expect(await store.saveTopic(standardTopic)).toMatchObject({ ok: true, id: 'standard', version: 1, created: true });
}, 60_000); // PGlite loads a WebAssembly PostgreSQL: seconds on a busy machine
afterAll(async () => {
  await db.close();
});

describe('the store on PGlite', () => {
  it('migrates once and keeps topic versions immutable', async () => {
    expect(await store.migrate()).toEqual({ ok: true, applied: [] });
    expect(await store.saveTopic(standardTopic)).toMatchObject({ ok: true, created: false });
    const other = { ...standardTopic, name: 'Renamed' };
    expect(await store.saveTopic(other)).toMatchObject({ ok: false, error: { code: 'topic_version_exists' } });
    const edited = editTopic({ id: 'director', roles: ['director'] } as never, standardTopic, [{ op: 'setTopic', changes: { name: 'Standard v2' } }] as never);
    if (edited.ok) {
      expect(await store.saveTopic(edited.topic)).toMatchObject({ ok: true, version: 2 });
      expect(await store.loadTopic('standard')).toMatchObject({ ok: true, topic: { version: 2 } });
      expect(await store.loadTopic('standard', 1)).toMatchObject({ ok: true, topic: { version: 1 } });
    }
    const update = await db.query('UPDATE crm_topics SET kind = kind').catch((error: Error) => error);
    expect(update).toBeInstanceOf(Error);
    expect(await store.loadTopic('nope')).toMatchObject({ ok: false, error: { code: 'topic_not_found' } });
    expect(await store.saveTopic({ kind: 'sales' })).toMatchObject({ ok: false, error: { code: 'invalid_topic' } });
  });

  it('opens, applies with compare-and-set, and answers a repeated event id with the first result', async () => {
    const opened = await store.open('standard', { id: 'd-1', clientId: 'c-1', ownerId: manager.id, at: MONDAY }, { eventId: 'open-1' });
    expect(opened).toMatchObject({ ok: true, deal: { revision: 1 }, duplicate: false });
    expect(await store.open('standard', { id: 'd-1', clientId: 'c-1', ownerId: manager.id, at: MONDAY }, { eventId: 'open-1' })).toMatchObject({ ok: true, duplicate: true });
    expect(await store.open('standard', { id: 'd-1', clientId: 'c-1', ownerId: manager.id, at: MONDAY })).toMatchObject({ ok: false, error: { code: 'deal_exists' } });
    const first = await store.apply('d-1', qualified, { eventId: 'e-1' });
    expect(first).toMatchObject({ ok: true, deal: { revision: 2 }, duplicate: false });
    const again = await store.apply('d-1', qualified, { eventId: 'e-1' });
    expect(again).toMatchObject({ ok: true, deal: { revision: 2 }, duplicate: true });
    if (first.ok && again.ok) {
      expect(again.entry).toEqual(first.entry);
      expect(again.effects).toEqual(first.effects);
    }
    expect(await store.apply('d-1', { type: 'recordOutcome', outcomeId: 'nope', at: MONDAY + 2 * HOUR, actor: manager })).toMatchObject({ ok: false, error: { code: 'unknown_outcome' } });
    const loaded = await store.load('d-1');
    expect(loaded).toMatchObject({ ok: true, deal: { revision: 2 } });
    const history = await store.history('d-1');
    expect(history.ok && history.entries.length).toBe(2);
    const state = await db.query<{ state: Record<string, unknown> }>("SELECT state FROM crm_deals WHERE id = 'd-1'");
    expect(state.rows[0]?.state).not.toHaveProperty('history');
    expect(await store.load('missing')).toMatchObject({ ok: false, error: { code: 'deal_not_found' } });
    expect(await store.history('missing')).toMatchObject({ ok: false, error: { code: 'deal_not_found' } });
    expect(await store.apply('missing', qualified)).toMatchObject({ ok: false, error: { code: 'deal_not_found' } });
  });

  it('reloads and re-applies when another writer moved the revision on', async () => {
    await store.open('standard', { id: 'd-race', clientId: 'c-race', ownerId: manager.id, at: MONDAY });
    const both = await Promise.all([store.apply('d-race', qualified), store.apply('d-race', { type: 'planActivity', activityId: 'call-1', kind: 'call', plannedFor: MONDAY + 5 * HOUR, at: MONDAY + HOUR, actor: manager })]);
    expect(both.every((answer) => answer.ok)).toBe(true);
    expect(await store.load('d-race')).toMatchObject({ ok: true, deal: { revision: 3 } });
  });

  it('refuses a malformed row with its id, and names the statement of a database error', async () => {
    await store.open('standard', { id: 'd-bad', clientId: 'c-bad', ownerId: manager.id, at: MONDAY });
    await db.query(`UPDATE crm_deals SET state = jsonb_set(state, '{stageDueAt}', to_jsonb(0)) WHERE id = 'd-bad'`);
    expect(await store.load('d-bad')).toMatchObject({ ok: false, error: { code: 'malformed_row', params: { id: 'd-bad', table: 'crm_deals' } } });
    expect(await store.apply('d-bad', qualified)).toMatchObject({ ok: false, error: { code: 'malformed_row' } });
    const broken = createStore(pgliteDriver({ query: () => Promise.reject(new Error('gone')), transaction: () => Promise.reject(new Error('gone')) }));
    expect(await broken.load('d-1')).toMatchObject({ ok: false, error: { code: 'database_error', params: { statement: 'load_deal' } } });
    expect(await broken.claimEffects({ worker: 'w' })).toMatchObject({ ok: false, error: { code: 'database_error', params: { statement: 'claim_effects' } } });
    expect(await broken.migrate()).toMatchObject({ ok: false, error: { code: 'database_error' } });
  });

  it('claims effects once per lease, returns expired leases, completes idempotently', async () => {
    await db.query('UPDATE crm_effects SET done_at = now()');
    await store.open('standard', { id: 'd-fx', clientId: 'c-fx', ownerId: manager.id, at: MONDAY });
    await store.apply('d-fx', { type: 'recordOutcome', outcomeId: 'refused', kindId: 'too-expensive', at: MONDAY + HOUR, actor: manager });
    const claimed = await store.claimEffects({ worker: 'w1', max: 10, leaseMs: 100 });
    expect(claimed.ok && claimed.effects.length).toBeGreaterThan(0);
    expect(await store.claimEffects({ worker: 'w2', max: 10, leaseMs: 100 })).toEqual({ ok: true, effects: [] });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const again = await store.claimEffects({ worker: 'w2', max: 10, leaseMs: 10_000 });
    expect(again.ok && again.effects.map((effect) => [effect.id, effect.attempts])).toEqual(claimed.ok && claimed.effects.map((effect) => [effect.id, 2]));
    const ids = again.ok ? again.effects.map((effect) => effect.id) : [];
    expect(await store.completeEffects(ids)).toEqual({ ok: true, completed: ids.length });
    expect(await store.completeEffects(ids)).toEqual({ ok: true, completed: 0 });
  });

  it('finds overdue deals a page at a time', async () => {
    for (let index = 0; index < 5; index += 1) await store.open('standard', { id: `late-${index}`, clientId: `late-${index}`, ownerId: manager.id, at: MONDAY + index });
    const seen: string[] = [];
    let after: { dueAt: number; id: string } | undefined;
    for (let page = 0; page < 10; page += 1) {
      const found = await store.findOverdue('standard', MONDAY + 365 * 24 * HOUR, { limit: 2, ...(after === undefined ? {} : { after }) });
      if (!found.ok) throw new Error(found.error.message);
      seen.push(...found.deals.map((item) => item.deal.id));
      expect(found.deals.every((item) => item.limits.length > 0)).toBe(true);
      if (found.next === null) break;
      after = found.next;
    }
    expect(seen).toEqual(expect.arrayContaining(['late-0', 'late-1', 'late-2', 'late-3', 'late-4']));
    expect(new Set(seen).size).toBe(seen.length);
    const none = await store.findOverdue('standard', MONDAY - 1);
    expect(none).toEqual({ ok: true, deals: [], next: null });
  });
});
