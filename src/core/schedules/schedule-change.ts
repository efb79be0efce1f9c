import type { Schedule, ScheduleStatus } from '../model/schedule.js';

/** A change to the schedules table that a decision asks the use case to write. */
export type ScheduleChange =
  | { readonly op: 'create'; readonly schedule: Schedule }
  | {
      readonly op: 'update';
      readonly scheduleId: string;
      readonly start?: Date;
      readonly end: Date | null;
      readonly status?: ScheduleStatus;
    }
  | {
      readonly op: 'end';
      readonly scheduleId: string;
      readonly end: Date;
      readonly status: 'Revoked' | 'Expired';
    };

export type EndChange = Extract<ScheduleChange, { op: 'end' }>;

/**
 * Decides the change that stops a schedule at `now`: end = now, never later than its own end. A schedule that
 * never started ends 1 ms after its start, so [start, end) stays a valid window (end > start) that, with a
 * non-live status, never granted anything.
 */
export function endSchedule(schedule: Schedule, now: Date, status: 'Revoked' | 'Expired'): EndChange {
  const floor = schedule.start.getTime() + 1;
  let end = Math.max(now.getTime(), floor);
  if (schedule.end !== null) end = Math.min(end, schedule.end.getTime());
  return { op: 'end', scheduleId: schedule.id, end: new Date(end), status };
}
