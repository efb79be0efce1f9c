import type { Kysely } from 'kysely';
import type { AuditEntry } from '../../core/audit/audit-record.js';
import type { ChainVerification, Digest } from '../../core/audit/hash-chain.js';
import { canReadAudit, requirePermission } from '../../core/authorization/permissions.js';
import { notFound } from '../../core/errors.js';
import {
  type AuditLogFilter,
  countAuditEntries,
  getAuditEntry,
  listAuditEntries,
  streamAuditEntries,
} from '../../db/repositories/audit-log-repository.js';
import type { DB } from '../../db/schema.js';
import type { CallContext } from '../context.js';
import { verifyAuditChain } from './verify-audit-chain.js';

/** What the database can narrow a search by; each field is a necessary condition (an index or a column test). */
export type AuditSearch = Omit<AuditLogFilter, 'where'>;

export interface AuditPageQuery {
  readonly search?: AuditSearch;
  /**
   * The rest of the caller's condition, checked on each entry the search finds. Absent when the search alone
   * says exactly which entries match.
   */
  readonly matches?: (entry: AuditEntry) => boolean;
  /** Newest first ('desc') or oldest first ('asc'), by place in the log. */
  readonly order: 'asc' | 'desc';
  /** Keyset cursor: continue after this sequence (in `order`). */
  readonly afterSequence?: number;
  readonly limit: number;
}

export interface AuditPage {
  readonly entries: AuditEntry[];
  /** Pass as `afterSequence` for the next page; absent when nothing can follow. */
  readonly nextAfterSequence?: number;
}

export interface AuditQueryDeps {
  readonly db: Kysely<DB>;
  /** The digest the writer used (SHA-256 by default). */
  readonly digest?: Digest;
  /** Entries read per query while scanning for `matches` (default 500). */
  readonly batchSize?: number;
  /** Most entries one page may scan for `matches` before it answers with what it found (default 10 000). */
  readonly maxScan?: number;
}

const AUDIT_READERS =
  'Global Administrator, Privileged Role Administrator, Global Reader, Security Administrator, ' +
  'Security Reader, Security Operator or Reports Reader';

/** Reading the audit log: Graph's directoryAudits, the chain check and the export. Readers of audit only. */
export function createAuditQueryService(deps: AuditQueryDeps) {
  const { db } = deps;
  const batchSize = deps.batchSize ?? 500;
  const maxScan = deps.maxScan ?? 10_000;

  const authorise = (ctx: CallContext) =>
    requirePermission(canReadAudit(ctx.actor), 'read the audit log', AUDIT_READERS);

  return {
    /**
     * One page of entries in log order. Without `matches` the database answers it exactly. With `matches`,
     * entries are scanned in batches until the page is full or `maxScan` entries were read; a page cut short
     * by the scan budget may hold fewer than `limit` entries and still name a next page, so every matching
     * entry is returned exactly once across pages whatever the condition.
     */
    async list(ctx: CallContext, query: AuditPageQuery): Promise<AuditPage> {
      authorise(ctx);
      const search = query.search ?? {};
      const { matches, order, limit } = query;
      if (matches === undefined) {
        const found = await listAuditEntries(db, {
          ...search,
          order,
          limit: limit + 1,
          ...(query.afterSequence !== undefined && { afterSequence: query.afterSequence }),
        });
        const entries = found.slice(0, limit);
        const last = entries.at(-1);
        return found.length > limit && last ? { entries, nextAfterSequence: last.sequence } : { entries };
      }

      const entries: AuditEntry[] = [];
      let cursor = query.afterSequence;
      let scanned = 0;
      for (;;) {
        const batch = await listAuditEntries(db, {
          ...search,
          order,
          limit: batchSize,
          ...(cursor !== undefined && { afterSequence: cursor }),
        });
        for (const entry of batch) {
          if (matches(entry)) {
            const last = entries.at(-1);
            // One match beyond a full page proves there is a next page; it starts after the page's last entry.
            if (entries.length === limit && last) return { entries, nextAfterSequence: last.sequence };
            entries.push(entry);
          }
          cursor = entry.sequence;
        }
        scanned += batch.length;
        if (batch.length < batchSize || cursor === undefined) return { entries };
        if (scanned >= maxScan) return { entries, nextAfterSequence: cursor };
      }
    },

    /** How many entries match `search` and `matches` across all pages (Graph's `@odata.count`). */
    async count(ctx: CallContext, query: Pick<AuditPageQuery, 'search' | 'matches'>): Promise<number> {
      authorise(ctx);
      const search = query.search ?? {};
      if (query.matches === undefined) return countAuditEntries(db, search);
      let count = 0;
      for await (const entry of streamAuditEntries(db, batchSize, search)) {
        if (query.matches(entry)) count += 1;
      }
      return count;
    },

    /** The entry with this id; an unknown or malformed id is not found. */
    async get(ctx: CallContext, id: string): Promise<AuditEntry> {
      authorise(ctx);
      const entry = await getAuditEntry(db, id);
      if (!entry) throw notFound('Audit record', id);
      return entry;
    },

    /** Re-hashes the whole chain and names the first entry that does not verify (invariant 5). */
    async verify(ctx: CallContext): Promise<ChainVerification> {
      authorise(ctx);
      return verifyAuditChain({ db, ...(deps.digest && { digest: deps.digest }) });
    },

    /**
     * The entries matching `search`, oldest first, read in batches as the caller consumes them. The permission
     * is checked now, before anything is read or sent.
     */
    exportEntries(ctx: CallContext, search: AuditSearch = {}): AsyncIterable<AuditEntry> {
      authorise(ctx);
      return streamAuditEntries(db, batchSize, search);
    },
  };
}

export type AuditQueryService = ReturnType<typeof createAuditQueryService>;
