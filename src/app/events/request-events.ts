import type { Approval } from '../../core/model/approval.js';
import type { ScheduleRequest } from '../../core/model/request.js';
import type { Schedule } from '../../core/model/schedule.js';
import type { ScheduleChange } from '../../core/schedules/schedule-change.js';
import type { PimEventSpec } from './pim-events.js';

/** What every event about a request says (its target, principal, justification and ticket). */
function fromRequest(r: ScheduleRequest): Omit<PimEventSpec, 'type' | 'subject'> {
  return {
    principalId: r.principalId,
    target: { targetKind: r.targetKind, roleDefinitionId: r.roleDefinitionId, scopeId: r.scopeId },
    kind: r.kind,
    requestId: r.id,
    approvalId: r.approvalId,
    justification: r.justification,
    ticket: r.ticketInfo.ticketNumber || r.ticketInfo.ticketSystem ? r.ticketInfo : null,
  };
}

const requestedWindow = (r: ScheduleRequest, now: Date): { start: Date; end: Date | null } => {
  const start = r.scheduleInfo?.startDateTime ?? now;
  return { start, end: r.scheduleInfo?.expiration.endDateTime ?? null };
};

/** A request now waits for approval: the requestor's activation.requested and the approvers' approval.requested. */
export function pendingApprovalEvents(r: ScheduleRequest, approval: Approval, now: Date): PimEventSpec[] {
  const base = { ...fromRequest(r), approvalId: approval.id, ...requestedWindow(r, now) };
  return [
    { ...base, type: 'elevate.activation.requested', subject: r.id },
    { ...base, type: 'elevate.approval.requested', subject: approval.id, approvers: approval.approvers },
  ];
}

/**
 * A request went through (at once, or approved): what its schedule changes mean to the people concerned — an
 * activation granted or ended, an assignment added, updated or removed.
 */
export function grantedEvents(
  r: ScheduleRequest,
  changes: readonly ScheduleChange[],
  now: Date,
): PimEventSpec[] {
  const base = fromRequest(r);
  const created = changes.find((c): c is Extract<ScheduleChange, { op: 'create' }> => c.op === 'create');
  const ends = changes.filter((c): c is Extract<ScheduleChange, { op: 'end' }> => c.op === 'end');
  const updated = changes.find((c): c is Extract<ScheduleChange, { op: 'update' }> => c.op === 'update');
  const window = (s: Schedule) => ({ scheduleId: s.id, start: s.start, end: s.end });
  switch (r.action) {
    case 'selfActivate':
      // An activation that starts later is granted when the scheduler starts it (startedEvents).
      return created && created.schedule.start <= now
        ? [
            {
              ...base,
              ...window(created.schedule),
              type: 'elevate.activation.granted',
              subject: created.schedule.id,
            },
          ]
        : [];
    case 'selfDeactivate':
      return ends.map((e) => ({
        ...base,
        type: 'elevate.activation.ended',
        subject: e.scheduleId,
        scheduleId: e.scheduleId,
        start: null,
        end: e.end,
        reason: 'deactivated',
      }));
    case 'adminAssign':
      return created
        ? [
            {
              ...base,
              ...window(created.schedule),
              type: 'elevate.assignment.added',
              subject: created.schedule.id,
            },
          ]
        : [];
    case 'adminRemove':
      return ends.map((e, i) => ({
        ...base,
        // The first change ends the assignment removed; the rest are activations drawn from it.
        type: i === 0 ? 'elevate.assignment.removed' : 'elevate.activation.ended',
        ...(i === 0 ? {} : { kind: 'assignment' as const }),
        subject: e.scheduleId,
        scheduleId: e.scheduleId,
        start: null,
        end: e.end,
        reason: 'removed',
      }));
    default: {
      // adminUpdate, adminExtend, adminRenew, selfExtend, selfRenew: the assignment's window changed.
      if (created)
        return [
          {
            ...base,
            ...window(created.schedule),
            type: 'elevate.assignment.updated',
            subject: created.schedule.id,
          },
        ];
      if (updated)
        return [
          {
            ...base,
            type: 'elevate.assignment.updated',
            subject: updated.scheduleId,
            scheduleId: updated.scheduleId,
            start: updated.start ?? now,
            end: updated.end,
          },
        ];
      return [];
    }
  }
}

/** An approver decided: approval.decided (the other approvers learn it is decided), then what it led to. */
export function decidedEvents(
  r: ScheduleRequest,
  approval: Approval,
  decision: { decidedById: string; outcome: 'Approved' | 'Denied'; justification: string | null },
  changes: readonly ScheduleChange[],
  now: Date,
): PimEventSpec[] {
  const base = { ...fromRequest(r), approvalId: approval.id, ...requestedWindow(r, now) };
  const decided: PimEventSpec = {
    ...base,
    type: 'elevate.approval.decided',
    subject: approval.id,
    approvers: approval.approvers,
    decision,
  };
  if (decision.outcome === 'Denied')
    return [
      decided,
      { ...base, type: 'elevate.activation.denied', subject: r.id, decision, reason: 'denied' },
    ];
  return [decided, ...grantedEvents(r, changes, now)];
}

/** The requestor canceled a pending request. */
export function canceledEvents(r: ScheduleRequest, now: Date): PimEventSpec[] {
  return [{ ...fromRequest(r), ...requestedWindow(r, now), type: 'elevate.request.canceled', subject: r.id }];
}

/** What every event about a schedule says, with the request that made it when there is one. */
function fromSchedule(s: Schedule, r: ScheduleRequest | undefined): Omit<PimEventSpec, 'type' | 'subject'> {
  return {
    ...(r ? fromRequest(r) : {}),
    principalId: s.principalId,
    target: { targetKind: s.targetKind, roleDefinitionId: s.roleDefinitionId, scopeId: s.scopeId },
    kind: s.kind,
    requestId: r?.id ?? null,
    scheduleId: s.id,
    start: s.start,
    end: s.end,
  };
}

/** The scheduler ended a schedule at its end: an activation ended, or a time-bound assignment removed. */
export function expiredEvents(s: Schedule, r: ScheduleRequest | undefined): PimEventSpec[] {
  const activation = s.kind === 'assignment' && s.assignmentType === 'Activated';
  return [
    {
      ...fromSchedule(s, r),
      type: activation ? 'elevate.activation.ended' : 'elevate.assignment.removed',
      subject: s.id,
      reason: 'expired',
    },
  ];
}

/** A scheduled activation's start came: access begins now. */
export function startedEvents(s: Schedule, r: ScheduleRequest | undefined): PimEventSpec[] {
  return [{ ...fromSchedule(s, r), type: 'elevate.activation.granted', subject: s.id }];
}

/** Nobody decided a request in time. */
export function approvalExpiredEvents(r: ScheduleRequest, now: Date): PimEventSpec[] {
  return [
    {
      ...fromRequest(r),
      ...requestedWindow(r, now),
      type: 'elevate.activation.denied',
      subject: r.id,
      reason: 'approvalExpired',
    },
  ];
}
