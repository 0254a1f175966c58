/**
 * The SQL of the store, one named statement per step, apart from the code
 * that runs them: each write is one statement, so it is all or nothing.
 * Written once for PostgreSQL and PGlite alike; `STATEMENTS` exports the
 * ones worth an `EXPLAIN` on your own database.
 *
 * @module
 */

/** The statement that reads a deal for work: its state and the revision of an event id seen before. */
const LOAD_DEAL = `SELECT d.id, d.revision, d.state, d.topic_id, d.topic_version, d.deadlines,
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
SELECT id, revision, topic_version, deadlines, notice_marker, state, LEAST(stage_due_at, due_at, idle_due_at)::float8 AS due
  FROM crm_deals
 WHERE topic_id = $1 AND status = 'open'
   AND LEAST(stage_due_at, due_at, idle_due_at) IS NOT NULL
   AND LEAST(stage_due_at, due_at, idle_due_at) < $2
   AND (LEAST(stage_due_at, due_at, idle_due_at), id) > ($3, $4)
 ORDER BY LEAST(stage_due_at, due_at, idle_due_at), id
 LIMIT $5`;

/**
 * Overdue notices of one deal: compare-and-set on its revision and notice
 * marker (a concurrent scanner that wrote first makes this write nothing),
 * the new marker, and one outbox row per notice, at most one per deal,
 * limit kind and deadline (the unique index `crm_effects_notice_once`).
 * `$5` is a jsonb array of `{ kind, dueAt, seq, effect }`.
 */
const NOTIFY_OVERDUE = `
WITH d AS (
  UPDATE crm_deals SET notice_marker = $3::jsonb
   WHERE id = $1 AND revision = $2 AND notice_marker IS NOT DISTINCT FROM $4::jsonb
  RETURNING id, revision
), f AS (
  INSERT INTO crm_effects (deal_id, revision, seq, effect, notice_kind, notice_due_at)
  SELECT d.id, d.revision, (x.value->>'seq')::int, x.value->'effect', x.value->>'kind', (x.value->>'dueAt')::bigint
    FROM d, jsonb_array_elements($5::jsonb) AS x(value)
  ON CONFLICT (deal_id, notice_kind, notice_due_at) WHERE notice_kind IS NOT NULL DO NOTHING
  RETURNING 1
)
SELECT (SELECT count(*) FROM d)::int AS n, (SELECT count(*) FROM f)::int AS written`;

/** One deal of the notice scan read again after it changed under the scanner. */
const NOTICE_RELOAD = `SELECT id, revision, topic_version, deadlines, notice_marker, state FROM crm_deals WHERE id = $1 AND status = 'open'`;

/** The migration scan: a topic's deals still on a version, by id, keyset-paginated (index crm_deals_version). */
const MIGRATION_PAGE = `
SELECT id, revision, topic_version, deadlines, state
  FROM crm_deals
 WHERE topic_id = $1 AND topic_version = $2 AND id > $3
 ORDER BY id
 LIMIT $4`;

/** A migrated deal: compare-and-set on revision and version, and the `migrated` entry, in one statement. */
const MIGRATE_DEAL = `
WITH d AS (
  UPDATE crm_deals
     SET topic_version = $3, status = $4, stage_id = $5, stage_due_at = $6, due_at = $7, idle_due_at = $8, revision = $9, state = $10, deadlines = $11
   WHERE id = $1 AND revision = $2 AND topic_version = $12
  RETURNING id, revision
)${appendEntryAndEffects(13)}`;

/**
 * Every statement the store runs, by name: what to `EXPLAIN` on your own
 * database (docs/scaling.md says what each one touches).
 *
 * @example
 * const plan = await pool.query(`EXPLAIN ${STATEMENTS.OVERDUE_PAGE}`, ['standard', Date.now(), Number.MIN_SAFE_INTEGER, '', 100]);
 */
export const STATEMENTS = Object.freeze({ LOAD_DEAL, INSERT_DEAL, UPDATE_DEAL, CLAIM_EFFECTS, OVERDUE_PAGE, NOTIFY_OVERDUE, NOTICE_RELOAD, MIGRATION_PAGE, MIGRATE_DEAL });
