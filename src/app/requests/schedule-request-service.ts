import { cancelRequest } from '../../core/approvals/cancel-request.js';
import { approverCanDecide } from '../../core/authorization/approver-can-decide.js';
import { canReadAllPim } from '../../core/authorization/permissions.js';
import { ElevateError, notFound } from '../../core/errors.js';
import type { ScheduleRequest, ScheduleRequestInput } from '../../core/model/request.js';
import type { ScheduleKind, TargetKind } from '../../core/model/schedule.js';
import { decideScheduleRequest } from '../../core/requests/decide-schedule-request.js';
import type { AcrFallback } from '../../core/requests/decision.js';
import { getApproval, insertApproval, listApprovals } from '../../db/repositories/approval-repository.js';
import { isRelated } from '../../db/repositories/membership-repository.js';
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
import { withStepUpChallenge } from '../auth/step-up-challenge.js';
import { checkStepUpProof, consumeStepUpProof, type StepUpCheck } from '../auth/step-up-proofs.js';
import type { AppDeps, CallContext } from '../context.js';
import { type Announcer, silentAnnouncer } from '../events/announcer.js';
import { canceledEvents, grantedEvents, pendingApprovalEvents } from '../events/request-events.js';
import { maySeeResourceItem } from '../resources/resource-context.js';
import { pimAudit } from './pim-audit.js';
import {
  isOverlapViolation,
  lockTarget,
  policyFor,
  resolveTarget,
  targetFacts,
  targetSchedules,
} from './target-context.js';

export type CurrentUserFilter = 'principal' | 'createdBy' | 'approver';

/** Which requests a list returns: of one target kind (directory roles unless told), narrowed as Graph filters them. */
export interface RequestListQuery {
  readonly targetKind?: TargetKind;
  /** `filterByCurrentUser(on=…)`. */
  readonly on?: CurrentUserFilter;
  /** Only requests for this principal (the mandatory `principalId` filter of the group lists). */
  readonly principalId?: string;
  /** Only requests on this group (the mandatory `groupId` filter of the group lists). */
  readonly groupId?: string;
}

/**
 * Schedule requests for every target kind — directory roles and PIM for Groups: create (all nine actions),
 * read, list, cancel.
 */
export function createScheduleRequestService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids' | 'tenantId'> & {
    audit: AuditWriter;
    /** How old a step-up proof may be when a self-service request spends it (ELEVATE_STEP_UP_MAX_AGE). */
    stepUpMaxAgeSeconds?: number;
    /** ELEVATE_OIDC_ACR_FALLBACK: whether a step-up without `acr` satisfies an authentication context. */
    acrFallback?: AcrFallback;
    /** Publishes what a request changed (activation requested/granted, assignment added, …) in its transaction. */
    announcer?: Announcer;
  },
) {
  const { db, clock, ids, audit } = deps;
  const announcer = deps.announcer ?? silentAnnouncer;
  const stepUpMaxAgeSeconds = deps.stepUpMaxAgeSeconds ?? 300;
  const acrFallback = deps.acrFallback ?? 'mfa';

  /**
   * Whether the caller may see this request: readers see all; others their own, what they made, what they
   * approve, and the requests on a group they own.
   */
  async function canSee(ctx: CallContext, r: ScheduleRequest): Promise<boolean> {
    if (r.targetKind === 'resourceRole') return maySeeResourceItem(db, ctx.actor, r, clock.now());
    if (canReadAllPim(ctx.actor) || r.principalId === ctx.actor.id || r.createdById === ctx.actor.id)
      return true;
    const at = clock.now();
    if (
      r.targetKind === 'group' &&
      (await isRelated(db, { groupId: r.scopeId, principalId: ctx.actor.id, relationship: 'owner', at }))
    )
      return true;
    if (!r.approvalId) return false;
    const approval = await getApproval(db, r.approvalId);
    if (!approval) return false;
    const groups = new Set(await memberGroupIds(db, ctx.actor.id, { at }));
    return approverCanDecide(approval, ctx.actor, groups);
  }

  async function recordRefusal(
    ctx: CallContext,
    input: ScheduleRequestInput,
    error: ElevateError,
    names: { target: string; principal: string },
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
    const target = { targetDisplayName: names.target, principalDisplayName: names.principal };
    let record: ReturnType<typeof pimAudit>;
    try {
      record = pimAudit({
        id: ids.newId(),
        at: now,
        actor: ctx.actor,
        request,
        phase: 'failed',
        target,
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
          target,
          reason: error.message,
        }),
        activityDisplayName: 'Process request',
        operationType: 'Other',
      };
    }
    await db.transaction().execute((trx) => audit.append(trx, [record]));
  }

  async function get(
    ctx: CallContext,
    kind: ScheduleKind,
    id: string,
    targetKind: TargetKind = 'directoryRole',
  ): Promise<ScheduleRequest> {
    const r = /^[0-9a-f-]{36}$/i.test(id) ? await getRequest(db, id.toLowerCase()) : undefined;
    if (!r || r.kind !== kind || r.targetKind !== targetKind || !(await canSee(ctx, r)))
      throw notFound('Schedule request', id);
    const { policyRules: _, ...request } = r;
    return request;
  }

  return {
    /**
     * Decides and carries out one schedule request in one transaction: the request row, the schedule
     * changes, the approval and the audit records commit together; a refusal writes only its audit record.
     */
    async create(
      ctx: CallContext,
      input: ScheduleRequestInput,
      options: {
        /** A step-up proof for this request's target (`x-elevate-step-up`); spent when the request goes through. */
        readonly stepUpProof?: string;
        /** The request's id when the caller names it (ARM: the GUID in the URL); a new one otherwise. */
        readonly requestId?: string;
      } = {},
    ): Promise<ScheduleRequest> {
      const resolved = await resolveTarget(db, input);
      const names = { target: resolved.target.displayName, principal: resolved.principal.displayName };
      const requestId = options.requestId ?? ids.newId();
      const outcome = await db
        .transaction()
        .execute(async (trx) => {
          await lockTarget(trx, input);
          const now = clock.now();
          const policy = await policyFor(trx, deps, input, now);
          const schedules = await targetSchedules(trx, {
            ...input,
            principalType: resolved.principal.type,
            at: now,
          });
          const pendingRequests = await pendingRequestsForTarget(trx, input);
          // Only a proof made for this target, unspent and fresh, satisfies a self-service MFA rule (T7).
          const stepUp: StepUpCheck = input.action.startsWith('self')
            ? await checkStepUpProof(trx, {
                proof: options.stepUpProof,
                userId: ctx.actor.id,
                target: input,
                now,
                maxAgeSeconds: stepUpMaxAgeSeconds,
              })
            : { kind: 'none' };
          const decision = decideScheduleRequest({
            input,
            actor: ctx.actor,
            principal: resolved.principal,
            target: await targetFacts(trx, resolved.target, ctx.actor, now),
            rules: policy.rules,
            schedules,
            pendingRequests,
            now,
            ids: { requestId, stageId: ids.newId() },
            ...(stepUp.kind === 'valid' ? { stepUp: stepUp.facts } : {}),
            acrFallback,
          });
          if (decision.kind === 'rejected') {
            const error = withStepUpChallenge(decision.error, {
              action: input.action,
              rules: policy.rules,
              check: stepUp,
              maxAgeSeconds: stepUpMaxAgeSeconds,
            });
            return { ...decision, error };
          }
          if (decision.kind === 'validated') return decision;

          const { request } = decision;
          if (
            stepUp.kind === 'valid' &&
            !(await consumeStepUpProof(trx, { id: stepUp.id, requestId, now }))
          ) {
            throw new ElevateError('policy.violation', 'The step-up proof was spent by another request.');
          }
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
              target: { targetDisplayName: names.target, principalDisplayName: names.principal, window },
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
          await announcer.announce(
            trx,
            ctx.actor,
            now,
            decision.kind === 'pendingApproval'
              ? pendingApprovalEvents(request, decision.approval, now)
              : grantedEvents(request, decision.changes, now),
          );
          await audit.append(trx, records);
          return decision;
        })
        .catch((error: unknown) => {
          if (isOverlapViolation(error)) {
            return {
              kind: 'rejected' as const,
              error: new ElevateError(
                'schedule.exists',
                input.targetKind === 'group'
                  ? 'The group membership or ownership already exists for this window.'
                  : 'The role assignment already exists for this window.',
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

    get,

    /** The requests the caller may see, of one target kind, or those `filterByCurrentUser(on=…)` selects. */
    async list(
      ctx: CallContext,
      kind: ScheduleKind,
      query: RequestListQuery = {},
    ): Promise<ScheduleRequest[]> {
      const targetKind = query.targetKind ?? 'directoryRole';
      const narrow = {
        kind,
        targetKind,
        ...(query.principalId ? { principalIds: [query.principalId] } : {}),
        ...(query.groupId ? { scopeIds: [query.groupId] } : {}),
      };
      if (query.on === 'principal') return listRequests(db, { ...narrow, principalIds: [ctx.actor.id] });
      if (query.on === 'createdBy') return listRequests(db, { ...narrow, createdById: ctx.actor.id });
      if (query.on === 'approver') {
        const groups = new Set(await memberGroupIds(db, ctx.actor.id, { at: clock.now() }));
        const approvals = (await listApprovals(db)).filter((a) => approverCanDecide(a, ctx.actor, groups));
        return listRequests(db, { ...narrow, ids: approvals.map((a) => a.requestId) });
      }
      const all = await listRequests(db, narrow);
      if (canReadAllPim(ctx.actor)) return all;
      const visible: ScheduleRequest[] = [];
      for (const r of all) if (await canSee(ctx, r)) visible.push(r);
      return visible;
    },

    /** Cancels a request waiting for approval, or granted but not yet started. */
    async cancel(
      ctx: CallContext,
      kind: ScheduleKind,
      id: string,
      targetKind: TargetKind = 'directoryRole',
    ): Promise<void> {
      const existing = await get(ctx, kind, id, targetKind);
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
        const resolved = await resolveTarget(trx, fresh);
        await announcer.announce(trx, ctx.actor, now, canceledEvents(decision.request, now));
        await audit.append(trx, [
          pimAudit({
            id: ids.newId(),
            at: now,
            actor: ctx.actor,
            request: decision.request,
            phase: 'canceled',
            target: {
              targetDisplayName: resolved.target.displayName,
              principalDisplayName: resolved.principal.displayName,
            },
          }),
        ]);
      });
    },
  };
}

export type ScheduleRequestService = ReturnType<typeof createScheduleRequestService>;
