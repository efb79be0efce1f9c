import { canReadAllPim } from '../../core/authorization/permissions.js';
import { notFound } from '../../core/errors.js';
import type { Schedule, ScheduleKind } from '../../core/model/schedule.js';
import { memberGroupIds } from '../../db/repositories/principal-repository.js';
import { listSchedules } from '../../db/repositories/schedule-repository.js';
import type { AppDeps, CallContext } from '../context.js';

/** A grant in effect now; `memberType` Group when held through a role-assignable group. */
export interface ScheduleInstance {
  readonly id: string;
  readonly schedule: Schedule;
  readonly principalId: string;
  readonly memberType: 'Direct' | 'Group';
}

/** Schedules (current and future grants) and instances (in effect now), as Graph lists them. */
export function createScheduleService(deps: Pick<AppDeps, 'db' | 'clock'>) {
  const { db, clock } = deps;

  async function scopeFor(ctx: CallContext, currentUser: boolean): Promise<readonly string[] | undefined> {
    if (!currentUser && canReadAllPim(ctx.actor)) return undefined;
    return [ctx.actor.id, ...(await memberGroupIds(db, ctx.actor.id, true))];
  }

  /** Group grants fan out to the group's direct members, as Entra's instances show them. */
  async function expandGroups(schedules: readonly Schedule[], only?: string): Promise<ScheduleInstance[]> {
    const out: ScheduleInstance[] = [];
    const groupIds = [
      ...new Set(schedules.filter((s) => s.principalType === 'group').map((s) => s.principalId)),
    ];
    const members = groupIds.length
      ? await db
          .selectFrom('group_relationships')
          .select(['group_id', 'principal_id'])
          .where('group_id', 'in', groupIds)
          .where('relationship', '=', 'member')
          .execute()
      : [];
    for (const s of schedules) {
      if (!only || s.principalId === only)
        out.push({ id: s.id, schedule: s, principalId: s.principalId, memberType: 'Direct' });
      if (s.principalType !== 'group') continue;
      for (const m of members) {
        if (m.group_id !== s.principalId || (only && m.principal_id !== only)) continue;
        out.push({
          id: `${s.id}_${m.principal_id}`,
          schedule: s,
          principalId: m.principal_id,
          memberType: 'Group',
        });
      }
    }
    return out;
  }

  return {
    /** Live schedules: what is granted now or later. */
    async listSchedules(ctx: CallContext, kind: ScheduleKind, currentUser = false): Promise<Schedule[]> {
      const principalIds = await scopeFor(ctx, currentUser);
      return listSchedules(db, { kind, principalIds, liveOnly: true });
    },

    async getSchedule(ctx: CallContext, kind: ScheduleKind, id: string): Promise<Schedule> {
      const all = await this.listSchedules(ctx, kind);
      const found = all.find((s) => s.id === id.toLowerCase());
      if (!found) throw notFound('Schedule', id);
      return found;
    },

    /** Instances: grants whose window contains now (invariant 1), expanded through role-assignable groups. */
    async listInstances(
      ctx: CallContext,
      kind: ScheduleKind,
      currentUser = false,
    ): Promise<ScheduleInstance[]> {
      const principalIds = await scopeFor(ctx, currentUser);
      const schedules = await listSchedules(db, { kind, principalIds, activeAt: clock.now() });
      return expandGroups(schedules, principalIds ? ctx.actor.id : undefined);
    },

    async getInstance(ctx: CallContext, kind: ScheduleKind, id: string): Promise<ScheduleInstance> {
      const found = (await this.listInstances(ctx, kind)).find((i) => i.id === id.toLowerCase());
      if (!found) throw notFound('Schedule instance', id);
      return found;
    },
  };
}

export type ScheduleService = ReturnType<typeof createScheduleService>;
