import { openApproval } from '../approvals/open-approval.js';
import { ElevateError } from '../errors.js';
import { liveScheduleStatuses } from '../model/schedule.js';
import { endSchedule, type ScheduleChange } from '../schedules/schedule-change.js';
import { servicePrincipalWindowError } from './authorize-request.js';
import {
  buildRequest,
  buildSchedule,
  granted,
  grantStatus,
  pending,
  resolvedScheduleInfo,
} from './build-request.js';
import { authEvidence, type Decision, type DecisionContext, refuse, rejected } from './decision.js';
import { subjectOf } from './describe-request.js';
import { evaluateRules } from './evaluate-rules.js';
import { findConflict, pendingConflict } from './find-conflict.js';
import { ownSchedules } from './own-schedules.js';
import { policyViolation } from './policy-violation.js';
import { resolveWindow } from './resolve-window.js';

/** Entra offers renewal for 30 days after an assignment expired. */
export const renewalWindowMs = 30 * 86_400_000;

/**
 * Decides an adminRenew or selfRenew: a new schedule for the asked window when the principal's eligible or
 * Assigned schedule expired at most 30 days ago, under the admin rules (invariant 4). An administrator's renewal
 * applies at once; a user's always waits for a role administrator's approval (invariant 3).
 */
export function decideRenewal(ctx: DecisionContext): Decision {
  const { input, now } = ctx;
  const isSelf = input.action === 'selfRenew';
  const ended = ownSchedules(ctx, { kind: input.kind, live: false })
    .filter((s) => s.assignmentType !== 'Activated' && s.status !== 'Revoked')
    .filter((s) => s.end !== null && s.end.getTime() <= now.getTime())
    .sort((a, b) => (b.end?.getTime() ?? 0) - (a.end?.getTime() ?? 0));
  const expired = ended.find((s) => (s.end?.getTime() ?? 0) > now.getTime() - renewalWindowMs);
  if (!expired) {
    const old = ended[0]?.end;
    return refuse(
      'schedule.does_not_exist',
      old
        ? `${subjectOf(ctx)}: it expired at ${old.toISOString()}, more than 30 days ago; ask for a new assignment instead.`
        : `${subjectOf(ctx)}: there is no expired assignment to renew (only one that expired within the last 30 days can be renewed; extend a live one).`,
    );
  }
  const window = resolveWindow({
    scheduleInfo: input.scheduleInfo,
    now,
    whenNotSpecified: { kind: 'noExpiration' },
  });
  if (window instanceof ElevateError) return rejected(window);
  const refused =
    servicePrincipalWindowError(ctx, window) ??
    findConflict(ctx, { kind: input.kind, window }) ??
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
    measureFrom: window.start,
    approvalRequired: isSelf,
  });
  if (violations.length > 0) return rejected(policyViolation(violations));

  const id = ctx.ids.requestId;
  const scheduleInfo = resolvedScheduleInfo(ctx, window);
  if (isSelf) {
    const request = buildRequest(ctx, {
      status: 'PendingApproval',
      scheduleInfo,
      targetScheduleId: id,
      approvalId: id,
    });
    const rule = ctx.rules.Approval_EndUser_Assignment;
    return pending(
      ctx,
      request,
      openApproval({ requestId: id, stageId: ctx.ids.stageId, rule, useListedApprovers: false, now }),
    );
  }
  const schedule = buildSchedule({
    ...input,
    id,
    principalId: ctx.principal.id,
    principalType: ctx.principal.type,
    assignmentType: 'Assigned',
    window,
    createdUsing: id,
    activatedUsing: null,
    now,
  });
  const changes: ScheduleChange[] = [{ op: 'create', schedule }];
  // The scheduler may not have marked it yet; record the expiry with the renewal.
  if (liveScheduleStatuses.includes(expired.status)) changes.push(endSchedule(expired, now, 'Expired'));
  const request = buildRequest(ctx, {
    status: grantStatus(window.start, now).request,
    scheduleInfo,
    targetScheduleId: id,
  });
  return granted(ctx, request, changes);
}
