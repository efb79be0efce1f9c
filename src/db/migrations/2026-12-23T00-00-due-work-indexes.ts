import { type Kysely, sql } from 'kysely';

/**
 * Indexes for the two lookups every activation and every scheduler tick make, which read the whole schedules
 * table without them (about 1,000,000 rows on a 100,000-user tenant: ~90 ms on PostgreSQL, ~220 ms holding
 * embedded PGlite's one session): the live activations made from an eligibility (deactivation, extension,
 * renewal), and the scheduled grants whose start has come. Ended ones are found by `schedules_live_end`.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index schedules_activated_using on schedules (activated_using)
    where activated_using is not null and status in ('Scheduled', 'Provisioned')`.execute(db);
  await sql`create index schedules_scheduled_start on schedules (start_at) where status = 'Scheduled'`.execute(
    db,
  );
}
