/*
 * crm-topics/postgres on PGlite (always runs): schema, topics, deals with
 * compare-and-set and idempotent event ids, the log, the outbox and the
 * overdue scan, and how bad rows and database errors come back.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTopic, editTopic, openDeal, overdueNotices, planMigration, standardTopic, type CrmUser, type Deal, type DealEvent, type SalesTopic } from '../../src/index.js';
import { createStore, pgliteDriver, SCHEMA_VERSIONS, type DealOverdueEffect, type Store } from '../../src/postgres/index.js';

const HOUR = 3_600_000;
const MONDAY = Date.parse('2026-01-12T09:00:00Z');
const manager: CrmUser = { id: 'manager-1' };
const qualified: DealEvent = { type: 'recordOutcome', outcomeId: 'qualified', at: MONDAY + HOUR, actor: manager };

let db: PGlite;
let store: Store;
beforeAll(async () => {
  db = await PGlite.create();
  store = createStore(pgliteDriver(db));
  expect(await store.migrate()).toEqual({ ok: true, applied: [1, 2] });
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
    // A topic of its own, so that the other tests keep the standard topic at version 1.
    const versioned = { ...standardTopic, id: 'versioned' };
    expect(await store.saveTopic(versioned)).toMatchObject({ ok: true, version: 1, created: true });
    const edited = editTopic(versioned, { id: 'admin', administrator: true }, { op: 'updateTopic', changes: { name: 'Versioned v2' } });
    if (!edited.ok) expect.fail(JSON.stringify(edited));
    expect(await store.saveTopic(edited.topic)).toMatchObject({ ok: true, version: 2, created: true });
    expect(await store.loadTopic('versioned')).toMatchObject({ ok: true, topic: { version: 2, definition: { name: 'Versioned v2' } } });
    expect(await store.loadTopic('versioned', 1)).toMatchObject({ ok: true, topic: { version: 1, definition: { name: standardTopic.name } } });
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

  it('applies again after a serialization failure or a deadlock, which the server rolled back whole', async () => {
    await store.open('standard', { id: 'd-flaky', clientId: 'c-flaky', ownerId: manager.id, at: MONDAY });
    // A sequence is not rolled back with the failed statement: the first two writes of an entry fail, the third passes.
    await db.query('CREATE SEQUENCE crm_test_flaky');
    await db.query(`CREATE FUNCTION crm_test_flaky() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF NEW.deal_id = 'd-flaky' THEN
        CASE nextval('crm_test_flaky') WHEN 1 THEN RAISE EXCEPTION 'could not serialize' USING ERRCODE = '40001';
                                        WHEN 2 THEN RAISE EXCEPTION 'deadlock' USING ERRCODE = '40P01'; ELSE NULL; END CASE;
      END IF; RETURN NEW; END $$`);
    await db.query('CREATE TRIGGER crm_test_flaky BEFORE INSERT ON crm_deal_entries FOR EACH ROW EXECUTE FUNCTION crm_test_flaky()');
    try {
      expect(await store.apply('d-flaky', qualified)).toMatchObject({ ok: true, deal: { revision: 2 }, duplicate: false });
      expect(await store.history('d-flaky')).toMatchObject({ ok: true, entries: [{ revision: 1 }, { revision: 2 }] });
      // Any other failure is not retried: it surfaces with the statement's name and SQLSTATE.
      await db.query(`CREATE OR REPLACE FUNCTION crm_test_flaky() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        IF NEW.deal_id = 'd-flaky' THEN RAISE EXCEPTION 'full' USING ERRCODE = '53100'; END IF; RETURN NEW; END $$`);
      const planned = { type: 'planActivity', activityId: 'call-1', kind: 'call', plannedFor: MONDAY + 5 * HOUR, at: MONDAY + 2 * HOUR, actor: manager } as const;
      expect(await store.apply('d-flaky', planned)).toMatchObject({ ok: false, error: { code: 'database_error', params: { statement: 'apply_event', sqlstate: '53100' } } });
      expect(await store.load('d-flaky')).toMatchObject({ ok: true, deal: { revision: 2 } });
    } finally {
      await db.query('DROP TRIGGER crm_test_flaky ON crm_deal_entries');
    }
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
    expect(none).toEqual({ ok: true, deals: [], refused: [], next: null });
  });

  it('refuses a malformed row in the overdue scan with its id, never returning it, and goes on past it', async () => {
    const refused: string[] = [];
    const seen: string[] = [];
    let after: { dueAt: number; id: string } | undefined;
    for (let page = 0; page < 50; page += 1) {
      const found = await store.findOverdue('standard', MONDAY + 365 * 24 * HOUR, { limit: 3, ...(after === undefined ? {} : { after }) });
      if (!found.ok) throw new Error(found.error.message);
      refused.push(...found.refused.map((error) => String(error.params.id)));
      expect(found.refused.every((error) => error.code === 'malformed_row' && error.params.table === 'crm_deals')).toBe(true);
      seen.push(...found.deals.map((item) => item.deal.id));
      if (found.next === null) break;
      after = found.next;
    }
    expect(refused).toEqual(['d-bad']);
    expect(seen).not.toContain('d-bad');
    expect(seen).toContain('late-0');
    // A row whose state names another deal, or another revision than its row, is refused too.
    await store.open('standard', { id: 'd-swap', clientId: 'c-swap', ownerId: manager.id, at: MONDAY });
    await db.query(`UPDATE crm_deals SET revision = 7 WHERE id = 'd-swap'`);
    expect(await store.load('d-swap')).toMatchObject({ ok: false, error: { code: 'malformed_row', params: { id: 'd-swap' } } });
    const page = await store.findOverdue('standard', MONDAY + 365 * 24 * HOUR, { limit: 1000 });
    expect(page.ok && page.refused.map((error) => error.params.id).sort()).toEqual(['d-bad', 'd-swap']);
    await db.query(`UPDATE crm_deals SET revision = 1 WHERE id = 'd-swap'`);
    expect(await store.findOverdue('standard', Number.NaN)).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'now' } });
    expect(await store.findOverdue('standard', MONDAY, { limit: 0 })).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'limit' } });
  });

  it('refuses to open a deal when a running deal of the same client is malformed', async () => {
    const single: SalesTopic = { ...standardTopic, id: 'single', parameters: { ...standardTopic.parameters, concurrentDeals: 'forbidden' } };
    expect(await store.saveTopic(single)).toMatchObject({ ok: true });
    expect(await store.open('single', { id: 's-1', clientId: 'c-single', ownerId: manager.id, at: MONDAY })).toMatchObject({ ok: true });
    await db.query(`UPDATE crm_deals SET state = state - 'ownerId' WHERE id = 's-1'`);
    expect(await store.open('single', { id: 's-2', clientId: 'c-single', ownerId: manager.id, at: MONDAY + 1 })).toMatchObject({ ok: false, error: { code: 'malformed_row', params: { id: 's-1' } } });
  });
});

describe('overdue notices on PGlite', () => {
  const notify: SalesTopic = { ...standardTopic, id: 'notify' };
  const compiled = compileTopic(notify);
  const ids = Array.from({ length: 7 }, (_, index) => `n-${index}`);
  const notices = async (id?: string) =>
    (
      await db.query<{ deal_id: string; revision: number; seq: number; effect: DealOverdueEffect }>(
        "SELECT deal_id, revision, seq, effect FROM crm_effects WHERE effect->>'type' = 'dealOverdue' AND effect->>'topicId' = 'notify' AND ($1::text IS NULL OR deal_id = $1) ORDER BY id",
        [id ?? null],
      )
    ).rows;

  it('writes one dealOverdue notice per deal, limit and deadline, a page at a time, and stores the marker beside the deal', async () => {
    expect(await store.saveTopic(notify)).toMatchObject({ ok: true });
    for (const [index, id] of ids.entries()) await store.open('notify', { id, clientId: `c-${id}`, ownerId: manager.id, at: MONDAY + index });
    const now = MONDAY + 3 * 24 * HOUR;
    let expected = 0;
    for (const id of ids) {
      const loaded = await store.load(id);
      if (!loaded.ok) throw new Error(loaded.error.message);
      const owed = overdueNotices(compiled, loaded.deal, now, null);
      expected += owed.ok ? owed.notices.length : 0;
    }
    expect(expected).toBeGreaterThanOrEqual(ids.length);
    expect(await store.notifyOverdue(now - 4 * 24 * HOUR, { topicId: 'notify' })).toEqual({ ok: true, written: 0, scanned: 0, refused: [] });
    expect(await store.notifyOverdue(now, { topicId: 'notify', limit: 2 })).toEqual({ ok: true, written: expected, scanned: ids.length, refused: [] });
    expect(await store.notifyOverdue(now + HOUR, { topicId: 'notify', limit: 3 })).toMatchObject({ ok: true, written: 0, scanned: ids.length });
    const rows = await notices();
    expect(rows).toHaveLength(expected);
    const first = rows.find((row) => row.deal_id === 'n-0');
    expect(first).toMatchObject({ revision: 1, seq: -1, effect: { type: 'dealOverdue', dealId: 'n-0', topicId: 'notify', ownerId: manager.id, kind: 'stage', at: now } });
    const loaded = await store.load('n-0');
    expect(first?.effect.dueAt).toBe(loaded.ok ? loaded.deal.stageDueAt : -1);
    expect(first?.effect.by).toBe(now - (first?.effect.dueAt ?? 0));
    const marker = await db.query<{ notice_marker: unknown }>("SELECT notice_marker FROM crm_deals WHERE id = 'n-0'");
    expect(marker.rows[0]?.notice_marker).toMatchObject({ stage: first?.effect.dueAt });
    // The notices are outbox rows: claimEffects hands them out like the effects of events.
    const claimed = await store.claimEffects({ worker: 'notices', max: 1000, leaseMs: 60_000 });
    const mine = claimed.ok ? claimed.effects.filter((each) => each.effect.type === 'dealOverdue' && each.effect.topicId === 'notify') : [];
    expect(mine).toHaveLength(expected);
    expect(await store.completeEffects(mine.map((each) => each.id))).toEqual({ ok: true, completed: expected });
  });

  it('notifies a moved deadline again, and never the same deadline twice', async () => {
    const later = MONDAY + 3 * 24 * HOUR + 2 * HOUR;
    const moved = await store.apply('n-0', { ...qualified, at: later });
    expect(moved).toMatchObject({ ok: true, deal: { stageId: 'acquaintance', revision: 2 } });
    const before = (await notices('n-0')).length;
    const deal = moved.ok ? moved.deal : (undefined as unknown as Deal);
    const now = (deal.stageDueAt ?? 0) + 1;
    const answer = await store.notifyOverdue(now, { topicId: 'notify' });
    expect(answer.ok && answer.written).toBeGreaterThanOrEqual(1);
    const after = await notices('n-0');
    const fresh = after.slice(before);
    expect(fresh).toContainEqual(expect.objectContaining({ revision: 2, effect: expect.objectContaining({ kind: 'stage', dueAt: deal.stageDueAt }) }));
    expect(await store.notifyOverdue(now + 1, { topicId: 'notify' })).toMatchObject({ ok: true, written: 0 });
    // Even with the marker lost, the unique constraint keeps each (deal, kind, deadline) once.
    await db.query("UPDATE crm_deals SET notice_marker = NULL WHERE topic_id = 'notify'");
    expect(await store.notifyOverdue(now + 2, { topicId: 'notify' })).toMatchObject({ ok: true, written: 0 });
    const all = await notices();
    const keys = all.map((row) => `${row.deal_id}/${row.effect.kind}/${row.effect.dueAt}`);
    expect(new Set(keys).size).toBe(keys.length);
    // The answer of a repeated event id carries its own effects, never notices of that revision.
    const again = await store.apply('n-1', { ...qualified, at: later }, { eventId: 'n-1-q' });
    await store.notifyOverdue((again.ok ? (again.deal.stageDueAt ?? 0) : 0) + 1, { topicId: 'notify' });
    const repeated = await store.apply('n-1', { ...qualified, at: later }, { eventId: 'n-1-q' });
    expect(repeated).toMatchObject({ ok: true, duplicate: true });
    expect(repeated.ok && repeated.effects.some((effect) => (effect as { type: string }).type === 'dealOverdue')).toBe(false);
  });

  it('refuses malformed rows and markers with their id, never notifying them', async () => {
    await db.query(`UPDATE crm_deals SET state = jsonb_set(state, '{amount}', '"lots"') WHERE id = 'n-5'`);
    await db.query(`UPDATE crm_deals SET notice_marker = '{"stage": "soon"}' WHERE id = 'n-6'`);
    await db.query(`DELETE FROM crm_effects WHERE deal_id IN ('n-5', 'n-6')`);
    const answer = await store.notifyOverdue(MONDAY + 400 * 24 * HOUR, { topicId: 'notify', limit: 2 });
    expect(answer.ok && answer.refused.map((error) => [error.code, error.params.id]).sort()).toEqual([
      ['malformed_row', 'n-5'],
      ['malformed_row', 'n-6'],
    ]);
    expect(answer.ok && answer.refused.find((error) => error.params.id === 'n-6')?.params.detail).toMatch(/notice_marker/);
    expect(await notices('n-5')).toEqual([]);
    expect(await notices('n-6')).toEqual([]);
    // Without a topic, every sales topic is scanned: d-bad of "standard" is refused too.
    const all = await store.notifyOverdue(MONDAY + 400 * 24 * HOUR);
    expect(all.ok && all.refused.map((error) => error.params.id)).toEqual(expect.arrayContaining(['d-bad', 'n-5', 'n-6']));
    // A row naming a version that is not stored cannot be checked: refused, naming the deal.
    await db.query(`UPDATE crm_deals SET topic_version = 99 WHERE id = 'n-4'`);
    const missing = await store.notifyOverdue(MONDAY + 400 * 24 * HOUR, { topicId: 'notify' });
    expect(missing.ok && missing.refused.find((error) => error.params.dealId === 'n-4')).toMatchObject({ code: 'topic_not_found', params: { id: 'notify', version: 99 } });
    expect(await store.load('n-4')).toMatchObject({ ok: false, error: { code: 'topic_not_found', params: { dealId: 'n-4' } } });
    await db.query(`UPDATE crm_deals SET topic_version = 1 WHERE id = 'n-4'`);
    expect(await store.notifyOverdue(Number.POSITIVE_INFINITY)).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'now' } });
    expect(await store.notifyOverdue(MONDAY, { limit: 1.5 })).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'limit' } });
  });
});

describe('migrating deals on PGlite', () => {
  const v1: SalesTopic = { ...standardTopic, id: 'mig' };
  const edited = editTopic(v1, { id: 'boss', roles: ['director'] }, { op: 'updateStage', stageId: 'new', changes: { maxDuration: 'P3D' } });
  if (!edited.ok) throw new Error(edited.issues.map((issue) => issue.message).join('; '));
  const v2 = edited.topic;
  const ids = Array.from({ length: 6 }, (_, index) => `m-${index}`);
  const loadAll = async (list: readonly string[]) => {
    const deals: Deal[] = [];
    for (const id of list) {
      const loaded = await store.load(id);
      if (loaded.ok) deals.push(loaded.deal);
    }
    return deals;
  };

  it('migrates a topic’s deals with a result per deal, all or nothing per deal, and resumes', async () => {
    expect(await store.saveTopic(v1)).toMatchObject({ ok: true, version: 1 });
    for (const id of ids) await store.open('mig', { id, clientId: `c-${id}`, ownerId: manager.id, at: MONDAY });
    await store.apply('m-2', { type: 'recordOutcome', outcomeId: 'refused', kindId: 'too-expensive', at: MONDAY + HOUR, actor: manager });
    const plan = planMigration(v1, v2, await loadAll(ids));
    expect(plan.ok).toBe(true);
    // Not saved yet: the new version must be stored first.
    expect(await store.migrateDeals(plan)).toMatchObject({ ok: false, error: { code: 'topic_not_found' } });
    expect(await store.saveTopic(v2)).toMatchObject({ ok: true, version: 2 });
    // Changed since the plan, and malformed: both fail, the others go on.
    await store.apply('m-3', qualified);
    await db.query(`UPDATE crm_deals SET state = jsonb_set(state, '{openedAt}', '-5') WHERE id = 'm-4'`);
    // A failure inside one deal's statement leaves that deal as it was.
    await db.query(`CREATE FUNCTION crm_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.deal_id = 'm-5' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$`);
    await db.query(`CREATE TRIGGER crm_test_fail BEFORE INSERT ON crm_deal_entries FOR EACH ROW EXECUTE FUNCTION crm_test_fail()`);
    const broken = await store.migrateDeals(plan, { batch: 2, by: 'admin', reason: 'P3D' });
    expect(broken).toMatchObject({ ok: false, error: { code: 'database_error', params: { statement: 'migrate_deal' } } });
    expect(await store.load('m-5')).toMatchObject({ ok: true, deal: { topicVersion: 1, revision: 1 } });
    expect((await store.history('m-5')).ok && (await store.history('m-5'))).toMatchObject({ entries: [{ type: 'opened' }] });
    await db.query('DROP TRIGGER crm_test_fail ON crm_deal_entries');

    const answer = await store.migrateDeals(plan, { batch: 2, by: 'admin', reason: 'P3D' });
    if (!answer.ok) throw new Error(answer.error.message);
    // m-0 and m-1 were written before the failure; the call resumes with the rest.
    expect(answer.results.map((each) => [each.id, each.result])).toEqual([
      ['m-2', 'skipped'],
      ['m-3', 'failed'],
      ['m-4', 'failed'],
      ['m-5', 'migrated'],
    ]);
    expect(answer).toMatchObject({ migrated: 1, skipped: 1, failed: 2 });
    expect(answer.results[0]).toMatchObject({ result: 'skipped', reason: { code: 'deal_stays' } });
    expect(answer.results[1]).toMatchObject({ result: 'failed', error: { code: 'stale_deal' } });
    expect(answer.results[2]).toMatchObject({ result: 'failed', error: { code: 'malformed_row', params: { id: 'm-4' } } });
    expect(answer.results[3]).toMatchObject({ result: 'migrated', deal: { topicVersion: 2, revision: 2 }, entry: { type: 'migrated', fromVersion: 1, version: 2, by: 'admin' } });
    for (const id of ['m-0', 'm-1', 'm-5']) {
      expect(await store.load(id)).toMatchObject({ ok: true, deal: { topicVersion: 2, revision: 2 } });
      const history = await store.history(id);
      expect(history.ok && history.entries.map((entry) => entry.type)).toEqual(['opened', 'migrated']);
    }
    // Calling again continues with what is still on version 1, and the moved deals are not touched.
    const again = await store.migrateDeals(plan);
    expect(again.ok && again.results.map((each) => [each.id, each.result])).toEqual([
      ['m-2', 'skipped'],
      ['m-3', 'failed'],
      ['m-4', 'failed'],
    ]);
    // Planned again, the changed deal moves.
    const replanned = planMigration(v1, v2, await loadAll(['m-3']));
    const last = await store.migrateDeals(replanned);
    expect(last.ok && last.results.map((each) => [each.id, each.result])).toEqual([
      ['m-2', 'failed'],
      ['m-3', 'migrated'],
      ['m-4', 'failed'],
    ]);
    expect(last.ok && last.results[0]).toMatchObject({ error: { code: 'deal_not_in_plan' } });
    expect(await store.apply('m-3', { type: 'setFields', fields: { carrier: 'after' }, at: MONDAY + 2 * HOUR, actor: manager })).toMatchObject({ ok: true, deal: { topicVersion: 2 } });
  });

  it('keeps old deadlines when asked, and still reads those deals back', async () => {
    const v3 = editTopic(v2, { id: 'boss', roles: ['director'] }, { op: 'updateStage', stageId: 'new', changes: { maxDuration: 'P5D' } });
    if (!v3.ok) throw new Error('edit');
    expect(await store.saveTopic(v3.topic)).toMatchObject({ ok: true, version: 3 });
    const deals = await loadAll(['m-0', 'm-1', 'm-3', 'm-5']);
    const plan = planMigration(v2, v3.topic, deals);
    const answer = await store.migrateDeals(plan, { deadlines: 'keep' });
    expect(answer).toMatchObject({ ok: true, migrated: 4, failed: 0, skipped: 0 });
    const stored = await db.query<{ deadlines: string }>("SELECT deadlines FROM crm_deals WHERE id = 'm-0'");
    expect(stored.rows[0]?.deadlines).toBe('ignore');
    const loaded = await store.load('m-0');
    expect(loaded).toMatchObject({ ok: true, deal: { topicVersion: 3, stageDueAt: deals[0]?.stageDueAt } });
    expect(await store.apply('m-0', { type: 'setFields', fields: { carrier: 'kept' }, at: MONDAY + 3 * HOUR, actor: manager })).toMatchObject({ ok: true, deal: { revision: 4 } });
  });

  it('refuses a plan that cannot be applied, and bad options', async () => {
    const conflicted = planMigration(v1, v1, []);
    expect(conflicted.ok).toBe(false);
    expect(await store.migrateDeals(conflicted)).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'plan' } });
    expect(await store.migrateDeals(null as never)).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'plan' } });
    const plan = planMigration(v1, v2, []);
    expect(await store.migrateDeals(plan, { batch: 0 })).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'batch' } });
    const bad = await store.migrateDeals(plan, { by: '' });
    expect(bad.ok && bad.results.every((each) => each.result !== 'migrated')).toBe(true);
  });
});

describe('schema versions on PGlite', () => {
  it('upgrades a database of version 1 to version 2, keeping its deals', async () => {
    const old = await PGlite.create();
    try {
      await old.exec(SCHEMA_VERSIONS[0]?.sql ?? '');
      await old.exec('CREATE TABLE crm_schema_versions (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now()); INSERT INTO crm_schema_versions (version) VALUES (1);');
      const upgraded = createStore(pgliteDriver(old));
      await upgraded.saveTopic(standardTopic);
      // A deal written by version 1 of the store (its columns only).
      const opened = openDeal(compileTopic(standardTopic), { id: 'legacy', clientId: 'c-legacy', ownerId: manager.id, at: MONDAY });
      if (!opened.ok) throw new Error(opened.error.message);
      const legacy = opened.deal;
      await old.query(
        'INSERT INTO crm_deals (id, topic_id, topic_version, client_id, status, stage_id, stage_due_at, due_at, idle_due_at, revision, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
        [legacy.id, legacy.topicId, legacy.topicVersion, legacy.clientId, legacy.status, legacy.stageId, legacy.stageDueAt, legacy.dueAt, legacy.idleDueAt, legacy.revision, JSON.stringify(legacy)],
      );
      expect(await upgraded.migrate()).toEqual({ ok: true, applied: [2] });
      expect(await upgraded.load('legacy')).toMatchObject({ ok: true, deal: { id: 'legacy' } });
      expect(await upgraded.migrate()).toEqual({ ok: true, applied: [] });
      expect(await upgraded.open('standard', { id: 'after-upgrade', clientId: 'c', ownerId: manager.id, at: MONDAY })).toMatchObject({ ok: true });
      expect(await upgraded.notifyOverdue(MONDAY + 10 * 24 * HOUR)).toMatchObject({ ok: true, scanned: 2, refused: [] });
    } finally {
      await old.close();
    }
  }, 60_000);
});
