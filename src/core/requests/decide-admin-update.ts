import { ElevateError } from '../errors.js';
import { cutActivations } from '../schedules/cut-activations.js';
import type { ScheduleChange } from '../schedules/schedule-change.js';
import { servicePrincipalWindowError } from './authorize-request.js';
import { buildRequest, granted, grantStatus, resolvedScheduleInfo } from './build-request.js';
import { type Decision, type DecisionContext, refuse, rejected } from './decision.js';
import { subjectOf } from './describe-request.js';
import { evaluateRules } from './evaluate-rules.js';
import { findConflict } from './find-conflict.js';
import { ownSchedules, pickCurrent } from './own-schedules.js';
import { policyViolation } from './policy-violation.js';
import { resolveWindow } from './resolve-window.js';

/**
 * Decides an adminUpdate: replaces the window of the principal's live eligible or Assigned schedule, under the
 * admin rules again (invariant 4); activations drawn from an eligibility are cut to the new window (invariant 2).
 */
export function decideAdminUpdate(ctx: DecisionContext): Decision {
  const { input, now } = ctx;
  const target = pickCurrent(
    ownSchedules(ctx, { kind: input.kind, live: true }).filter((s) => s.assignmentType !== 'Activated'),
    now,
  );
  if (!target)
    return refuse('schedule.does_not_exist', `${subjectOf(ctx)}: there is no such assignment to update.`);
  if (input.scheduleInfo === null) {
    return refuse('request.invalid', 'adminUpdate needs scheduleInfo with the new start and expiration.');
  }
  const started = target.start.getTime() <= now.getTime();
  const asked = input.scheduleInfo.startDateTime;
  // A running schedule keeps its start unless the update moves it to the future.
  const keepStart =
    started && (asked === null || asked.getTime() <= now.getTime()) ? target.start : undefined;
  const window = resolveWindow({
    scheduleInfo: input.scheduleInfo,
    now,
    whenNotSpecified: { kind: 'noExpiration' },
    ...(keepStart ? { keepStart } : {}),
  });
  if (window instanceof ElevateError) return rejected(window);
  if (window.end !== null && window.end.getTime() <= now.getTime()) {
    return refuse(
      'request.invalid',
      `The new end (${window.end.toISOString()}) has passed; use adminRemove to end the assignment now.`,
    );
  }
  const refused =
    servicePrincipalWindowError(ctx, window) ??
    findConflict(ctx, { kind: input.kind, window, exceptId: target.id });
  if (refused) return rejected(refused);

  const violations = evaluateRules(ctx.rules, {
    action: input.action,
    kind: input.kind,
    subject: subjectOf(ctx),
    justification: input.justification,
    ticketInfo: input.ticketInfo,
    mfa: ctx.actor.mfa,
    window,
    measureFrom: window.start,
    approvalRequired: false,
  });
  if (violations.length > 0) return rejected(policyViolation(violations));

  const status = grantStatus(window.start, now);
  const changes: ScheduleChange[] = [
    { op: 'update', scheduleId: target.id, start: window.start, end: window.end, status: status.schedule },
  ];
  if (input.kind === 'eligibility') changes.push(...cutActivations(ctx.schedules, target, window, now));
  const request = buildRequest(ctx, {
    status: status.request,
    scheduleInfo: resolvedScheduleInfo(ctx, window),
    targetScheduleId: target.id,
  });
  return granted(ctx, request, changes);
}
