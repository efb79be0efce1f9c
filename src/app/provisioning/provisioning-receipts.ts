import type { Selectable } from 'kysely';
import type { ProvisioningReceiptsTable } from '../../db/schema.js';
import type { Executor } from '../context.js';

/** What an application answered when a membership change was pushed to it (one per event and application). */
export interface ProvisioningReceipt {
  readonly id: string;
  readonly eventId: string;
  readonly applicationId: string;
  readonly applicationName: string;
  /** The group membership schedule the change concerns. */
  readonly scheduleId: string | null;
  readonly groupId: string;
  readonly principalId: string;
  readonly operation: 'add' | 'remove';
  /** `skipped`: nothing needed changing (e.g. still a member by another path, or absent from the application). */
  readonly outcome: 'applied' | 'skipped';
  readonly response: string;
  readonly deliveredDateTime: Date;
}

const toReceipt = (r: Selectable<ProvisioningReceiptsTable>): ProvisioningReceipt => ({
  id: r.id,
  eventId: r.event_id,
  applicationId: r.application_id,
  applicationName: r.application_name,
  scheduleId: r.schedule_id,
  groupId: r.group_id,
  principalId: r.principal_id,
  operation: r.operation,
  outcome: r.outcome,
  response: r.response,
  deliveredDateTime: r.delivered_at,
});

/**
 * The SCIM receipts of these group membership schedules (their Elevate ids), oldest first: what `explain`
 * shows under a membership granted through PIM for Groups.
 */
export async function provisioningReceipts(
  db: Executor,
  scheduleIds: readonly string[],
): Promise<ProvisioningReceipt[]> {
  if (scheduleIds.length === 0) return [];
  const rows = await db
    .selectFrom('provisioning_receipts')
    .selectAll()
    .where('schedule_id', 'in', scheduleIds)
    .orderBy('delivered_at')
    .orderBy('id')
    .execute();
  return rows.map(toReceipt);
}

/** The receipts of one group, newest first (at most `limit`), optionally of one principal only. */
export async function groupProvisioningReceipts(
  db: Executor,
  q: { readonly groupId: string; readonly principalId?: string; readonly limit: number },
): Promise<ProvisioningReceipt[]> {
  const { principalId } = q;
  const rows = await db
    .selectFrom('provisioning_receipts')
    .selectAll()
    .where('group_id', '=', q.groupId)
    .$if(principalId !== undefined, (b) => b.where('principal_id', '=', principalId ?? ''))
    .orderBy('delivered_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit)
    .execute();
  return rows.map(toReceipt);
}
