/**
 * Deals in PostgreSQL with compare-and-set on `revision` and an outbox of effects.
 *
 * The tables are the ones docs/storing-deals.md describes: deals with their
 * deadlines in indexed columns next to the JSON body, `deal_entries`, the
 * log of each deal, and `deal_effects`, an outbox, the last two written in
 * the same transaction as the deal. Two requests load
 * the same deal; the first saves, the second finds the revision moved on
 * (`UPDATE … WHERE id = $1 AND revision = $2` changes no row), reloads,
 * applies its event again to the fresh deal and saves. A worker then
 * carries out the effects in order and marks them done. Deals read back
 * are checked with `parseDeal`, which refuses a row edited by hand, and the
 * log replays to the stored deal with `replayDeal`.
 * PostgreSQL is PGlite, in memory; the statements run unchanged on a server.
 *
 * Run it with `npm run example store-deals`.
 */
import { isDeepStrictEqual } from 'node:util';

import { PGlite, type Transaction } from '@electric-sql/pglite';

import {
  applyEvent,
  compileTopic,
  openDeal,
  parseDeal,
  replayDeal,
  standardTopic,
  type CrmUser,
  type CompiledSalesTopic,
  type Deal,
  type DealEvent,
  type DealLogEntry,
  type Effect,
} from 'crm-topics';

const HOUR = 3_600_000;
const MONDAY = Date.parse('2026-01-12T09:00:00Z');
const manager: CrmUser = { id: 'manager-1' };
const colleague: CrmUser = { id: 'manager-2' };

const compiled = compileTopic(standardTopic);
if (compiled.kind !== 'sales') throw new Error('the standard topic is a sales topic');
const topic: CompiledSalesTopic = compiled;

const SCHEMA = `
  CREATE TABLE deals (
    id            text PRIMARY KEY,
    topic_id      text NOT NULL,
    topic_version int NOT NULL,
    client_id     text NOT NULL,
    status        text NOT NULL CHECK (status IN ('open', 'finished', 'closed')),
    stage_id      text NOT NULL,
    stage_due_at  bigint,
    due_at        bigint,
    idle_due_at   bigint,
    revision      int NOT NULL,
    body          jsonb NOT NULL
  );
  CREATE INDEX deals_open_deadline ON deals (topic_id, LEAST(stage_due_at, due_at, idle_due_at))
    WHERE status = 'open';

  CREATE TABLE deal_entries (
    deal_id   text NOT NULL,
    revision  int NOT NULL,
    entry     jsonb NOT NULL,
    PRIMARY KEY (deal_id, revision)
  );

  CREATE TABLE deal_effects (
    deal_id   text NOT NULL,
    revision  int NOT NULL,
    seq       int NOT NULL,
    type      text NOT NULL,
    body      jsonb NOT NULL,
    done_at   bigint,
    PRIMARY KEY (deal_id, revision, seq)
  );
  CREATE INDEX deal_effects_pending ON deal_effects (deal_id, revision, seq) WHERE done_at IS NULL;
`;

const INSERT_DEAL = `
  INSERT INTO deals (id, topic_id, topic_version, client_id, status, stage_id, stage_due_at, due_at, idle_due_at, revision, body)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
`;

/** Compare-and-set: the row changes only if nobody saved a newer revision since we read it. */
const UPDATE_DEAL = `
  UPDATE deals
     SET topic_version = $3, status = $4, stage_id = $5, stage_due_at = $6, due_at = $7, idle_due_at = $8,
         revision = $9, body = $10
   WHERE id = $1 AND revision = $2
`;

const INSERT_ENTRY = 'INSERT INTO deal_entries (deal_id, revision, entry) VALUES ($1, $2, $3)';

const INSERT_EFFECT = 'INSERT INTO deal_effects (deal_id, revision, seq, type, body) VALUES ($1, $2, $3, $4, $5)';

class StaleDeal extends Error {}

const db = await PGlite.create();
try {
  await db.exec(SCHEMA);

  // Open a deal: one INSERT, and its effects (none in the first stage of the standard topic) in the same transaction.
  const opened = openDeal(topic, { id: 'deal-1', clientId: 'client-1', ownerId: manager.id, at: MONDAY, amount: 75_000 });
  if (!opened.ok) throw new Error(opened.error.message);
  await db.transaction(async (tx) => {
    const deal = opened.deal;
    await tx.query(INSERT_DEAL, [deal.id, deal.topicId, deal.topicVersion, deal.clientId, deal.status, deal.stageId, deal.stageDueAt, deal.dueAt, deal.idleDueAt, deal.revision, JSON.stringify(deal)]);
    await tx.query(INSERT_ENTRY, [deal.id, deal.revision, JSON.stringify(opened.entry)]);
    await outbox(tx, deal, opened.effects);
  });
  console.log(`Inserted ${opened.deal.id} at revision ${opened.deal.revision}`);

  // Two requests read the same row.
  const first = await load('deal-1');
  const second = await load('deal-1');
  console.log(`Request A and request B both read revision ${first.revision} (stage "${first.stageId}")`);

  const saved = await handle(first, { type: 'recordOutcome', outcomeId: 'qualified', at: MONDAY + HOUR, actor: manager });
  console.log(`A: "qualified" saved at revision ${saved.revision}, stage "${saved.stageId}"`);

  const refusal: DealEvent = { type: 'recordOutcome', outcomeId: 'refused', kindId: 'too-expensive', at: MONDAY + 2 * HOUR, actor: colleague };
  try {
    await handle(second, refusal);
  } catch (error) {
    if (!(error instanceof StaleDeal)) throw error;
    console.log(`B: ${error.message}`);
    const fresh = await load('deal-1');
    const retried = await handle(fresh, refusal);
    console.log(`B: applied again to revision ${fresh.revision} and saved at revision ${retried.revision}: ${retried.status}, ${retried.finish?.result}`);
  }

  // The outbox worker: pending effects in order, each marked done once it has been carried out.
  const pending = await db.query<{ deal_id: string; revision: number; seq: number; type: string; body: Effect }>(
    'SELECT deal_id, revision, seq, type, body FROM deal_effects WHERE done_at IS NULL ORDER BY deal_id, revision, seq',
  );
  console.log(`\nOutbox: ${pending.rows.length} pending effects`);
  for (const row of pending.rows) {
    await db.transaction(async (tx) => {
      console.log(`  ${row.deal_id} r${row.revision}#${row.seq} ${row.type}: ${carryOut(row.body)}`);
      await tx.query('UPDATE deal_effects SET done_at = $4 WHERE deal_id = $1 AND revision = $2 AND seq = $3', [row.deal_id, row.revision, row.seq, MONDAY + 3 * HOUR]);
    });
  }
  const left = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM deal_effects WHERE done_at IS NULL');
  console.log(`Pending after the worker: ${left.rows[0]?.n}`);

  const row = await db.query<{ status: string; stage_id: string; revision: number; entries: number }>(
    "SELECT status, stage_id, revision, (SELECT count(*)::int FROM deal_entries WHERE deal_id = id) AS entries FROM deals WHERE id = 'deal-1'",
  );
  console.log(`Row: ${JSON.stringify(row.rows[0])}`);

  // The log alone rebuilds the deal: replayed on the topic, it gives the stored row.
  const log = await db.query<{ entry: DealLogEntry }>("SELECT entry FROM deal_entries WHERE deal_id = 'deal-1' ORDER BY revision");
  const replayed = replayDeal(topic, log.rows.map(({ entry }) => entry));
  console.log(`Replayed ${log.rows.length} log entries: ${replayed.ok && isDeepStrictEqual(replayed.deal, await load('deal-1')) ? 'the stored deal' : 'a different deal'}`);

  // A row edited by hand no longer passes parseDeal, so it is refused on load instead of being worked on.
  await db.query(`UPDATE deals SET body = jsonb_set(body, '{stageDueAt}', to_jsonb(0)) WHERE id = 'deal-1'`);
  try {
    await load('deal-1');
  } catch (error) {
    console.log(`A hand-edited row: ${error instanceof Error ? error.message : String(error)}`);
  }
} finally {
  await db.close();
}

/** Reads a deal back from its JSON body, checked against its topic by parseDeal. */
async function load(id: string): Promise<Deal> {
  const result = await db.query<{ body: unknown }>('SELECT body FROM deals WHERE id = $1', [id]);
  const row = result.rows[0];
  if (row === undefined) throw new Error(`no deal ${id}`);
  const parsed = parseDeal(topic, row.body);
  if (!parsed.ok) throw new Error(`${parsed.error.code} at ${parsed.error.path}: ${parsed.error.message}`);
  return parsed.deal;
}

/** Applies an event and saves the new deal with its log entry and effects in one transaction; throws StaleDeal when another request saved first. */
async function handle(deal: Deal, event: DealEvent): Promise<Deal> {
  const result = applyEvent(topic, deal, event);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  const next = result.deal;
  await db.transaction(async (tx) => {
    const update = await tx.query(UPDATE_DEAL, [
      next.id, deal.revision, next.topicVersion, next.status, next.stageId, next.stageDueAt, next.dueAt, next.idleDueAt, next.revision, JSON.stringify(next),
    ]);
    if (update.affectedRows !== 1) throw new StaleDeal(`deal ${deal.id} is no longer at revision ${deal.revision}: the update changed no row`);
    await tx.query(INSERT_ENTRY, [next.id, next.revision, JSON.stringify(result.entry)]);
    await outbox(tx, next, result.effects);
  });
  return next;
}

/** Writes the effects of the revision that produced them; (deal, revision, position) identifies each one. */
async function outbox(tx: Transaction, deal: Deal, effects: readonly Effect[]): Promise<void> {
  for (const [seq, effect] of effects.entries()) await tx.query(INSERT_EFFECT, [deal.id, deal.revision, seq, effect.type, JSON.stringify(effect)]);
}

function carryOut(effect: Effect): string {
  switch (effect.type) {
    case 'suggestDocuments':
      return `offer ${effect.documents.map((document) => document.template).join(', ')}`;
    case 'cancelPlannedActivities':
      return `cancel ${effect.activityIds.join(', ')}`;
    case 'cancelUnpaidInvoices':
      return `cancel the unpaid invoices of ${effect.clientId}`;
    case 'dealClosed':
      return `notify the owner: closed ${effect.result}`;
    case 'removePlannedActivities':
      return `remove ${effect.activityIds.join(', ')}`;
    case 'createSharedAssignment':
      return `share ${effect.clientId}`;
    case 'requestApproval':
      return `ask for approval of ${new Date(effect.dueAt).toISOString()}`;
  }
}
