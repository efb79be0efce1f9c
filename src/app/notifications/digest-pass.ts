import type { Transaction } from 'kysely';
import { directoryRoleIds } from '../../core/catalog/directory-roles.js';
import type { PimTarget } from '../../core/model/schedule.js';
import type { EmailPayload } from '../../core/notifications/email-message.js';
import { maxRecipientsPerEvent } from '../../core/notifications/select-recipients.js';
import { type DigestItem, digestWeek, renderDigest } from '../../core/notifications/weekly-digest.js';
import { partiesByIds } from '../../db/repositories/event-party-repository.js';
import {
  getOutboxEvent,
  insertDeliveries,
  insertOutboxEvent,
  notifyOutbox,
} from '../../db/repositories/outbox-repository.js';
import { usersHoldingRoles } from '../../db/repositories/principal-repository.js';
import type { DB } from '../../db/schema.js';
import type { AppDeps } from '../context.js';
import { resolveTarget } from '../requests/target-context.js';
import { mailboxes } from './default-recipients.js';
import { emailChannelName, emailOrderingKey } from './email-planner.js';
import { stableEventId } from './stable-event-id.js';

/** The outbox event type of the digest (e-mail only: no webhook planner sees it). */
const digestEventType = 'elevate.digest.weekly';

/** Lines shown per list; the rest is counted. */
const perList = 25;
const day = 86_400_000;

interface Row {
  readonly principalId: string;
  readonly target: PimTarget;
  readonly at: Date;
  readonly end?: Date | null;
  readonly detail?: string | null;
}

/** "Exchange Administrator", "member of PAG-SERVICE-DESK", "Owner at /subscriptions/…" as a list line names a target. */
async function targetName(trx: Transaction<DB>, t: PimTarget, principalId: string): Promise<string> {
  const resolved = await resolveTarget(trx, { ...t, principalId }).catch(() => undefined);
  const name = resolved?.target.displayName ?? t.roleDefinitionId;
  if (t.targetKind === 'group') return `${t.roleDefinitionId} of ${name}`;
  return t.scopeId === '/' ? name : `${name} at ${t.scopeId}`;
}

async function toItems(trx: Transaction<DB>, rows: readonly Row[]): Promise<DigestItem[]> {
  const shown = rows.slice(0, perList);
  const parties = await partiesByIds(
    trx,
    shown.map((r) => r.principalId),
  );
  const items: DigestItem[] = [];
  for (const r of shown) {
    items.push({
      principal: parties.get(r.principalId)?.displayName ?? r.principalId,
      target: await targetName(trx, r.target, r.principalId),
      at: r.at,
      ...(r.end !== undefined ? { end: r.end } : {}),
      ...(r.detail ? { detail: r.detail } : {}),
    });
  }
  return items;
}

const target = (r: {
  target_kind: PimTarget['targetKind'];
  role_definition_id: string;
  scope_id: string;
}) => ({
  targetKind: r.target_kind,
  roleDefinitionId: r.role_definition_id,
  scopeId: r.scope_id,
});

/**
 * Once a week (Mondays from 08:00 UTC), queues the PIM digest for Privileged Role Administrators and Global
 * Administrators: activations and new assignments of the last 7 days, requests waiting for approval, access
 * ending in the next 7 days. The event id is derived from (tenant, week), so the pass sends each week's digest
 * once however often it runs and on however many instances.
 */
export function createDigestPass(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids' | 'tenantId'> & { readonly portalUrl: string },
) {
  const { db, clock, ids } = deps;
  return async function queueDigestIfDue(): Promise<number> {
    const now = clock.now();
    const { week, due } = digestWeek(now);
    if (!due) return 0;
    const id = stableEventId('digest', deps.tenantId, week.week);
    return db.transaction().execute(async (trx) => {
      if (await getOutboxEvent(trx, id)) return 0;
      const from = new Date(now.getTime() - 7 * day);
      const until = new Date(now.getTime() + 7 * day);
      const activations = await trx
        .selectFrom('schedules')
        .select(['principal_id', 'target_kind', 'role_definition_id', 'scope_id', 'start_at', 'end_at'])
        .where('kind', '=', 'assignment')
        .where('assignment_type', '=', 'Activated')
        .where('start_at', '>=', from)
        .where('start_at', '<', now)
        .orderBy('start_at', 'desc')
        .execute();
      const assigned = await trx
        .selectFrom('schedules')
        .select([
          'principal_id',
          'target_kind',
          'role_definition_id',
          'scope_id',
          'created_at',
          'end_at',
          'kind',
        ])
        .where((eb) => eb.or([eb('kind', '=', 'eligibility'), eb('assignment_type', '=', 'Assigned')]))
        .where('created_at', '>=', from)
        .where('created_at', '<', now)
        .orderBy('created_at', 'desc')
        .execute();
      const pending = await trx
        .selectFrom('schedule_requests')
        .select([
          'principal_id',
          'target_kind',
          'role_definition_id',
          'scope_id',
          'created_at',
          'justification',
        ])
        .where('status', '=', 'PendingApproval')
        .orderBy('created_at')
        .execute();
      const expiring = await trx
        .selectFrom('schedules')
        .select([
          'principal_id',
          'target_kind',
          'role_definition_id',
          'scope_id',
          'end_at',
          'kind',
          'assignment_type',
        ])
        .where('status', 'in', ['Scheduled', 'Provisioned'])
        .where('end_at', '>=', now)
        .where('end_at', '<', until)
        .orderBy('end_at')
        .execute();
      const content = {
        week: { ...week, from, sendAt: now, until },
        limit: perList,
        totals: {
          activations: activations.length,
          newAssignments: assigned.length,
          pendingRequests: pending.length,
          expiring: expiring.length,
        },
        activations: await toItems(
          trx,
          activations.map((r) => ({
            principalId: r.principal_id,
            target: target(r),
            at: r.start_at,
            end: r.end_at,
          })),
        ),
        newAssignments: await toItems(
          trx,
          assigned.map((r) => ({
            principalId: r.principal_id,
            target: target(r),
            at: r.created_at,
            end: r.end_at,
            detail: r.kind === 'eligibility' ? 'eligible' : 'active',
          })),
        ),
        pendingRequests: await toItems(
          trx,
          pending.map((r) => ({
            principalId: r.principal_id,
            target: target(r),
            at: r.created_at,
            detail: r.justification,
          })),
        ),
        expiring: await toItems(
          trx,
          expiring.map((r) => ({
            principalId: r.principal_id,
            target: target(r),
            at: r.end_at ?? now,
            detail:
              r.kind === 'eligibility'
                ? 'eligible'
                : r.assignment_type === 'Activated'
                  ? 'activation'
                  : 'active',
          })),
        ),
      };
      const rendered = renderDigest(content, deps.portalUrl);
      const admins = await usersHoldingRoles(
        trx,
        [directoryRoleIds.privilegedRoleAdministrator, directoryRoleIds.globalAdministrator],
        now,
      );
      const recipients = [
        ...new Map((await mailboxes(trx, admins)).map((m) => [m.address.toLowerCase(), m])).values(),
      ]
        .sort((a, b) => a.address.localeCompare(b.address))
        .slice(0, maxRecipientsPerEvent);
      await insertOutboxEvent(trx, {
        id,
        type: digestEventType,
        subject: week.week,
        time: now,
        event: {
          id,
          type: digestEventType,
          time: now.toISOString(),
          tenantId: deps.tenantId,
          subject: week.week,
          data: { week: week.week, totals: content.totals },
        },
        createdAt: now,
      });
      await insertDeliveries(
        trx,
        recipients.map((r) => {
          const address = r.address.toLowerCase();
          const payload: EmailPayload = {
            to: address,
            toName: r.name,
            ...rendered,
            thread: null,
            kind: 'digest',
          };
          return {
            id: ids.newId(),
            eventId: id,
            eventType: digestEventType,
            channel: emailChannelName,
            receiverId: address,
            orderingKey: emailOrderingKey(address),
            payload,
            at: now,
          };
        }),
      );
      await notifyOutbox(trx);
      return recipients.length;
    });
  };
}
