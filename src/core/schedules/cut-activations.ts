import type { Schedule } from '../model/schedule.js';
import { coversWindow, isWithin, type Window } from '../time/window.js';
import { isLive } from './is-live.js';
import { endSchedule, type ScheduleChange } from './schedule-change.js';

/**
 * Decides what happens to the live activations drawn from an eligibility whose window changed: kept when still
 * covered, cut to its new end when they start inside it, revoked otherwise (invariant 2).
 */
export function cutActivations(
  schedules: readonly Schedule[],
  eligibility: Schedule,
  window: Window,
  now: Date,
): ScheduleChange[] {
  return schedules
    .filter((s) => s.kind === 'assignment' && s.activatedUsing === eligibility.id && isLive(s, now))
    .filter((s) => !coversWindow(window, s))
    .map(
      (s): ScheduleChange =>
        isWithin(window, s.start) && window.end !== null
          ? { op: 'update', scheduleId: s.id, end: window.end }
          : endSchedule(s, now, 'Revoked'),
    );
}
