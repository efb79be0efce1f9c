import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { migrations } from './migrations/index.js';

/** The frozen migrations shipped with Elevate, in order. */
export const elevateMigrations: MigrationProvider = staticMigrations(migrations);

export function staticMigrations(all: Record<string, Migration>): MigrationProvider {
  return { getMigrations: async () => all };
}

/**
 * Brings the schema to the latest migration, each pending one in one transaction (Kysely's Migrator; on
 * PostgreSQL an advisory lock keeps two starting servers from migrating at once). Throws naming the
 * migration that failed; nothing of that migration stays applied.
 */
export async function migrateToLatest(
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against every past schema, not today's DB type
  db: Kysely<any>,
  provider: MigrationProvider = elevateMigrations,
): Promise<void> {
  try {
    await sql`create extension if not exists btree_gist`.execute(db);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Could not create the PostgreSQL extension btree_gist (${reason}). It ships with PostgreSQL's contrib` +
        ' modules (Debian: postgresql-contrib); install them, or have a superuser run' +
        ' "create extension btree_gist" in this database.',
      { cause: error },
    );
  }

  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((result) => result.status === 'Error')?.migrationName;
  const reason = error instanceof Error ? error.message : String(error);
  throw new Error(
    failed ? `Migration ${failed} failed: ${reason}` : `Could not run the database migrations: ${reason}`,
    { cause: error },
  );
}
