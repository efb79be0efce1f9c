import type { Approval } from '../model/approval.js';
import type { RequestStatus, ScheduleInfo, ScheduleRequest } from '../model/request.js';
import type { AssignmentType, PimTarget, Schedule, ScheduleKind } from '../model/schedule.js';
import type { ScheduleChange } from '../schedules/schedule-change.js';
import type { Window } from '../time/window.js';
import type { Decision, DecisionContext } from './decision.js';

export interface RequestFields {
  readonly status: RequestStatus;
  readonly scheduleInfo: ScheduleInfo | null;
  readonly targetScheduleId: string | null;
  readonly activatedUsing?: string | null;
  readonly approvalId?: string | null;
}

/** Builds the stored request: id from ids, created by the actor now, completed now unless it waits. */
export function buildRequest(ctx: DecisionContext, f: RequestFields): ScheduleRequest {
  const { input, actor, principal, now } = ctx;
  return {
    id: ctx.ids.requestId,
    kind: input.kind,
    action: input.action,
    status: f.status,
    principalId: principal.id,
    principalType: principal.type,
    targetKind: input.targetKind,
    roleDefinitionId: input.roleDefinitionId,
    scopeId: input.scopeId,
    justification: input.justification,
    scheduleInfo: f.scheduleInfo,
    ticketInfo: input.ticketInfo,
    isValidationOnly: input.isValidationOnly,
    targetScheduleId: f.targetScheduleId,
    activatedUsing: f.activatedUsing ?? null,
    approvalId: f.approvalId ?? null,
    createdById: actor.id,
    createdByType: actor.isSystem ? 'system' : actor.type,
    createdAt: now,
    completedAt: f.status === 'PendingApproval' ? null : now,
  };
}

/** A grant starting now is Provisioned; one starting later is Granted (request) and Scheduled (schedule). */
export const grantStatus = (
  start: Date,
  now: Date,
): { request: RequestStatus; schedule: 'Provisioned' | 'Scheduled' } =>
  start.getTime() <= now.getTime()
    ? { request: 'Provisioned', schedule: 'Provisioned' }
    : { request: 'Granted', schedule: 'Scheduled' };

export interface NewSchedule extends PimTarget {
  readonly id: string;
  readonly kind: ScheduleKind;
  readonly principalId: string;
  readonly principalType: Schedule['principalType'];
  readonly assignmentType: AssignmentType | null;
  readonly window: Window;
  readonly createdUsing: string;
  readonly activatedUsing: string | null;
  readonly now: Date;
}

/** Builds a new schedule over a window, Provisioned when it starts by `now`, Scheduled otherwise. */
export function buildSchedule(n: NewSchedule): Schedule {
  return {
    id: n.id,
    kind: n.kind,
    principalId: n.principalId,
    principalType: n.principalType,
    targetKind: n.targetKind,
    roleDefinitionId: n.roleDefinitionId,
    scopeId: n.scopeId,
    assignmentType: n.kind === 'assignment' ? n.assignmentType : null,
    start: n.window.start,
    end: n.window.end,
    status: grantStatus(n.window.start, n.now).schedule,
    createdUsing: n.createdUsing,
    activatedUsing: n.activatedUsing,
    createdAt: n.now,
    modifiedAt: n.now,
  };
}

/** The final answer for a request that passed every check: granted, or validated for a dry run. */
export function granted(
  ctx: DecisionContext,
  request: ScheduleRequest,
  changes: readonly ScheduleChange[],
): Decision {
  return ctx.input.isValidationOnly ? { kind: 'validated', request } : { kind: 'granted', request, changes };
}

/** The final answer for a request that must wait for an approver: pending, or validated for a dry run. */
export function pending(ctx: DecisionContext, request: ScheduleRequest, approval: Approval): Decision {
  return ctx.input.isValidationOnly
    ? { kind: 'validated', request }
    : { kind: 'pendingApproval', request, approval };
}

/** The request's scheduleInfo as resolved: the start Graph would echo and the expiration as asked. */
export function resolvedScheduleInfo(ctx: DecisionContext, window: Window): ScheduleInfo {
  const asked = ctx.input.scheduleInfo?.expiration;
  const expiration =
    asked && asked.type !== 'notSpecified'
      ? asked
      : window.end === null
        ? { type: 'noExpiration' as const, endDateTime: null, duration: null }
        : { type: 'afterDateTime' as const, endDateTime: window.end, duration: null };
  return { startDateTime: window.start, expiration };
}
