/**
 * A nightly overdue job, end to end.
 *
 * Compiles the standard topic, runs a few deals through it with the real API
 * (one stuck in its first stage, one left without activity, one with an
 * approved deadline extension, one refused, ...), stores them in PostgreSQL
 * (PGlite, in memory) with their deadlines in indexed columns, and finds the
 * overdue ones with ONE indexed query. The answer is cross-checked with
 * `findOverdue`, and the next deadline of each open deal is listed, as a host
 * would schedule its follow-up jobs.
 *
 * Run it with `npm run example overdue-job` (or `npx tsx examples/overdue-job.ts`).
 * Nothing reads the clock: the job runs "at" a fixed instant, as a scheduler
 * would pass it in. docs/storing-deals.md explains the table, the index and
 * the query.
 */
import { PGlite } from '@electric-sql/pglite';

import {
  applyEvent,
  compileTopic,
  findOverdue,
  nextDeadline,
  openDeal,
  standardTopic,
  type CompiledSalesTopic,
  type Deal,
  type DealEvent,
  type LimitKind,
} from 'crm-topics';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MONDAY = Date.parse('2026-01-12T09:00:00Z');
/** When the nightly job runs: Friday 16 January 2026, 02:00 UTC. */
const NOW = Date.parse('2026-01-16T02:00:00Z');

const manager = { id: 'manager-1', roles: ['manager'] };
const director = { id: 'director-1', roles: ['director'] };

const compiled = compileTopic(standardTopic);
if (compiled.kind !== 'sales') throw new Error('the standard topic is a sales topic');
const topic: CompiledSalesTopic = compiled;

/** Opens a deal and applies events to it, stopping the script on a rejection. */
function deal(id: string, openedAt: number, ...events: DealEvent[]): Deal {
  const opened = openDeal(topic, { id, clientId: `client-of-${id}`, ownerId: manager.id, at: openedAt });
  if (!opened.ok) throw new Error(`${id}: ${opened.error.message}`);
  return events.reduce((current, event) => {
    const result = applyEvent(topic, current, event);
    if (!result.ok) throw new Error(`${id}: ${result.error.message}`);
    return result.deal;
  }, opened.deal);
}
const outcome = (outcomeId: string, at: number, extra: Partial<DealEvent> = {}) => ({ type: 'recordOutcome', outcomeId, at, actor: manager, ...extra }) as DealEvent;

const deals: Deal[] = [
  // Opened on Thursday: "new" (P1D) runs until Friday 09:00, so it is on time.
  deal('fresh', MONDAY + 3 * DAY),
  // Still in "new" since Monday: the stage limit passed on Tuesday.
  deal('stuck-in-new', MONDAY),
  // In "acquaintance" (P2D, idle after P1D) since Wednesday with no activity since.
  deal('gone-quiet', MONDAY + DAY, outcome('qualified', MONDAY + 2 * DAY + 5 * HOUR)),
  // Same stage, but a call was planned on Thursday: the idle clock restarted.
  deal(
    'call-planned',
    MONDAY + DAY,
    outcome('qualified', MONDAY + 2 * DAY + 5 * HOUR),
    { type: 'planActivity', activityId: 'call-1', kind: 'call', plannedFor: MONDAY + 4 * DAY, at: MONDAY + 3 * DAY + 8 * HOUR, actor: manager },
  ),
  // Opened in December: the 30-day deal limit (S24) passed on 14 January...
  deal('old-deal', Date.parse('2025-12-15T09:00:00Z'), outcome('qualified', MONDAY + 2 * DAY), outcome('interested', MONDAY + 3 * DAY)),
  // ...but here a director approved more time (S25), so the same walk is on time.
  deal(
    'extended',
    Date.parse('2025-12-15T09:00:00Z'),
    { type: 'requestDeadlineChange', dueAt: Date.parse('2026-02-01T09:00:00Z'), reason: 'budget approval in January', at: Date.parse('2026-01-05T09:00:00Z'), actor: manager },
    { type: 'approveDeadlineChange', at: Date.parse('2026-01-06T09:00:00Z'), actor: director },
    outcome('qualified', MONDAY + 2 * DAY),
    outcome('interested', MONDAY + 3 * DAY),
  ),
  // Refused long ago: closed deals keep their deadlines but are never overdue.
  deal('refused', MONDAY - 20 * DAY, outcome('refused', MONDAY - 19 * DAY, { kindId: 'too-expensive' })),
];

const db = await PGlite.create();
try {
  await db.exec(`
    CREATE TABLE deals (
      id text PRIMARY KEY, topic_id text NOT NULL, topic_version int NOT NULL,
      status text NOT NULL, stage_id text NOT NULL,
      stage_due_at bigint, due_at bigint, idle_due_at bigint,
      revision int NOT NULL, body jsonb NOT NULL
    );
    CREATE INDEX deals_open_deadline ON deals (topic_id, LEAST(stage_due_at, due_at, idle_due_at)) WHERE status = 'open';
  `);
  for (const item of deals) {
    await db.query(
      `INSERT INTO deals (id, topic_id, topic_version, status, stage_id, stage_due_at, due_at, idle_due_at, revision, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [item.id, item.topicId, item.topicVersion, item.status, item.stageId, item.stageDueAt, item.dueAt, item.idleDueAt, item.revision, JSON.stringify(item)],
    );
  }

  // The nightly query: one indexed range scan over the open deals of the topic.
  const { rows } = await db.query<{ id: string; stage_id: string; stage_due_at: number | null; due_at: number | null; idle_due_at: number | null }>(
    `SELECT id, stage_id, stage_due_at, due_at, idle_due_at
       FROM deals
      WHERE status = 'open' AND topic_id = $1
        AND LEAST(stage_due_at, due_at, idle_due_at) < $2
      ORDER BY LEAST(stage_due_at, due_at, idle_due_at), id`,
    [topic.id, NOW],
  );

  console.log(`Nightly overdue scan: topic "${topic.id}" v${topic.version}, now ${iso(NOW)}`);
  console.log(`${deals.length} deals stored, ${rows.length} overdue:\n`);
  const sqlLimits = new Map<string, string[]>();
  for (const row of rows) {
    const limits: [LimitKind, number | null][] = [['stage', row.stage_due_at], ['deal', row.due_at], ['idle', row.idle_due_at]];
    const passed = limits.filter((limit): limit is [LimitKind, number] => limit[1] !== null && limit[1] < NOW);
    sqlLimits.set(row.id, passed.map(([kind, at]) => `${kind}@${at}`));
    console.log(`  ${row.id.padEnd(14)} in ${row.stage_id.padEnd(13)} ${passed.map(([kind, at]) => `${kind} limit ${iso(at)} (${late(NOW - at)} late)`).join('; ')}`);
  }

  // Cross-check: the library's pure scan over the same deals must name the same deals with the same limits.
  const found = findOverdue(topic, deals, NOW);
  const libraryLimits = new Map(found.map(({ deal: hit, limits }) => [hit.id, limits.map((limit) => `${limit.kind}@${limit.dueAt}`)]));
  const sorted = (map: Map<string, string[]>) => JSON.stringify([...map].sort(([a], [b]) => a.localeCompare(b)));
  const agree = sorted(sqlLimits) === sorted(libraryLimits);
  console.log(`\nCross-check with findOverdue: ${agree ? 'OK' : 'MISMATCH'} (${libraryLimits.size} deals, same limits)`);

  const plan = (await db.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN SELECT id FROM deals WHERE status = 'open' AND topic_id = $1 AND LEAST(stage_due_at, due_at, idle_due_at) < $2`,
    [topic.id, NOW],
  )).rows.map((row) => row['QUERY PLAN'].trim());
  console.log(`Query plan: ${plan.find((line) => line.includes('deals_open_deadline')) ?? plan[0]}`);

  console.log('\nNext deadlines of the open deals on time (schedule a check 1 ms after each):');
  for (const item of deals) {
    if (item.status !== 'open' || libraryLimits.has(item.id)) continue;
    const next = nextDeadline(item, NOW);
    console.log(`  ${item.id.padEnd(14)} ${next === null ? 'none' : `${next.kind} limit at ${iso(next.at)}`}`);
  }
  if (!agree) process.exitCode = 1;
} finally {
  await db.close();
}

function iso(at: number): string {
  return new Date(at).toISOString().replace(':00.000Z', 'Z');
}

function late(ms: number): string {
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  return days > 0 ? `${days} d ${hours} h` : `${hours} h ${Math.floor((ms % HOUR) / 60_000)} min`;
}
