import { canReadAllPim } from '../../core/authorization/permissions.js';
import { notFound } from '../../core/errors.js';
import type { Schedule, ScheduleKind, TargetKind } from '../../core/model/schedule.js';
import { groupRelations } from '../../db/repositories/membership-repository.js';
import { memberGroupIds } from '../../db/repositories/principal-repository.js';
import { listSchedules } from '../../db/repositories/schedule-repository.js';
import type { AppDeps, CallContext } from '../context.js';

/** A grant in effect now; `memberType` Group when held through a group the principal is a member of. */
export interface ScheduleInstance {
  readonly id: string;
  readonly schedule: Schedule;
  readonly principalId: string;
  readonly memberType: 'Direct' | 'Group';
}

/** Which schedules a list returns: of one target kind (directory roles unless told), narrowed as Graph filters them. */
export interface ScheduleListQuery {
  readonly targetKind?: TargetKind;
  /** `filterByCurrentUser(on='principal')`: the caller's own, and those of the groups it is a member of. */
  readonly currentUser?: boolean;
  /** Only what this principal holds, directly or through its groups (the group lists' `principalId` filter). */
  readonly principalId?: string;
  /** Only schedules on this group (the group lists' mandatory `groupId` filter). */
  readonly groupId?: string;
}

/**
 * Schedules (current and future grants) and instances (in effect now), as Graph lists them, for directory roles
 * and PIM for Groups alike. Group grants fan out to the group's members at this instant — static members and
 * members through an active PIM for Groups membership — as Entra's instances show them (memberType Group).
 */
export function createScheduleService(deps: Pick<AppDeps, 'db' | 'clock'>) {
  const { db, clock } = deps;

  /** Principals whose schedules `who` sees through: itself and its groups (for roles: role-assignable ones). */
  async function holdersFor(who: string, targetKind: TargetKind, at: Date): Promise<string[]> {
    const groups = await memberGroupIds(db, who, { at, roleAssignableOnly: targetKind === 'directoryRole' });
    return [who, ...groups];
  }

  /** The principals to narrow to, or undefined for everything (readers without a principal filter). */
  async function principalsFor(ctx: CallContext, q: ScheduleListQuery, at: Date) {
    const targetKind = q.targetKind ?? 'directoryRole';
    if (q.currentUser) return { ids: await holdersFor(ctx.actor.id, targetKind, at), only: ctx.actor.id };
    if (q.principalId) return { ids: await holdersFor(q.principalId, targetKind, at), only: q.principalId };
    if (canReadAllPim(ctx.actor) || q.groupId) return undefined;
    return { ids: await holdersFor(ctx.actor.id, targetKind, at), only: ctx.actor.id };
  }

  /** Who may see a schedule: readers; its holder and the members it fans out to; owners of its group. */
  async function visibleTo(ctx: CallContext, q: ScheduleListQuery, at: Date) {
    if (canReadAllPim(ctx.actor)) return () => true;
    const mine = new Set(await holdersFor(ctx.actor.id, q.targetKind ?? 'directoryRole', at));
    const owned = new Set(
      (await groupRelations(db, { relationship: 'owner', at, principalIds: [ctx.actor.id] })).map(
        (r) => r.groupId,
      ),
    );
    return (s: Schedule) => mine.has(s.principalId) || (s.targetKind === 'group' && owned.has(s.scopeId));
  }

  async function load(ctx: CallContext, kind: ScheduleKind, q: ScheduleListQuery, activeAt?: Date) {
    const at = clock.now();
    const principals = await principalsFor(ctx, q, at);
    const schedules = await listSchedules(db, {
      kind,
      targetKind: q.targetKind ?? 'directoryRole',
      liveOnly: true,
      ...(principals ? { principalIds: principals.ids } : {}),
      ...(q.groupId ? { scopeIds: [q.groupId] } : {}),
      ...(activeAt ? { activeAt } : {}),
    });
    const visible = await visibleTo(ctx, q, at);
    return { schedules: schedules.filter(visible), only: principals?.only, at };
  }

  /** Grants held by groups fan out to the groups' members at `at`; `only` keeps one principal's instances. */
  async function expandGroups(
    schedules: readonly Schedule[],
    at: Date,
    only?: string,
  ): Promise<ScheduleInstance[]> {
    const out: ScheduleInstance[] = [];
    const groupIds = [
      ...new Set(schedules.filter((s) => s.principalType === 'group').map((s) => s.principalId)),
    ];
    const members = await groupRelations(db, { relationship: 'member', at, groupIds });
    for (const s of schedules) {
      if (!only || s.principalId === only)
        out.push({ id: s.id, schedule: s, principalId: s.principalId, memberType: 'Direct' });
      if (s.principalType !== 'group') continue;
      for (const m of members) {
        if (m.groupId !== s.principalId || (only && m.principalId !== only)) continue;
        out.push({
          id: `${s.id}_${m.principalId}`,
          schedule: s,
          principalId: m.principalId,
          memberType: 'Group',
        });
      }
    }
    return out;
  }

  return {
    /** Live schedules: what is granted now or later. */
    async listSchedules(
      ctx: CallContext,
      kind: ScheduleKind,
      query: ScheduleListQuery = {},
    ): Promise<Schedule[]> {
      return (await load(ctx, kind, query)).schedules;
    },

    async getSchedule(
      ctx: CallContext,
      kind: ScheduleKind,
      id: string,
      targetKind: TargetKind = 'directoryRole',
    ): Promise<Schedule> {
      const all = await this.listSchedules(ctx, kind, { targetKind });
      const found = all.find((s) => s.id === id.toLowerCase());
      if (!found) throw notFound('Schedule', id);
      return found;
    },

    /** Instances: grants whose window contains now (invariant 1), expanded through the holders' groups. */
    async listInstances(
      ctx: CallContext,
      kind: ScheduleKind,
      query: ScheduleListQuery = {},
    ): Promise<ScheduleInstance[]> {
      const now = clock.now();
      const { schedules, only, at } = await load(ctx, kind, query, now);
      return expandGroups(schedules, at, only);
    },

    async getInstance(
      ctx: CallContext,
      kind: ScheduleKind,
      id: string,
      targetKind: TargetKind = 'directoryRole',
    ): Promise<ScheduleInstance> {
      const found = (await this.listInstances(ctx, kind, { targetKind })).find(
        (i) => i.id === id.toLowerCase(),
      );
      if (!found) throw notFound('Schedule instance', id);
      return found;
    },
  };
}

export type ScheduleService = ReturnType<typeof createScheduleService>;
