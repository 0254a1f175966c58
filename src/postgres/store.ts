/**
 * crm-topics/postgres: topics, deals, their log and an effects outbox in
 * PostgreSQL (a server through `pg`, or PGlite), with the library's pure
 * functions inside. Every method answers `{ ok: true, … }` or
 * `{ ok: false, error }` and never throws: a database failure is a
 * `database_error` naming the statement that failed.
 *
 * @module
 */
import {
  applyEvent,
  compileTopic,
  findOverdue as findOverdueDeals,
  openDeal,
  parseDeal,
  type CompiledTopic,
  type Deal,
  type DealError,
  type DealLogEntry,
  type DealEvent,
  type Effect,
  type OpenDealInput,
  type OverdueLimit,
  type TopicDefinition,
} from '../index.js';
import { StatementError, type Queryable, type SqlDriver } from './driver.js';
import { SCHEMA_VERSIONS } from './schema.js';

/** Why a store call did nothing. */
export type StoreErrorCode =
  | 'database_error'
  | 'deal_not_found'
  | 'deal_exists'
  | 'topic_not_found'
  | 'topic_version_exists'
  | 'invalid_topic'
  | 'malformed_row'
  | 'conflict'
  | 'invalid_input';

/** A store failure, shaped like the library's errors: a stable code, params, a sentence, and the path of the offending input. */
export interface StoreError {
  readonly code: StoreErrorCode;
  readonly message: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly path?: string;
}

type Failure = { readonly ok: false; readonly error: StoreError | DealError };
const fail = (code: StoreErrorCode, params: Record<string, string | number>, message: string, path?: string): Failure => ({
  ok: false,
  error: { code, params, message, ...(path === undefined ? {} : { path }) },
});

/** The answer of `open` and `apply`. `duplicate` is true when the event id was seen before and nothing new was written. */
export type ApplyAnswer =
  | { readonly ok: true; readonly deal: Deal; readonly entry: DealLogEntry; readonly effects: readonly Effect[]; readonly duplicate: boolean }
  | Failure;

/** A claimed effect: carry it out, then `completeEffects([id])`. */
export interface ClaimedEffect {
  readonly id: string;
  readonly dealId: string;
  readonly revision: number;
  readonly seq: number;
  readonly effect: Effect;
  readonly attempts: number;
}

/** Where the next page of the overdue scan starts. */
export interface OverdueCursor {
  readonly dueAt: number;
  readonly id: string;
}

export interface StoreOptions {
  /** How many times `apply` reloads and re-applies after losing a race on the revision (default 20). */
  readonly maxRetries?: number;
}

/** The statement that reads a deal for work: its state and the revision of an event id seen before. */
const LOAD_DEAL = `SELECT d.state, d.topic_id, d.topic_version,
         (SELECT e.revision FROM crm_deal_entries e WHERE e.deal_id = d.id AND e.event_id = $2) AS seen
    FROM crm_deals d WHERE d.id = $1`;

// --- Statements. ---

/**
 * The tail of the write statements: the log entry and the effects of the deal
 * row written in CTE `d` (none when `d` wrote nothing), from the parameters
 * `$first` (event id), `$first + 1` (entry) and `$first + 2` (effects, a jsonb array).
 */
const appendEntryAndEffects = (first: number): string => `, e AS (
  INSERT INTO crm_deal_entries (deal_id, revision, event_id, entry) SELECT id, revision, $${first}, $${first + 1} FROM d
), f AS (
  INSERT INTO crm_effects (deal_id, revision, seq, effect)
  SELECT d.id, d.revision, x.ord - 1, x.value FROM d, jsonb_array_elements($${first + 2}::jsonb) WITH ORDINALITY AS x(value, ord)
)
SELECT count(*)::int AS n FROM d`;

const INSERT_DEAL = `
WITH d AS (
  INSERT INTO crm_deals (id, topic_id, topic_version, client_id, status, stage_id, stage_due_at, due_at, idle_due_at, revision, state)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
  ON CONFLICT (id) DO NOTHING
  RETURNING id, revision
)${appendEntryAndEffects(12)}`;

/** Compare-and-set on the revision, the log entry and the effects: one statement, so all or nothing. */
const UPDATE_DEAL = `
WITH d AS (
  UPDATE crm_deals
     SET topic_version = $3, status = $4, stage_id = $5, stage_due_at = $6, due_at = $7, idle_due_at = $8, revision = $9, state = $10
   WHERE id = $1 AND revision = $2
  RETURNING id, revision
)${appendEntryAndEffects(11)}`;

const CLAIM_EFFECTS = `
WITH picked AS (
  SELECT id FROM crm_effects
   WHERE done_at IS NULL AND (lease_until IS NULL OR lease_until < clock_timestamp())
   ORDER BY id
   LIMIT $2
   FOR UPDATE SKIP LOCKED
)
UPDATE crm_effects e
   SET claimed_by = $1, lease_until = clock_timestamp() + make_interval(secs => $3::float8 / 1000), attempts = e.attempts + 1
  FROM picked WHERE e.id = picked.id
RETURNING e.id::text AS id, e.deal_id, e.revision, e.seq, e.effect, e.attempts`;

const OVERDUE_PAGE = `
SELECT id, state, LEAST(stage_due_at, due_at, idle_due_at)::float8 AS due
  FROM crm_deals
 WHERE topic_id = $1 AND status = 'open'
   AND LEAST(stage_due_at, due_at, idle_due_at) IS NOT NULL
   AND LEAST(stage_due_at, due_at, idle_due_at) < $2
   AND (LEAST(stage_due_at, due_at, idle_due_at), id) > ($3, $4)
 ORDER BY LEAST(stage_due_at, due_at, idle_due_at), id
 LIMIT $5`;

/** The statements whose plans matter at scale, for EXPLAIN in tests and docs. */
export const STATEMENTS = Object.freeze({ CLAIM_EFFECTS, OVERDUE_PAGE, UPDATE_DEAL, INSERT_DEAL });

const columns = (deal: Deal) => [deal.topicVersion, deal.status, deal.stageId, deal.stageDueAt, deal.dueAt, deal.idleDueAt] as const;

function databaseError(error: unknown): Failure {
  if (error instanceof StatementError) {
    return fail('database_error', { statement: error.statement, sqlstate: error.sqlstate ?? '', detail: error.detail }, `The statement "${error.statement}" failed: ${error.detail}`);
  }
  const detail = error instanceof Error ? error.message : String(error);
  return fail('database_error', { statement: '', sqlstate: '', detail }, `The store failed: ${detail}`);
}

/** Runs a store method so that it never throws. */
async function guarded<T>(work: () => Promise<T | Failure>): Promise<T | Failure> {
  try {
    return await work();
  } catch (error) {
    return databaseError(error);
  }
}

/**
 * A store over a driver ({@link pgDriver} or {@link pgliteDriver}).
 *
 * @example
 * const store = createStore(pgliteDriver(await PGlite.create()));
 * await store.migrate();
 * await store.saveTopic(standardTopic);
 * await store.open('standard', { id: 'd-1', clientId: 'c-1', ownerId: 'u-1', at: Date.now() });
 */
export function createStore(db: SqlDriver, options: StoreOptions = {}) {
  const maxRetries = options.maxRetries ?? 20;
  const compiled = new Map<string, CompiledTopic>();

  async function topicOf(q: Queryable, id: string, version?: number): Promise<{ ok: true; topic: CompiledTopic } | Failure> {
    if (version !== undefined) {
      const cached = compiled.get(`${id}\u0000${version}`);
      if (cached !== undefined) return { ok: true, topic: cached };
    }
    const result =
      version === undefined
        ? await q.query<{ version: number; definition: unknown }>('load_current_topic', 'SELECT version, definition FROM crm_topics WHERE id = $1 ORDER BY version DESC LIMIT 1', [id])
        : await q.query<{ version: number; definition: unknown }>('load_topic', 'SELECT version, definition FROM crm_topics WHERE id = $1 AND version = $2', [id, version]);
    const row = result.rows[0];
    if (row === undefined) return fail('topic_not_found', { id, version: version ?? '' }, `No topic "${id}"${version === undefined ? '' : ` version ${version}`} is stored.`);
    const key = `${id}\u0000${row.version}`;
    const known = compiled.get(key);
    if (known !== undefined) return { ok: true, topic: known };
    try {
      const topic = compileTopic(row.definition);
      compiled.set(key, topic);
      return { ok: true, topic };
    } catch (error) {
      return fail('malformed_row', { table: 'crm_topics', id: `${id} v${row.version}`, detail: error instanceof Error ? error.message : String(error) }, `The stored topic ${id} v${row.version} does not compile.`);
    }
  }

  /** Reads a deal (checked with parseDeal) with its topic, and the revision of `eventId` if that event was stored before. */
  async function readDeal(id: string, eventId: string | null): Promise<{ ok: true; deal: Deal; topic: CompiledTopic; seen: number | null } | Failure> {
    const result = await db.query<{ state: unknown; topic_id: string; topic_version: number; seen: number | null }>('load_deal', LOAD_DEAL, [id, eventId]);
    const row = result.rows[0];
    if (row === undefined) return fail('deal_not_found', { id }, `No deal "${id}" is stored.`, 'dealId');
    const topic = await topicOf(db, row.topic_id, row.topic_version);
    if (!topic.ok) return topic;
    const parsed = parseDeal(topic.topic, row.state);
    if (!parsed.ok) return fail('malformed_row', { table: 'crm_deals', id, detail: `${parsed.error.code} at ${parsed.error.path ?? ''}: ${parsed.error.message}` }, `The stored deal "${id}" is malformed: ${parsed.error.message}`);
    return { ok: true, deal: parsed.deal, topic: topic.topic, seen: row.seen };
  }

  /** The answer of an event stored before: the entry and effects of that revision, and the deal as it is now. */
  async function earlier(deal: Deal, revision: number): Promise<ApplyAnswer> {
    const entry = await db.query<{ entry: DealLogEntry }>('load_entry', 'SELECT entry FROM crm_deal_entries WHERE deal_id = $1 AND revision = $2', [deal.id, revision]);
    const effects = await db.query<{ effect: Effect }>('load_effects', 'SELECT effect FROM crm_effects WHERE deal_id = $1 AND revision = $2 ORDER BY seq', [deal.id, revision]);
    return { ok: true, deal, entry: entry.rows[0]?.entry as DealLogEntry, effects: effects.rows.map((row) => row.effect), duplicate: true };
  }

  const store = {
    /** Applies the schema versions this database has not seen; idempotent. Answers the versions applied now. */
    migrate: (): Promise<{ ok: true; applied: number[] } | Failure> =>
      guarded(async () => {
        const applied: number[] = [];
        for (const { version, sql } of SCHEMA_VERSIONS) {
          const done = await db.transaction(async (tx) => {
            // One migrator at a time (a transaction-scoped advisory lock): the others wait here, then see the version recorded.
            await tx.query('migrate_lock', 'SELECT pg_advisory_xact_lock(7146812)');
            await tx.query('schema_versions', 'CREATE TABLE IF NOT EXISTS crm_schema_versions (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
            const seen = await tx.query('migrate_seen', 'SELECT 1 FROM crm_schema_versions WHERE version = $1', [version]);
            if (seen.rows.length > 0) return false;
            for (const [index, statement] of splitStatements(sql).entries()) await tx.query(`migrate_v${version}_${index}`, statement);
            await tx.query('migrate_record', 'INSERT INTO crm_schema_versions (version) VALUES ($1)', [version]);
            return true;
          });
          if (done) applied.push(version);
        }
        return { ok: true as const, applied };
      }),

    /** Saves a version of a topic (e.g. the `topic` of `editTopic`); saving the same definition again is a no-op, a different one under a stored version is refused. */
    saveTopic: (definition: TopicDefinition | unknown): Promise<{ ok: true; id: string; version: number; created: boolean } | Failure> =>
      guarded(async () => {
        let topic: CompiledTopic;
        try {
          topic = compileTopic(definition);
        } catch (error) {
          return fail('invalid_topic', { detail: error instanceof Error ? error.message : String(error) }, 'The topic does not compile.', 'definition');
        }
        const json = JSON.stringify(topic.definition);
        const inserted = await db.query('save_topic', 'INSERT INTO crm_topics (id, version, kind, definition) VALUES ($1, $2, $3, $4) ON CONFLICT (id, version) DO NOTHING', [topic.id, topic.version, topic.kind, json]);
        if (inserted.rowCount === 0) {
          const same = await db.query<{ same: boolean }>('compare_topic', 'SELECT definition = $3::jsonb AS same FROM crm_topics WHERE id = $1 AND version = $2', [topic.id, topic.version, json]);
          if (same.rows[0]?.same !== true) return fail('topic_version_exists', { id: topic.id, version: topic.version }, `Topic ${topic.id} v${topic.version} is stored with another definition; versions are immutable.`, 'version');
          return { ok: true as const, id: topic.id, version: topic.version, created: false };
        }
        compiled.set(`${topic.id}\u0000${topic.version}`, topic);
        return { ok: true as const, id: topic.id, version: topic.version, created: true };
      }),

    /** The compiled topic: its latest version, or the given one (compiled once per id and version). */
    loadTopic: (id: string, version?: number): Promise<{ ok: true; topic: CompiledTopic } | Failure> => guarded(() => topicOf(db, id, version)),

    /** Opens a deal on the current version of a topic; with `eventId`, opening the same deal again answers the first result. */
    open: (topicId: string, input: OpenDealInput, options: { readonly eventId?: string } = {}): Promise<ApplyAnswer> =>
      guarded(async () => {
        const topic = await topicOf(db, topicId);
        if (!topic.ok) return topic;
        const eventId = options.eventId ?? null;
        const concurrency = topic.topic.kind === 'sales' && topic.topic.definition.parameters.concurrentDeals === 'forbidden';
        return db.transaction(async (tx): Promise<ApplyAnswer> => {
          let clientDeals: Deal[] = [];
          if (concurrency && typeof input?.clientId === 'string') {
            // Two opens for one client wait for each other, so S32 holds under concurrency too.
            await tx.query('lock_client', "SELECT pg_advisory_xact_lock(hashtext($1 || '/' || $2))", [topicId, input.clientId]);
            const running = await tx.query<{ state: unknown }>('client_deals', "SELECT state FROM crm_deals WHERE topic_id = $1 AND client_id = $2 AND status <> 'closed'", [topicId, input.clientId]);
            clientDeals = running.rows.map((row) => row.state as Deal);
          }
          const opened = openDeal(topic.topic, input, { clientDeals });
          if (!opened.ok) return opened;
          const { deal } = opened;
          const entry = opened.entry;
          const written = await tx.query<{ n: number }>('insert_deal', INSERT_DEAL, [
            deal.id, deal.topicId, deal.topicVersion, deal.clientId, deal.status, deal.stageId, deal.stageDueAt, deal.dueAt, deal.idleDueAt, deal.revision,
            JSON.stringify(deal), eventId, JSON.stringify(entry), JSON.stringify(opened.effects),
          ]);
          if (written.rows[0]?.n === 1) return { ok: true, deal, entry, effects: opened.effects, duplicate: false };
          if (eventId !== null) {
            const seen = await tx.query('opened_with', 'SELECT 1 FROM crm_deal_entries WHERE deal_id = $1 AND revision = 1 AND event_id = $2', [deal.id, eventId]);
            if (seen.rows.length > 0) return { ok: false, error: { code: 'deal_exists', params: { id: deal.id, eventId }, message: 'retry' } };
          }
          return fail('deal_exists', { id: deal.id }, `A deal "${deal.id}" is stored already.`, 'id');
        });
      }).then(async (answer) => {
        // An open retried with its event id: answer the first open (read outside the transaction that found it).
        if (!answer.ok && answer.error.code === 'deal_exists' && answer.error.message === 'retry') {
          const read = await guarded(() => readDeal(String(answer.error.params.id), null));
          return read.ok ? guarded(() => earlier(read.deal, 1)) : read;
        }
        return answer;
      }),

    /**
     * Applies an event to a stored deal: load, `applyEvent`, then one
     * statement that compare-and-sets the revision, appends the log entry
     * and writes the effects. A lost race reloads and re-applies, at most
     * `maxRetries` times. With `eventId`, an event stored before is not
     * applied again: the answer carries its entry and effects and `duplicate: true`.
     */
    apply: (dealId: string, event: DealEvent, options: { readonly eventId?: string } = {}): Promise<ApplyAnswer> =>
      guarded(async () => {
        const eventId = options.eventId ?? null;
        for (let attempt = 0; attempt <= maxRetries; attempt += 1) {
          const read = await readDeal(dealId, eventId);
          if (!read.ok) return read;
          const { deal, topic } = read;
          if (read.seen !== null) return earlier(deal, read.seen);
          const result = applyEvent(topic, deal, event);
          if (!result.ok) return result;
          const next = result.deal;
          const entry = result.entry;
          let written: number | undefined;
          try {
            const update = await db.query<{ n: number }>('apply_event', UPDATE_DEAL, [
              next.id, deal.revision, ...columns(next), next.revision, JSON.stringify(next), eventId, JSON.stringify(entry), JSON.stringify(result.effects),
            ]);
            written = update.rows[0]?.n;
          } catch (error) {
            // The same event id stored by a concurrent call between our read and write: go round, the read finds it.
            if (error instanceof StatementError && error.sqlstate === '23505' && eventId !== null) continue;
            throw error;
          }
          if (written === 1) return { ok: true as const, deal: next, entry, effects: result.effects, duplicate: false };
        }
        return fail('conflict', { id: dealId, attempts: maxRetries + 1 }, `Deal "${dealId}" kept changing under ${maxRetries + 1} attempts.`, 'dealId');
      }),

    /** Reads a deal, checked with parseDeal; a malformed row is refused with its id. */
    load: (dealId: string): Promise<{ ok: true; deal: Deal } | Failure> =>
      guarded(async () => {
        const read = await readDeal(dealId, null);
        return read.ok ? { ok: true as const, deal: read.deal } : read;
      }),

    /** A deal's log entries in revision order. */
    history: (dealId: string): Promise<{ ok: true; entries: DealLogEntry[] } | Failure> =>
      guarded(async () => {
        const rows = await db.query<{ entry: DealLogEntry }>('deal_history', 'SELECT entry FROM crm_deal_entries WHERE deal_id = $1 ORDER BY revision', [dealId]);
        if (rows.rows.length === 0) return fail('deal_not_found', { id: dealId }, `No deal "${dealId}" is stored.`, 'dealId');
        return { ok: true as const, entries: rows.rows.map((row) => row.entry) };
      }),

    /**
     * Claims up to `max` pending effects for `worker` for `leaseMs` (database clock), skipping rows
     * other workers hold (`FOR UPDATE SKIP LOCKED`). An effect whose lease ran out without
     * completion is claimed again: delivery is at least once, one worker at a time.
     */
    claimEffects: (options: { readonly worker: string; readonly max?: number; readonly leaseMs?: number }): Promise<{ ok: true; effects: ClaimedEffect[] } | Failure> =>
      guarded(async () => {
        const rows = await db.query<{ id: string; deal_id: string; revision: number; seq: number; effect: Effect; attempts: number }>('claim_effects', CLAIM_EFFECTS, [
          options.worker, options.max ?? 10, options.leaseMs ?? 30_000,
        ]);
        const effects = rows.rows
          .map((row) => ({ id: row.id, dealId: row.deal_id, revision: row.revision, seq: row.seq, effect: row.effect, attempts: row.attempts }))
          .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
        return { ok: true as const, effects };
      }),

    /** Marks effects done; already done ones are left as they are. Answers how many changed now. */
    completeEffects: (ids: readonly string[]): Promise<{ ok: true; completed: number } | Failure> =>
      guarded(async () => {
        const done = await db.query('complete_effects', 'UPDATE crm_effects SET done_at = clock_timestamp() WHERE id = ANY($1::bigint[]) AND done_at IS NULL', [ids]);
        return { ok: true as const, completed: done.rowCount };
      }),

    /** Open deals of a topic overdue at `now`, by earliest deadline then id, a page at a time: pass the answer's `next` as `after`. */
    findOverdue: (
      topicId: string,
      now: number,
      options: { readonly limit?: number; readonly after?: OverdueCursor } = {},
    ): Promise<{ ok: true; deals: { deal: Deal; limits: readonly OverdueLimit[] }[]; next: OverdueCursor | null } | Failure> =>
      guarded(async () => {
        const limit = options.limit ?? 100;
        const after = options.after ?? { dueAt: Number.MIN_SAFE_INTEGER, id: '' };
        const rows = await db.query<{ id: string; state: unknown; due: number }>('find_overdue', OVERDUE_PAGE, [topicId, now, after.dueAt, after.id, limit]);
        const deals: { deal: Deal; limits: readonly OverdueLimit[] }[] = [];
        for (const row of rows.rows) {
          const state = row.state as { topicVersion?: unknown };
          const topic = await topicOf(db, topicId, typeof state.topicVersion === 'number' ? state.topicVersion : undefined);
          if (!topic.ok) return topic;
          // The deadline columns decide the page; the state's own numbers decide the limits.
          deals.push(...findOverdueDeals(topic.topic, [row.state as Deal], now));
        }
        const last = rows.rows[rows.rows.length - 1];
        return { ok: true as const, deals, next: rows.rows.length === limit && last !== undefined ? { dueAt: last.due, id: last.id } : null };
      }),
  };
  return store;
}

/** A store made by {@link createStore}. */
export type Store = ReturnType<typeof createStore>;

/** The statements of a DDL script, split on semicolons outside dollar-quoted bodies (pg prepares one statement at a time). */
function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  let inDollar = false;
  for (const line of sql.split('\n')) {
    if (line.trimStart().startsWith('--')) continue;
    current += `${line}\n`;
    if ((line.match(/\$\$/g) ?? []).length % 2 === 1) inDollar = !inDollar;
    if (!inDollar && line.trimEnd().endsWith(';')) {
      statements.push(current.trim().replace(/;$/, ''));
      current = '';
    }
  }
  if (current.trim() !== '') statements.push(current.trim());
  return statements;
}
