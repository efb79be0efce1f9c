import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, inject } from 'vitest';
import { type Database, openDatabase, openDatabaseFromTemplate } from '../../src/db/connect.js';
import { databaseUrlFor, runAsAdmin } from './global-setup.js';

export type DatabaseKind = Database['dialect'];

/** PGlite always; PostgreSQL too when TEST_POSTGRES_URL is set (e.g. postgres://postgres@127.0.0.1:55432/postgres). */
export const databaseKinds: DatabaseKind[] = process.env.TEST_POSTGRES_URL
  ? ['pglite', 'postgres']
  : ['pglite'];

let pgliteTemplate: Promise<Blob> | undefined;

/** A fresh, migrated database of `kind`, copied from the run's template. `close()` also deletes it. */
export async function createTestDatabase(kind: DatabaseKind): Promise<Database> {
  if (kind === 'pglite') {
    pgliteTemplate ??= readFile(inject('pgliteTemplatePath')).then(
      (bytes) => new Blob([new Uint8Array(bytes)]),
    );
    return openDatabaseFromTemplate(await pgliteTemplate);
  }

  const url = process.env.TEST_POSTGRES_URL;
  const template = inject('postgresTemplateDatabase');
  if (!url || !template) {
    throw new Error('PostgreSQL test databases need TEST_POSTGRES_URL set before vitest starts');
  }
  const name = `elevate_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await runAsAdmin(url, `create database ${name} template ${template}`);
  const drop = () => runAsAdmin(url, `drop database if exists ${name} with (force)`);
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: databaseUrlFor(url, name), dataDir: '', pool: 4 });
  } catch (error) {
    await drop();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    db: database.db,
    dialect: database.dialect,
    close: () => {
      closing ??= database.close().finally(drop);
      return closing;
    },
  };
}

export interface DatabaseContext {
  readonly kind: DatabaseKind;
  /** The current test's database (or the block's, with `shared`); only valid inside tests and hooks. */
  readonly db: Database;
}

export interface DescribeEachDatabaseOptions {
  /** One database for the whole block (beforeAll/afterAll) instead of a fresh one per test. Faster; tests
   * then see each other's rows. */
  shared?: boolean;
}

/** Runs the block once per database kind, each test on a fresh migrated database (see `shared`). */
export function describeEachDatabase(
  name: string,
  fn: (ctx: DatabaseContext) => void,
  options: DescribeEachDatabaseOptions = {},
): void {
  for (const kind of databaseKinds) {
    describe(`${name} [${kind}]`, () => {
      let current: Database | undefined;
      const open = async () => {
        current = await createTestDatabase(kind);
      };
      const close = async () => {
        const closing = current;
        current = undefined;
        await closing?.close();
      };
      if (options.shared) {
        beforeAll(open);
        afterAll(close);
      } else {
        beforeEach(open);
        afterEach(close);
      }
      fn({
        kind,
        get db(): Database {
          if (!current) throw new Error(`No ${kind} test database here: use ctx.db inside tests and hooks`);
          return current;
        },
      });
    });
  }
}
