import type { Approval } from '../model/approval.js';
import { liveScheduleStatuses, type Schedule } from '../model/schedule.js';
import { hasEnded } from '../time/window.js';

export interface DueWorkInput {
  readonly schedules: readonly Schedule[];
  readonly approvals: readonly Approval[];
  readonly now: Date;
}

export interface DueWork {
  /** Scheduled, start reached, end not reached: to become Provisioned. */
  readonly toStart: readonly Schedule[];
  /** Live with end reached: to become Expired (whether or not they ever started). */
  readonly toExpire: readonly Schedule[];
  /** InProgress with expiresAt reached: to become Expired, their requests Denied. */
  readonly approvalsToExpire: readonly Approval[];
}

/** Orders by an instant, then by id, so the same input always gives the same order. */
const by =
  <T extends { readonly id: string }>(time: (x: T) => number) =>
  (a: T, b: T): number =>
    time(a) - time(b) || a.id.localeCompare(b.id);

/**
 * Decides what the scheduler must do at `now`: start, expire and time out, in time order. Idempotent by
 * construction — once applied, nothing listed qualifies again — so a crash and restart simply redo it (invariant 6).
 */
export function dueWork({ schedules, approvals, now }: DueWorkInput): DueWork {
  const t = now.getTime();
  const toExpire = schedules.filter((s) => liveScheduleStatuses.includes(s.status) && hasEnded(s, now));
  const toStart = schedules.filter(
    (s) => s.status === 'Scheduled' && s.start.getTime() <= t && !hasEnded(s, now),
  );
  const approvalsToExpire = approvals.filter((a) => a.status === 'InProgress' && a.expiresAt.getTime() <= t);
  return {
    toStart: toStart.sort(by((s) => s.start.getTime())),
    toExpire: toExpire.sort(by((s) => s.end?.getTime() ?? 0)),
    approvalsToExpire: approvalsToExpire.sort(by((a) => a.expiresAt.getTime())),
  };
}
