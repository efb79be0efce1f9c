import { isLive } from '../schedules/is-live.js';
import { endSchedule, type ScheduleChange } from '../schedules/schedule-change.js';
import { buildRequest, granted } from './build-request.js';
import { type Decision, type DecisionContext, refuse } from './decision.js';
import { subjectOf } from './describe-request.js';
import { ownSchedules, pickCurrent } from './own-schedules.js';

/**
 * Decides an adminRemove: ends now (Revoked) every live schedule of the kind the principal holds directly at the
 * target, and for an eligibility also every live activation drawn from it (invariant 2: nothing outlasts it).
 */
export function decideAdminRemove(ctx: DecisionContext): Decision {
  const { input, now } = ctx;
  const removed = ownSchedules(ctx, { kind: input.kind, live: true });
  const target = pickCurrent(removed, now);
  if (!target)
    return refuse('schedule.does_not_exist', `${subjectOf(ctx)}: there is no such assignment to remove.`);
  const removedIds = new Set(removed.map((s) => s.id));
  const activations =
    input.kind === 'eligibility'
      ? ctx.schedules.filter(
          (s) =>
            s.kind === 'assignment' &&
            s.activatedUsing !== null &&
            removedIds.has(s.activatedUsing) &&
            isLive(s, now),
        )
      : [];
  const changes: ScheduleChange[] = [...removed, ...activations].map((s) => endSchedule(s, now, 'Revoked'));
  const request = buildRequest(ctx, { status: 'Revoked', scheduleInfo: null, targetScheduleId: target.id });
  return granted(ctx, request, changes);
}
