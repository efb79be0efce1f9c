import { cancelRequest } from '../../core/approvals/cancel-request.js';
import { approverCanDecide } from '../../core/authorization/approver-can-decide.js';
import { canReadAllPim } from '../../core/authorization/permissions.js';
import { ElevateError, notFound } from '../../core/errors.js';
import type { ScheduleRequest, ScheduleRequestInput } from '../../core/model/request.js';
import type { ScheduleKind } from '../../core/model/schedule.js';
import { decideScheduleRequest } from '../../core/requests/decide-schedule-request.js';
import { getApproval, insertApproval, listApprovals } from '../../db/repositories/approval-repository.js';
import { memberGroupIds } from '../../db/repositories/principal-repository.js';
import {
  getRequest,
  insertRequest,
  listRequests,
  pendingRequestsForTarget,
  transitionRequest,
} from '../../db/repositories/request-repository.js';
import { applyScheduleChanges, getSchedule } from '../../db/repositories/schedule-repository.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps, CallContext } from '../context.js';
import { pimAudit } from './pim-audit.js';
import {
  isOverlapViolation,
  lockTarget,
  policyFor,
  resolveTarget,
  targetSchedules,
} from './target-context.js';

export type CurrentUserFilter = 'principal' | 'createdBy' | 'approver';

/** Schedule requests for directory roles: create (all nine actions), read, list, cancel. */
export function createScheduleRequestService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids' | 'tenantId'> & { audit: AuditWriter },
) {
  const { db, clock, ids, audit } = deps;

  /** Whether the caller may see this request: readers see all; others their own, what they made, what they approve. */
  async function canSee(ctx: CallContext, r: ScheduleRequest): Promise<boolean> {
    if (canReadAllPim(ctx.actor) || r.principalId === ctx.actor.id || r.createdById === ctx.actor.id)
      return true;
    if (!r.approvalId) return false;
    const approval = await getApproval(db, r.approvalId);
    if (!approval) return false;
    const groups = new Set(await memberGroupIds(db, ctx.actor.id));
    return approverCanDecide(approval, ctx.actor, groups);
  }

  async function recordRefusal(
    ctx: CallContext,
    input: ScheduleRequestInput,
    error: ElevateError,
    names: { role: string; principal: string },
  ) {
    const now = clock.now();
    const request: ScheduleRequest = {
      ...input,
      id: ids.newId(),
      status: 'Failed',
      principalType: 'user',
      targetScheduleId: null,
      activatedUsing: null,
      approvalId: null,
      createdById: ctx.actor.id,
      createdByType: ctx.actor.type,
      createdAt: now,
      completedAt: now,
    };
    let record: ReturnType<typeof pimAudit>;
    try {
      record = pimAudit({
        id: ids.newId(),
        at: now,
        actor: ctx.actor,
        request,
        phase: 'failed',
        target: { roleDisplayName: names.role, principalDisplayName: names.principal },
        reason: error.message,
      });
    } catch {
      // An action PIM never performs on this kind (e.g. activating an eligibility): still log the refusal.
      record = {
        ...pimAudit({
          id: ids.newId(),
          at: now,
          actor: ctx.actor,
          request: { ...request, kind: 'assignment', action: 'selfActivate' },
          phase: 'failed',
          target: { roleDisplayName: names.role, principalDisplayName: names.principal },
          reason: error.message,
        }),
        activityDisplayName: 'Process request',
        operationType: 'Other',
      };
    }
    await db.transaction().execute((trx) => audit.append(trx, [record]));
  }

  return {
    /**
     * Decides and carries out one schedule request in one transaction: the request row, the schedule
     * changes, the approval and the audit records commit together; a refusal writes only its audit record.
     */
    async create(ctx: CallContext, input: ScheduleRequestInput): Promise<ScheduleRequest> {
      const target = await resolveTarget(db, input);
      const names = { role: target.role.displayName, principal: target.principal.displayName };
      const requestId = ids.newId();
      const outcome = await db
        .transaction()
        .execute(async (trx) => {
          await lockTarget(trx, input);
          const now = clock.now();
          const policy = await policyFor(trx, deps, input, now);
          const schedules = await targetSchedules(trx, { ...input, principalType: target.principal.type });
          const pendingRequests = await pendingRequestsForTarget(trx, {
            principalId: input.principalId,
            roleId: input.roleDefinitionId,
            scopeId: input.directoryScopeId,
          });
          const decision = decideScheduleRequest({
            input,
            actor: ctx.actor,
            principal: target.principal,
            role: target.role,
            rules: policy.rules,
            schedules,
            pendingRequests,
            now,
            ids: { requestId, stageId: ids.newId() },
          });
          if (decision.kind === 'rejected' || decision.kind === 'validated') return decision;

          const { request } = decision;
          await insertRequest(trx, request, policy.rules);
          const records = [];
          const audited = (
            phase: Parameters<typeof pimAudit>[0]['phase'],
            window?: { start: Date; end: Date | null } | null,
          ) =>
            pimAudit({
              id: ids.newId(),
              at: now,
              actor: ctx.actor,
              request,
              phase,
              target: { roleDisplayName: names.role, principalDisplayName: names.principal, window },
            });
          if (decision.kind === 'pendingApproval') {
            await insertApproval(trx, decision.approval);
            records.push(audited('approvalRequested'));
          } else {
            await applyScheduleChanges(trx, decision.changes, now);
            const created = decision.changes.find((c) => c.op === 'create');
            const window =
              created?.op === 'create'
                ? { start: created.schedule.start, end: created.schedule.end }
                : (() => {
                    const first = decision.changes[0];
                    return first && first.op !== 'create' ? { start: now, end: first.end } : null;
                  })();
            records.push(audited('requested', window), audited('completed', window));
          }
          await audit.append(trx, records);
          return decision;
        })
        .catch((error: unknown) => {
          if (isOverlapViolation(error)) {
            return {
              kind: 'rejected' as const,
              error: new ElevateError(
                'schedule.exists',
                'The role assignment already exists for this window.',
              ),
            };
          }
          throw error;
        });
      if (outcome.kind === 'rejected') {
        await recordRefusal(ctx, input, outcome.error, names);
        throw outcome.error;
      }
      return outcome.request;
    },

    async get(ctx: CallContext, kind: ScheduleKind, id: string): Promise<ScheduleRequest> {
      const r = /^[0-9a-f-]{36}$/i.test(id) ? await getRequest(db, id.toLowerCase()) : undefined;
      if (!r || r.kind !== kind || !(await canSee(ctx, r))) throw notFound('Schedule request', id);
      const { policyRules: _, ...request } = r;
      return request;
    },

    /** All requests the caller may see, or those `filterByCurrentUser(on=…)` selects. */
    async list(ctx: CallContext, kind: ScheduleKind, on?: CurrentUserFilter): Promise<ScheduleRequest[]> {
      if (on === 'principal') return listRequests(db, { kind, principalIds: [ctx.actor.id] });
      if (on === 'createdBy') return listRequests(db, { kind, createdById: ctx.actor.id });
      if (on === 'approver') {
        const groups = new Set(await memberGroupIds(db, ctx.actor.id));
        const approvals = (await listApprovals(db)).filter((a) => approverCanDecide(a, ctx.actor, groups));
        return listRequests(db, { kind, ids: approvals.map((a) => a.requestId) });
      }
      const all = await listRequests(db, { kind });
      if (canReadAllPim(ctx.actor)) return all;
      const visible: ScheduleRequest[] = [];
      for (const r of all) if (await canSee(ctx, r)) visible.push(r);
      return visible;
    },

    /** Cancels a request waiting for approval, or granted but not yet started. */
    async cancel(ctx: CallContext, kind: ScheduleKind, id: string): Promise<void> {
      const existing = await this.get(ctx, kind, id);
      await db.transaction().execute(async (trx) => {
        await lockTarget(trx, existing);
        const now = clock.now();
        const fresh = await getRequest(trx, existing.id);
        if (!fresh) throw notFound('Schedule request', id);
        const approval = fresh.approvalId ? ((await getApproval(trx, fresh.approvalId)) ?? null) : null;
        const schedule = fresh.targetScheduleId
          ? ((await getSchedule(trx, fresh.targetScheduleId)) ?? null)
          : null;
        const decision = cancelRequest({ request: fresh, approval, schedule, actor: ctx.actor, now });
        if (decision.kind === 'rejected') throw decision.error;
        const moved = await transitionRequest(trx, fresh.id, [fresh.status], {
          status: decision.request.status,
          completedAt: decision.request.completedAt,
        });
        if (!moved)
          throw new ElevateError(
            'request.not_cancelable',
            'The request changed while it was being canceled.',
          );
        if (decision.approval) {
          await trx
            .updateTable('approvals')
            .set({ status: decision.approval.status })
            .where('id', '=', decision.approval.id)
            .where('status', '=', 'InProgress')
            .execute();
        }
        await applyScheduleChanges(trx, decision.changes, now);
        const target = await resolveTarget(trx, fresh);
        await audit.append(trx, [
          pimAudit({
            id: ids.newId(),
            at: now,
            actor: ctx.actor,
            request: decision.request,
            phase: 'canceled',
            target: {
              roleDisplayName: target.role.displayName,
              principalDisplayName: target.principal.displayName,
            },
          }),
        ]);
      });
    },
  };
}

export type ScheduleRequestService = ReturnType<typeof createScheduleRequestService>;
