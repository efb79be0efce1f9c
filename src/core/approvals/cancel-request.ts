import { ElevateError } from '../errors.js';
import type { Approval } from '../model/approval.js';
import type { Actor } from '../model/principal.js';
import type { ScheduleRequest } from '../model/request.js';
import type { Schedule } from '../model/schedule.js';
import { endSchedule, type ScheduleChange } from '../schedules/schedule-change.js';

export interface CancelRequestContext {
  readonly request: ScheduleRequest;
  /** The request's approval, if it has one. */
  readonly approval: Approval | null;
  /** For a Granted request, the schedule it created (request.targetScheduleId). */
  readonly schedule: Schedule | null;
  readonly actor: Actor;
  readonly now: Date;
}

export type CancelDecision =
  | {
      readonly kind: 'canceled';
      readonly request: ScheduleRequest;
      readonly approval: Approval | null;
      readonly changes: readonly ScheduleChange[];
    }
  | { readonly kind: 'rejected'; readonly error: ElevateError };

const refuse = (code: ElevateError['code'], message: string): CancelDecision => ({
  kind: 'rejected',
  error: new ElevateError(code, message),
});

/**
 * Decides a cancel: only whoever made the request (or, for self* requests, its principal) may cancel it, and only
 * while it waits for approval or is Granted but not yet started; the future schedule is revoked unused.
 */
export function cancelRequest(ctx: CancelRequestContext): CancelDecision {
  const { request, approval, schedule, actor, now } = ctx;
  const own =
    actor.id === request.createdById ||
    (request.action.startsWith('self') && actor.id === request.principalId);
  if (!own) return refuse('auth.forbidden', 'Only the person who made a request can cancel it.');
  const canceled: ScheduleRequest = { ...request, status: 'Canceled', completedAt: now };
  if (request.status === 'PendingApproval') {
    const closed =
      approval && approval.status === 'InProgress' ? { ...approval, status: 'Canceled' as const } : approval;
    return { kind: 'canceled', request: canceled, approval: closed, changes: [] };
  }
  if (request.status === 'Granted') {
    // Only a request that created its schedule can take it back; an update or extension cannot be undone here.
    if (
      schedule === null ||
      schedule.id !== request.targetScheduleId ||
      schedule.createdUsing !== request.id
    ) {
      return refuse(
        'request.not_cancelable',
        `Request ${request.id} did not create a future schedule that could be canceled.`,
      );
    }
    if (schedule.status !== 'Scheduled' || schedule.start.getTime() <= now.getTime()) {
      return refuse(
        'request.not_cancelable',
        `Request ${request.id} has already taken effect (since ${schedule.start.toISOString()}); deactivate or remove the assignment instead.`,
      );
    }
    return {
      kind: 'canceled',
      request: canceled,
      approval,
      changes: [endSchedule(schedule, now, 'Revoked')],
    };
  }
  return refuse(
    'request.not_cancelable',
    `Request ${request.id} is ${request.status}; only a request waiting for approval or granted for later can be canceled.`,
  );
}
