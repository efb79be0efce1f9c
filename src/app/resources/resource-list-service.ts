import { approverCanDecide } from '../../core/authorization/approver-can-decide.js';
import { resourceAuthority } from '../../core/authorization/resource-authority.js';
import { notFound } from '../../core/errors.js';
import type { ScheduleRequest } from '../../core/model/request.js';
import type { Schedule, ScheduleKind } from '../../core/model/schedule.js';
import { rootScopeId } from '../../core/scope/resource-scope.js';
import { openApprovals } from '../../db/repositories/approval-repository.js';
import { memberGroupIds } from '../../db/repositories/principal-repository.js';
import { listRequests, pageRequests } from '../../db/repositories/request-repository.js';
import { descendantIds } from '../../db/repositories/resource-scope-repository.js';
import { pageSchedules } from '../../db/repositories/schedule-repository.js';
import type { AppDeps, CallContext } from '../context.js';
import { type KeysetSource, readKeysetPage } from '../shared/keyset-page.js';
import { ancestorsOf, resolveScope, resourceGrantsOf, type ScopeRef } from './resource-context.js';
import { type ResourceRequestView, type ResourceScheduleView, viewLoader } from './resource-views.js';

/**
 * A list at a scope, as ARM's `$filter` narrows it (research §9.1): `atScope()` keeps what is at or above the
 * scope; otherwise what is at, above or below it. `principalId eq` keeps one principal's own grants,
 * `assignedTo(…)` and `asTarget()` a principal's and its groups'; `asRequestor()` what the caller asked for,
 * `asApprover()` what waits for the caller's approval; `roleDefinitionId`, `status` and `requestorId` compare.
 */
export interface ResourceListQuery {
  readonly atScope?: boolean;
  readonly principalId?: string;
  readonly assignedTo?: string;
  readonly asTarget?: boolean;
  readonly asRequestor?: boolean;
  readonly asApprover?: boolean;
  /** An Azure role GUID, lower case. */
  readonly roleDefinitionId?: string;
  readonly status?: string;
  readonly requestorId?: string;
}

/** Where an ARM list page starts (after the last id of the previous page) and how long it is. */
export interface ResourcePageRequest {
  readonly after?: string;
  readonly limit: number;
}

export interface ResourcePage<T> {
  readonly items: T[];
  /** Pass as `after` for the next page; absent when nothing can follow. */
  readonly nextAfter?: string;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Rows are items, keyed by their id. */
const identityKeys = {
  rowKey: (row: { id: string }) => row.id,
  items: async <T>(rows: T[]) => rows,
  itemKey: (item: { id: string }) => item.id,
  rowOf: (key: string) => key,
  endOfRow: (key: string) => key,
};

/**
 * ARM's PIM lists and gets at a scope: schedule requests, schedules and instances of resource roles. Each item is
 * shown only to who may see it: its principal (or a member of its group), its requestor, its approvers, and
 * whoever reads role assignments at its scope (any Azure role there or above). Directory roles see nothing here.
 */
export function createResourceListService(deps: Pick<AppDeps, 'db' | 'clock'>) {
  const { db, clock } = deps;

  /** The canonical scopes a list covers (undefined: every scope, listing at the root without atScope()). */
  async function scopesOf(scope: ScopeRef, q: ResourceListQuery): Promise<string[] | undefined> {
    if (q.atScope) return [...scope.ancestors];
    if (scope.id === rootScopeId) return undefined;
    return [...scope.ancestors, ...(await descendantIds(db, scope.id))];
  }

  /** The principals a list narrows to, or undefined for any. */
  async function principalsOf(ctx: CallContext, q: ResourceListQuery, now: Date) {
    const withGroups = async (id: string) => [id, ...(await memberGroupIds(db, id, { at: now }))];
    if (q.asTarget) return { ids: await withGroups(ctx.actor.id), target: ctx.actor.id };
    if (q.assignedTo) return { ids: await withGroups(q.assignedTo), target: q.assignedTo };
    if (q.principalId) return { ids: [q.principalId], target: q.principalId };
    return undefined;
  }

  /** Who may see what: computed once per list from the caller's groups and grants, per scope from its chain. */
  async function visibility(ctx: CallContext, now: Date) {
    const { actor } = ctx;
    const groups = new Set(await memberGroupIds(db, actor.id, { at: now }));
    const grants = await resourceGrantsOf(db, actor.id, now);
    const chains = new Map<string, Promise<string[]>>();
    const authority = async (scopeId: string) => {
      const chain = chains.get(scopeId) ?? ancestorsOf(db, scopeId);
      chains.set(scopeId, chain);
      return resourceAuthority({ grants, ancestors: await chain, now });
    };
    const own = (principalId: string) =>
      actor.isSystem || principalId === actor.id || groups.has(principalId);
    return {
      groups,
      authority,
      schedule: async (s: Schedule) => own(s.principalId) || (await authority(s.scopeId)).reads,
      request: async (r: ScheduleRequest, approvals: ReadonlySet<string>) =>
        own(r.principalId) ||
        r.createdById === actor.id ||
        approvals.has(r.id) ||
        (await authority(r.scopeId)).reads,
    };
  }

  /** The ids of requests waiting for an approval the caller may give (listed, or default approver of the scope). */
  async function approvableIds(ctx: CallContext, see: Awaited<ReturnType<typeof visibility>>) {
    const open = await openApprovals(db);
    const byRequest = new Map(open.map((a) => [a.requestId, a]));
    const ids = [...byRequest.keys()];
    const waiting = [
      ...(await listRequests(db, { kind: 'assignment', targetKind: 'resourceRole', ids })),
      ...(await listRequests(db, { kind: 'eligibility', targetKind: 'resourceRole', ids })),
    ];
    const approvable = new Set<string>();
    for (const request of waiting) {
      const approval = byRequest.get(request.id);
      if (!approval || request.principalId === ctx.actor.id || request.createdById === ctx.actor.id) continue;
      const isDefault = (await see.authority(request.scopeId)).managesSettings;
      if (approverCanDecide(approval, ctx.actor, see.groups, isDefault)) approvable.add(request.id);
    }
    return approvable;
  }

  const memberTypeOf = (
    s: Schedule,
    scope: ScopeRef,
    target: string | undefined,
  ): ResourceScheduleView['memberType'] =>
    s.scopeId !== scope.id && scope.ancestors.includes(s.scopeId)
      ? 'Inherited'
      : target !== undefined && s.principalId !== target
        ? 'Group'
        : 'Direct';

  /** Live resource-role schedules at a scope in id order, narrowed in SQL; who may see each is checked per batch. */
  async function scheduleList(
    ctx: CallContext,
    kind: ScheduleKind,
    scopeId: string,
    q: ResourceListQuery,
    activeAt?: Date,
    ids?: readonly string[],
  ) {
    const now = clock.now();
    const scope = await resolveScope(db, scopeId);
    const scopes = await scopesOf(scope, q);
    const principals = await principalsOf(ctx, q, now);
    const see = await visibility(ctx, now);
    const source: KeysetSource<Schedule, Schedule> = {
      rows: (from, limit) =>
        pageSchedules(db, {
          kind,
          targetKind: 'resourceRole',
          liveOnly: true,
          ...(scopes ? { scopeIds: scopes } : {}),
          ...(principals ? { principalIds: principals.ids } : {}),
          ...(q.roleDefinitionId ? { roleDefinitionId: q.roleDefinitionId } : {}),
          ...(activeAt ? { activeAt } : {}),
          ...(ids ? { ids } : {}),
          ...(from ? { from } : {}),
          limit,
        }),
      ...identityKeys,
    };
    const keep = async (items: readonly Schedule[]) => {
      const kept: Schedule[] = [];
      for (const s of items) if (await see.schedule(s)) kept.push(s);
      return kept;
    };
    const views = (items: readonly Schedule[]) =>
      viewLoader(db).schedules(
        items.map((schedule) => ({
          schedule,
          memberType: memberTypeOf(schedule, scope, principals?.target),
        })),
      );
    return { source, keep, views };
  }

  /** One keyset page of schedules (or instances, `activeAt` now) at a scope. */
  async function schedulePage(
    ctx: CallContext,
    kind: ScheduleKind,
    scopeId: string,
    q: ResourceListQuery,
    page: ResourcePageRequest,
    activeAt?: Date,
  ): Promise<ResourcePage<ResourceScheduleView>> {
    const { source, keep, views } = await scheduleList(ctx, kind, scopeId, q, activeAt);
    const found = await readKeysetPage(source, { ...page, keep });
    return {
      items: await views(found.items),
      ...(found.nextAfter !== undefined && { nextAfter: found.nextAfter }),
    };
  }

  /** Resource-role schedule requests at a scope in id order, narrowed in SQL; visibility checked per batch. */
  async function requestList(ctx: CallContext, kind: ScheduleKind, scopeId: string, q: ResourceListQuery) {
    const now = clock.now();
    const scope = await resolveScope(db, scopeId);
    const scopes = await scopesOf(scope, q);
    const principals = await principalsOf(ctx, q, now);
    const see = await visibility(ctx, now);
    const approvable = await approvableIds(ctx, see);
    const createdById = q.asRequestor ? ctx.actor.id : q.requestorId;
    const source: KeysetSource<ScheduleRequest, ScheduleRequest> = {
      rows: (from, limit) =>
        pageRequests(db, {
          kind,
          targetKind: 'resourceRole',
          ...(scopes ? { scopeIds: scopes } : {}),
          ...(principals ? { principalIds: principals.ids } : {}),
          ...(createdById ? { createdById } : {}),
          ...(q.roleDefinitionId ? { roleDefinitionId: q.roleDefinitionId } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.asApprover ? { ids: [...approvable] } : {}),
          ...(from ? { from } : {}),
          limit,
        }),
      ...identityKeys,
    };
    const keep = async (items: readonly ScheduleRequest[]) => {
      const kept: ScheduleRequest[] = [];
      for (const r of items) {
        if (q.asApprover && r.status !== 'PendingApproval') continue;
        if (await see.request(r, approvable)) kept.push(r);
      }
      return kept;
    };
    return { source, keep, views: (items: ScheduleRequest[]) => viewLoader(db).requests(items) };
  }

  return {
    /** A scope PIM requests and lists may name: registered, or the root `/`; unknown is not found. */
    resolve: (scopeId: string): Promise<ScopeRef> => resolveScope(db, scopeId),

    /** Schedule requests at a scope (assignment or eligibility), narrowed by the query, visible to the caller: one keyset page in id order. */
    async requestPage(
      ctx: CallContext,
      kind: ScheduleKind,
      scopeId: string,
      q: ResourceListQuery,
      page: ResourcePageRequest,
    ): Promise<ResourcePage<ResourceRequestView>> {
      const { source, keep, views } = await requestList(ctx, kind, scopeId, q);
      const found = await readKeysetPage(source, { ...page, keep });
      return {
        items: await views(found.items),
        ...(found.nextAfter !== undefined && { nextAfter: found.nextAfter }),
      };
    },

    /** One keyset page of live schedules at a scope, in id order. */
    schedulePage: (
      ctx: CallContext,
      kind: ScheduleKind,
      scopeId: string,
      q: ResourceListQuery,
      page: ResourcePageRequest,
    ) => schedulePage(ctx, kind, scopeId, q, page),

    /** One keyset page of instances (grants in effect now) at a scope, in id order. */
    instancePage: (
      ctx: CallContext,
      kind: ScheduleKind,
      scopeId: string,
      q: ResourceListQuery,
      page: ResourcePageRequest,
    ) => schedulePage(ctx, kind, scopeId, q, page, clock.now()),

    /** One schedule (or instance) by name, at exactly the scope in the URL. */
    async schedule(
      ctx: CallContext,
      kind: ScheduleKind,
      scopeId: string,
      name: string,
      instance: boolean,
    ): Promise<ResourceScheduleView> {
      const id = name.toLowerCase();
      if (!uuidPattern.test(id)) throw notFound(instance ? 'Schedule instance' : 'Schedule', name);
      const at = instance ? clock.now() : undefined;
      const { source, keep, views } = await scheduleList(ctx, kind, scopeId, { atScope: true }, at, [id]);
      const [found] = await views(
        (await readKeysetPage(source, { limit: 1, keep })).items.filter((s) => s.scopeId === scopeId),
      );
      if (!found) throw notFound(instance ? 'Schedule instance' : 'Schedule', name);
      return found;
    },
  };
}

export type ResourceListService = ReturnType<typeof createResourceListService>;
