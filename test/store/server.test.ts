/*
 * crm-topics/postgres on a real PostgreSQL server (the throwaway cluster of
 * test/store/global-setup.ts): concurrent load with workers draining the
 * outbox, faults (killed connections, a dead worker, a restart) and query
 * plans at 200,000 deals. Skipped with a message when PostgreSQL is not
 * installed; with CI set, global setup fails instead.
 * CRM_STORE_LOAD_EVENTS and CRM_STORE_LOAD_DEALS size the load test (20,000 over 500 by default).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyEvent, compileTopic, openDeal, overdueNotices, standardTopic, type CrmUser, type Deal, type DealEvent, type SalesTopic } from '../../src/index.js';
import { createStore, pgDriver, STATEMENTS, type DealOverdueEffect, type Store } from '../../src/postgres/index.js';

const server = inject('pg');
const real = 'connectionString' in server ? server : undefined;
const EVENTS = Number(process.env.CRM_STORE_LOAD_EVENTS ?? 20_000);
const DEALS = Number(process.env.CRM_STORE_LOAD_DEALS ?? 500);
const CLIENTS = 8;
const WORKERS = 3;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.parse('2026-01-12T09:00:00Z');
const manager: CrmUser = { id: 'manager-1' };
const director: CrmUser = { id: 'boss', roles: ['director'] };
const topic = compileTopic(standardTopic);

let pools: pg.Pool[] = [];
const pool = (max = 2): pg.Pool => {
  const made = new pg.Pool({ connectionString: real?.connectionString, max, application_name: 'crm-store-test' });
  made.on('error', () => undefined); // a terminated idle connection: the pool drops it
  pools.push(made);
  return made;
};
let admin: pg.Pool;
let store: Store;

/** Runs pg_ctl on the cluster as its owner (root runs it through runuser). */
function pgCtl(...args: string[]): void {
  if (real === undefined) return;
  const program = join(real.bindir, 'pg_ctl');
  const asRoot = process.getuid?.() === 0;
  const owner = spawnSync('id', ['-u', 'postgres']).status === 0 ? 'postgres' : 'nobody';
  const result = asRoot ? spawnSync('runuser', ['-u', owner, '--', program, '-D', real.dataDir, ...args], { encoding: 'utf8' }) : spawnSync(program, ['-D', real.dataDir, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`pg_ctl ${args.join(' ')}: ${result.stderr}`);
}

if (real === undefined) console.warn(`store suite on a real server skipped: ${'missing' in server ? server.missing : ''}`);

describe.skipIf(real === undefined)('the store on a real PostgreSQL server', () => {
  beforeAll(async () => {
    admin = pool(2);
    store = createStore(pgDriver(pool(4)));
    // Two migrators at once: each version is applied by exactly one of them, the other finds it done.
    const both = await Promise.all([store.migrate(), createStore(pgDriver(pool(1))).migrate()]);
    expect(both.flatMap((answer) => (answer.ok ? answer.applied : [-1])).sort()).toEqual([1, 2]);
    expect(await store.saveTopic(standardTopic)).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    await Promise.all(pools.map((each) => each.end().catch(() => undefined)));
    pools = [];
  });

  it(`loses no update: ${CLIENTS} clients, ${EVENTS} events over ${DEALS} deals, ${WORKERS} workers on the outbox`, async () => {
    const ids = Array.from({ length: DEALS }, (_, index) => `load-${index}`);
    for (const id of ids) expect((await store.open('standard', { id, clientId: `client-${id}`, ownerId: manager.id, at: START })).ok).toBe(true);
    const accepted = new Map<string, { revision: number; event: DealEvent }[]>(ids.map((id) => [id, []]));
    let clock = START;
    let sent = 0;
    let effectsWritten = 0;
    const client = async (index: number) => {
      const mine = createStore(pgDriver(pool(1)));
      while (sent < EVENTS) {
        sent += 1;
        const id = ids[Math.floor(Math.random() * ids.length)] as string;
        clock += 1;
        const at = clock;
        const roll = Math.random();
        const event: DealEvent =
          roll < 0.4
            ? { type: 'requestDeadlineChange', dueAt: at + 60 * DAY, at, actor: manager }
            : roll < 0.7
              ? { type: 'rejectDeadlineChange', at, actor: director }
              : { type: 'setFields', fields: { carrier: `c${index}-${at}` }, at, actor: manager };
        const answer = await mine.apply(id, event);
        if (answer.ok) {
          accepted.get(id)?.push({ revision: answer.deal.revision, event });
          effectsWritten += answer.effects.length;
        } else expect(['no_pending_deadline_change', 'event_out_of_order', 'deadline_change_pending']).toContain(answer.error.code);
      }
    };
    const claims = new Map<string, string[]>();
    let draining = true;
    const worker = async (name: string) => {
      const mine = createStore(pgDriver(pool(1)));
      for (;;) {
        const claimed = await mine.claimEffects({ worker: name, max: 20, leaseMs: 60_000 });
        if (!claimed.ok) throw new Error(claimed.error.message);
        for (const effect of claimed.effects) claims.set(effect.id, [...(claims.get(effect.id) ?? []), name]);
        if (claimed.effects.length > 0) expect(await mine.completeEffects(claimed.effects.map((effect) => effect.id))).toEqual({ ok: true, completed: claimed.effects.length });
        else if (!draining) return;
        else await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const started = performance.now();
    const workers = Array.from({ length: WORKERS }, (_, index) => worker(`w${index}`));
    await Promise.all(Array.from({ length: CLIENTS }, (_, index) => client(index)));
    draining = false;
    await Promise.all(workers);
    console.log(`load: ${EVENTS} events over ${DEALS} deals by ${CLIENTS} clients with ${WORKERS} workers in ${Math.round(performance.now() - started)} ms`);

    const rows = await admin.query<{ id: string; revision: number; entries: number; effects: number; pending: number }>(`
      SELECT d.id, d.revision,
             (SELECT count(*)::int FROM crm_deal_entries e WHERE e.deal_id = d.id) AS entries,
             (SELECT count(*)::int FROM crm_effects f WHERE f.deal_id = d.id) AS effects,
             (SELECT count(*)::int FROM crm_effects f WHERE f.deal_id = d.id AND f.done_at IS NULL) AS pending
        FROM crm_deals d WHERE d.id LIKE 'load-%'`);
    let effects = 0;
    for (const row of rows.rows) {
      const events = accepted.get(row.id) ?? [];
      expect(row.revision).toBe(1 + events.length);
      expect(row.entries).toBe(row.revision);
      expect(row.pending).toBe(0);
      effects += row.effects;
    }
    expect(effects).toBe(effectsWritten);
    // Each effect claimed by exactly one worker (leases never ran out here), and done.
    expect(claims.size).toBe(effects);
    expect([...claims.values()].every((names) => names.length === 1)).toBe(true);
    const attempts = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM crm_effects WHERE deal_id LIKE 'load-%' AND attempts <> 1");
    expect(attempts.rows[0]?.n).toBe(0);
    // The stored deals equal a sequential replay of the accepted events in revision order.
    for (const id of ids) {
      const opened = openDeal(topic, { id, clientId: `client-${id}`, ownerId: manager.id, at: START });
      if (!opened.ok) throw new Error(opened.error.message);
      let deal: Deal = opened.deal;
      for (const { event } of (accepted.get(id) ?? []).sort((a, b) => a.revision - b.revision)) {
        const next = applyEvent(topic, deal, event);
        if (!next.ok) throw new Error(`${id}: ${next.error.code}`);
        deal = next.deal;
      }
      const stored = await store.load(id);
      expect(stored.ok && stored.deal).toEqual(deal);
    }
  });

  it('converges when connections are killed mid-transaction: retried event ids apply once', async () => {
    const ids = ['kill-0', 'kill-1', 'kill-2', 'kill-3'];
    for (const id of ids) await store.open('standard', { id, clientId: `client-${id}`, ownerId: manager.id, at: START });
    let killing = true;
    let killed = 0;
    const killer = (async () => {
      while (killing) {
        const result = await admin.query<{ n: number }>("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'crm-store-kill' AND state <> 'idle'");
        killed += result.rows[0]?.n ?? 0;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const flaky = createStore(pgDriver(new pg.Pool({ connectionString: real?.connectionString, max: 4, application_name: 'crm-store-kill' }).on('error', () => undefined)));
    let failures = 0;
    const per = 40;
    await Promise.all(
      ids.map(async (id) => {
        for (let index = 0; index < per; index += 1) {
          const event: DealEvent = { type: 'setFields', fields: { carrier: `${id}-${index}` }, at: START + 1 + index, actor: manager };
          for (let attempt = 0; ; attempt += 1) {
            const answer = await flaky.apply(id, event, { eventId: `${id}#${index}` });
            if (answer.ok) break;
            expect(answer.error.code).toBe('database_error');
            expect(answer.error.params.statement).toMatch(/^(load_deal|apply_event|load_entry|load_effects|load_topic)$/);
            failures += 1;
            if (attempt > 200) throw new Error('no convergence');
          }
        }
      }),
    );
    killing = false;
    await killer;
    console.log(`kill: ${killed} backends terminated, ${failures} calls answered database_error and were retried`);
    for (const id of ids) {
      const row = await admin.query<{ revision: number; entries: number; carrier: string }>(
        "SELECT revision, (SELECT count(*)::int FROM crm_deal_entries WHERE deal_id = $1) AS entries, state->'fields'->>'carrier' AS carrier FROM crm_deals WHERE id = $1",
        [id],
      );
      expect(row.rows[0]).toEqual({ revision: 1 + per, entries: 1 + per, carrier: `${id}-${per - 1}` });
    }
  });

  it('hands the effects of a worker that died after claiming to another once the lease runs out', async () => {
    await admin.query('UPDATE crm_effects SET done_at = now() WHERE done_at IS NULL');
    await store.open('standard', { id: 'dead-worker', clientId: 'c-dead', ownerId: manager.id, at: START });
    await store.apply('dead-worker', { type: 'requestDeadlineChange', dueAt: START + 60 * DAY, at: START + 1, actor: manager });
    const first = await store.claimEffects({ worker: 'dies', max: 5, leaseMs: 300 });
    expect(first.ok && first.effects.length).toBe(1);
    expect(await store.claimEffects({ worker: 'other', max: 5, leaseMs: 300 })).toEqual({ ok: true, effects: [] });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const second = await store.claimEffects({ worker: 'other', max: 5, leaseMs: 30_000 });
    expect(second.ok && second.effects.map((effect) => [effect.id, effect.attempts])).toEqual(first.ok && first.effects.map((effect) => [effect.id, 2]));
    const ids = second.ok ? second.effects.map((effect) => effect.id) : [];
    expect(await store.completeEffects(ids)).toEqual({ ok: true, completed: 1 });
    expect(await store.completeEffects(ids)).toEqual({ ok: true, completed: 0 });
  });

  it('keeps working across a server restart between calls', async () => {
    await store.open('standard', { id: 'restart', clientId: 'c-restart', ownerId: manager.id, at: START });
    // With -l the new postmaster writes to the cluster's log, not to this process's pipes, which spawnSync would wait on forever.
    pgCtl('-m', 'fast', '-w', '-l', join(real?.dataDir ?? '', '..', 'server.log'), 'restart', '-o', `-c listen_addresses=127.0.0.1 -c port=${new URL(real?.connectionString ?? '').port} -c unix_socket_directories=${join(real?.dataDir ?? '', '..')} -c fsync=off`);
    const event: DealEvent = { type: 'setFields', fields: { carrier: 'after-restart' }, at: START + 1, actor: manager };
    let answer = await store.apply('restart', event, { eventId: 'r-1' });
    for (let attempt = 0; !answer.ok && attempt < 20; attempt += 1) {
      expect(answer.error.code).toBe('database_error');
      answer = await store.apply('restart', event, { eventId: 'r-1' });
    }
    expect(answer).toMatchObject({ ok: true, deal: { revision: 2 } });
    expect(await store.load('restart')).toMatchObject({ ok: true, deal: { revision: 2, fields: { carrier: 'after-restart' } } });
  });

  it('writes each overdue notice exactly once with three scanners at once, and a moved deadline once more', async () => {
    const notifyTopic: SalesTopic = { ...standardTopic, id: 'notify' };
    const compiled = compileTopic(notifyTopic);
    expect(await store.saveTopic(notifyTopic)).toMatchObject({ ok: true });
    const ids = Array.from({ length: 400 }, (_, index) => `notify-${String(index).padStart(3, '0')}`);
    await Promise.all(
      Array.from({ length: 4 }, async (_, lane) => {
        for (const id of ids.filter((__, index) => index % 4 === lane)) expect((await store.open('notify', { id, clientId: `c-${id}`, ownerId: manager.id, at: START })).ok).toBe(true);
      }),
    );
    const scanners = Array.from({ length: 3 }, () => createStore(pgDriver(pool(2))));
    const notices = async () =>
      (await admin.query<{ deal_id: string; effect: DealOverdueEffect }>("SELECT deal_id, effect FROM crm_effects WHERE notice_kind IS NOT NULL AND deal_id LIKE 'notify-%'")).rows;
    const scan = async (now: number) => {
      const answers = await Promise.all(scanners.map((scanner, index) => scanner.notifyOverdue(now, { topicId: 'notify', limit: 10 + index * 7 })));
      for (const answer of answers) expect(answer).toMatchObject({ ok: true, refused: [] });
      console.log(`notify at ${new Date(now).toISOString()}: written per scanner ${answers.map((answer) => (answer.ok ? answer.written : 'failed')).join(', ')}`);
      return answers.reduce((sum, answer) => sum + (answer.ok ? answer.written : 0), 0);
    };
    const keysOf = (rows: { deal_id: string; effect: DealOverdueEffect }[]) => rows.map((row) => `${row.deal_id}/${row.effect.kind}/${row.effect.dueAt}`);

    const now = START + 10 * DAY;
    const expected = new Set<string>();
    for (const id of ids) {
      const loaded = await store.load(id);
      if (!loaded.ok) throw new Error(loaded.error.message);
      const owed = overdueNotices(compiled, loaded.deal, now, null);
      for (const notice of owed.ok ? owed.notices : []) expected.add(`${id}/${notice.kind}/${notice.dueAt}`);
    }
    expect(expected.size).toBeGreaterThanOrEqual(ids.length);
    const first = await scan(now);
    expect(first).toBe(expected.size);
    let rows = await notices();
    expect(keysOf(rows).sort()).toEqual([...expected].sort());
    // Again, and again with the markers lost: the unique constraint still holds each notice to one row.
    expect(await scan(now + DAY)).toBe(0);
    await admin.query("UPDATE crm_deals SET notice_marker = NULL WHERE topic_id = 'notify'");
    expect(await scan(now + DAY)).toBe(0);
    expect(await notices()).toHaveLength(expected.size);

    // Half of the deals move on (a new stage deadline), while the scanners run: each new deadline is notified once.
    const moved = ids.filter((_, index) => index % 2 === 0);
    const movers = Promise.all(
      Array.from({ length: 4 }, async (_, lane) => {
        for (const id of moved.filter((__, index) => index % 4 === lane)) {
          expect(await store.apply(id, { type: 'recordOutcome', outcomeId: 'qualified', at: now + HOUR, actor: manager })).toMatchObject({ ok: true });
        }
      }),
    );
    const during = scan(now + 2 * HOUR);
    await movers;
    const later = now + 40 * DAY;
    const written = (await during) + (await scan(later)) + (await scan(later));
    rows = await notices();
    const keys = keysOf(rows);
    expect(new Set(keys).size).toBe(keys.length);
    expect(rows.length).toBe(expected.size + written);
    for (const id of moved) {
      const loaded = await store.load(id);
      const stageDueAt = loaded.ok ? loaded.deal.stageDueAt : null;
      expect(stageDueAt).not.toBeNull();
      expect(keys.filter((key) => key === `${id}/stage/${stageDueAt}`)).toHaveLength(1);
    }
    // Nothing more is owed once every scanner has been round.
    expect(await scan(later + 1)).toBe(0);
  });

  it('plans the overdue scan and the outbox claim on their indexes with 200,000 deals', async () => {
    await admin.query(`
      INSERT INTO crm_deals (id, topic_id, topic_version, client_id, status, stage_id, stage_due_at, due_at, idle_due_at, revision, state)
      SELECT 'bulk-' || i, CASE WHEN i % 10 = 0 THEN 'standard' ELSE 'other-' || (i % 10) END, 1, 'bc-' || i,
             CASE WHEN i % 3 = 0 THEN 'closed' ELSE 'open' END, 'new', ${START} + i * 1000, NULL, NULL, 1, '{}'::jsonb
        FROM generate_series(1, 200000) AS i`);
    await admin.query(`INSERT INTO crm_effects (deal_id, revision, seq, effect, done_at) SELECT 'bulk-' || i, 1, 0, '{}'::jsonb, CASE WHEN i % 1000 = 0 THEN NULL ELSE now() END FROM generate_series(1, 200000) AS i`);
    await admin.query('ANALYZE crm_deals');
    await admin.query('ANALYZE crm_effects');
    const plan = async (text: string, params: unknown[]) => {
      const client = await admin.connect();
      try {
        await client.query('BEGIN');
        const rows = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, params);
        return rows.rows.map((row) => row['QUERY PLAN']).join('\n');
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    };
    const overdue = await plan(STATEMENTS.OVERDUE_PAGE, ['standard', START + 10_000_000, Number.MIN_SAFE_INTEGER, '', 100]);
    const claim = await plan(STATEMENTS.CLAIM_EFFECTS, ['w', 20, 30_000]);
    const migration = await plan(STATEMENTS.MIGRATION_PAGE, ['standard', 1, 'bulk-5', 100]);
    expect(migration).toContain('crm_deals_version');
    expect(migration).not.toMatch(/Seq Scan on crm_deals/);
    console.log(`EXPLAIN overdue page:\n${overdue}\nEXPLAIN claim:\n${claim}`);
    expect(overdue).toContain('crm_deals_overdue');
    expect(overdue).not.toMatch(/Seq Scan on crm_deals/);
    expect(claim).toContain('crm_effects_pending');
    expect(claim).not.toMatch(/Seq Scan on crm_effects/);
  });
});
