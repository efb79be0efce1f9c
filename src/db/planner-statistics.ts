import { sql } from 'kysely';
import type { Executor } from '../app/context.js';

/**
 * Refreshes the query planner's statistics of every table of Elevate's schema, one table at a time, and names
 * them. Embedded PGlite has no autovacuum, so without this its plans would keep the picture of the data they
 * had when it was last analysed (after an import, or never) while tables grow from a few rows to millions; one
 * table per statement lets other work run in between, since each ANALYZE holds PGlite's one session.
 */
export async function refreshPlannerStatistics(db: Executor): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_tables where schemaname = current_schema() order by tablename`.execute(
    db,
  );
  for (const { name } of rows) await sql`analyze ${sql.table(name)}`.execute(db);
  return rows.map((r) => r.name);
}
