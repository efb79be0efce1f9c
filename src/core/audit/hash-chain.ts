import type { AuditEntry, AuditRecord } from './audit-record.js';
import { canonicalJson } from './canonical-json.js';

/** A hash function over text, hex output; the app passes SHA-256 from node:crypto (core does no I/O). */
export type Digest = (text: string) => string;

/** The `previousHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Where a chain (or a verified prefix of it) ends: the next entry must be `lastSequence + 1` linking `lastHash`. */
export interface ChainPosition {
  readonly lastSequence: number;
  readonly lastHash: string;
}

/** The position before the first entry: sequences start at 1. */
export const GENESIS_POSITION: ChainPosition = Object.freeze({ lastSequence: 0, lastHash: GENESIS_HASH });

export type ChainBreak = 'hash mismatch' | 'broken link' | 'sequence gap';

export type ChainVerification =
  | { readonly ok: true; readonly count: number; readonly lastHash: string; readonly lastSequence: number }
  | {
      readonly ok: false;
      /** Entries verified before the break. */
      readonly count: number;
      /** The sequence of the first entry that does not verify, and its id. */
      readonly brokenAt: number;
      readonly id: string;
      readonly reason: ChainBreak;
    };

/** The text an entry's hash covers: its sequence, the previous hash and every field of the record. */
export function hashedText(record: AuditRecord, sequence: number, previousHash: string): string {
  return canonicalJson({
    sequence,
    previousHash,
    id: record.id,
    activityDateTime: record.activityDateTime,
    category: record.category,
    activityDisplayName: record.activityDisplayName,
    operationType: record.operationType,
    result: record.result,
    resultReason: record.resultReason,
    loggedByService: record.loggedByService,
    correlationId: record.correlationId,
    initiatedBy: record.initiatedBy,
    targetResources: record.targetResources,
    additionalDetails: record.additionalDetails,
  });
}

/** Links `record` after `previousHash` at `sequence`: hash = digest(canonicalJson({ sequence, previousHash, ...record })). */
export function chainEntry(
  record: AuditRecord,
  sequence: number,
  previousHash: string,
  digest: Digest,
): AuditEntry {
  return { ...record, sequence, previousHash, hash: digest(hashedText(record, sequence, previousHash)) };
}

/** Chains `records` in order after `from` (the genesis by default). */
export function chainEntries(
  records: Iterable<AuditRecord>,
  digest: Digest,
  from: ChainPosition = GENESIS_POSITION,
): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let { lastSequence, lastHash } = from;
  for (const record of records) {
    const entry = chainEntry(record, lastSequence + 1, lastHash, digest);
    entries.push(entry);
    lastSequence = entry.sequence;
    lastHash = entry.hash;
  }
  return entries;
}

/**
 * Checks that `entries` (in sequence order) continue the chain from `from` (the genesis by default): each
 * sequence is the next one, each links the hash before it, each hash matches its content. Reports the first
 * entry that fails. Page by page: pass the previous page's `{ lastSequence, lastHash }` as `from`.
 * Keeps invariant 5 checkable: any edit, deletion or reordering is named at the first entry it touches.
 */
export function verifyChain(
  entries: Iterable<AuditEntry>,
  digest: Digest,
  from: ChainPosition = GENESIS_POSITION,
): ChainVerification {
  let { lastSequence, lastHash } = from;
  let count = 0;
  for (const entry of entries) {
    const reason = checkEntry(entry, lastSequence, lastHash, digest);
    if (reason) return { ok: false, count, brokenAt: entry.sequence, id: entry.id, reason };
    lastSequence = entry.sequence;
    lastHash = entry.hash;
    count += 1;
  }
  return { ok: true, count, lastHash, lastSequence };
}

function checkEntry(
  entry: AuditEntry,
  lastSequence: number,
  lastHash: string,
  digest: Digest,
): ChainBreak | null {
  if (entry.sequence !== lastSequence + 1) return 'sequence gap';
  if (entry.previousHash !== lastHash) return 'broken link';
  if (entry.hash !== digest(hashedText(entry, entry.sequence, entry.previousHash))) return 'hash mismatch';
  return null;
}
