import { openApproval } from '../approvals/open-approval.js';
import { ElevateError } from '../errors.js';
import type { ScheduleInfo } from '../model/request.js';
import { maxDate, type Window } from '../time/window.js';
import { servicePrincipalWindowError } from './authorize-request.js';
import { buildRequest, granted, grantStatus, pending } from './build-request.js';
import { authEvidence, type Decision, type DecisionContext, refuse, rejected } from './decision.js';
import { subjectOf } from './describe-request.js';
import { evaluateRules } from './evaluate-rules.js';
import { findConflict, pendingConflict } from './find-conflict.js';
import { ownSchedules, pickCurrent } from './own-schedules.js';
import { policyViolation } from './policy-violation.js';
import { resolveWindow } from './resolve-window.js';

/** Entra offers extension only in the last 14 days of an assignment. */
export const extensionWindowMs = 14 * 86_400_000;

/**
 * Decides an adminExtend or selfExtend: a later end for the principal's own live eligible or Assigned schedule
 * that ends within 14 days, under the admin expiration limit measured from now (invariant 4). An administrator's
 * extension applies at once; a user's always waits for a role administrator's approval (invariant 3).
 */
export function decideExtension(ctx: DecisionContext): Decision {
  const { input, now } = ctx;
  const isSelf = input.action === 'selfExtend';
  const live = ownSchedules(ctx, { kind: input.kind, live: true });
  const target = pickCurrent(
    live.filter((s) => s.assignmentType !== 'Activated'),
    now,
  );
  if (!target) {
    return refuse(
      'schedule.does_not_exist',
      live.length > 0
        ? `${subjectOf(ctx)}: an activation cannot be extended; activate again when it ends.`
        : `${subjectOf(ctx)}: there is no such assignment to extend.`,
    );
  }
  if (target.end === null) {
    return refuse(
      'request.invalid',
      `${subjectOf(ctx)}: the assignment is permanent, so there is nothing to extend.`,
    );
  }
  const opens = new Date(target.end.getTime() - extensionWindowMs);
  if (now.getTime() < opens.getTime()) {
    return refuse(
      'request.invalid',
      `${subjectOf(ctx)}: an assignment can be extended only in the 14 days before it ends (${target.end.toISOString()}); try again after ${opens.toISOString()}.`,
    );
  }
  const asked = resolveWindow({
    scheduleInfo: input.scheduleInfo,
    now,
    whenNotSpecified: { kind: 'refuse', action: input.action },
  });
  if (asked instanceof ElevateError) return rejected(asked);
  if (asked.end !== null && asked.end.getTime() <= target.end.getTime()) {
    return refuse(
      'request.invalid',
      `The new end (${asked.end.toISOString()}) must be later than the current end (${target.end.toISOString()}).`,
    );
  }
  const window: Window = { start: target.start, end: asked.end };
  const refused =
    servicePrincipalWindowError(ctx, window) ??
    findConflict(ctx, { kind: input.kind, window, exceptId: target.id }) ??
    (isSelf ? pendingConflict(ctx) : null);
  if (refused) return rejected(refused);

  const violations = evaluateRules(ctx.rules, {
    action: input.action,
    kind: input.kind,
    subject: subjectOf(ctx),
    justification: input.justification,
    ticketInfo: input.ticketInfo,
    ...authEvidence(ctx),
    window,
    measureFrom: maxDate(now, target.start),
    approvalRequired: isSelf,
  });
  if (violations.length > 0) return rejected(policyViolation(violations));

  // Stored as the resolved end, so an approval later extends to exactly what was checked.
  const scheduleInfo: ScheduleInfo = {
    startDateTime: target.start,
    expiration:
      window.end === null
        ? { type: 'noExpiration', endDateTime: null, duration: null }
        : { type: 'afterDateTime', endDateTime: window.end, duration: null },
  };
  const id = ctx.ids.requestId;
  if (isSelf) {
    const request = buildRequest(ctx, {
      status: 'PendingApproval',
      scheduleInfo,
      targetScheduleId: target.id,
      approvalId: id,
    });
    const rule = ctx.rules.Approval_EndUser_Assignment;
    return pending(
      ctx,
      request,
      openApproval({ requestId: id, stageId: ctx.ids.stageId, rule, useListedApprovers: false, now }),
    );
  }
  const request = buildRequest(ctx, {
    status: grantStatus(target.start, now).request,
    scheduleInfo,
    targetScheduleId: target.id,
  });
  return granted(ctx, request, [{ op: 'update', scheduleId: target.id, end: window.end }]);
}
