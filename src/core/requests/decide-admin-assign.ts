import { ElevateError } from '../errors.js';
import { servicePrincipalWindowError } from './authorize-request.js';
import { buildRequest, buildSchedule, granted, grantStatus, resolvedScheduleInfo } from './build-request.js';
import { type Decision, type DecisionContext, rejected } from './decision.js';
import { subjectOf } from './describe-request.js';
import { evaluateRules } from './evaluate-rules.js';
import { findConflict } from './find-conflict.js';
import { policyViolation } from './policy-violation.js';
import { resolveWindow } from './resolve-window.js';

/**
 * Decides an adminAssign: a new eligible or active (Assigned) schedule over the asked window, no expiration
 * meaning permanent, under the admin expiration and enablement rules (invariant 4), never overlapping a live
 * one of the same kind (RoleAssignmentExists) and always time-bound for service principals (invariant 7).
 */
export function decideAdminAssign(ctx: DecisionContext): Decision {
  const { input, now } = ctx;
  const window = resolveWindow({
    scheduleInfo: input.scheduleInfo,
    now,
    whenNotSpecified: { kind: 'noExpiration' },
  });
  if (window instanceof ElevateError) return rejected(window);
  const refused = servicePrincipalWindowError(ctx, window) ?? findConflict(ctx, { kind: input.kind, window });
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

  const id = ctx.ids.requestId;
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
  const request = buildRequest(ctx, {
    status: grantStatus(window.start, now).request,
    scheduleInfo: resolvedScheduleInfo(ctx, window),
    targetScheduleId: id,
  });
  return granted(ctx, request, [{ op: 'create', schedule }]);
}
