import type { Transaction } from 'kysely';
import type { AuditEntry, AuditRecord } from '../../core/audit/audit-record.js';
import type { Digest } from '../../core/audit/hash-chain.js';
import { appendAuditRecords } from '../../db/repositories/audit-log-repository.js';
import type { DB } from '../../db/schema.js';
import { sha256Hex } from './sha256.js';

/** The one way use cases write audit records. */
export interface AuditWriter {
  /**
   * Chains and inserts `records` in the caller's transaction, so they commit or roll back with the change
   * they describe (invariant 5). Appenders queue on one lock held until commit: call it last.
   */
  append(trx: Transaction<DB>, records: readonly AuditRecord[]): Promise<AuditEntry[]>;
}

export interface AuditWriterOptions {
  /** SHA-256 hex by default; the digest verifyAuditChain uses must be the same. */
  readonly digest?: Digest;
}

/** Builds the audit writer use cases receive (wired in compose.ts). */
export function createAuditWriter(options: AuditWriterOptions = {}): AuditWriter {
  const digest = options.digest ?? sha256Hex;
  return {
    append: (trx, records) => appendAuditRecords(trx, records, digest),
  };
}
