import { type Kysely, sql } from 'kysely';

/**
 * PIM for Groups: schedules, schedule requests and role settings name a target kind. A target is
 * (target_kind, role_definition_id, scope_id): a directory role at a directory scope, or a group's `member` /
 * `owner` access with the group's id as scope (the mapping Graph uses for group policies). Existing rows are
 * directory roles. The no-overlap rule and the policy key now include the kind.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  const kindCheck = (table: string) =>
    sql.raw(
      `alter table ${table} add column target_kind text not null default 'directoryRole' constraint ${table}_target_kind check (target_kind in ('directoryRole', 'group'))`,
    );

  await sql`${kindCheck('schedules')}`.execute(db);
  await sql`alter table schedules rename column directory_scope_id to scope_id`.execute(db);
  await sql`alter table schedules drop constraint schedules_no_overlap`.execute(db);
  // At most one live grant of a kind per (principal, target) at any instant, even if two requests race.
  await sql`alter table schedules add constraint schedules_no_overlap exclude using gist (
      target_kind with =, kind with =, principal_id with =, role_definition_id with =, scope_id with =,
      tstzrange(start_at, coalesce(end_at, 'infinity'::timestamptz), '[)') with &&
    ) where (status in ('Scheduled', 'Provisioned'))`.execute(db);
  // Who is a member or owner of a group through PIM, read on every access check.
  await sql`create index schedules_group_target on schedules (scope_id, role_definition_id)
    where target_kind = 'group'`.execute(db);

  await sql`${kindCheck('schedule_requests')}`.execute(db);
  await sql`alter table schedule_requests rename column directory_scope_id to scope_id`.execute(db);
  await sql`drop index schedule_requests_target`.execute(db);
  await db.schema
    .createIndex('schedule_requests_target')
    .on('schedule_requests')
    .columns(['principal_id', 'target_kind', 'role_definition_id', 'scope_id'])
    .execute();
  await sql`create index schedule_requests_group on schedule_requests (scope_id)
    where target_kind = 'group'`.execute(db);

  await sql`${kindCheck('role_management_policies')}`.execute(db);
  await sql`alter table role_management_policies drop constraint role_management_policies_target_key`.execute(
    db,
  );
  await db.schema
    .alterTable('role_management_policies')
    .addUniqueConstraint('role_management_policies_target_key', [
      'target_kind',
      'scope_type',
      'scope_id',
      'role_definition_id',
    ])
    .execute();
}
