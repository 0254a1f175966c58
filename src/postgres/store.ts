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
  LIMIT_KINDS,
  migrateDeal,
  openDeal,
  overdueNotices,
  parseDeal,
  type CompiledTopic,
  type Deal,
  type DealError,
  type DealLogEntry,
  type DealEvent,
  type Effect,
  type LimitKind,
  type MigrateOptions,
  type MigrationEntry,
  type MigrationError,
  type MigrationPlan,
  type NoticeMarker,
  type OpenDealInput,
  type OverdueLimit,
  type TopicDefinition,
} from '../index.js';
import { StatementError, type Queryable, type SqlDriver } from './driver.js';
import { SCHEMA_VERSIONS } from './schema.js';
import { STATEMENTS } from './statements.js';

const { CLAIM_EFFECTS, INSERT_DEAL, LOAD_DEAL, MIGRATE_DEAL, MIGRATION_PAGE, NOTICE_RELOAD, NOTIFY_OVERDUE, OVERDUE_PAGE, UPDATE_DEAL } = STATEMENTS;

/**
 * Why a store call did nothing.
 *
 * @example
 * if (!answer.ok && answer.error.code === 'malformed_row') quarantine(String(answer.error.params.id));
 */
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

/**
 * A store failure, shaped like the library's errors: a stable code, params, a sentence, and the path of the offending input.
 *
 * @example
 * const error: StoreError = { code: 'malformed_row', params: { table: 'crm_deals', id: 'd-7', detail: 'invalid_deal at amount: Expected a number' }, message: 'The stored deal "d-7" is malformed: Expected a number' };
 */
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

/**
 * The answer of `open` and `apply`. `duplicate` is true when the event id was seen before and nothing new was written.
 *
 * @example
 * const answer: ApplyAnswer = await store.apply('d-1', event, { eventId: 'e-1' });
 * if (answer.ok && !answer.duplicate) console.log(`revision ${answer.deal.revision}`);
 */
export type ApplyAnswer =
  | { readonly ok: true; readonly deal: Deal; readonly entry: DealLogEntry; readonly effects: readonly Effect[]; readonly duplicate: boolean }
  | Failure;

/**
 * The outbox row `notifyOverdue` writes: a limit of an open deal passed its
 * deadline. The core's {@link Effect} has no such type, so the store writes
 * its own kind of effect; there is at most one per deal, limit kind and
 * deadline (`dueAt`). `by` is how late the deal was when the scan at `at` found it.
 *
 * @example
 * const notice: DealOverdueEffect = { type: 'dealOverdue', dealId: 'd-1', topicId: 'standard', ownerId: 'u-1', kind: 'stage', dueAt: 1768294800000, by: 3600000, at: 1768298400000 };
 */
export interface DealOverdueEffect {
  readonly type: 'dealOverdue';
  readonly dealId: string;
  readonly topicId: string;
  readonly ownerId: string;
  readonly kind: LimitKind;
  readonly dueAt: number;
  readonly by: number;
  readonly at: number;
}

/**
 * What the outbox holds: the effects of accepted events, and the store's overdue notices.
 *
 * @example
 * const text = (effect: StoreEffect) => (effect.type === 'dealOverdue' ? `${effect.dealId} is late (${effect.kind})` : effect.type);
 */
export type StoreEffect = Effect | DealOverdueEffect;

/**
 * A claimed effect: carry it out, then `completeEffects([id])`. Overdue
 * notices have a negative `seq` (-1 stage, -2 deal, -3 idle) and the deal's
 * revision when they were written.
 *
 * @example
 * const claimed = await store.claimEffects({ worker: 'w1' });
 * if (claimed.ok) for (const each of claimed.effects) await deliver(each.effect);
 */
export interface ClaimedEffect {
  readonly id: string;
  readonly dealId: string;
  readonly revision: number;
  readonly seq: number;
  readonly effect: StoreEffect;
  readonly attempts: number;
}

/**
 * The answer of `findOverdue`: the page's overdue deals (checked with
 * parseDeal), the rows refused as malformed (`malformed_row` naming the deal
 * id; they are left out, the scan goes on), and where the next page starts.
 *
 * @example
 * const page: OverduePage = { ok: true, deals: [], refused: [], next: null };
 */
export type OverduePage =
  | { readonly ok: true; readonly deals: { deal: Deal; limits: readonly OverdueLimit[] }[]; readonly refused: StoreError[]; readonly next: OverdueCursor | null }
  | Failure;

/**
 * The answer of `notifyOverdue`: how many `dealOverdue` notices this call
 * wrote (a notice another scanner wrote first is not counted), how many
 * overdue deals it looked at, and the rows refused as malformed.
 *
 * @example
 * const answer: NotifyOverdueAnswer = { ok: true, written: 3, scanned: 10, refused: [] };
 */
export type NotifyOverdueAnswer = { readonly ok: true; readonly written: number; readonly scanned: number; readonly refused: StoreError[] } | Failure;

/**
 * Options of `migrateDeals`: `batch` deals are read per page (default 100);
 * the rest are the options of the core's `migrateDeal` (deadline policy,
 * time, author and reason of the `migrated` entry).
 *
 * @example
 * await store.migrateDeals(plan, { batch: 500, by: 'admin', reason: 'Stages merged', deadlines: 'recompute' });
 */
export interface MigrateDealsOptions extends MigrateOptions {
  readonly batch?: number;
}

/**
 * What `migrateDeals` did with one deal: `migrated` (written, with the new
 * deal and its `migrated` entry), `skipped` (the plan leaves it on its
 * version: a closed deal), or `failed` with the reason (the deal stays on
 * the old version, untouched; a later call tries it again).
 *
 * @example
 * const failed = answer.ok ? answer.results.filter((each) => each.result === 'failed').map((each) => each.id) : [];
 */
export type DealMigrationResult =
  | { readonly id: string; readonly result: 'migrated'; readonly deal: Deal; readonly entry: MigrationEntry }
  | { readonly id: string; readonly result: 'skipped'; readonly reason: MigrationError }
  | { readonly id: string; readonly result: 'failed'; readonly error: StoreError | MigrationError | DealError };

/**
 * The answer of `migrateDeals`: a result per deal read, in id order, and their counts.
 *
 * @example
 * const answer: MigrateDealsAnswer = { ok: true, results: [], migrated: 0, skipped: 0, failed: 0 };
 */
export type MigrateDealsAnswer =
  | { readonly ok: true; readonly results: DealMigrationResult[]; readonly migrated: number; readonly skipped: number; readonly failed: number }
  | Failure;

/**
 * Where the next page of the overdue scan starts.
 *
 * @example
 * const page = await store.findOverdue('standard', Date.now(), { limit: 100, after: { dueAt: 1768294800000, id: 'd-41' } });
 */
export interface OverdueCursor {
  readonly dueAt: number;
  readonly id: string;
}

/**
 * Whether a statement failed only because of a concurrent transaction: a
 * serialization failure or a deadlock, rolled back whole by the server, so
 * running it again is safe.
 */
const isTransient = (error: unknown): boolean => error instanceof StatementError && (error.sqlstate === '40001' || error.sqlstate === '40P01');

/**
 * Options of {@link createStore}.
 *
 * @example
 * const store = createStore(pgDriver(pool), { maxRetries: 50 });
 */
export interface StoreOptions {
  /** How many times `apply` reloads and re-applies after losing a race on the revision (default 20). */
  readonly maxRetries?: number;
}

/** A deal row as the scans read it. */
interface DealRow {
  readonly id: string;
  readonly revision: number;
  readonly topic_version: number;
  readonly deadlines: string | null;
  readonly state: unknown;
}

/** The refusal of a stored deal that does not pass parseDeal (or does not match its row). */
const malformedDeal = (id: string, code: string, path: string, message: string): Failure =>
  fail('malformed_row', { table: 'crm_deals', id, detail: `${code} at ${path}: ${message}` }, `The stored deal "${id}" is malformed: ${message}`);

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;

/** Why the overdue scans refuse their `now` and page size, if they do. */
function scanRefusal(now: unknown, limit: unknown): Failure | undefined {
  if (typeof now !== 'number' || !Number.isFinite(now)) return fail('invalid_input', { now: String(now) }, 'Expected now as a finite number of epoch ms.', 'now');
  if (!isCount(limit)) return fail('invalid_input', { limit: String(limit) }, 'Expected limit as a whole number of at least 1.', 'limit');
  return undefined;
}

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

  /**
   * A deal row read back, checked with parseDeal against the topic version
   * its row names (deadlines as its `deadlines` column says), and its id and
   * revision against the row's: a bad row is `malformed_row` naming the deal.
   */
  async function parseRow(q: Queryable, topicId: string, row: DealRow): Promise<{ ok: true; deal: Deal; topic: CompiledTopic } | Failure> {
    const topic = await topicOf(q, topicId, row.topic_version);
    // The deal cannot be checked without its version (missing, or not compiling): refused, naming the deal too.
    if (!topic.ok) return { ok: false, error: { ...topic.error, params: { ...topic.error.params, dealId: row.id } } };
    const parsed = parseDeal(topic.topic, row.state, { deadlines: row.deadlines === 'ignore' ? 'ignore' : 'check' });
    if (!parsed.ok) return malformedDeal(row.id, parsed.error.code, parsed.error.path ?? '', parsed.error.message);
    if (parsed.deal.id !== row.id) return malformedDeal(row.id, 'invalid_deal', 'id', `its state is deal "${parsed.deal.id}".`);
    if (parsed.deal.revision !== row.revision) return malformedDeal(row.id, 'invalid_deal', 'revision', `its state is at revision ${parsed.deal.revision}, its row at ${row.revision}.`);
    return { ok: true, deal: parsed.deal, topic: topic.topic };
  }

  /** Reads a deal (checked with parseDeal) with its topic, and the revision of `eventId` if that event was stored before. */
  async function readDeal(id: string, eventId: string | null): Promise<{ ok: true; deal: Deal; topic: CompiledTopic; seen: number | null } | Failure> {
    const result = await db.query<DealRow & { topic_id: string; seen: number | null }>('load_deal', LOAD_DEAL, [id, eventId]);
    const row = result.rows[0];
    if (row === undefined) return fail('deal_not_found', { id }, `No deal "${id}" is stored.`, 'dealId');
    const parsed = await parseRow(db, row.topic_id, row);
    return parsed.ok ? { ...parsed, seen: row.seen } : parsed;
  }

  /**
   * Writes the overdue notices one deal owes (overdueNotices with the marker
   * stored beside it), retrying after a concurrent change; answers how many
   * this call wrote. A malformed row is refused into `refused`, never worked on.
   */
  async function notifyDeal(topicId: string, first: DealRow & { notice_marker: unknown }, now: number, refused: StoreError[]): Promise<number> {
    let row: (DealRow & { notice_marker: unknown }) | undefined = first;
    for (let attempt = 0; attempt <= maxRetries && row !== undefined; attempt += 1) {
      const parsed = await parseRow(db, topicId, row);
      if (!parsed.ok) {
        refused.push(parsed.error as StoreError);
        return 0;
      }
      const { deal, topic } = parsed;
      const owed = overdueNotices(topic, deal, now, row.notice_marker as NoticeMarker | null);
      if (!owed.ok) {
        const failure = malformedDeal(deal.id, owed.error.code, owed.error.path === 'marker' ? 'notice_marker' : (owed.error.path ?? ''), owed.error.message);
        refused.push(failure.error as StoreError);
        return 0;
      }
      if (owed.notices.length === 0) return 0;
      const notices = owed.notices.map((notice) => {
        const effect: DealOverdueEffect = { type: 'dealOverdue', dealId: deal.id, topicId: deal.topicId, ownerId: deal.ownerId, kind: notice.kind, dueAt: notice.dueAt, by: notice.by, at: now };
        return { kind: notice.kind, dueAt: notice.dueAt, seq: -(LIMIT_KINDS.indexOf(notice.kind) + 1), effect };
      });
      const written = await db.query<{ n: number; written: number }>('notify_overdue', NOTIFY_OVERDUE, [
        deal.id, deal.revision, JSON.stringify(owed.marker), row.notice_marker === null || row.notice_marker === undefined ? null : JSON.stringify(row.notice_marker), JSON.stringify(notices),
      ]);
      if (written.rows[0]?.n === 1) return written.rows[0].written;
      // Another scanner, or an event, changed the deal since it was read: read it again and see what it still owes.
      row = (await db.query<DealRow & { notice_marker: unknown }>('notice_reload', NOTICE_RELOAD, [deal.id])).rows[0];
    }
    return 0;
  }

  /** The answer of an event stored before: the entry and effects of that revision, and the deal as it is now. */
  async function earlier(deal: Deal, revision: number): Promise<ApplyAnswer> {
    const entry = await db.query<{ entry: DealLogEntry }>('load_entry', 'SELECT entry FROM crm_deal_entries WHERE deal_id = $1 AND revision = $2', [deal.id, revision]);
    const effects = await db.query<{ effect: Effect }>('load_effects', 'SELECT effect FROM crm_effects WHERE deal_id = $1 AND revision = $2 AND notice_kind IS NULL ORDER BY seq', [deal.id, revision]);
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
          const clientDeals: Deal[] = [];
          if (concurrency && typeof input?.clientId === 'string') {
            // Two opens for one client wait for each other, so S32 holds under concurrency too.
            await tx.query('lock_client', "SELECT pg_advisory_xact_lock(hashtext($1 || '/' || $2))", [topicId, input.clientId]);
            const running = await tx.query<DealRow>(
              'client_deals',
              "SELECT id, revision, topic_version, deadlines, state FROM crm_deals WHERE topic_id = $1 AND client_id = $2 AND status <> 'closed' ORDER BY id",
              [topicId, input.clientId],
            );
            // The rule is decided on checked deals only: a malformed one refuses the open, naming it.
            for (const row of running.rows) {
              const parsed = await parseRow(tx, topicId, row);
              if (!parsed.ok) return parsed;
              clientDeals.push(parsed.deal);
            }
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
     * `maxRetries` times; so does a statement the server rolled back as a
     * serialization failure or a deadlock (SQLSTATE 40001, 40P01: what
     * SERIALIZABLE isolation, CockroachDB and YugabyteDB answer to a race). With `eventId`, an event stored before is not
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
            if (isTransient(error)) continue;
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
        const rows = await db.query<{ id: string; deal_id: string; revision: number; seq: number; effect: StoreEffect; attempts: number }>('claim_effects', CLAIM_EFFECTS, [
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

    /**
     * Open deals of a topic overdue at `now`, by earliest deadline then id, a
     * page at a time: pass the answer's `next` as `after`. Each row is checked
     * with parseDeal; a malformed one is left out and listed in `refused`
     * (`malformed_row` naming the deal id), and the scan goes on past it.
     */
    findOverdue: (topicId: string, now: number, options: { readonly limit?: number; readonly after?: OverdueCursor } = {}): Promise<OverduePage> =>
      guarded(async () => {
        const limit = options.limit ?? 100;
        const refusal = scanRefusal(now, limit);
        if (refusal !== undefined) return refusal;
        const after = options.after ?? { dueAt: Number.MIN_SAFE_INTEGER, id: '' };
        const rows = await db.query<DealRow & { due: number }>('find_overdue', OVERDUE_PAGE, [topicId, now, after.dueAt, after.id, limit]);
        const deals: { deal: Deal; limits: readonly OverdueLimit[] }[] = [];
        const refused: StoreError[] = [];
        for (const row of rows.rows) {
          const parsed = await parseRow(db, topicId, row);
          if (!parsed.ok) {
            refused.push(parsed.error as StoreError);
            continue;
          }
          // The deadline columns decide the page; the checked deal's own numbers decide the limits.
          deals.push(...findOverdueDeals(parsed.topic, [parsed.deal], now));
        }
        const last = rows.rows[rows.rows.length - 1];
        return { ok: true as const, deals, refused, next: rows.rows.length === limit && last !== undefined ? { dueAt: last.due, id: last.id } : null };
      }),

    /**
     * Writes the `dealOverdue` notices open deals owe at `now` (see
     * {@link DealOverdueEffect}) into the outbox, where `claimEffects` hands
     * them out: one per deal, limit kind and deadline, so a deadline that
     * moves (a new stage, activity, an approved deadline change) is notified
     * again once it passes. The scan pages through the overdue index, `limit`
     * deals at a time (default 100), over every sales topic or only `topicId`.
     * Each deal's notices and its new notice marker (from the core's
     * `overdueNotices`) are written in one statement that compare-and-sets
     * the revision and the marker, under a unique index on
     * (deal, kind, deadline): several scanners at once write each notice
     * exactly once. Malformed rows are refused into `refused` with their id,
     * never notified. Answers how many notices this call wrote.
     */
    notifyOverdue: (now: number, options: { readonly limit?: number; readonly topicId?: string } = {}): Promise<NotifyOverdueAnswer> =>
      guarded(async () => {
        const limit = options.limit ?? 100;
        const refusal = scanRefusal(now, limit);
        if (refusal !== undefined) return refusal;
        const topics =
          options.topicId === undefined
            ? (await db.query<{ id: string }>('notice_topics', "SELECT DISTINCT id FROM crm_topics WHERE kind = 'sales' ORDER BY id")).rows.map((row) => row.id)
            : [options.topicId];
        const refused: StoreError[] = [];
        let written = 0;
        let scanned = 0;
        for (const topicId of topics) {
          let after: OverdueCursor = { dueAt: Number.MIN_SAFE_INTEGER, id: '' };
          for (;;) {
            const rows = await db.query<DealRow & { notice_marker: unknown; due: number }>('find_overdue', OVERDUE_PAGE, [topicId, now, after.dueAt, after.id, limit]);
            for (const row of rows.rows) {
              scanned += 1;
              written += await notifyDeal(topicId, row, now, refused);
            }
            const last = rows.rows[rows.rows.length - 1];
            if (rows.rows.length < limit || last === undefined) break;
            after = { dueAt: last.due, id: last.id };
          }
        }
        return { ok: true as const, written, scanned, refused };
      }),

    /**
     * Moves the deals of `plan.topicId` still on `plan.fromVersion` to
     * `plan.toVersion` with the core's `migrateDeal` (the plan of
     * `planMigration`; the new version must be saved first). Deals are read
     * `batch` at a time in id order, each checked with parseDeal; each is
     * migrated all or nothing in one statement (compare-and-set on its
     * revision and version, the new deal, its `migrated` entry). A result per
     * deal: `migrated`, `skipped` (closed deals stay on their version), or
     * `failed` with the reason (malformed row, a conflict of the plan, the
     * deal changed since the plan: plan again). Resumable: deals migrated
     * are no longer on the old version, so calling again continues with the
     * rest. A plan that is not applicable is refused as a whole.
     */
    migrateDeals: (plan: MigrationPlan, options: MigrateDealsOptions = {}): Promise<MigrateDealsAnswer> =>
      guarded(async () => {
        if (typeof plan !== 'object' || plan === null || plan.ok !== true || plan.topic === null || typeof plan.topicId !== 'string') {
          const conflicts = typeof plan === 'object' && plan !== null && Array.isArray(plan.conflicts) ? plan.conflicts.length : 0;
          return fail('invalid_input', { conflicts }, `The plan cannot be applied (${conflicts} conflict(s)): resolve them and plan again.`, 'plan');
        }
        const { batch = 100, ...rest } = options ?? {};
        if (!isCount(batch)) return fail('invalid_input', { batch: String(batch) }, 'Expected batch as a whole number of at least 1.', 'batch');
        const target = await topicOf(db, plan.topicId, plan.toVersion);
        if (!target.ok) return target;
        const migrateOptions: MigrateOptions = rest;
        const keep = rest.deadlines === 'keep';
        const results: DealMigrationResult[] = [];
        const counts = { migrated: 0, skipped: 0, failed: 0 };
        const push = (result: DealMigrationResult): void => {
          results.push(result);
          counts[result.result] += 1;
        };
        let after = '';
        for (;;) {
          const rows = await db.query<DealRow>('migration_page', MIGRATION_PAGE, [plan.topicId, plan.fromVersion, after, batch]);
          for (const row of rows.rows) {
            const read = await parseRow(db, plan.topicId, row);
            if (!read.ok) {
              push({ id: row.id, result: 'failed', error: read.error });
              continue;
            }
            const deal = read.deal;
            const moved = migrateDeal(plan, deal, migrateOptions);
            if (!moved.ok) {
              push(moved.error.code === 'deal_stays' ? { id: deal.id, result: 'skipped', reason: moved.error } : { id: deal.id, result: 'failed', error: moved.error });
              continue;
            }
            // The deal must read back under the version as stored, or it is not written.
            const check = parseDeal(target.topic, moved.deal, { deadlines: keep ? 'ignore' : 'check' });
            if (!check.ok) {
              push({ id: deal.id, result: 'failed', error: check.error });
              continue;
            }
            const next = moved.deal;
            const written = await db.query<{ n: number }>('migrate_deal', MIGRATE_DEAL, [
              next.id, deal.revision, ...columns(next), next.revision, JSON.stringify(next), keep ? 'ignore' : 'check', plan.fromVersion, null, JSON.stringify(moved.entry), '[]',
            ]);
            if (written.rows[0]?.n === 1) push({ id: deal.id, result: 'migrated', deal: next, entry: moved.entry });
            else push({ id: deal.id, result: 'failed', error: fail('conflict', { id: deal.id }, `Deal "${deal.id}" changed while it was migrated: plan again.`, 'revision').error as StoreError });
          }
          const last = rows.rows[rows.rows.length - 1];
          if (rows.rows.length < batch || last === undefined) break;
          after = last.id;
        }
        return { ok: true as const, results, ...counts };
      }),
  };
  return store;
}

/**
 * A store made by {@link createStore}.
 *
 * @example
 * const stores: Store[] = [createStore(pgDriver(pool)), createStore(pgliteDriver(await PGlite.create()))];
 */
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
