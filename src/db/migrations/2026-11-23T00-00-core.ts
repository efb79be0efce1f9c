import { type Kysely, sql } from 'kysely';

/** The directory, the role catalogue's custom roles, role settings, schedule requests, schedules, approvals, audit. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenant_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_principal_name', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('mail', 'text')
    .addColumn('given_name', 'text')
    .addColumn('surname', 'text')
    .addColumn('job_title', 'text')
    .addColumn('account_enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('password_hash', 'text')
    .addColumn('is_emergency_access', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create unique index users_upn_key on users (lower(user_principal_name))`.execute(db);

  await db.schema
    .createTable('groups')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('mail_nickname', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('security_enabled', 'boolean', (c) => c.notNull())
    .addColumn('mail_enabled', 'boolean', (c) => c.notNull())
    .addColumn('is_assignable_to_role', 'boolean', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('service_principals')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('app_id', 'uuid', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('account_enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('service_principal_secrets')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('service_principal_id', 'uuid', (c) =>
      c.notNull().references('service_principals.id').onDelete('cascade'),
    )
    .addColumn('display_name', 'text')
    .addColumn('hint', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('start_at', 'timestamptz', (c) => c.notNull())
    .addColumn('end_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // Static (non-PIM) membership and ownership; PIM-activated membership arrives with PIM for Groups.
  await db.schema
    .createTable('group_relationships')
    .addColumn('group_id', 'uuid', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('relationship', 'text', (c) => c.notNull().check(sql`relationship in ('member', 'owner')`))
    .addColumn('principal_id', 'uuid', (c) => c.notNull())
    .addColumn('principal_type', 'text', (c) =>
      c.notNull().check(sql`principal_type in ('user', 'group', 'servicePrincipal')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_relationships_pk', ['group_id', 'relationship', 'principal_id'])
    .execute();
  await db.schema
    .createIndex('group_relationships_principal')
    .on('group_relationships')
    .columns(['principal_id'])
    .execute();

  await db.schema
    .createTable('administrative_units')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // Built-in roles live in code (src/core/catalog); only custom roles are rows.
  await db.schema
    .createTable('custom_role_definitions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('is_enabled', 'boolean', (c) => c.notNull())
    .addColumn('allowed_resource_actions', 'jsonb', (c) => c.notNull())
    .addColumn('version', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create unique index custom_role_definitions_name_key on custom_role_definitions (lower(display_name))`.execute(
    db,
  );

  await db.schema
    .createTable('role_management_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope_type', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('role_definition_id', 'text', (c) => c.notNull())
    .addColumn('rules', 'jsonb', (c) => c.notNull())
    .addColumn('last_modified_at', 'timestamptz')
    .addColumn('last_modified_by', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('role_management_policies_target_key', [
      'scope_type',
      'scope_id',
      'role_definition_id',
    ])
    .execute();

  await db.schema
    .createTable('schedule_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('eligibility', 'assignment')`))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'uuid', (c) => c.notNull())
    .addColumn('principal_type', 'text', (c) => c.notNull())
    .addColumn('role_definition_id', 'text', (c) => c.notNull())
    .addColumn('directory_scope_id', 'text', (c) => c.notNull())
    .addColumn('justification', 'text')
    .addColumn('ticket_number', 'text')
    .addColumn('ticket_system', 'text')
    .addColumn('schedule_info', 'jsonb')
    .addColumn('is_validation_only', 'boolean', (c) => c.notNull())
    .addColumn('target_schedule_id', 'uuid')
    .addColumn('activated_using', 'uuid')
    .addColumn('approval_id', 'uuid')
    .addColumn('created_by_id', 'uuid', (c) => c.notNull())
    .addColumn('created_by_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('completed_at', 'timestamptz')
    // The rules the request was made under: a pending request keeps them (issue: approvals).
    .addColumn('policy_rules', 'jsonb')
    .execute();
  await db.schema
    .createIndex('schedule_requests_target')
    .on('schedule_requests')
    .columns(['principal_id', 'role_definition_id', 'directory_scope_id'])
    .execute();
  await db.schema
    .createIndex('schedule_requests_created')
    .on('schedule_requests')
    .columns(['created_at', 'id'])
    .execute();
  await sql`create index schedule_requests_pending on schedule_requests (status) where status = 'PendingApproval'`.execute(
    db,
  );

  await db.schema
    .createTable('schedules')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('eligibility', 'assignment')`))
    .addColumn('principal_id', 'uuid', (c) => c.notNull())
    .addColumn('principal_type', 'text', (c) => c.notNull())
    .addColumn('role_definition_id', 'text', (c) => c.notNull())
    .addColumn('directory_scope_id', 'text', (c) => c.notNull())
    .addColumn('assignment_type', 'text')
    .addColumn('start_at', 'timestamptz', (c) => c.notNull())
    .addColumn('end_at', 'timestamptz')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('Scheduled', 'Provisioned', 'Revoked', 'Expired')`),
    )
    .addColumn('created_using', 'uuid', (c) => c.notNull())
    .addColumn('activated_using', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('modified_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('schedules_window', sql`end_at is null or end_at > start_at`)
    .addCheckConstraint(
      'schedules_service_principals_time_bound_active',
      sql`principal_type <> 'servicePrincipal' or (kind = 'assignment' and end_at is not null)`,
    )
    .execute();
  // At most one live grant of a kind per (principal, role, scope) at any instant: the database
  // refuses an overlapping pair even if two requests race past the application checks.
  await sql`alter table schedules add constraint schedules_no_overlap exclude using gist (
      kind with =, principal_id with =, role_definition_id with =, directory_scope_id with =,
      tstzrange(start_at, coalesce(end_at, 'infinity'::timestamptz), '[)') with &&
    ) where (status in ('Scheduled', 'Provisioned'))`.execute(db);
  await db.schema
    .createIndex('schedules_principal')
    .on('schedules')
    .columns(['principal_id', 'kind', 'role_definition_id'])
    .execute();
  await sql`create index schedules_live_end on schedules (end_at) where status in ('Scheduled', 'Provisioned')`.execute(
    db,
  );
  await sql`create index schedules_role on schedules (role_definition_id, kind)`.execute(db);

  await db.schema
    .createTable('approvals')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('request_id', 'uuid', (c) => c.notNull().unique().references('schedule_requests.id'))
    .addColumn('stage_id', 'uuid', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('InProgress', 'Completed', 'Expired', 'Canceled')`),
    )
    .addColumn('review_result', 'text', (c) => c.notNull())
    .addColumn('approvers', 'jsonb', (c) => c.notNull())
    .addColumn('is_approver_justification_required', 'boolean', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reviewed_by_id', 'uuid')
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('justification', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index approvals_open on approvals (expires_at) where status = 'InProgress'`.execute(db);

  await db.schema
    .createTable('audit_log')
    .addColumn('sequence', 'bigint', (c) => c.primaryKey())
    .addColumn('id', 'uuid', (c) => c.notNull().unique())
    .addColumn('activity_at', 'timestamptz', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('activity_display_name', 'text', (c) => c.notNull())
    .addColumn('operation_type', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('result_reason', 'text')
    .addColumn('logged_by_service', 'text', (c) => c.notNull())
    .addColumn('correlation_id', 'uuid')
    .addColumn('initiated_by', 'jsonb', (c) => c.notNull())
    .addColumn('target_resources', 'jsonb', (c) => c.notNull())
    .addColumn('additional_details', 'jsonb', (c) => c.notNull())
    .addColumn('target_ids', sql`text[]`, (c) => c.notNull())
    .addColumn('previous_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_activity_at').on('audit_log').columns(['activity_at']).execute();
  await sql`create index audit_log_target_ids on audit_log using gin (target_ids)`.execute(db);
  // Append-only: the table refuses updates and deletes, whoever asks.
  await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
    begin raise exception 'audit_log is append-only'; end $$`.execute(db);
  await sql`create trigger audit_log_no_update before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db);
  await sql`create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only()`.execute(db);
}
