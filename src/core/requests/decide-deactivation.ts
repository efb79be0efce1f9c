import { endSchedule } from '../schedules/schedule-change.js';
import { buildRequest, granted } from './build-request.js';
import { type Decision, type DecisionContext, refuse } from './decision.js';
import { targetOf } from './describe-request.js';
import { ownSchedules, pickCurrent } from './own-schedules.js';

/** Entra refuses a deactivation within 5 minutes of activation (ActiveDurationTooShort, research §10). */
export const minimumActiveMs = 5 * 60_000;

/**
 * Decides a selfDeactivate: ends the caller's own live activation now (Revoked), the one in effect or else the
 * next scheduled; never within 5 minutes of its start; assignments given by an administrator stay.
 */
export function decideDeactivation(ctx: DecisionContext): Decision {
  const { input, now } = ctx;
  const at = targetOf(ctx);
  if (input.kind !== 'assignment') {
    return refuse(
      'request.invalid',
      'selfDeactivate applies to active assignments; an eligibility cannot be deactivated.',
    );
  }
  const live = ownSchedules(ctx, { kind: 'assignment', live: true });
  const target = pickCurrent(
    live.filter((s) => s.assignmentType === 'Activated'),
    now,
  );
  if (!target) {
    const assigned = live.some((s) => s.assignmentType === 'Assigned');
    return refuse(
      'schedule.does_not_exist',
      assigned
        ? `Your active assignment of ${at} was given by an administrator and cannot be deactivated; ask an administrator to remove it.`
        : `You have no activation of ${at} to deactivate.`,
    );
  }
  const started = target.start.getTime() <= now.getTime();
  const earliest = target.start.getTime() + minimumActiveMs;
  if (started && now.getTime() < earliest) {
    return refuse(
      'schedule.active_duration_too_short',
      `Your activation of ${at} cannot be deactivated within 5 minutes of activation; try again after ${new Date(earliest).toISOString()}.`,
    );
  }
  const request = buildRequest(ctx, { status: 'Revoked', scheduleInfo: null, targetScheduleId: target.id });
  return granted(ctx, request, [endSchedule(target, now, 'Revoked')]);
}
