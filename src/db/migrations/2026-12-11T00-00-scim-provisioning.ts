import { type Kysely, sql } from 'kysely';

/**
 * Outbound SCIM provisioning: a group linked to applications (a SCIM base URL and a bearer token, sealed at rest),
 * and one receipt per (event, application) telling what the application answered when a membership change was
 * pushed to it.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per (group, application). The token is sealed (secret-box.ts, bound to the row id) and never read
  // back out through the API. `scim_group_id` remembers the group's id in the application once found or made.
  await db.schema
    .createTable('provisioning_applications')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('group_id', 'uuid', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('token_sealed', 'text', (c) => c.notNull())
    .addColumn('rate_per_second', 'double precision', (c) => c.check(sql`rate_per_second > 0`))
    .addColumn('scim_group_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('provisioning_applications_group_url', ['group_id', 'base_url'])
    .execute();

  // Receipts outlive the link they were delivered through (the application's name is copied), so `explain`
  // still shows what was pushed after an application is unlinked.
  await db.schema
    .createTable('provisioning_receipts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('event_id', 'uuid', (c) => c.notNull())
    .addColumn('application_id', 'uuid', (c) => c.notNull())
    .addColumn('application_name', 'text', (c) => c.notNull())
    .addColumn('schedule_id', 'uuid')
    .addColumn('group_id', 'uuid', (c) => c.notNull())
    .addColumn('principal_id', 'uuid', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull().check(sql`operation in ('add', 'remove')`))
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('applied', 'skipped')`))
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('provisioning_receipts_event_application', ['event_id', 'application_id'])
    .execute();
  await db.schema
    .createIndex('provisioning_receipts_schedule')
    .on('provisioning_receipts')
    .column('schedule_id')
    .execute();
}
