import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SqlBool,
  sql,
  type Transaction,
} from 'kysely';
import type {
  AuditCategory,
  AuditDetail,
  AuditEntry,
  AuditInitiator,
  AuditOperationType,
  AuditRecord,
  AuditResult,
  AuditService,
  AuditTargetResource,
} from '../../core/audit/audit-record.js';
import { chainEntries, type Digest, GENESIS_POSITION } from '../../core/audit/hash-chain.js';
import type { AuditLogRow, DB } from '../schema.js';

type Executor = Kysely<DB> | Transaction<DB>;

/**
 * The advisory-lock key that serialises appends to the chain across transactions, pools and server processes
 * (the bytes of "ELVAUDIT" as a bigint). Held until the appending transaction ends.
 */
export const AUDIT_CHAIN_LOCK_KEY = '4993460925450438996';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Chains `records` after the last entry and inserts them, inside the caller's transaction (invariant 5: the
 * record commits or rolls back with the change it describes). An advisory transaction lock serialises
 * appenders, so the chain stays gap-free and linear however many transactions append at once; the lock is
 * held until commit, so append last in a transaction. Needs READ COMMITTED (PostgreSQL's default): the last
 * entry is read after the lock is granted and must see what the previous holder committed.
 */
export async function appendAuditRecords(
  trx: Transaction<DB>,
  records: readonly AuditRecord[],
  digest: Digest,
): Promise<AuditEntry[]> {
  if (records.length === 0) return [];
  const normalised = records.map(normaliseRecord);

  const lock = await sql<{ isolation: string }>`
    select pg_advisory_xact_lock(${sql.raw(AUDIT_CHAIN_LOCK_KEY)}::bigint), current_setting('transaction_isolation') as isolation
  `.execute(trx);
  const isolation = lock.rows[0]?.isolation;
  if (isolation !== 'read committed') {
    throw new Error(`Appending to the audit log needs a READ COMMITTED transaction, not ${isolation}`);
  }

  const last = await trx
    .selectFrom('audit_log')
    .select(['sequence', 'hash'])
    .orderBy('sequence', 'desc')
    .limit(1)
    .executeTakeFirst();
  const from = last ? { lastSequence: Number(last.sequence), lastHash: last.hash } : GENESIS_POSITION;
  const entries = chainEntries(normalised, digest, from);

  await insertEntries(trx, entries);
  return entries;
}

/**
 * One insert for any number of entries, each column sent as one array (`unnest`): a handful of parameters
 * rather than sixteen per entry (a bulk import appends thousands per transaction). Each entry's search ids
 * travel as JSON text, since an array of arrays cannot be unnested into one array per row.
 */
async function insertEntries(trx: Transaction<DB>, entries: readonly AuditEntry[]): Promise<void> {
  const rows = entries.map(toRow);
  const column = <K extends keyof ReturnType<typeof toRow>>(key: K) => rows.map((r) => r[key]);
  await sql`
    insert into audit_log (sequence, id, activity_at, category, activity_display_name, operation_type, result,
      result_reason, logged_by_service, correlation_id, initiated_by, target_resources, additional_details,
      target_ids, previous_hash, hash)
    select sequence, id, activity_at, category, activity_display_name, operation_type, result, result_reason,
      logged_by_service, correlation_id, initiated_by::jsonb, target_resources::jsonb, additional_details::jsonb,
      array(select jsonb_array_elements_text(target_ids::jsonb)), previous_hash, hash
    from unnest(${column('sequence')}::bigint[], ${column('id')}::uuid[],
      ${rows.map((r) => r.activity_at.toISOString())}::timestamptz[], ${column('category')}::text[],
      ${column('activity_display_name')}::text[], ${column('operation_type')}::text[], ${column('result')}::text[],
      ${column('result_reason')}::text[], ${column('logged_by_service')}::text[], ${column('correlation_id')}::uuid[],
      ${column('initiated_by')}::text[], ${column('target_resources')}::text[], ${column('additional_details')}::text[],
      ${rows.map((r) => JSON.stringify(r.target_ids))}::text[], ${column('previous_hash')}::text[],
      ${column('hash')}::text[])
    as t(sequence, id, activity_at, category, activity_display_name, operation_type, result, result_reason,
      logged_by_service, correlation_id, initiated_by, target_resources, additional_details, target_ids,
      previous_hash, hash)`.execute(trx);
}

/** Simple filters for searching the log; `where` takes any further Kysely condition (e.g. a compiled $filter). */
export interface AuditLogFilter {
  /** Inclusive lower bound on activityDateTime. */
  readonly from?: Date;
  /** Exclusive upper bound on activityDateTime. */
  readonly to?: Date;
  readonly category?: AuditCategory;
  readonly activityDisplayName?: string;
  readonly loggedByService?: AuditService;
  /** Entries of one operation (a UUID; compared lower-cased, as the column holds it). */
  readonly correlationId?: string;
  /** Entries with a target resource of this id (case-insensitive). */
  readonly targetId?: string;
  /** Entries initiated by this user id, app id or service principal id (case-insensitive). */
  readonly initiatedById?: string;
  readonly where?: (eb: ExpressionBuilder<DB, 'audit_log'>) => Expression<SqlBool>;
}

export interface AuditLogQuery extends AuditLogFilter {
  /** Keyset cursor: the sequence of the last entry of the previous page (entries after it in `order`). */
  readonly afterSequence?: number;
  readonly limit: number;
  /** By sequence; 'asc' by default. */
  readonly order?: 'asc' | 'desc';
}

/** One page of entries matching `query`, ordered by sequence (keyset-paged with `afterSequence`). */
export async function listAuditEntries(db: Executor, query: AuditLogQuery): Promise<AuditEntry[]> {
  const order = query.order ?? 'asc';
  let q = filtered(db, query).selectAll();
  if (query.afterSequence !== undefined) {
    q = q.where('sequence', order === 'asc' ? '>' : '<', query.afterSequence);
  }
  const rows = await q.orderBy('sequence', order).limit(query.limit).execute();
  return rows.map(fromRow);
}

/** How many entries match `filter`. */
export async function countAuditEntries(db: Executor, filter: AuditLogFilter = {}): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll().as('count'))
    .executeTakeFirst();
  // count(*) is a number in PGlite and a string in pg.
  return Number(row?.count ?? 0);
}

function filtered(db: Executor, query: AuditLogFilter) {
  let q = db.selectFrom('audit_log');
  if (query.from) q = q.where('activity_at', '>=', query.from);
  if (query.to) q = q.where('activity_at', '<', query.to);
  if (query.category) q = q.where('category', '=', query.category);
  if (query.activityDisplayName) q = q.where('activity_display_name', '=', query.activityDisplayName);
  if (query.loggedByService) q = q.where('logged_by_service', '=', query.loggedByService);
  if (query.correlationId !== undefined) {
    const id = query.correlationId.toLowerCase();
    // Not a UUID: no entry can match, and the uuid column would refuse the comparison.
    q = UUID.test(id) ? q.where('correlation_id', '=', id) : q.where(sql<boolean>`false`);
  }
  if (query.targetId !== undefined) {
    const id = query.targetId.toLowerCase();
    // The GIN index on target_ids finds candidates; the jsonb test keeps only those where the id is a target.
    q = q
      .where(sql<boolean>`target_ids @> array[${id}]::text[]`)
      .where(
        sql<boolean>`exists (select 1 from jsonb_array_elements(target_resources) as t where lower(t->>'id') = ${id})`,
      );
  }
  if (query.initiatedById !== undefined) {
    const id = query.initiatedById.toLowerCase();
    q = q
      .where(sql<boolean>`target_ids @> array[${id}]::text[]`)
      .where(
        sql<boolean>`(lower(initiated_by->'user'->>'id') = ${id} or lower(initiated_by->'app'->>'appId') = ${id} or lower(initiated_by->'app'->>'servicePrincipalId') = ${id})`,
      );
  }
  if (query.where) q = q.where(query.where);
  return q;
}

/** Every entry matching `filter` (all by default) in sequence order, read `batchSize` at a time (for verification and export). */
export async function* streamAuditEntries(
  db: Executor,
  batchSize = 500,
  filter: AuditLogFilter = {},
): AsyncGenerator<AuditEntry, void, undefined> {
  if (!Number.isSafeInteger(batchSize) || batchSize <= 0)
    throw new RangeError('batchSize must be a positive integer');
  let afterSequence = 0;
  for (;;) {
    const page = await listAuditEntries(db, { ...filter, afterSequence, limit: batchSize, order: 'asc' });
    yield* page;
    const last = page.at(-1);
    if (!last || page.length < batchSize) return;
    afterSequence = last.sequence;
  }
}

/** The entry with this id, or undefined (also for an id that is not a UUID). */
export async function getAuditEntry(db: Executor, id: string): Promise<AuditEntry | undefined> {
  const key = id.toLowerCase();
  if (!UUID.test(key)) return undefined;
  const row = await db.selectFrom('audit_log').selectAll().where('id', '=', key).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** The UUID columns come back lower-case; hash what will be read back, and refuse what the column would not. */
function normaliseRecord(record: AuditRecord): AuditRecord {
  const id = record.id.toLowerCase();
  const correlationId = record.correlationId?.toLowerCase() ?? null;
  if (!UUID.test(id)) throw new TypeError(`An audit record id must be a UUID, not '${record.id}'`);
  if (correlationId !== null && !UUID.test(correlationId)) {
    throw new TypeError(`An audit record correlationId must be a UUID, not '${record.correlationId}'`);
  }
  if (Number.isNaN(record.activityDateTime.getTime())) {
    throw new TypeError(`Audit record ${id} has an invalid activityDateTime`);
  }
  return id === record.id && correlationId === record.correlationId
    ? record
    : { ...record, id, correlationId };
}

/** Every id a search by target or initiator looks for, lower-cased, once each. */
function searchIds(record: AuditRecord): string[] {
  const ids = [
    ...record.targetResources.map((t) => t.id),
    record.initiatedBy.user?.id,
    record.initiatedBy.app?.appId,
    record.initiatedBy.app?.servicePrincipalId,
  ];
  return [
    ...new Set(
      ids.filter((id): id is string => typeof id === 'string' && id !== '').map((id) => id.toLowerCase()),
    ),
  ];
}

function toRow(entry: AuditEntry) {
  return {
    sequence: entry.sequence,
    id: entry.id,
    activity_at: entry.activityDateTime,
    category: entry.category,
    activity_display_name: entry.activityDisplayName,
    operation_type: entry.operationType,
    result: entry.result,
    result_reason: entry.resultReason,
    logged_by_service: entry.loggedByService,
    correlation_id: entry.correlationId,
    initiated_by: JSON.stringify(entry.initiatedBy),
    target_resources: JSON.stringify(entry.targetResources),
    additional_details: JSON.stringify(entry.additionalDetails),
    target_ids: searchIds(entry),
    previous_hash: entry.previousHash,
    hash: entry.hash,
  };
}

/** jsonb arrives parsed from both drivers; a string is parsed in case a driver hands back text. */
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function fromRow(row: AuditLogRow): AuditEntry {
  return {
    id: row.id,
    activityDateTime: row.activity_at instanceof Date ? row.activity_at : new Date(row.activity_at),
    category: row.category as AuditCategory,
    activityDisplayName: row.activity_display_name,
    operationType: row.operation_type as AuditOperationType,
    result: row.result as AuditResult,
    resultReason: row.result_reason,
    loggedByService: row.logged_by_service as AuditService,
    correlationId: row.correlation_id,
    initiatedBy: json<AuditInitiator>(row.initiated_by),
    targetResources: json<AuditTargetResource[]>(row.target_resources),
    additionalDetails: json<AuditDetail[]>(row.additional_details),
    sequence: Number(row.sequence),
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}
