// An audit log of realistic size for the list bench: the shared tenant's import writes one record, not a year
// of activity, so "audit queries by target at that size" would search an almost empty log. This appends
// `records` PIM activity records — activations and their expiries by the tenant's users, of the tenant's
// roles, over the past year — through the same append the use cases call (appendAuditRecords: one hash chain,
// verifiable), a batch per transaction.
import { randomUUID } from 'node:crypto';
import { sha256Hex } from '../src/app/audit/sha256.js';
import { pimActivity, pimCategory } from '../src/core/audit/activities.js';
import { type AuditRecord, systemInitiator } from '../src/core/audit/audit-record.js';
import type { Database } from '../src/db/connect.js';
import { appendAuditRecords } from '../src/db/repositories/audit-log-repository.js';

export interface AuditSeed {
  /** Users (principal ids) the records name as targets; cycled through. */
  readonly principalIds: readonly string[];
  /** Role definition ids the records name; cycled through. */
  readonly roleIds: readonly string[];
  readonly records: number;
  /** The instant the year of activity ends at. */
  readonly now: Date;
}

const perTransaction = 2_000;
const yearMs = 365 * 24 * 3_600_000;

/** The `i`-th record: user `i mod n` activates a role (even `i`) or the activation expires (odd `i`). */
function recordAt(seed: AuditSeed, i: number): AuditRecord {
  const principalId = seed.principalIds[Math.floor(i / 2) % seed.principalIds.length] as string;
  const roleId = seed.roleIds[Math.floor(i / 2) % seed.roleIds.length] as string;
  const activated = i % 2 === 0;
  const activity = activated
    ? pimActivity('assignment', 'selfActivate', 'completed', 'timebound', 'resourceRole')
    : pimActivity('assignment', 'selfActivate', 'expired', 'timebound', 'resourceRole');
  const at = new Date(seed.now.getTime() - yearMs + Math.floor((i / seed.records) * yearMs));
  const user = { id: principalId, displayName: `User ${principalId.slice(0, 8)}`, userPrincipalName: null };
  return {
    id: randomUUID(),
    activityDateTime: at,
    category: pimCategory('resourceRole'),
    ...activity,
    resultReason: null,
    loggedByService: 'PIM',
    correlationId: randomUUID(),
    initiatedBy: activated ? { user } : systemInitiator,
    targetResources: [
      { id: roleId, displayName: `Role ${roleId.slice(0, 8)}`, type: 'Role', modifiedProperties: [] },
      { id: principalId, displayName: user.displayName, type: 'User', modifiedProperties: [] },
    ],
    additionalDetails: activated ? [{ key: 'Justification', value: 'bench' }] : [],
  };
}

/** Appends the records; returns how long it took. */
export async function seedAuditLog(database: Database, seed: AuditSeed): Promise<{ seconds: number }> {
  if (seed.principalIds.length === 0 || seed.roleIds.length === 0)
    throw new Error('audit seed: needs principals and roles to name');
  const t0 = performance.now();
  for (let from = 0; from < seed.records; from += perTransaction) {
    const batch: AuditRecord[] = [];
    for (let i = from; i < Math.min(seed.records, from + perTransaction); i++) batch.push(recordAt(seed, i));
    await database.db.transaction().execute((trx) => appendAuditRecords(trx, batch, sha256Hex));
  }
  return { seconds: (performance.now() - t0) / 1000 };
}
