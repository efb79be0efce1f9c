import { openApproval } from '../approvals/open-approval.js';
import { ElevateError } from '../errors.js';
import type { ScheduleInfo } from '../model/request.js';
import type { Window } from '../time/window.js';
import { buildRequest, buildSchedule, granted, grantStatus, pending } from './build-request.js';
import { authEvidence, type Decision, type DecisionContext, refuse, rejected } from './decision.js';
import { subjectOf } from './describe-request.js';
import { evaluateRules } from './evaluate-rules.js';
import { findConflict, pendingConflict } from './find-conflict.js';
import { eligibilityViolations, findEligibility } from './find-eligibility.js';
import { policyViolation } from './policy-violation.js';
import { resolveWindow } from './resolve-window.js';

/**
 * Decides a selfActivate: a live eligibility must cover the whole window and the window must respect the
 * activation maximum (invariant 2); every rule is checked (invariant 4); with approval required it grants
 * nothing and waits (invariant 3).
 */
export function decideActivation(ctx: DecisionContext): Decision {
  const { input, rules, now } = ctx;
  if (input.kind !== 'assignment') {
    return refuse(
      'request.invalid',
      'selfActivate applies to active assignments; an eligibility itself cannot be activated.',
    );
  }
  const maximum = rules.Expiration_EndUser_Assignment.maximumDuration;
  const asked = resolveWindow({
    scheduleInfo: input.scheduleInfo,
    now,
    whenNotSpecified: { kind: 'duration', duration: maximum },
  });
  if (asked instanceof ElevateError) return rejected(asked);

  const query = { ...input, principalId: ctx.principal.id, schedules: ctx.schedules, now };
  let match = findEligibility({ ...query, window: asked });
  // Without an asked end, the activation lasts the maximum but never beyond the eligibility it draws on.
  let window: Window = asked;
  if (asked.defaulted && match.kind === 'outlasted') {
    window = { start: asked.start, end: match.eligibility.end };
    match = { kind: 'covered', eligibility: match.eligibility };
  }

  const conflict = findConflict(ctx, { kind: 'assignment', window }) ?? pendingConflict(ctx);
  if (conflict) return rejected(conflict);

  const subject = subjectOf(ctx);
  const approvalRule = rules.Approval_EndUser_Assignment;
  const approvalRequired = approvalRule.setting.isApprovalRequired;
  const violations = [
    ...eligibilityViolations(match, subject),
    ...evaluateRules(rules, {
      action: input.action,
      kind: input.kind,
      subject,
      justification: input.justification,
      ticketInfo: input.ticketInfo,
      ...authEvidence(ctx),
      window,
      measureFrom: window.start,
      approvalRequired,
    }),
  ];
  if (violations.length > 0 || match.kind !== 'covered') return rejected(policyViolation(violations));

  const id = ctx.ids.requestId;
  const scheduleInfo: ScheduleInfo = {
    startDateTime: window.start,
    expiration:
      asked.defaulted && window.end === asked.end
        ? { type: 'afterDuration', endDateTime: null, duration: maximum }
        : asked.defaulted
          ? { type: 'afterDateTime', endDateTime: window.end, duration: null }
          : (input.scheduleInfo?.expiration ?? { type: 'notSpecified', endDateTime: null, duration: null }),
  };
  const eligibilityId = match.eligibility.id;
  if (approvalRequired) {
    const request = buildRequest(ctx, {
      status: 'PendingApproval',
      scheduleInfo,
      targetScheduleId: id,
      activatedUsing: eligibilityId,
      approvalId: id,
    });
    const approval = openApproval({
      requestId: id,
      stageId: ctx.ids.stageId,
      rule: approvalRule,
      useListedApprovers: true,
      now,
    });
    return pending(ctx, request, approval);
  }
  const schedule = buildSchedule({
    ...input,
    id,
    principalId: ctx.principal.id,
    principalType: ctx.principal.type,
    assignmentType: 'Activated',
    window,
    createdUsing: id,
    activatedUsing: eligibilityId,
    now,
  });
  const request = buildRequest(ctx, {
    status: grantStatus(window.start, now).request,
    scheduleInfo,
    targetScheduleId: id,
    activatedUsing: eligibilityId,
  });
  return granted(ctx, request, [{ op: 'create', schedule }]);
}
