import type { Expression, SqlBool } from 'kysely';
import { canReadAllPim } from '../../core/authorization/permissions.js';
import { notFound } from '../../core/errors.js';
import type { Schedule, ScheduleKind, TargetKind } from '../../core/model/schedule.js';
import { groupRelations } from '../../db/repositories/membership-repository.js';
import { memberGroupIds } from '../../db/repositories/principal-repository.js';
import { countSchedules, listSchedules, pageSchedules } from '../../db/repositories/schedule-repository.js';
import type { AppDeps, CallContext } from '../context.js';
import {
  countKeysetItems,
  type KeysetPage,
  type KeysetPageRequest,
  type KeysetSource,
  readKeysetPage,
} from '../shared/keyset-page.js';

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
  /** A condition on the schedule row, evaluated by the database (a `$filter` compiled to SQL). */
  readonly where?: Expression<SqlBool>;
  /**
   * The principal a `$filter` asks for (`principalId eq …`), which the caller still applies to the items: for
   * readers the list then reads only what that principal holds, directly or through its groups. It never
   * widens what a caller sees.
   */
  readonly filterPrincipalId?: string;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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

  /**
   * The database query a keyset list reads: the list's narrowing, and for a caller who reads only their own,
   * who may see a schedule (the same rule as `visibleTo`) — both evaluated by the database.
   */
  async function pageQuery(ctx: CallContext, kind: ScheduleKind, q: ScheduleListQuery, activeAt?: Date) {
    const at = clock.now();
    const targetKind = q.targetKind ?? 'directoryRole';
    const narrowTo =
      !q.currentUser && !q.principalId && canReadAllPim(ctx.actor) ? q.filterPrincipalId : undefined;
    const principals = await principalsFor(ctx, narrowTo ? { ...q, principalId: narrowTo } : q, at);
    const visibleTo = canReadAllPim(ctx.actor)
      ? undefined
      : {
          holderIds: await holdersFor(ctx.actor.id, targetKind, at),
          ownedGroupIds:
            targetKind === 'group'
              ? (await groupRelations(db, { relationship: 'owner', at, principalIds: [ctx.actor.id] })).map(
                  (r) => r.groupId,
                )
              : [],
        };
    const base = {
      kind,
      targetKind,
      liveOnly: true,
      ...(principals ? { principalIds: principals.ids } : {}),
      ...(q.groupId ? { scopeIds: [q.groupId] } : {}),
      ...(activeAt ? { activeAt } : {}),
      ...(visibleTo ? { visibleTo } : {}),
      ...(q.where ? { where: q.where } : {}),
    };
    return { base, only: principals?.only, at };
  }

  async function scheduleSource(
    ctx: CallContext,
    kind: ScheduleKind,
    q: ScheduleListQuery,
    ids?: readonly string[],
  ): Promise<KeysetSource<Schedule, Schedule>> {
    const { base } = await pageQuery(ctx, kind, q);
    return {
      rows: (from, limit) =>
        pageSchedules(db, { ...base, ...(from ? { from } : {}), ...(ids ? { ids } : {}), limit }),
      rowKey: (s) => s.id,
      items: async (rows) => rows,
      itemKey: (s) => s.id,
      rowOf: (key) => key,
      endOfRow: (key) => key,
      count: () => countSchedules(db, { ...base, ...(ids ? { ids } : {}) }),
    };
  }

  /** Instances in key order: a schedule's own instance (its id), then its members' (`{id}_{memberId}`). */
  async function instanceSource(
    ctx: CallContext,
    kind: ScheduleKind,
    q: ScheduleListQuery,
    ids?: readonly string[],
  ): Promise<KeysetSource<Schedule, ScheduleInstance>> {
    const { base, only, at } = await pageQuery(ctx, kind, q, clock.now());
    return {
      rows: (from, limit) =>
        pageSchedules(db, { ...base, ...(from ? { from } : {}), ...(ids ? { ids } : {}), limit }),
      rowKey: (s) => s.id,
      items: async (rows) =>
        (await expandGroups(rows, at, only)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      itemKey: (i) => i.id,
      rowOf: (key) => key.slice(0, 36),
      // '~' sorts after '_' and every character of a member id: after all of a schedule's instances.
      endOfRow: (key) => `${key}~`,
    };
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
      const key = id.toLowerCase();
      const source = uuidPattern.test(key)
        ? await scheduleSource(ctx, kind, { targetKind }, [key])
        : undefined;
      const found = source && (await readKeysetPage(source, { limit: 1 })).items[0];
      if (!found) throw notFound('Schedule', id);
      return found;
    },

    /**
     * One page of live schedules in id order (keyset-paged): the list's narrowing, the caller's visibility and
     * `where` are evaluated by the database; `page.keep` runs on what it returns.
     */
    async pageSchedules(
      ctx: CallContext,
      kind: ScheduleKind,
      query: ScheduleListQuery,
      page: KeysetPageRequest<Schedule>,
    ): Promise<KeysetPage<Schedule>> {
      return readKeysetPage(await scheduleSource(ctx, kind, query), page);
    },

    /** How many live schedules `pageSchedules` would return across all pages. */
    async countSchedules(
      ctx: CallContext,
      kind: ScheduleKind,
      query: ScheduleListQuery,
      keep?: KeysetPageRequest<Schedule>['keep'],
    ): Promise<number> {
      return countKeysetItems(await scheduleSource(ctx, kind, query), keep);
    },

    /** One page of instances in effect now, in id order (keyset-paged), as `pageSchedules` reads schedules. */
    async pageInstances(
      ctx: CallContext,
      kind: ScheduleKind,
      query: ScheduleListQuery,
      page: KeysetPageRequest<ScheduleInstance>,
    ): Promise<KeysetPage<ScheduleInstance>> {
      return readKeysetPage(await instanceSource(ctx, kind, query), page);
    },

    /** How many instances `pageInstances` would return across all pages. */
    async countInstances(
      ctx: CallContext,
      kind: ScheduleKind,
      query: ScheduleListQuery,
      keep?: KeysetPageRequest<ScheduleInstance>['keep'],
    ): Promise<number> {
      return countKeysetItems(await instanceSource(ctx, kind, query), keep);
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
      const key = id.toLowerCase();
      const scheduleId = key.slice(0, 36);
      const source = uuidPattern.test(scheduleId)
        ? await instanceSource(ctx, kind, { targetKind }, [scheduleId])
        : undefined;
      const found =
        source &&
        (await readKeysetPage(source, { limit: 1, keep: async (items) => items.filter((i) => i.id === key) }))
          .items[0];
      if (!found) throw notFound('Schedule instance', id);
      return found;
    },
  };
}

export type ScheduleService = ReturnType<typeof createScheduleService>;
