import { type Kysely, sql } from 'kysely';

/**
 * Indexes for the Graph and ARM lists at scale (a 100,000-user tenant holds about 1,000,000 schedules). Lists
 * are keyset-paged in id order with their `$filter` and the caller's visibility evaluated by the database: each
 * index leads with what a list narrows by (kind and target kind, principal, role, scope, requester, status)
 * and ends with `id`, so a page is an ordered index range read. Schedule lists show live grants only, so their
 * indexes are partial; ended schedules and requests only cost what an insert costs.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  const live = sql`where status in ('Scheduled', 'Provisioned')`;
  // Every schedule or instance, page after page (readers, no filter).
  await sql`create index schedules_live_list on schedules (kind, target_kind, id) ${live}`.execute(db);
  // principalId eq …, filterByCurrentUser(on='principal'), and what a non-reader sees (its own and its groups').
  await sql`create index schedules_live_principal on schedules (principal_id, kind, target_kind, id) ${live}`.execute(
    db,
  );
  // roleDefinitionId eq … (accessId for groups).
  await sql`create index schedules_live_role on schedules (kind, target_kind, role_definition_id, id) ${live}`.execute(
    db,
  );
  // directoryScopeId eq …, groupId eq …, a resource scope and its descendants.
  await sql`create index schedules_live_scope on schedules (kind, target_kind, scope_id, id) ${live}`.execute(
    db,
  );

  await sql`create index schedule_requests_list on schedule_requests (kind, target_kind, id)`.execute(db);
  await sql`create index schedule_requests_principal on schedule_requests (principal_id, kind, target_kind, id)`.execute(
    db,
  );
  await sql`create index schedule_requests_created_by on schedule_requests (created_by_id, kind, target_kind, id)`.execute(
    db,
  );
  await sql`create index schedule_requests_status on schedule_requests (kind, target_kind, status, id)`.execute(
    db,
  );
  await sql`create index schedule_requests_scope on schedule_requests (kind, target_kind, scope_id, id)`.execute(
    db,
  );
  // The requests whose approval a caller may decide (filterByCurrentUser(on='approver'), approvers' visibility).
  await sql`create index schedule_requests_approval on schedule_requests (approval_id) where approval_id is not null`.execute(
    db,
  );
  // Who may decide an approval: a listed user or group (containment), or the default approvers (none listed).
  await sql`create index approvals_approvers on approvals using gin (approvers jsonb_path_ops)`.execute(db);
  await sql`create index approvals_default_approvers on approvals (id) where approvers = '[]'::jsonb`.execute(
    db,
  );
}
