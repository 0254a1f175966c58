/*
 * The store against PostgreSQL's own yardstick, on one throwaway server
 * (scripts/pg-cluster.ts): first `pgbench -N` (the simple-update
 * transaction: BEGIN; UPDATE accounts; SELECT; INSERT history; END) with 8
 * clients, then `store.apply` with 8 concurrent clients (a pg Pool of 8)
 * for the same number of seconds, and the two rates.
 *
 * Each apply is one read (the deal, its topic version and the event id
 * check) and one write statement (compare-and-set on the revision, the log
 * entry and the effects, in one CTE), plus `applyEvent` in this process.
 * The events are always accepted: on a qualified deal in "acquaintance",
 * `setFields` alternating with the cyclic outcome "no-answer" (as
 * bench/run.ts `cyclicEvents` does). Each client works on its own deals,
 * so no apply loses a race on the revision: this measures the store's
 * cost per event, not its behaviour under contention (the server suite,
 * test/store/server.test.ts, covers that). pgbench and this process share
 * the machine's CPUs, so the ratio is what matters, not the absolute rates.
 *
 * Run it alone: npx tsx -e "import('./bench/store.ts').then(m => m.storeBench(true)).then(console.log)"
 */
import pg from 'pg';
import { startCluster } from '../scripts/pg-cluster.js';
import { standardTopic, type CrmUser, type DealEvent } from '../src/index.js';
import { createStore, pgDriver } from '../src/postgres/index.js';

const CLIENTS = 8;
const DEALS_PER_CLIENT = 100;
const START = Date.parse('2026-01-12T09:00:00Z');
const SECOND = 1000;
const actor: CrmUser = { id: 'manager' };

export interface StoreBenchResult {
  /** Accepted `store.apply` calls per second, all clients together. */
  readonly applyPerSecond: number;
  /** pgbench -N transactions per second (the "tps = …" line, without initial connection time). */
  readonly pgbenchPerSecond: number;
  readonly clients: number;
  readonly seconds: number;
}

/** The k-th event after qualification: setFields on even k, the cyclic outcome on odd k; always accepted. */
function cyclicEvent(k: number): DealEvent {
  const at = START + (k + 2) * SECOND;
  return k % 2 === 0 ? { type: 'setFields', fields: { carrier: `carrier-${k % 7}` }, at, actor } : { type: 'recordOutcome', outcomeId: 'no-answer', at, actor };
}

/** Runs pgbench -N, then store.apply, each with 8 clients for `seconds` (5 when quick, else 30), on one fresh server. */
export async function storeBench(quick: boolean): Promise<StoreBenchResult> {
  const seconds = quick ? 5 : 30;
  const cluster = await startCluster({ settings: { max_connections: '50' } });
  let pool: pg.Pool | undefined;
  try {
    const connection = ['-h', cluster.host, '-p', String(cluster.port), '-U', cluster.user];
    cluster.run('pgbench', [...connection, '-i', '-q', cluster.database]);
    const out = cluster.run('pgbench', [...connection, '-N', '-c', String(CLIENTS), '-j', '2', '-T', String(seconds), cluster.database]);
    // pgbench 15 prints "tps = 1234.5 (without initial connection time)"; older ones print two tps lines, the "excluding" one last.
    const tps = [...out.matchAll(/^tps = ([\d.]+)/gm)].map((match) => Number(match[1]));
    const pgbenchPerSecond = tps[tps.length - 1];
    if (pgbenchPerSecond === undefined || !Number.isFinite(pgbenchPerSecond)) throw new Error(`no "tps = …" in the output of pgbench:\n${out}`);

    pool = new pg.Pool({ connectionString: cluster.connectionString, max: CLIENTS, application_name: 'crm-store-bench' });
    pool.on('error', () => undefined);
    const store = createStore(pgDriver(pool));
    const must = <T extends { ok: boolean }>(answer: T, what: string): T => {
      if (!answer.ok) throw new Error(`${what}: ${JSON.stringify((answer as { error?: unknown }).error)}`);
      return answer;
    };
    must(await store.migrate(), 'migrate');
    must(await store.saveTopic(standardTopic), 'saveTopic');
    // Each client's own deals, opened and qualified (into "acquaintance") before the clock starts.
    const deals = Array.from({ length: CLIENTS }, (_, client) => Array.from({ length: DEALS_PER_CLIENT }, (_, index) => `bench-${client}-${index}`));
    await Promise.all(
      deals.map(async (mine) => {
        for (const id of mine) {
          must(await store.open('standard', { id, clientId: `client-${id}`, ownerId: actor.id, at: START, amount: 1000 }), `open ${id}`);
          must(await store.apply(id, { type: 'recordOutcome', outcomeId: 'qualified', at: START + SECOND, actor }), `qualify ${id}`);
        }
      }),
    );
    // The next event number of each deal; every client also runs a short warm-up first (prepared statements, compiled topic).
    const next = new Map(deals.flat().map((id) => [id, 0]));
    const drive = async (mine: readonly string[], until: number): Promise<number> => {
      let applied = 0;
      for (let turn = 0; performance.now() < until; turn += 1) {
        const id = mine[turn % mine.length] as string;
        const k = next.get(id) ?? 0;
        must(await store.apply(id, cyclicEvent(k)), `apply ${id} #${k}`);
        next.set(id, k + 1);
        applied += 1;
      }
      return applied;
    };
    await Promise.all(deals.map((mine) => drive(mine, performance.now() + 500)));
    const started = performance.now();
    const counts = await Promise.all(deals.map((mine) => drive(mine, started + seconds * 1000)));
    const elapsed = (performance.now() - started) / 1000;
    const applyPerSecond = counts.reduce((sum, count) => sum + count, 0) / elapsed;
    return { applyPerSecond, pgbenchPerSecond, clients: CLIENTS, seconds };
  } finally {
    await pool?.end().catch(() => undefined);
    cluster.stop();
  }
}
