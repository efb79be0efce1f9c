import type { Schedule } from '../model/schedule.js';
import { coversWindow } from '../time/window.js';
import { isLive } from './is-live.js';
import { endSchedule, type ScheduleChange } from './schedule-change.js';

export type StartDecision =
  | { readonly kind: 'started'; readonly change: ScheduleChange }
  | { readonly kind: 'revoked'; readonly change: ScheduleChange; readonly reason: string };

/**
 * Decides whether a Scheduled schedule may start at `now`: an activation starts only if the eligibility it was
 * drawn from is still live and covers its whole window, otherwise it is revoked unused (invariant 2).
 */
export function startScheduledActivation(
  schedule: Schedule,
  eligibility: Schedule | undefined,
  now: Date,
): StartDecision {
  const started: StartDecision = {
    kind: 'started',
    change: { op: 'update', scheduleId: schedule.id, end: schedule.end, status: 'Provisioned' },
  };
  if (schedule.assignmentType !== 'Activated') return started;
  const revoke = (reason: string): StartDecision => ({
    kind: 'revoked',
    change: endSchedule(schedule, now, 'Revoked'),
    reason,
  });
  if (!eligibility || eligibility.id !== schedule.activatedUsing || !isLive(eligibility, now)) {
    return revoke(
      `The eligibility this activation was drawn from (${schedule.activatedUsing ?? 'none'}) has ended or was removed.`,
    );
  }
  if (!coversWindow(eligibility, schedule)) {
    return revoke(
      `The activation would end after its eligibility ends (${eligibility.end?.toISOString() ?? 'never'}), so it was not started.`,
    );
  }
  return started;
}
