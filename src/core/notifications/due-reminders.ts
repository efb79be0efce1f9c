import type { Schedule } from '../model/schedule.js';

export type ReminderLead = 'P14D' | 'P1D';

export interface DueReminder {
  readonly schedule: Schedule;
  readonly remaining: ReminderLead;
}

const day = 86_400_000;
const leads: readonly { remaining: ReminderLead; ms: number }[] = [
  { remaining: 'P1D', ms: day },
  { remaining: 'P14D', ms: 14 * day },
];

/** Each lead, in ms: a reminder becomes due when `now` passes `end − lead`. */
export const reminderLeadsMs: readonly number[] = leads.map((l) => l.ms);

/** The longest lead: schedules ending further away than this need no reminder yet. */
export const reminderHorizonMs = 14 * day;

/**
 * Decides which reminders are due at `now` (Entra: 14 days and 1 day before an eligible or active assignment
 * ends; the notice at its end comes from the scheduler's `assignment.removed`). Activations get none — they are
 * hours long and their owner chose the end. Only the nearest lead is due (a pass that missed the 14-day mark
 * by a fortnight sends the 1-day one alone), and a lead is skipped when the assignment did not yet exist at its
 * mark (no "ends in 14 days" for an assignment made for ten). Which of these were already sent is the caller's
 * to check: each reminder has a stable identity (schedule, end, lead).
 */
export function dueReminders(schedules: readonly Schedule[], now: Date): DueReminder[] {
  const t = now.getTime();
  const due: DueReminder[] = [];
  for (const s of schedules) {
    if (s.end === null || !['Scheduled', 'Provisioned'].includes(s.status)) continue;
    if (s.kind === 'assignment' && s.assignmentType === 'Activated') continue;
    const end = s.end.getTime();
    if (end <= t) continue;
    const lead = leads.find((l) => t >= end - l.ms);
    if (!lead || s.start.getTime() > end - lead.ms) continue;
    due.push({ schedule: s, remaining: lead.remaining });
  }
  return due;
}
