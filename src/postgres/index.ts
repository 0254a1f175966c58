/**
 * crm-topics/postgres: the store. Topics, deals, their append-only log and
 * an effects outbox in PostgreSQL, through node-postgres or PGlite.
 *
 * @packageDocumentation
 */
export {
  createStore,
  type ApplyAnswer,
  type ClaimedEffect,
  type DealMigrationResult,
  type DealOverdueEffect,
  type MigrateDealsAnswer,
  type MigrateDealsOptions,
  type NotifyOverdueAnswer,
  type OverdueCursor,
  type OverduePage,
  type Store,
  type StoreEffect,
  type StoreError,
  type StoreErrorCode,
  type StoreOptions,
} from './store.js';
export { STATEMENTS } from './statements.js';
export { pgDriver, pgliteDriver, StatementError, type PGliteLike, type PGliteQueryable, type PgClientLike, type PgPoolLike, type Queryable, type QueryResult, type SqlDriver } from './driver.js';
export { SCHEMA_VERSIONS } from './schema.js';
