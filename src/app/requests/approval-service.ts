import { decideApproval } from '../../core/approvals/decide-approval.js';
import { approverCanDecide } from '../../core/authorization/approver-can-decide.js';
import { canReadAllPim } from '../../core/authorization/permissions.js';
import { ElevateError, notFound } from '../../core/errors.js';
import type { Approval } from '../../core/model/approval.js';
import type { ScheduleRequest } from '../../core/model/request.js';
import type { TargetKind } from '../../core/model/schedule.js';
import {
  completeApproval,
  getApproval,
  getApprovalForUpdate,
} from '../../db/repositories/approval-repository.js';
import { memberGroupIds } from '../../db/repositories/principal-repository.js';
import { getRequest, transitionRequest } from '../../db/repositories/request-repository.js';
import { applyScheduleChanges } from '../../db/repositories/schedule-repository.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps, CallContext } from '../context.js';
import { type Announcer, silentAnnouncer } from '../events/announcer.js';
import { decidedEvents } from '../events/request-events.js';
import { ancestorsOf, authorityAt } from '../resources/resource-context.js';
import { pimAudit } from './pim-audit.js';
import {
  isOverlapViolation,
  lockTarget,
  policyFor,
  resolveTarget,
  targetSchedules,
} from './target-context.js';

export interface ApprovalView {
  readonly approval: Approval;
  readonly request: ScheduleRequest;
  /** Whether the caller is one who may decide it (Graph's `assignedToMe`). */
  readonly assignedToMe: boolean;
}

/** Approvals of requests (directory roles and PIM for Groups): read them, and Approve or Deny (the first decision wins). */
export function createApprovalService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids' | 'tenantId'> & {
    audit: AuditWriter;
    /** Publishes the decision (approval.decided, then activation granted or denied) in its transaction. */
    announcer?: Announcer;
  },
) {
  const { db, clock, ids, audit } = deps;
  const announcer = deps.announcer ?? silentAnnouncer;

  /** The approval of a request on a target of `targetKind`; one of another kind is not found here. */
  async function view(
    ctx: CallContext,
    approvalId: string,
    targetKind: TargetKind = 'directoryRole',
  ): Promise<ApprovalView> {
    const approval = /^[0-9a-f-]{36}$/i.test(approvalId)
      ? await getApproval(db, approvalId.toLowerCase())
      : undefined;
    const request = approval && (await getRequest(db, approval.requestId));
    if (!approval || !request || request.targetKind !== targetKind) throw notFound('Approval', approvalId);
    const groups = new Set(await memberGroupIds(db, ctx.actor.id, { at: clock.now() }));
    const isDefault = await defaultApprover(ctx, request);
    const assignedToMe =
      approverCanDecide(approval, ctx.actor, groups, isDefault) && request.principalId !== ctx.actor.id;
    const own = request.principalId === ctx.actor.id || request.createdById === ctx.actor.id;
    if (
      !assignedToMe &&
      !own &&
      !(request.targetKind !== 'resourceRole' && canReadAllPim(ctx.actor)) &&
      !approverCanDecide(approval, ctx.actor, groups, isDefault)
    ) {
      throw notFound('Approval', approvalId);
    }
    const { policyRules: _, ...plain } = request;
    return { approval, request: plain, assignedToMe };
  }

  /**
   * Whether the caller decides when no approver is listed: for a resource role an Owner or User Access
   * Administrator of its scope (Azure's approvers of extensions and renewals); otherwise undefined, which
   * leaves the decision to role administrators.
   */
  async function defaultApprover(ctx: CallContext, request: ScheduleRequest): Promise<boolean | undefined> {
    if (request.targetKind !== 'resourceRole') return undefined;
    const ancestors = await ancestorsOf(db, request.scopeId);
    return (await authorityAt(db, ctx.actor, ancestors, clock.now())).managesSettings;
  }

  return {
    get: view,

    /**
     * Approves or denies. The approval row is locked, so of N concurrent deciders exactly one wins and the
     * others get `approval.already_decided`; approving re-checks today's settings and the eligibility.
     */
    async decide(
      ctx: CallContext,
      approvalId: string,
      stageId: string,
      decision: { reviewResult: 'Approve' | 'Deny'; justification: string | null },
      targetKind: TargetKind = 'directoryRole',
    ): Promise<void> {
      const { approval: seen, request: seenRequest } = await view(ctx, approvalId, targetKind);
      if (seen.stageId !== stageId.toLowerCase() && seen.id !== stageId.toLowerCase()) {
        throw notFound('Approval step', stageId);
      }
      const reviewerGroupIds = new Set(await memberGroupIds(db, ctx.actor.id, { at: clock.now() }));
      const reviewerIsDefaultApprover = await defaultApprover(ctx, seenRequest);
      const outcome = await db
        .transaction()
        .execute(async (trx) => {
          const approval = await getApprovalForUpdate(trx, seen.id);
          const request = approval && (await getRequest(trx, approval.requestId));
          if (!approval || !request) throw notFound('Approval', approvalId);
          await lockTarget(trx, request);
          const now = clock.now();
          const target = await resolveTarget(trx, request);
          const policy = await policyFor(trx, deps, request, now);
          const schedules = await targetSchedules(trx, { ...request, at: now });
          const { policyRules: _, ...plainRequest } = request;
          const d = decideApproval({
            request: plainRequest,
            approval,
            rulesNow: policy.rules,
            decision,
            reviewer: ctx.actor,
            reviewerGroupIds,
            ...(reviewerIsDefaultApprover === undefined ? {} : { reviewerIsDefaultApprover }),
            schedules,
            now,
            targetDisplayName: target.target.displayName,
          });
          if (d.kind === 'rejected') return d;
          if (!(await completeApproval(trx, d.approval))) {
            return {
              kind: 'rejected' as const,
              error: new ElevateError('approval.already_decided', 'This request has already been decided.'),
            };
          }
          await transitionRequest(trx, request.id, ['PendingApproval'], {
            status: d.request.status,
            completedAt: d.request.completedAt,
            targetScheduleId: d.request.targetScheduleId,
            scheduleInfo: d.request.scheduleInfo,
          });
          const names = {
            targetDisplayName: target.target.displayName,
            principalDisplayName: target.principal.displayName,
          };
          const records = [
            pimAudit({
              id: ids.newId(),
              at: now,
              actor: ctx.actor,
              request: d.request,
              phase: d.kind === 'approved' ? 'approved' : 'denied',
              target: names,
              reason: decision.justification,
            }),
          ];
          if (d.kind === 'approved') {
            await applyScheduleChanges(trx, d.changes, now);
            const created = d.changes.find((c) => c.op === 'create');
            const window =
              created?.op === 'create' ? { start: created.schedule.start, end: created.schedule.end } : null;
            records.push(
              pimAudit({
                id: ids.newId(),
                at: now,
                actor: ctx.actor,
                request: d.request,
                phase: 'completed',
                target: { ...names, window },
              }),
            );
          }
          await announcer.announce(
            trx,
            ctx.actor,
            now,
            decidedEvents(
              d.request,
              d.approval,
              {
                decidedById: ctx.actor.id,
                outcome: d.kind === 'approved' ? 'Approved' : 'Denied',
                justification: decision.justification,
              },
              d.kind === 'approved' ? d.changes : [],
              now,
            ),
          );
          await audit.append(trx, records);
          return d;
        })
        .catch((error: unknown) => {
          if (isOverlapViolation(error)) {
            return {
              kind: 'rejected' as const,
              error: new ElevateError(
                'schedule.exists',
                targetKind === 'group'
                  ? 'The group membership or ownership is already active for this window.'
                  : 'The role is already active for this window.',
              ),
            };
          }
          throw error;
        });
      if (outcome.kind === 'rejected') throw outcome.error;
    },
  };
}

export type ApprovalService = ReturnType<typeof createApprovalService>;
