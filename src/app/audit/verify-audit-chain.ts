import type { Kysely } from 'kysely';
import type { AuditEntry } from '../../core/audit/audit-record.js';
import {
  type ChainPosition,
  type ChainVerification,
  type Digest,
  GENESIS_POSITION,
  verifyChain,
} from '../../core/audit/hash-chain.js';
import { streamAuditEntries } from '../../db/repositories/audit-log-repository.js';
import type { DB } from '../../db/schema.js';
import { sha256Hex } from './sha256.js';

export interface VerifyAuditChainDeps {
  readonly db: Kysely<DB>;
  /** SHA-256 hex by default: the digest the writer used. */
  readonly digest?: Digest;
  /** Entries read per query (default 1000). */
  readonly batchSize?: number;
}

/**
 * Re-hashes the whole audit log from the genesis, page by page in constant memory, and reports the first entry
 * that was edited, deleted around or reordered (invariant 5: the log is tamper-evident), or the count and the
 * last hash when every entry verifies.
 */
export async function verifyAuditChain(deps: VerifyAuditChainDeps): Promise<ChainVerification> {
  const digest = deps.digest ?? sha256Hex;
  const batchSize = deps.batchSize ?? 1000;
  let position: ChainPosition = GENESIS_POSITION;
  let count = 0;
  let batch: AuditEntry[] = [];

  const verifyBatch = (): ChainVerification => {
    const result = verifyChain(batch, digest, position);
    batch = [];
    if (!result.ok) return { ...result, count: count + result.count };
    count += result.count;
    position = { lastSequence: result.lastSequence, lastHash: result.lastHash };
    return result;
  };

  for await (const entry of streamAuditEntries(deps.db, batchSize)) {
    batch.push(entry);
    if (batch.length < batchSize) continue;
    const result = verifyBatch();
    if (!result.ok) return result;
  }
  const result = verifyBatch();
  if (!result.ok) return result;
  return { ok: true, count, lastHash: position.lastHash, lastSequence: position.lastSequence };
}
