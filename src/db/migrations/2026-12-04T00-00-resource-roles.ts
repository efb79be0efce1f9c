import { type Kysely, sql } from 'kysely';

/**
 * Azure resource roles: the resource tree (management groups, subscriptions, resource groups, resources), and a
 * third target kind, `resourceRole` — (Azure role definition GUID, canonical ARM scope) — for schedules, schedule
 * requests, role settings and step-up proofs.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per registered scope. `id` is the canonical (lower-case) ARM path that schedules name in scope_id;
  // `path` keeps ARM's keyword casing and the names as registered. A management group's or subscription's parent
  // is a management group (moving one changes only parent_id); a resource group's is its subscription and a
  // resource's its resource group (or containing resource), fixed by the path. Only the tenant root group has no
  // parent. Deleting a scope that still has children is refused by the reference, not cascaded.
  await db.schema
    .createTable('resource_scopes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) =>
      c.notNull().check(sql`type in ('managementGroup', 'subscription', 'resourceGroup', 'resource')`),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('resource_scopes.id'))
    .addColumn('resource_type', 'text')
    .addColumn('location', 'text')
    .addColumn('tags', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('resource_scopes_parent', sql`parent_id is not null or type = 'managementGroup'`)
    .addCheckConstraint('resource_scopes_not_own_parent', sql`parent_id is null or parent_id <> id`)
    .execute();
  await db.schema
    .createIndex('resource_scopes_parent_id')
    .on('resource_scopes')
    .column('parent_id')
    .execute();
  // The tenant root group is the only scope without a parent.
  await sql`create unique index resource_scopes_one_root on resource_scopes ((true)) where parent_id is null`.execute(
    db,
  );

  const kinds = sql.raw(`('directoryRole', 'group', 'resourceRole')`);
  for (const table of ['schedules', 'schedule_requests', 'role_management_policies']) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.raw(`${table}_target_kind`)}`.execute(db);
    await sql`alter table ${sql.table(table)} add constraint ${sql.raw(`${table}_target_kind`)} check (target_kind in ${kinds})`.execute(
      db,
    );
  }
  await sql`alter table step_up_proofs drop constraint if exists step_up_proofs_target_type_check`.execute(
    db,
  );
  await sql`alter table step_up_proofs add constraint step_up_proofs_target_type check (target_type in ${kinds})`.execute(
    db,
  );
  // What is granted at a scope (deleting a scope, listing a scope's schedules).
  await sql`create index schedules_resource_scope on schedules (scope_id, role_definition_id)
    where target_kind = 'resourceRole'`.execute(db);
  await sql`create index schedule_requests_resource_scope on schedule_requests (scope_id)
    where target_kind = 'resourceRole'`.execute(db);
}
