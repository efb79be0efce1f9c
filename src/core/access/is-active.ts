import { liveScheduleStatuses, type Schedule } from '../model/schedule.js';
import { isWithin } from '../time/window.js';

/** Decides whether a schedule grants its role at `now`: live assignment, now in [start, end) (invariant 1) */
export const isActiveAt = (schedule: Schedule, now: Date): boolean =>
  schedule.kind === 'assignment' && liveScheduleStatuses.includes(schedule.status) && isWithin(schedule, now);
