/**
 * The overdue scan in a real PostgreSQL (PGlite, in memory): the deadlines
 * stored on each deal go into their own columns, one partial expression index
 * covers the open deals, and ONE query finds the overdue ones. The query must
 * return exactly the deals `findOverdue` finds, with the same limits.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOverdue, nextDeadline, standardTopic, type Deal, type DealLogEntry, type DealLogEntryType } from '../../src/index.js';
import { DAY, HOUR, standard, standardWith } from '../support.js';
import { population } from './population.js';

/** The log of a deal; every deal of the population has one. */
function logOf(deal: Deal): readonly DealLogEntry[] {
  const log = logs.get(deal);
  if (log === undefined) throw new Error(`no log for ${deal.id}`);
  return log;
}

const logged = (deal: Deal, type: DealLogEntryType): boolean => logOf(deal).some((entry) => entry.type === type);

/** Plain PostgreSQL: the same statements run unchanged on a server. */
const SCHEMA = `
  CREATE TABLE deals (
    id            text PRIMARY KEY,
    topic_id      text NOT NULL,
    topic_version int NOT NULL,
    status        text NOT NULL CHECK (status IN ('open', 'finished', 'closed')),
    stage_id      text NOT NULL,
    stage_due_at  bigint,
    due_at        bigint,
    idle_due_at   bigint,
    revision      int NOT NULL,
    body          jsonb NOT NULL
  );
  -- LEAST skips NULLs: the earliest deadline of a deal. Only open deals can be overdue.
  CREATE INDEX deals_open_deadline ON deals (topic_id, LEAST(stage_due_at, due_at, idle_due_at))
    WHERE status = 'open';
`;

/** Inserts a batch of deals passed as one JSON array; the columns are taken from each deal's own JSON. */
const INSERT = `
  INSERT INTO deals (id, topic_id, topic_version, status, stage_id, stage_due_at, due_at, idle_due_at, revision, body)
  SELECT d->>'id', d->>'topicId', (d->>'topicVersion')::int, d->>'status', d->>'stageId',
         (d->>'stageDueAt')::bigint, (d->>'dueAt')::bigint, (d->>'idleDueAt')::bigint, (d->>'revision')::int, d
    FROM jsonb_array_elements($1::jsonb) AS d
`;

/** The overdue scan: $1 = topic id, $2 = now (epoch ms). A deadline exactly equal to now is not passed. */
const OVERDUE = `
  SELECT id,
         array_remove(ARRAY[
           CASE WHEN stage_due_at < $2 THEN 'stage' END,
           CASE WHEN due_at       < $2 THEN 'deal'  END,
           CASE WHEN idle_due_at  < $2 THEN 'idle'  END
         ], NULL) AS kinds
    FROM deals
   WHERE status = 'open'
     AND topic_id = $1
     AND LEAST(stage_due_at, due_at, idle_due_at) < $2
   ORDER BY id
`;

const COUNT = 12_000;
/** Monday 2 March 2026, 09:00 UTC; deals open over the next 60 days. */
const START = Date.parse('2026-03-02T09:00:00Z');

const moscow = standardWith({
  id: 'standard-msk',
  calendar: { timeZone: 'Europe/Moscow', workDays: [1, 2, 3, 4, 5], workHours: { start: '09:00', end: '18:00' }, holidays: ['2026-03-09', '2026-05-01', '2026-05-11'], workingDays: [] },
  parameters: { ...standardTopic.parameters, closeOn: { on: 'business-event', events: ['goods-shipped'] } },
});
const topics = [standard(), moscow];

let db: PGlite;
let deals: Deal[];
/** Each deal's log, kept beside it as a host keeps it. */
let logs: Map<Deal, readonly DealLogEntry[]>;

type Row = { id: string; kinds: string[] };

async function sqlOverdue(topicId: string, now: number): Promise<Row[]> {
  return (await db.query<Row>(OVERDUE, [topicId, now])).rows;
}

function libraryOverdue(topicId: string, now: number): Row[] {
  const topic = topics.find((candidate) => candidate.id === topicId);
  if (topic === undefined) throw new Error(topicId);
  return findOverdue(topic, deals, now)
    .map(({ deal, limits }) => ({ id: deal.id, kinds: limits.map((limit) => limit.kind) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

beforeAll(async () => {
  const made = population({ topics, count: COUNT, seed: 20260302, start: START, spread: 60 * DAY });
  deals = made.map(({ deal }) => deal);
  logs = new Map(made.map(({ deal, entries }) => [deal, entries]));
  db = await PGlite.create();
  await db.exec(SCHEMA);
  for (let from = 0; from < deals.length; from += 2000) {
    await db.query(INSERT, [JSON.stringify(deals.slice(from, from + 2000))]);
  }
  await db.exec('ANALYZE deals');
}, 60_000);

afterAll(async () => {
  await db?.close();
});

describe('the overdue scan in PostgreSQL agrees with findOverdue', () => {
  it('stores a varied population made with the real API', async () => {
    const counts = (await db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM deals GROUP BY status ORDER BY status')).rows;
    expect(counts.reduce((sum, row) => sum + row.n, 0)).toBe(COUNT);
    const byStatus = Object.fromEntries(counts.map((row) => [row.status, row.n]));
    expect(byStatus.open).toBeGreaterThan(1000);
    expect(byStatus.finished).toBeGreaterThan(10);
    expect(byStatus.closed).toBeGreaterThan(1000);
    const stages = new Set(deals.filter((deal) => deal.status === 'open').map((deal) => deal.stageId));
    expect(stages.size).toBe(5);
    // Each deal's log is complete: one entry per revision, ending where the deal is.
    expect(logs.size).toBe(COUNT);
    for (const deal of deals) {
      const log = logOf(deal);
      expect(log.map((entry) => entry.revision), deal.id).toEqual(Array.from({ length: deal.revision }, (_, i) => i + 1));
      expect(log.at(-1), deal.id).toMatchObject({ dealId: deal.id, to: deal.stageId, status: deal.status, at: deal.lastEventAt });
    }
    expect(deals.filter((deal) => logged(deal, 'approveDeadlineChange')).length).toBeGreaterThan(100);
    expect(deals.filter((deal) => deal.status === 'open' && logged(deal, 'moveToStage')).length).toBeGreaterThan(0);
  });

  it('S6, S24: the same ids and limits at several moments, for each topic', async () => {
    for (const topic of topics) {
      for (const now of [START - DAY, START + 3 * DAY, START + 20 * DAY + 7 * HOUR, START + 45 * DAY, START + 90 * DAY, START + 400 * DAY]) {
        const expected = libraryOverdue(topic.id, now);
        expect(await sqlOverdue(topic.id, now), `${topic.id} at ${new Date(now).toISOString()}`).toEqual(expected);
      }
    }
    // Neither side is trivially empty or full in the middle of the window.
    const middle = libraryOverdue('standard', START + 20 * DAY + 7 * HOUR).length;
    expect(middle).toBeGreaterThan(100);
    expect(middle).toBeLessThan(deals.filter((deal) => deal.status === 'open' && deal.topicId === 'standard').length);
  });

  it('S6: exactly at a deal\'s earliest deadline it is not overdue in either, one millisecond later it is in both', async () => {
    const deal = deals.find((candidate) => candidate.topicId === 'standard' && nextDeadline(candidate)?.kind === 'stage' && candidate.stageDueAt !== candidate.dueAt && candidate.stageDueAt !== candidate.idleDueAt);
    if (deal === undefined) throw new Error('no deal with a stage deadline first');
    const at = deal.stageDueAt as number;
    const exactly = await sqlOverdue('standard', at);
    expect(exactly).toEqual(libraryOverdue('standard', at));
    expect(exactly.map((row) => row.id)).not.toContain(deal.id);
    const after = await sqlOverdue('standard', at + 1);
    expect(after).toEqual(libraryOverdue('standard', at + 1));
    expect(after.find((row) => row.id === deal.id)).toEqual({ id: deal.id, kinds: ['stage'] });
  });

  it('S25: deals whose deadline was moved are judged by the moved deadline', async () => {
    const moved = deals.find((deal) => deal.status === 'open' && deal.topicId === 'standard' && logged(deal, 'approveDeadlineChange') && deal.dueAt !== null);
    if (moved === undefined) throw new Error('no open deal with an approved deadline change');
    const dueAt = moved.dueAt as number;
    for (const now of [dueAt, dueAt + 1]) {
      const rows = await sqlOverdue('standard', now);
      expect(rows).toEqual(libraryOverdue('standard', now));
      expect(rows.find((row) => row.id === moved.id)?.kinds.includes('deal') ?? false).toBe(now > dueAt);
    }
  });

  it('answers from the partial expression index', async () => {
    const plan = (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${OVERDUE}`, ['standard', START + 3 * DAY])).rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(plan).toContain('deals_open_deadline');
    expect(plan).not.toContain('Seq Scan');
  });
});
