import { type Kysely, sql } from 'kysely';

/**
 * The access index's change feed. Every committed change to what grants access (role and membership schedules,
 * standing memberships, principals, groups' role-assignability, the resource tree, custom role definitions)
 * leaves a row in `access_changes` naming what to reload, and a `pg_notify` on `elevate_access_changes` so other
 * server instances reload it too. A transaction-scoped advisory lock taken before the row's id is drawn makes
 * ids commit in order, so a reader that has seen id n has seen every id below it. A bulk import sets
 * `elevate.bulk_import` for its transactions and records one `all` change instead (a full reload).
 * Custom roles gain `exact_actions`: their actions are literal names compared whole (imported tenants).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen and must not depend on the current schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('custom_role_definitions')
    .addColumn('exact_actions', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema
    .createTable('access_changes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('holder', 'principal', 'scope', 'role', 'all')`),
    )
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await sql`create function elevate_record_access_change(change_kind text, change_key text) returns void
    language plpgsql as $$
    begin
      perform pg_advisory_xact_lock(7461823905112);
      insert into access_changes (kind, key) values (change_kind, change_key);
      perform pg_notify('elevate_access_changes', '');
    end $$`.execute(db);

  // One function per table: which holder, principal, scope or role a row change touches (old and new row).
  const keyed: Record<string, { kind: string; column: string }> = {
    schedules: { kind: 'holder', column: 'principal_id' },
    group_relationships: { kind: 'holder', column: 'principal_id' },
    users: { kind: 'principal', column: 'id' },
    service_principals: { kind: 'principal', column: 'id' },
    groups: { kind: 'principal', column: 'id' },
    resource_scopes: { kind: 'scope', column: 'id' },
    custom_role_definitions: { kind: 'role', column: 'id' },
  };
  const events: Record<string, string> = {
    schedules: 'insert or update or delete',
    group_relationships: 'insert or update or delete',
    users: 'insert or delete',
    service_principals: 'insert or delete',
    groups: 'insert or delete or update of is_assignable_to_role',
    resource_scopes: 'insert or delete or update of parent_id',
    custom_role_definitions: 'insert or update or delete',
  };
  for (const [table, { kind, column }] of Object.entries(keyed)) {
    const fn = sql.raw(`elevate_access_change_${table}`);
    const col = sql.raw(column);
    await sql`create function ${fn}() returns trigger language plpgsql as $$
      begin
        if coalesce(current_setting('elevate.bulk_import', true), '') = 'on' then return null; end if;
        if tg_op <> 'INSERT' then perform elevate_record_access_change(${sql.lit(kind)}, old.${col}::text); end if;
        if tg_op <> 'DELETE' and (tg_op = 'INSERT' or new.${col}::text <> old.${col}::text) then
          perform elevate_record_access_change(${sql.lit(kind)}, new.${col}::text);
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_access_change`)} after ${sql.raw(events[table] ?? '')}
      on ${sql.table(table)} for each row execute function ${fn}()`.execute(db);
  }
}
