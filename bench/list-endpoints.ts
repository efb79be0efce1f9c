// List endpoints at scale: p50/p99 of the Graph lists a 100k-user tenant is read through.
// - `benchListEndpoints(…)`: measures a running server (a Fastify app, or a base URL) — bench/run.ts calls it
//   after loading the shared tenant.
// - Stand-alone: `npx tsx bench/list-endpoints.ts [--schedules 1000000] [--audit 200000] [--rounds 200]
//   [--database-url postgres://…/scratch | --data-dir DIR]` seeds a fresh database (embedded PGlite, in memory
//   unless a data directory or a URL is given; the database must hold no schedules yet) with a bulk SQL
//   insert, starts the server on it and measures. The seeded rows are synthetic: they bypass the use cases and the audit chain.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { systemActor } from '../src/app/context.js';
import { composeServices, openMigratedDatabase, uuidV7Ids } from '../src/compose.js';
import { directoryRoleIds } from '../src/core/catalog/directory-roles.js';
import type { Database } from '../src/db/connect.js';
import { buildHttpServer } from '../src/http/server.js';

/** Something that answers HTTP: a Fastify app (through `inject`, no socket) or a server's base URL. */
export type ListBenchTarget =
  | {
      readonly app: {
        inject(options: {
          method: 'GET';
          url: string;
          headers: Record<string, string>;
        }): PromiseLike<{ statusCode: number; body: string }>;
      };
    }
  | { readonly baseUrl: string };

export interface ListBenchInput {
  readonly target: ListBenchTarget;
  /** A bearer token of a reader of everything (Global Administrator or Global Reader). */
  readonly token: string;
  /** Principals to filter instances by; cycled through. */
  readonly principalIds: readonly string[];
  /** Ids to find audit records by (`targetResources/any(t: t/id eq …)`); cycled through. */
  readonly targetIds: readonly string[];
  /** Timed requests per endpoint (default 200), after 20 untimed. */
  readonly rounds?: number;
  /**
   * Also list Azure resource-role eligibility instances by principal through the ARM-shaped API at the tenant
   * root (the shared tenant's grants are resource roles); the token's user must read role assignments there.
   */
  readonly arm?: boolean;
}

export interface LatencySummary {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Mean number of items in a response (a sanity check that the filter found something). */
  readonly meanItems: number;
}

export interface ListBenchResult {
  /** `GET /v1.0/roleManagement/directory/roleAssignmentScheduleInstances?$filter=principalId eq '…'`. */
  readonly instancesByPrincipal: LatencySummary;
  /** `GET /v1.0/auditLogs/directoryAudits?$filter=targetResources/any(t: t/id eq '…')`. */
  readonly auditByTarget: LatencySummary;
  /** `GET /providers/Microsoft.Authorization/roleEligibilityScheduleInstances?$filter=assignedTo('…')` at the root. */
  readonly armEligibilityInstancesByPrincipal?: LatencySummary;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function get(
  target: ListBenchTarget,
  url: string,
  token: string,
): Promise<{ status: number; body: string }> {
  const headers = { authorization: `Bearer ${token}` };
  if ('app' in target) {
    const res = await target.app.inject({ method: 'GET', url, headers });
    return { status: res.statusCode, body: res.body };
  }
  const res = await fetch(`${target.baseUrl.replace(/\/+$/, '')}${url}`, { headers });
  return { status: res.status, body: await res.text() };
}

async function measure(
  input: ListBenchInput,
  ids: readonly string[],
  urlFor: (id: string) => string,
): Promise<LatencySummary> {
  if (ids.length === 0) throw new Error('list bench: no ids to query with');
  const rounds = input.rounds ?? 200;
  const times: number[] = [];
  let items = 0;
  for (let i = 0; i < rounds + 20; i++) {
    const url = urlFor(ids[i % ids.length]!);
    const t0 = performance.now();
    const res = await get(input.target, url, input.token);
    const elapsed = performance.now() - t0;
    if (res.status !== 200) throw new Error(`list bench: GET ${url} answered ${res.status}: ${res.body}`);
    if (i < 20) continue;
    times.push(elapsed);
    items += (JSON.parse(res.body) as { value: unknown[] }).value.length;
  }
  times.sort((a, b) => a - b);
  return {
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    requests: rounds,
    meanItems: items / rounds,
  };
}

const quoted = (id: string) => encodeURIComponent(`'${id.replaceAll("'", "''")}'`);

/** Measures the list endpoints a large tenant is read through; requests run one at a time. */
export async function benchListEndpoints(input: ListBenchInput): Promise<ListBenchResult> {
  const instancesByPrincipal = await measure(
    input,
    input.principalIds,
    (id) =>
      `/v1.0/roleManagement/directory/roleAssignmentScheduleInstances?$filter=principalId%20eq%20${quoted(id)}`,
  );
  const auditByTarget = await measure(
    input,
    input.targetIds,
    (id) =>
      `/v1.0/auditLogs/directoryAudits?$filter=targetResources/any(t:%20t/id%20eq%20${quoted(id)})&$top=50`,
  );
  if (!input.arm) return { instancesByPrincipal, auditByTarget };
  const armEligibilityInstancesByPrincipal = await measure(
    input,
    input.principalIds,
    (id) =>
      `/providers/Microsoft.Authorization/roleEligibilityScheduleInstances?api-version=2020-10-01&$filter=assignedTo(${quoted(id)})`,
  );
  return { instancesByPrincipal, auditByTarget, armEligibilityInstancesByPrincipal };
}

// ------------------------------------------------------------------ stand-alone mode

/**
 * Synthetic rows straight into the tables: `schedules` directory-role grants of `users` users over 100 roles
 * (70% eligibilities, 30% active assignments, 80% live, half permanent), and `audit` records naming a user and
 * a role as targets. One principal never holds one role twice, so the overlap constraint holds.
 */
async function seed(database: Database, counts: { schedules: number; users: number; audit: number }) {
  const { db } = database;
  const existing = await db
    .selectFrom('schedules')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  if (Number(existing?.n ?? 0) > 0)
    throw new Error('list bench: seed a fresh database (schedules is not empty)');
  const { schedules, users } = counts;
  if (schedules > users * 10) throw new Error('list bench: at most 10 schedules per user');
  const chunk = 100_000;
  for (let from = 0; from < schedules; from += chunk) {
    const to = Math.min(schedules, from + chunk) - 1;
    await sql`
      insert into schedules (id, kind, principal_id, principal_type, target_kind, role_definition_id, scope_id,
        assignment_type, start_at, end_at, status, created_using, activated_using, created_at, modified_at)
      select md5('bench-schedule-' || n)::uuid,
        case when n % 10 < 7 then 'eligibility' else 'assignment' end,
        md5('bench-user-' || (n % ${users}))::uuid, 'user', 'directoryRole',
        md5('bench-role-' || ((n / ${users}) + 10 * (n % 10)) % 100)::uuid::text, '/',
        case when n % 10 < 7 then null else 'Assigned' end,
        now() - make_interval(days => n % 700 + 1),
        case when n % 2 = 0 then null else now() + make_interval(days => n % 300 + 1) end,
        case when n % 5 = 0 then 'Expired' else 'Provisioned' end,
        md5('bench-schedule-' || n)::uuid, null,
        now() - make_interval(days => n % 700 + 1), now() - make_interval(days => n % 700 + 1)
      from generate_series(${from}::int, ${to}::int) as n`.execute(db);
  }
  const last = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('sequence').as('s'))
    .executeTakeFirst();
  const base = Number(last?.s ?? 0);
  for (let from = 0; from < counts.audit; from += chunk) {
    const to = Math.min(counts.audit, from + chunk) - 1;
    await sql`
      insert into audit_log (sequence, id, activity_at, category, activity_display_name, operation_type, result,
        result_reason, logged_by_service, correlation_id, initiated_by, target_resources, additional_details,
        target_ids, previous_hash, hash)
      select ${base + 1} + n, md5('bench-audit-' || n)::uuid, now() - make_interval(mins => n), 'RoleManagement',
        'Add member to role completed (PIM activation)', 'Assign', 'success', null, 'PIM', null,
        '{"user":{"id":"00000000-0000-0000-0000-000000000001","displayName":"Elevate PIM","userPrincipalName":null}}'::jsonb,
        jsonb_build_array(
          jsonb_build_object('id', md5('bench-user-' || (n % ${users}))::uuid::text, 'displayName', 'Bench user',
            'type', 'User', 'modifiedProperties', '[]'::jsonb),
          jsonb_build_object('id', md5('bench-role-' || (n % 100))::uuid::text, 'displayName', 'Bench role',
            'type', 'Role', 'modifiedProperties', '[]'::jsonb)),
        '[]'::jsonb,
        array[md5('bench-user-' || (n % ${users}))::uuid::text, md5('bench-role-' || (n % 100))::uuid::text],
        'bench', 'bench'
      from generate_series(${from}::int, ${to}::int) as n`.execute(db);
  }
  await sql`analyze schedules`.execute(db);
  await sql`analyze audit_log`.execute(db);
}

async function main() {
  const { values } = parseArgs({
    options: {
      schedules: { type: 'string', default: '1000000' },
      users: { type: 'string', default: '100000' },
      audit: { type: 'string', default: '200000' },
      rounds: { type: 'string', default: '200' },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string', default: 'memory://list-bench' },
    },
  });
  const counts = {
    schedules: Number(values.schedules),
    users: Number(values.users),
    audit: Number(values.audit),
  };
  const database = await openMigratedDatabase({
    dataDir: values['data-dir'],
    databaseUrl: values['database-url'],
  });
  try {
    const t0 = performance.now();
    await seed(database, counts);
    const seeded = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const services = await composeServices(database);
    const app = await buildHttpServer({ services, logger: false });
    await app.ready();
    const started = (performance.now() - t1) / 1000;
    const ctx = { actor: systemActor, requestId: uuidV7Ids.newId() };
    const admin = await services.users.createUnchecked(ctx, {
      userPrincipalName: 'list-bench@elevate.test',
      displayName: 'List bench',
    });
    await database.db
      .insertInto('schedules')
      .values({
        id: uuidV7Ids.newId(),
        kind: 'assignment',
        principal_id: admin.id,
        principal_type: 'user',
        target_kind: 'directoryRole',
        role_definition_id: directoryRoleIds.globalReader,
        scope_id: '/',
        assignment_type: 'Assigned',
        start_at: new Date(Date.now() - 60_000),
        end_at: null,
        status: 'Provisioned',
        created_using: uuidV7Ids.newId(),
        activated_using: null,
        created_at: new Date(),
        modified_at: new Date(),
      })
      .execute();
    const token = (await services.auth.issueToken({ id: admin.id, type: 'user', mfa: true })).accessToken;
    const sample = await sql<{ id: string }>`
      select md5('bench-user-' || n)::uuid::text as id
      from generate_series(0, ${counts.users - 1}::int, ${Math.floor(counts.users / 500) + 1}::int) as n`.execute(
      database.db,
    );
    const ids = sample.rows.map((r) => r.id);
    const result = await benchListEndpoints({
      target: { app },
      token,
      principalIds: ids,
      targetIds: ids,
      rounds: Number(values.rounds),
    });
    await app.close();
    const rows: [string, string][] = [
      [
        'database',
        `${database.dialect}; ${counts.schedules.toLocaleString('en')} schedules, ${counts.audit.toLocaleString('en')} audit records`,
      ],
      ['seed (bulk SQL)', `${seeded.toFixed(1)} s`],
      ['compose + server ready', `${started.toFixed(2)} s`],
      [
        "roleAssignmentScheduleInstances?$filter=principalId eq '…'",
        `p50 ${result.instancesByPrincipal.p50Ms.toFixed(2)} ms, p99 ${result.instancesByPrincipal.p99Ms.toFixed(2)} ms (${result.instancesByPrincipal.meanItems.toFixed(1)} items)`,
      ],
      [
        "directoryAudits?$filter=targetResources/any(t: t/id eq '…')",
        `p50 ${result.auditByTarget.p50Ms.toFixed(2)} ms, p99 ${result.auditByTarget.p99Ms.toFixed(2)} ms (${result.auditByTarget.meanItems.toFixed(1)} items)`,
      ],
    ];
    const width = Math.max(...rows.map((r) => r[0].length));
    for (const [name, value] of rows) process.stdout.write(`  ${name.padEnd(width)}  ${value}\n`);
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
