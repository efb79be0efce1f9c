import { liveScheduleStatuses, type Schedule } from '../model/schedule.js';
import { isWithin } from '../time/window.js';

/**
 * Decides whether a schedule (an assignment or an eligibility) was, is or will be in effect at `at`, for
 * questions about any instant: `at ∈ [start, end)` (invariant 1: never at `end`). A live schedule holds over
 * its whole window. An ended one (Revoked, Expired) had its end cut to the instant it stopped, so its window is
 * what it held — except one stopped before it started (its end is then start + 1 ms), which held nothing:
 * an ended schedule counts only before it was last changed (`modifiedAt`, the instant it was ended).
 * At `at` = now this agrees with `isActiveAt` for assignments.
 */
export const heldAt = (schedule: Schedule, at: Date): boolean =>
  isWithin(schedule, at) &&
  (liveScheduleStatuses.includes(schedule.status) || at.getTime() < schedule.modifiedAt.getTime());
