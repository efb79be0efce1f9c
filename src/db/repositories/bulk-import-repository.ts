import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../../app/context.js';

/**
 * Multi-row inserts for `elevate import tenant`: one statement per batch, each column sent as one array
 * (`unnest`), rows that already exist left alone (`on conflict do nothing`, so a second import of the same file
 * changes nothing). Each returns the keys of the rows it inserted (what the import audits). Callers run them
 * inside `asBulkImport`.
 */

export interface ScopeInsert {
  readonly id: string;
  readonly path: string;
  readonly type: 'managementGroup' | 'subscription' | 'resourceGroup' | 'resource';
  readonly name: string;
  readonly parentId: string | null;
  readonly resourceType: string | null;
}

export interface ScheduleInsert {
  readonly id: string;
  readonly kind: 'eligibility' | 'assignment';
  readonly principalId: string;
  readonly principalType: 'user' | 'group';
  readonly roleDefinitionId: string;
  readonly scopeId: string;
  readonly start: Date;
  readonly end: Date | null;
  readonly status: 'Scheduled' | 'Provisioned' | 'Expired';
  readonly modifiedAt: Date;
}

type Column<R> = readonly [name: string, type: string, value: (row: R) => unknown];

/** `unnest(…) as t(…)`: the rows as one typed array per column, named for the `select` that reads them. */
function unnestRows<R>(rows: readonly R[], columns: readonly Column<R>[]): RawBuilder<unknown> {
  const arrays = columns.map(([, type, value]) => sql`${sql.val(rows.map(value))}::${sql.raw(type)}[]`);
  const names = columns.map(([name]) => sql.raw(name));
  return sql`unnest(${sql.join(arrays)}) as t(${sql.join(names)})`;
}

/** Runs an insert `… returning <key> as key` and gives back the keys of the rows it inserted. */
async function insertedKeys(query: RawBuilder<{ key: string }>, db: Executor): Promise<Set<string>> {
  const { rows } = await query.execute(db);
  return new Set(rows.map((r) => r.key));
}

/**
 * Refreshes the planner's statistics of every table an import writes. After a million rows arrive at once the
 * old ones mislead it (a list by principal walked the whole schedules table in id order: 1.4 s instead of
 * 6 ms), and embedded PGlite has no autovacuum to refresh them later.
 */
export async function analyzeImportedTables(db: Executor): Promise<void> {
  await sql`analyze resource_scopes, users, groups, group_relationships, custom_role_definitions, schedules, audit_log`.execute(
    db,
  );
}

/** Marks the transaction as a bulk import: the access-change triggers stay quiet (one `all` change follows). */
export async function asBulkImport(trx: Executor): Promise<void> {
  await sql`select set_config('elevate.bulk_import', 'on', true)`.execute(trx);
}

export function insertScopes(db: Executor, rows: readonly ScopeInsert[], now: Date): Promise<Set<string>> {
  return insertedKeys(
    sql<{
      key: string;
    }>`insert into resource_scopes (id, path, type, name, display_name, parent_id, resource_type, created_at, updated_at)
      select id, path, type, name, name, parent_id, resource_type, ${now}, ${now}
      from ${unnestRows(rows, [
        ['id', 'text', (r) => r.id],
        ['path', 'text', (r) => r.path],
        ['type', 'text', (r) => r.type],
        ['name', 'text', (r) => r.name],
        ['parent_id', 'text', (r) => r.parentId],
        ['resource_type', 'text', (r) => r.resourceType],
      ])}
      on conflict do nothing
      returning id as key`,
    db,
  );
}

export function insertUsers(
  db: Executor,
  rows: readonly { id: string; userPrincipalName: string }[],
  now: Date,
): Promise<Set<string>> {
  return insertedKeys(
    sql<{ key: string }>`insert into users (id, user_principal_name, display_name, created_at, updated_at)
      select id, upn, split_part(upn, '@', 1), ${now}, ${now}
      from ${unnestRows(rows, [
        ['id', 'uuid', (r) => r.id],
        ['upn', 'text', (r) => r.userPrincipalName],
      ])}
      on conflict do nothing
      returning id::text as key`,
    db,
  );
}

export function insertGroups(
  db: Executor,
  rows: readonly { id: string; displayName: string }[],
  now: Date,
): Promise<Set<string>> {
  return insertedKeys(
    sql<{
      key: string;
    }>`insert into groups (id, display_name, mail_nickname, security_enabled, mail_enabled, is_assignable_to_role, created_at, updated_at)
      select id, name, name, true, false, false, ${now}, ${now}
      from ${unnestRows(rows, [
        ['id', 'uuid', (r) => r.id],
        ['name', 'text', (r) => r.displayName],
      ])}
      on conflict do nothing
      returning id::text as key`,
    db,
  );
}

export function insertMemberships(
  db: Executor,
  rows: readonly { groupId: string; memberId: string }[],
  now: Date,
): Promise<Set<string>> {
  return insertedKeys(
    sql<{
      key: string;
    }>`insert into group_relationships (group_id, relationship, principal_id, principal_type, created_at)
      select group_id, 'member', member_id, 'user', ${now}
      from ${unnestRows(rows, [
        ['group_id', 'uuid', (r) => r.groupId],
        ['member_id', 'uuid', (r) => r.memberId],
      ])}
      on conflict do nothing
      returning group_id::text || '/' || principal_id::text as key`,
    db,
  );
}

/** Custom roles of literal actions (`exact_actions`), as the tenant format defines them. */
export function insertExactRoles(
  db: Executor,
  rows: readonly { id: string; displayName: string; permissions: readonly string[] }[],
  now: Date,
): Promise<Set<string>> {
  return insertedKeys(
    sql<{
      key: string;
    }>`insert into custom_role_definitions (id, display_name, description, is_enabled, allowed_resource_actions, exact_actions, version, created_at, updated_at)
      select id, name, 'Imported tenant role', true, actions::jsonb, true, '1', ${now}, ${now}
      from ${unnestRows(rows, [
        ['id', 'uuid', (r) => r.id],
        ['name', 'text', (r) => r.displayName],
        ['actions', 'text', (r) => JSON.stringify(r.permissions)],
      ])}
      on conflict do nothing
      returning id::text as key`,
    db,
  );
}

/**
 * Resource-role schedules; returns the ids the database refused or already had (an existing id, or a live
 * window overlapping a live one of the same principal, role and scope: schedules_no_overlap).
 */
export async function insertResourceSchedules(
  db: Executor,
  rows: readonly ScheduleInsert[],
): Promise<string[]> {
  const { rows: inserted } = await sql<{ id: string }>`
    insert into schedules (id, kind, principal_id, principal_type, target_kind, role_definition_id, scope_id,
      assignment_type, start_at, end_at, status, created_using, created_at, modified_at)
    select id, kind, principal_id, principal_type, 'resourceRole', role_id, scope_id,
      case when kind = 'assignment' then 'Assigned' end, start_at, end_at, status, id, start_at, modified_at
    from ${unnestRows(rows, [
      ['id', 'uuid', (r) => r.id],
      ['kind', 'text', (r) => r.kind],
      ['principal_id', 'uuid', (r) => r.principalId],
      ['principal_type', 'text', (r) => r.principalType],
      ['role_id', 'text', (r) => r.roleDefinitionId],
      ['scope_id', 'text', (r) => r.scopeId],
      ['start_at', 'timestamptz', (r) => r.start.toISOString()],
      ['end_at', 'timestamptz', (r) => r.end?.toISOString() ?? null],
      ['status', 'text', (r) => r.status],
      ['modified_at', 'timestamptz', (r) => r.modifiedAt.toISOString()],
    ])}
    on conflict do nothing
    returning id`.execute(db);
  const done = new Set(inserted.map((r) => r.id));
  return rows.filter((r) => !done.has(r.id)).map((r) => r.id);
}

/** Whether a schedule with this id exists. */
export async function scheduleExists(db: Executor, id: string): Promise<boolean> {
  return (
    (await db.selectFrom('schedules').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
  );
}

/**
 * Widens the live schedule that overlaps `row` (same kind, principal, role and scope) to the union of both
 * windows: the two grant exactly what the union grants, and the database keeps one live window per key.
 * Returns that schedule's id and whether it changed (a window it already covers leaves it as it is: importing
 * the same file again changes nothing), or undefined when there is none (the row was refused for another reason).
 */
export async function mergeIntoOverlapping(
  db: Executor,
  row: ScheduleInsert,
  now: Date,
): Promise<{ id: string; widened: boolean } | undefined> {
  const start = row.start;
  const end = sql`${row.end}::timestamptz`;
  const { rows } = await sql<{ id: string; widened: boolean }>`
    with hit as (
      select s.id, s.start_at, s.end_at from schedules s
      where s.target_kind = 'resourceRole' and s.kind = ${row.kind} and s.principal_id = ${row.principalId}
        and s.role_definition_id = ${row.roleDefinitionId} and s.scope_id = ${row.scopeId}
        and s.status in ('Scheduled', 'Provisioned')
        and tstzrange(s.start_at, coalesce(s.end_at, 'infinity'), '[)') &&
            tstzrange(${start}, coalesce(${end}, 'infinity'), '[)')
      limit 1
      for update
    ), widened as (
      update schedules s set
        start_at = least(s.start_at, ${start}),
        end_at = case when s.end_at is null or ${end} is null then null else greatest(s.end_at, ${end}) end,
        status = case when least(s.start_at, ${start}) <= ${now} then 'Provisioned' else 'Scheduled' end,
        modified_at = ${now}
      from hit
      where s.id = hit.id
        and (hit.start_at > ${start} or (hit.end_at is not null and (${end} is null or hit.end_at < ${end})))
      returning s.id
    )
    select hit.id::text as id, exists (select 1 from widened) as widened from hit`.execute(db);
  return rows[0];
}
