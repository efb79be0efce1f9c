import type { Transaction } from 'kysely';
import { expireApproval } from '../../core/approvals/approval-expiry.js';
import type { PimTarget, Schedule } from '../../core/model/schedule.js';
import { dueWork } from '../../core/schedules/due-work.js';
import { isLive } from '../../core/schedules/is-live.js';
import { endSchedule } from '../../core/schedules/schedule-change.js';
import { startScheduledActivation } from '../../core/schedules/start-scheduled-activation.js';
import {
  completeApproval,
  dueApprovals,
  getApprovalForUpdate,
} from '../../db/repositories/approval-repository.js';
import { getRequest, transitionRequest } from '../../db/repositories/request-repository.js';
import {
  applyScheduleChanges,
  dueSchedules,
  getSchedule,
  toSchedule,
} from '../../db/repositories/schedule-repository.js';
import type { DB } from '../../db/schema.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import { type AppDeps, systemActor } from '../context.js';
import { type Announcer, silentAnnouncer } from '../events/announcer.js';
import { approvalExpiredEvents, expiredEvents, startedEvents } from '../events/request-events.js';
import { pimAudit } from '../requests/pim-audit.js';
import { resolveTarget } from '../requests/target-context.js';

/** A target's id when its name cannot be read (a deleted role or group): the group for group targets. */
const fallbackName = (t: PimTarget): string => (t.targetKind === 'group' ? t.scopeId : t.roleDefinitionId);

/** What one tick did; `total` is the sum, for logs. */
export interface TickReport {
  readonly started: number;
  readonly expired: number;
  readonly approvalsExpired: number;
  readonly total: number;
}

/**
 * The scheduler's use cases: start scheduled activations, end expired schedules, time out approvals. Each
 * item is its own transaction that re-reads its row under a lock, so a tick is idempotent and two instances
 * ticking at once do each piece of work once.
 */
export function createSchedulerService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids'> & {
    audit: AuditWriter;
    /** Publishes what the scheduler did (activation granted or ended, assignment expired, approval timed out). */
    announcer?: Announcer;
  },
) {
  const { db, clock, ids, audit } = deps;
  const announcer = deps.announcer ?? silentAnnouncer;

  async function lockSchedule(trx: Transaction<DB>, id: string): Promise<Schedule | undefined> {
    const row = await trx
      .selectFrom('schedules')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row ? toSchedule(row) : undefined;
  }

  async function expire(s: Schedule): Promise<boolean> {
    return db.transaction().execute(async (trx) => {
      const now = clock.now();
      const fresh = await lockSchedule(trx, s.id);
      if (
        !fresh ||
        !['Scheduled', 'Provisioned'].includes(fresh.status) ||
        fresh.end === null ||
        fresh.end > now
      )
        return false;
      await applyScheduleChanges(trx, [endSchedule(fresh, fresh.end, 'Expired')], now);
      const request = await getRequest(trx, fresh.createdUsing);
      await announcer.announce(trx, systemActor, now, expiredEvents(fresh, request));
      if (request) {
        const target = await resolveTarget(trx, request).catch(() => undefined);
        await audit.append(trx, [
          pimAudit({
            id: ids.newId(),
            at: now,
            actor: systemActor,
            request,
            phase: 'expired',
            target: {
              targetDisplayName: target?.target.displayName ?? fallbackName(fresh),
              principalDisplayName: target?.principal.displayName ?? fresh.principalId,
              window: { start: fresh.start, end: fresh.end },
            },
          }),
        ]);
      }
      return true;
    });
  }

  async function start(s: Schedule): Promise<boolean> {
    return db.transaction().execute(async (trx) => {
      const now = clock.now();
      const fresh = await lockSchedule(trx, s.id);
      if (fresh?.status !== 'Scheduled' || fresh.start > now) return false;
      const eligibility = fresh.activatedUsing ? await getSchedule(trx, fresh.activatedUsing) : undefined;
      const decision = startScheduledActivation(fresh, eligibility, now);
      await applyScheduleChanges(trx, [decision.change], now);
      const request = await getRequest(trx, fresh.createdUsing);
      if (decision.kind === 'started')
        await announcer.announce(trx, systemActor, now, startedEvents(fresh, request));
      if (request) {
        await transitionRequest(trx, request.id, ['Granted'], {
          status: decision.kind === 'started' ? 'Provisioned' : 'Revoked',
          completedAt: request.completedAt ?? now,
        });
        if (decision.kind === 'revoked') {
          const target = await resolveTarget(trx, request).catch(() => undefined);
          await audit.append(trx, [
            pimAudit({
              id: ids.newId(),
              at: now,
              actor: systemActor,
              request,
              phase: 'canceled',
              target: {
                targetDisplayName: target?.target.displayName ?? fallbackName(fresh),
                principalDisplayName: target?.principal.displayName ?? fresh.principalId,
              },
              reason: decision.reason,
            }),
          ]);
        }
      }
      return true;
    });
  }

  async function timeOut(approvalId: string): Promise<boolean> {
    return db.transaction().execute(async (trx) => {
      const now = clock.now();
      const approval = await getApprovalForUpdate(trx, approvalId);
      const request = approval && (await getRequest(trx, approval.requestId));
      if (!approval || !request) return false;
      const { policyRules: _, ...plain } = request;
      const expired = expireApproval(approval, plain, now);
      if (!expired || !(await completeApproval(trx, expired.approval))) return false;
      await transitionRequest(trx, request.id, ['PendingApproval'], {
        status: expired.request.status,
        completedAt: expired.request.completedAt,
      });
      await announcer.announce(trx, systemActor, now, approvalExpiredEvents(expired.request, now));
      const target = await resolveTarget(trx, request).catch(() => undefined);
      await audit.append(trx, [
        pimAudit({
          id: ids.newId(),
          at: now,
          actor: systemActor,
          request: expired.request,
          phase: 'approvalExpired',
          target: {
            targetDisplayName: target?.target.displayName ?? fallbackName(request),
            principalDisplayName: target?.principal.displayName ?? request.principalId,
          },
          reason: 'Nobody approved the request in time.',
        }),
      ]);
      return true;
    });
  }

  return {
    /** One pass of every due piece of work, oldest first. Running it twice in a row changes nothing. */
    async tick(): Promise<TickReport> {
      const now = clock.now();
      const work = dueWork({
        schedules: await dueSchedules(db, now),
        approvals: await dueApprovals(db, now),
        now,
      });
      let started = 0;
      let expired = 0;
      let approvalsExpired = 0;
      for (const s of work.toExpire) if (await expire(s)) expired++;
      for (const s of work.toStart) if (isLive(s, now) && (await start(s))) started++;
      for (const a of work.approvalsToExpire) if (await timeOut(a.id)) approvalsExpired++;
      return { started, expired, approvalsExpired, total: started + expired + approvalsExpired };
    },
  };
}

export type SchedulerService = ReturnType<typeof createSchedulerService>;
