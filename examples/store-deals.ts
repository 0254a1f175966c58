/**
 * Deals stored with crm-topics/postgres: the log, idempotent events, the effects outbox and the overdue scan.
 *
 * PGlite (PostgreSQL in WebAssembly, in memory) stands in for a server; with
 * `pgDriver(new pg.Pool(…))` the same calls run on PostgreSQL. Run it with
 * `npm run example store-deals`. docs/storing-deals.md explains the tables.
 */
import { PGlite } from '@electric-sql/pglite';
import { standardTopic, type CrmUser } from '../src/index.js';
import { createStore, pgliteDriver } from '../src/postgres/index.js';

const [HOUR, MONDAY] = [3_600_000, Date.parse('2026-01-12T09:00:00Z')];
const manager: CrmUser = { id: 'manager-1' };
// Every store call answers { ok: true, … } or { ok: false, error } and never throws: stop the script on an error.
const ok = <T extends { ok: boolean }>(answer: T) => {
  if (!answer.ok) throw new Error(JSON.stringify((answer as { error?: unknown }).error));
  return answer as Extract<T, { ok: true }>;
};

const db = new PGlite();
const store = createStore(pgliteDriver(db));
console.log(`Schema versions applied: ${ok(await store.migrate()).applied.join(', ')}`);
const topic = ok(await store.saveTopic(standardTopic));
console.log(`Saved topic "${topic.id}" v${topic.version}`);
for (const id of ['deal-1', 'deal-2']) ok(await store.open('standard', { id, clientId: `client-${id}`, ownerId: manager.id, at: MONDAY }));

// A request retried with the same event id is stored once: the second answer says duplicate.
const qualified = { type: 'recordOutcome', outcomeId: 'qualified', at: MONDAY + HOUR, actor: manager } as const;
for (const attempt of [1, 2]) {
  const { deal, duplicate } = ok(await store.apply('deal-1', qualified, { eventId: 'call-1' }));
  console.log(`Attempt ${attempt} of event call-1: revision ${deal.revision}, stage "${deal.stageId}", duplicate ${duplicate}`);
}
const refused = ok(await store.apply('deal-1', { type: 'recordOutcome', outcomeId: 'refused', kindId: 'too-expensive', at: MONDAY + 2 * HOUR, actor: manager }));
console.log(`Refused: ${refused.deal.status}, ${refused.deal.finish?.result}, revision ${refused.deal.revision}`);

// The outbox: a worker claims the pending effects (with a lease), carries them out, then completes them.
const { effects } = ok(await store.claimEffects({ worker: 'worker-1', max: 10, leaseMs: 30_000 }));
console.log(`Claimed: ${effects.map((claimed) => `${claimed.dealId} r${claimed.revision}#${claimed.seq} ${claimed.effect.type}`).join(', ')}`);
console.log(`Completed: ${ok(await store.completeEffects(effects.map((claimed) => claimed.id))).completed}; claimed again: ${ok(await store.claimEffects({ worker: 'worker-2' })).effects.length}`);
console.log(`History of deal-1: ${ok(await store.history('deal-1')).entries.map((entry) => `r${entry.revision} ${entry.type}`).join(', ')}`);

// The overdue scan on Friday: deal-2 never left "new" (one day), deal-1 is closed.
for (const { deal, limits } of ok(await store.findOverdue('standard', Date.parse('2026-01-16T02:00:00Z'), { limit: 100 })).deals)
  console.log(`Overdue: ${deal.id} in "${deal.stageId}", ${limits.map((limit) => `${limit.kind} limit ${new Date(limit.dueAt).toISOString()}`).join(', ')}`);
await db.close();
