/**
 * The one interface the store talks to, and one small adapter per driver:
 * node-postgres (`pg.Pool`) and PGlite. Both run the same SQL text with
 * `$1…` parameters; every statement has a name, which becomes the prepared
 * statement's name on pg and the `statement` of a database error.
 *
 * Neither driver is imported here: the adapters take any object of the
 * shape they use, so the store loads without either package installed.
 *
 * @module
 */

/** Rows of one statement and how many rows it changed. */
export interface QueryResult<R> {
  readonly rows: readonly R[];
  readonly rowCount: number;
}

/** What runs statements: a connection, or a transaction on one. */
export interface Queryable {
  /** Runs one named statement with positional parameters. */
  query<R = Record<string, unknown>>(name: string, text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

/** The store's view of a database: statements, and transactions that commit when `work` resolves and roll back when it rejects. */
export interface SqlDriver extends Queryable {
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
}

/** A statement that failed, with its name and the server's SQLSTATE when there is one. */
export class StatementError extends Error {
  override readonly name = 'StatementError';
  constructor(
    readonly statement: string,
    readonly sqlstate: string | undefined,
    readonly detail: string,
  ) {
    super(`${statement}: ${detail}`);
  }
}

function statementError(name: string, error: unknown): StatementError {
  if (error instanceof StatementError) return error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return new StatementError(name, typeof code === 'string' ? code : undefined, message);
}

/** The part of a `pg.PoolClient` the adapter uses. */
export interface PgClientLike {
  query(config: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: unknown[]; rowCount: number | null }>;
  release(error?: Error | boolean): void;
  /** node-postgres clients are event emitters: a connection lost between statements is an `error` event. */
  on?(event: 'error', listener: (error: Error) => void): unknown;
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

/** The part of a `pg.Pool` the adapter uses. */
export interface PgPoolLike {
  connect(): Promise<PgClientLike>;
}

/**
 * The store's driver over a node-postgres pool. Statements run as named
 * prepared statements; a transaction holds one client from BEGIN to
 * COMMIT. A client whose connection failed is released as broken, so the
 * pool drops it instead of handing it out again; a connection lost while a
 * client is checked out (the pool listens only to idle ones) is caught
 * here, so it fails the call rather than the process.
 *
 * @example
 * import pg from 'pg';
 * const store = createStore(pgDriver(new pg.Pool({ connectionString: process.env.DATABASE_URL })));
 */
export function pgDriver(pool: PgPoolLike): SqlDriver {
  const run = async <R>(client: PgClientLike, name: string, text: string, params: readonly unknown[]): Promise<QueryResult<R>> => {
    try {
      const result = await client.query({ name, text, values: [...params] });
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    } catch (error) {
      throw statementError(name, error);
    }
  };
  const connect = async (name: string): Promise<PgClientLike> => {
    try {
      return await pool.connect();
    } catch (error) {
      throw statementError(name, error);
    }
  };
  /** Runs `use` on a client from the pool, released afterwards: as broken when its connection was lost. */
  const checkedOut = async <T>(name: string, use: (client: PgClientLike, lost: (error: Error) => void) => Promise<T>): Promise<T> => {
    const client = await connect(name);
    let broken: Error | undefined;
    const lost = (error: Error): void => {
      broken ??= error;
    };
    client.on?.('error', lost);
    try {
      return await use(client, lost);
    } finally {
      client.removeListener?.('error', lost);
      client.release(broken);
    }
  };
  return {
    async query<R>(name: string, text: string, params: readonly unknown[] = []) {
      return await checkedOut(name, async (client, lost) => {
        try {
          return await run<R>(client, name, text, params);
        } catch (error) {
          // A server-side error (an SQLSTATE) leaves the connection usable; anything else may not have.
          if (error instanceof StatementError && error.sqlstate === undefined) lost(error);
          throw error;
        }
      });
    },
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      return await checkedOut('begin', async (client, lost) => {
        try {
          await run(client, 'begin', 'BEGIN', []);
          const tx: Queryable = { query: (name, text, params = []) => run(client, name, text, params) };
          const value = await work(tx);
          await run(client, 'commit', 'COMMIT', []);
          return value;
        } catch (error) {
          try {
            await client.query({ text: 'ROLLBACK' });
          } catch (rollback) {
            lost(rollback instanceof Error ? rollback : new Error(String(rollback)));
          }
          throw error;
        }
      });
    },
  };
}

/** The part of a PGlite instance (or a PGlite transaction) the adapter uses. */
export interface PGliteQueryable {
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
}
/** The part of a PGlite instance the adapter uses. */
export interface PGliteLike extends PGliteQueryable {
  transaction<T>(work: (tx: PGliteQueryable) => Promise<T>): Promise<T>;
}

/**
 * The store's driver over PGlite, PostgreSQL in WebAssembly (in memory, or
 * in a directory or IndexedDB). PGlite runs one statement at a time, so
 * concurrent calls simply queue.
 *
 * @example
 * import { PGlite } from '@electric-sql/pglite';
 * const store = createStore(pgliteDriver(await PGlite.create()));
 */
export function pgliteDriver(db: PGliteLike): SqlDriver {
  const run = async <R>(target: PGliteQueryable, name: string, text: string, params: readonly unknown[]): Promise<QueryResult<R>> => {
    try {
      const result = await target.query<R>(text, [...params]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    } catch (error) {
      throw statementError(name, error);
    }
  };
  return {
    query: (name, text, params = []) => run(db, name, text, params),
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      try {
        return await db.transaction((tx) => work({ query: (name, text, params = []) => run(tx, name, text, params) }));
      } catch (error) {
        throw statementError('transaction', error);
      }
    },
  };
}
