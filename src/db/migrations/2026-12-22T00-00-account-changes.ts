import { type Kysely, sql } from 'kysely';

/**
 * Enabling, disabling or renaming a user's or service principal's account is a change of the access change
 * feed too (a `principal` change, with its notification): every server instance caches the accounts behind
 * the requests it authenticates until the next change, so a disabled account is refused at once everywhere.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['users', 'service_principals']) {
    const trigger = sql.raw(`${table}_access_change`);
    await sql`drop trigger ${trigger} on ${sql.table(table)}`.execute(db);
    await sql`create trigger ${trigger}
      after insert or delete or update of account_enabled, display_name on ${sql.table(table)}
      for each row execute function ${sql.raw(`elevate_access_change_${table}`)}()`.execute(db);
  }
}
