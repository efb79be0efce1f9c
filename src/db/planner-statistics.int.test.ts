import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/db.js';
import { refreshPlannerStatistics } from './planner-statistics.js';

const t0 = new Date('2026-03-02T09:00:00.000Z');

describeEachDatabase("the planner's statistics", (ctx) => {
  it('are refreshed for every table, so the planner sees the rows that arrived since', async () => {
    const estimate = async () =>
      (
        await sql<{ reltuples: number }>`select reltuples::float8 as reltuples from pg_class
          where relname = 'users' and relnamespace = current_schema()::regnamespace`.execute(ctx.db.db)
      ).rows[0]?.reltuples;
    await ctx.db.db
      .insertInto('users')
      .values(
        Array.from({ length: 300 }, (_, i) => ({
          id: randomUUID(),
          user_principal_name: `stats-${i}@elevate.test`,
          display_name: `Stats ${i}`,
          mail: null,
          given_name: null,
          surname: null,
          job_title: null,
          account_enabled: true,
          password_hash: null,
          is_emergency_access: false,
          created_at: t0,
          updated_at: t0,
        })),
      )
      .execute();
    const before = await estimate();

    const tables = await refreshPlannerStatistics(ctx.db.db);

    expect(tables).toEqual(expect.arrayContaining(['audit_log', 'schedules', 'users', 'groups']));
    expect(tables).not.toContain('pg_class');
    expect(before).not.toBeGreaterThanOrEqual(300);
    expect(await estimate()).toBeGreaterThanOrEqual(300);
  });
});
