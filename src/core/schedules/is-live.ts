import { liveScheduleStatuses, type Schedule } from '../model/schedule.js';
import { hasEnded } from '../time/window.js';

/**
 * Decides whether a schedule still counts at `now`: status Scheduled or Provisioned and its end not reached.
 * A schedule past its end that the scheduler has not yet marked Expired is not live (invariant 6).
 */
export const isLive = (schedule: Schedule, now: Date): boolean =>
  liveScheduleStatuses.includes(schedule.status) && !hasEnded(schedule, now);
