import type { PGlite, Results } from '@electric-sql/pglite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * A first-in, first-out mutex. PGlite is one backend with one session: whoever holds this lock owns it.
 * Holders are served strictly in the order they asked.
 */
export class FifoLock {
  #tail: Promise<void> = Promise.resolve();

  /** Waits for every earlier holder, then returns the function that lets the next one in (idempotent). */
  async acquire(): Promise<() => void> {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => gate);
    await previous;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        open();
      }
    };
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

/**
 * A Kysely dialect over ONE PGlite instance. A connection is the lock: a query outside a transaction waits
 * until the transaction that holds the session commits or rolls back, so it can never run inside it.
 *
 * Deadlock hazard (by design): inside `db.transaction().execute(trx => …)`, query through `trx`, never `db`.
 * A query on `db` would wait for the lock its own transaction holds.
 */
export class PgliteDialect implements Dialect {
  readonly #pglite: PGlite;
  readonly #lock = new FifoLock();

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  /**
   * Runs raw PGlite work (LISTEN, `dumpDataDir`, a job queue's SQL) while holding the lock every Kysely
   * query takes. `fn` must not use Kysely on this database: it would wait for the lock `fn` holds.
   */
  withLock<T>(fn: (pglite: PGlite) => Promise<T>): Promise<T> {
    return this.#lock.run(() => fn(this.#pglite));
  }

  createDriver(): Driver {
    return new PgliteDriver(this.#pglite, this.#lock);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

class PgliteDriver implements Driver {
  readonly #pglite: PGlite;
  readonly #lock: FifoLock;
  #destroyed = false;

  constructor(pglite: PGlite, lock: FifoLock) {
    this.#pglite = pglite;
    this.#lock = lock;
  }

  async init(): Promise<void> {
    await this.#pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#lock.acquire();
    if (this.#destroyed || this.#pglite.closed) {
      release();
      throw new Error('The database is closed');
    }
    return new PgliteConnection(this.#pglite, release);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let statement = 'begin';
    if (settings.isolationLevel || settings.accessMode) {
      statement = 'start transaction';
      if (settings.isolationLevel) statement += ` isolation level ${settings.isolationLevel}`;
      if (settings.accessMode) statement += ` ${settings.accessMode}`;
    }
    await connection.executeQuery(CompiledQuery.raw(statement));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdentifier(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdentifier(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdentifier(name)}`));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as PgliteConnection).release();
  }

  /** Waits for the current holder and everyone queued before, then closes the instance. */
  async destroy(): Promise<void> {
    await this.#lock.run(async () => {
      if (this.#destroyed) return;
      this.#destroyed = true;
      if (!this.#pglite.closed) await this.#pglite.close();
    });
  }
}

class PgliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;
  readonly release: () => void;

  constructor(pglite: PGlite, release: () => void) {
    this.#pglite = pglite;
    this.release = release;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    // Without parameters, use the simple query protocol: it accepts several statements in one string
    // (migrations, a job queue's DDL) and skips the extended protocol's extra describe round trip.
    const result: Results<R> | undefined =
      compiledQuery.parameters.length === 0
        ? ((await this.#pglite.exec(compiledQuery.sql)).at(-1) as Results<R> | undefined)
        : await this.#pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    if (!result) return { rows: [] };
    const changesRows =
      result.command === 'INSERT' ||
      result.command === 'UPDATE' ||
      result.command === 'DELETE' ||
      result.command === 'MERGE';
    return {
      rows: result.rows,
      numAffectedRows: changesRows ? BigInt(result.rowCount ?? result.affectedRows ?? 0) : undefined,
    };
  }

  /** PGlite has no cursors here: the whole result is read, then handed out in chunks. */
  async *streamQuery<R>(
    compiledQuery: CompiledQuery,
    chunkSize = 100,
  ): AsyncIterableIterator<QueryResult<R>> {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0)
      throw new Error('chunkSize must be a positive integer');
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let start = 0; start < rows.length; start += chunkSize) {
      yield { rows: rows.slice(start, start + chunkSize) };
    }
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
