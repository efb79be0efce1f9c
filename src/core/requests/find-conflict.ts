import { ElevateError } from '../errors.js';
import type { Schedule, ScheduleKind } from '../model/schedule.js';
import { sameTarget } from '../targets/target.js';
import { overlaps, type Window } from '../time/window.js';
import type { DecisionContext } from './decision.js';
import { targetOf } from './describe-request.js';
import { ownSchedules } from './own-schedules.js';

export interface ConflictQuery {
  readonly kind: ScheduleKind;
  readonly window: Window;
  /** The schedule being changed, which cannot conflict with itself. */
  readonly exceptId?: string;
}

const span = (s: Schedule): string =>
  `${s.start.toISOString()} → ${s.end ? s.end.toISOString() : 'permanent'}${s.assignmentType ? `, ${s.assignmentType}` : ''}`;

/**
 * Decides whether a new or changed window collides with a live schedule of the same kind, principal and target
 * (Graph RoleAssignmentExists); the database holds the same rule as an exclusion constraint.
 */
export function findConflict(ctx: DecisionContext, q: ConflictQuery): ElevateError | null {
  const clash = ownSchedules(ctx, { kind: q.kind, live: true }).find(
    (s) => s.id !== q.exceptId && overlaps(s, q.window),
  );
  if (!clash) return null;
  const self = ctx.actor.id === ctx.principal.id;
  const who = self ? 'You already have' : `'${ctx.principal.displayName}' already has`;
  const what = q.kind === 'eligibility' ? 'an eligible' : 'an active';
  return new ElevateError(
    'schedule.exists',
    `${who} ${what} assignment of ${targetOf(ctx)} (${span(clash)}) that overlaps the requested window.`,
    { target: clash.id },
  );
}

/**
 * Decides whether a request for the same principal, target and kind already waits for approval
 * (Graph PendingRoleAssignmentRequest).
 */
export function pendingConflict(ctx: DecisionContext): ElevateError | null {
  const waiting = ctx.pendingRequests.find(
    (r) =>
      r.status === 'PendingApproval' &&
      r.kind === ctx.input.kind &&
      r.principalId === ctx.principal.id &&
      sameTarget(r, ctx.input),
  );
  if (!waiting) return null;
  return new ElevateError(
    'schedule.pending_request',
    `A ${waiting.action} request for ${targetOf(ctx)} is already waiting for approval (request ${waiting.id}); cancel it or wait for the decision.`,
    { target: waiting.id },
  );
}
