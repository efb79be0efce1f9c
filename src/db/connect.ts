import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { acquireLockFile, type LockFile } from './lock-file.js';
import { listenForNotifications, type NotificationHandlers } from './notification-listener.js';
import { PgliteDialect } from './pglite-dialect.js';
import type { DB } from './schema.js';

/** An open database: embedded PGlite or PostgreSQL, returning the same JavaScript values for each type. */
export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: 'pglite' | 'postgres';
  /**
   * Embedded only: runs raw PGlite work (LISTEN, `dumpDataDir`, a job queue's SQL) under the lock every Kysely
   * query takes. `fn` must not use `db`: it would wait for the lock `fn` holds.
   */
  readonly withPglite?: <T>(fn: (pglite: PGlite) => Promise<T>) => Promise<T>;
  /**
   * PostgreSQL only: LISTEN on a channel over a dedicated connection that reconnects by itself (other server
   * instances' changes arrive this way); closed with the database. Embedded PGlite has one process, so none.
   */
  readonly listen?: (channel: string, handlers: NotificationHandlers) => void;
  /** Waits for running work, closes the connections and releases the data directory. Idempotent. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** `postgres://…`: use PostgreSQL. Without it, PGlite in `dataDir`. */
  databaseUrl?: string;
  /** PGlite's data directory, locked while open; `memory://` keeps everything in memory (tests). */
  dataDir: string;
  /** PostgreSQL pool size (default 10). */
  pool?: number;
}

const PGLITE_EXTENSIONS = { btree_gist };

/** Opens PostgreSQL when `databaseUrl` is set, otherwise PGlite in `dataDir` (taking its lock file first). */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.pool ?? 10);
  if (!options.dataDir) throw new Error('No database configured: set a data directory or a PostgreSQL URL');
  if (options.dataDir.startsWith('memory://'))
    return openPglite(await createPglite(options.dataDir), undefined);
  const lock = await acquireLockFile(options.dataDir);
  try {
    return openPglite(await createPglite(options.dataDir), lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/**
 * Opens an in-memory PGlite loaded from a `dumpDataDir()` tarball (about 1 s instead of 5–7 s for a new
 * cluster): tests start from a migrated template this way.
 */
export async function openDatabaseFromTemplate(template: Blob): Promise<Database> {
  const pglite = await PGlite.create({
    loadDataDir: template,
    extensions: PGLITE_EXTENSIONS,
    parsers: PGLITE_PARSERS,
  });
  return openPglite(pglite, undefined);
}

async function createPglite(dataDir: string): Promise<PGlite> {
  return PGlite.create(dataDir, { extensions: PGLITE_EXTENSIONS, parsers: PGLITE_PARSERS });
}

function openPglite(pglite: PGlite, lock: LockFile | undefined): Database {
  const dialect = new PgliteDialect(pglite);
  const db = new Kysely<DB>({ dialect });
  let closing: Promise<void> | undefined;
  return {
    db,
    dialect: 'pglite',
    withPglite: (fn) => dialect.withLock(fn),
    close: () => {
      closing ??= (async () => {
        try {
          await db.destroy();
        } finally {
          await lock?.release();
        }
      })();
      return closing;
    },
  };
}

async function openPostgres(databaseUrl: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    application_name: 'elevate',
    types: { getTypeParser: postgresTypeParser as typeof pg.types.getTypeParser },
  });
  // An idle client that loses its server emits 'error'; unhandled, it would end the process. The pool
  // discards that client, and the next query reports the outage.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not connect to PostgreSQL at ${redactUrl(databaseUrl)}: ${reason}`, {
      cause: error,
    });
  }
  let closing: Promise<void> | undefined;
  const listeners: { close(): Promise<void> }[] = [];
  return {
    db,
    dialect: 'postgres',
    listen: (channel, handlers) => {
      listeners.push(listenForNotifications(databaseUrl, channel, handlers));
    },
    close: () => {
      closing ??= Promise.all(listeners.map((l) => l.close())).then(() => db.destroy());
      return closing;
    },
  };
}

function redactUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'the configured database URL';
  }
}

// ---- One set of JavaScript values for both databases -------------------------------------------------
// int8 (count(*), sums) and numeric → number; date → 'YYYY-MM-DD' (no time-zone shift); interval → its
// text; timestamptz → Date, jsonb → parsed value, uuid → string (already so in both).

/** int8 → number, refusing values a JavaScript number cannot hold exactly rather than rounding them. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`The int8 value ${text} does not fit in a JavaScript number`);
  }
  return value;
}

const asText = (text: string): string => text;

const PGLITE_PARSERS = {
  [pgliteTypes.INT8]: parseInt8,
  [pgliteTypes.NUMERIC]: Number,
  [pgliteTypes.DATE]: asText,
  [pgliteTypes.INTERVAL]: asText,
};

const OID = {
  int8: 20,
  date: 1082,
  interval: 1186,
  numeric: 1700,
  textArray: 1009,
  int8Array: 1016,
  dateArray: 1182,
  intervalArray: 1187,
  numericArray: 1231,
} as const;

type Nested<T> = (T | null | Nested<T>)[];

function arrayOf<T>(parseElement: (text: string) => T): (text: string) => Nested<T> {
  const getParser = pg.types.getTypeParser as (
    oid: number,
    format: 'text',
  ) => (text: string) => Nested<string>;
  const parseTextArray = getParser(OID.textArray, 'text');
  const map = (items: Nested<string>): Nested<T> =>
    items.map((item) => (item === null ? null : Array.isArray(item) ? map(item) : parseElement(item)));
  return (text) => map(parseTextArray(text));
}

const POSTGRES_PARSERS: Record<number, (text: string) => unknown> = {
  [OID.int8]: parseInt8,
  [OID.numeric]: Number,
  [OID.date]: asText,
  [OID.interval]: asText,
  [OID.int8Array]: arrayOf(parseInt8),
  [OID.numericArray]: arrayOf(Number),
  [OID.dateArray]: arrayOf(asText),
  [OID.intervalArray]: arrayOf(asText),
};

function postgresTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
  if (format !== 'binary') {
    const parser = POSTGRES_PARSERS[oid];
    if (parser) return parser;
  }
  return format ? pg.types.getTypeParser(oid, format) : pg.types.getTypeParser(oid);
}
