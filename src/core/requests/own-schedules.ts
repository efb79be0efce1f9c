import type { Schedule, ScheduleKind } from '../model/schedule.js';
import { isLive } from '../schedules/is-live.js';
import { sameTarget } from '../targets/target.js';
import { isWithin } from '../time/window.js';
import type { DecisionContext } from './decision.js';

export interface OwnScheduleFilter {
  readonly kind: ScheduleKind;
  /** Keep only schedules live at ctx.now (status live and end not reached). */
  readonly live: boolean;
}

/** Selects the principal's direct schedules of exactly the target (role and scope, or group access): what an action acts on. */
export function ownSchedules(ctx: DecisionContext, filter: OwnScheduleFilter): Schedule[] {
  return ctx.schedules.filter(
    (s) =>
      s.kind === filter.kind &&
      s.principalId === ctx.principal.id &&
      sameTarget(s, ctx.input) &&
      (!filter.live || isLive(s, ctx.now)),
  );
}

/** Picks the schedule an action targets among several: the one in effect now, else the earliest to start. */
export function pickCurrent(schedules: readonly Schedule[], now: Date): Schedule | undefined {
  return (
    schedules.find((s) => isWithin(s, now)) ??
    [...schedules].sort((a, b) => a.start.getTime() - b.start.getTime())[0]
  );
}
