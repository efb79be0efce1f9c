import { approverCanDecide } from '../../core/authorization/approver-can-decide.js';
import { resourceAuthority } from '../../core/authorization/resource-authority.js';
import { notFound } from '../../core/errors.js';
import type { ScheduleRequest } from '../../core/model/request.js';
import type { Schedule, ScheduleKind } from '../../core/model/schedule.js';
import { rootScopeId } from '../../core/scope/resource-scope.js';
import { openApprovals } from '../../db/repositories/approval-repository.js';
import { memberGroupIds } from '../../db/repositories/principal-repository.js';
import { listRequests } from '../../db/repositories/request-repository.js';
import { descendantIds } from '../../db/repositories/resource-scope-repository.js';
import { listSchedules } from '../../db/repositories/schedule-repository.js';
import type { AppDeps, CallContext } from '../context.js';
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

  async function schedulesAt(
    ctx: CallContext,
    kind: ScheduleKind,
    scopeId: string,
    q: ResourceListQuery,
    activeAt?: Date,
  ): Promise<ResourceScheduleView[]> {
    const now = clock.now();
    const scope = await resolveScope(db, scopeId);
    const scopes = await scopesOf(scope, q);
    const principals = await principalsOf(ctx, q, now);
    const found = await listSchedules(db, {
      kind,
      targetKind: 'resourceRole',
      liveOnly: true,
      ...(scopes ? { scopeIds: scopes } : {}),
      ...(principals ? { principalIds: principals.ids } : {}),
      ...(activeAt ? { activeAt } : {}),
    });
    const see = await visibility(ctx, now);
    const visible: { schedule: Schedule; memberType: ResourceScheduleView['memberType'] }[] = [];
    for (const s of found) {
      if (q.roleDefinitionId && s.roleDefinitionId !== q.roleDefinitionId) continue;
      if (!(await see.schedule(s))) continue;
      visible.push({ schedule: s, memberType: memberTypeOf(s, scope, principals?.target) });
    }
    return viewLoader(db).schedules(visible);
  }

  return {
    /** A scope PIM requests and lists may name: registered, or the root `/`; unknown is not found. */
    resolve: (scopeId: string): Promise<ScopeRef> => resolveScope(db, scopeId),

    /** Schedule requests at a scope (assignment or eligibility), narrowed by the query, visible to the caller. */
    async requests(
      ctx: CallContext,
      kind: ScheduleKind,
      scopeId: string,
      q: ResourceListQuery,
    ): Promise<ResourceRequestView[]> {
      const now = clock.now();
      const scope = await resolveScope(db, scopeId);
      const scopes = await scopesOf(scope, q);
      const principals = await principalsOf(ctx, q, now);
      const found = await listRequests(db, {
        kind,
        targetKind: 'resourceRole',
        ...(scopes ? { scopeIds: scopes } : {}),
        ...(principals ? { principalIds: principals.ids } : {}),
        ...(q.asRequestor
          ? { createdById: ctx.actor.id }
          : q.requestorId
            ? { createdById: q.requestorId }
            : {}),
      });
      const see = await visibility(ctx, now);
      const approvable = await approvableIds(ctx, see);
      const visible: ScheduleRequest[] = [];
      for (const r of found) {
        if (q.roleDefinitionId && r.roleDefinitionId !== q.roleDefinitionId) continue;
        if (q.status && r.status.toLowerCase() !== q.status.toLowerCase()) continue;
        if (q.asApprover && (!approvable.has(r.id) || r.status !== 'PendingApproval')) continue;
        if (!(await see.request(r, approvable))) continue;
        visible.push(r);
      }
      return viewLoader(db).requests(visible);
    },

    /** Live schedules (current and future grants) at a scope. */
    schedules: (ctx: CallContext, kind: ScheduleKind, scopeId: string, q: ResourceListQuery) =>
      schedulesAt(ctx, kind, scopeId, q),

    /** Instances: the grants whose window contains now (invariant 1). */
    instances: (ctx: CallContext, kind: ScheduleKind, scopeId: string, q: ResourceListQuery) =>
      schedulesAt(ctx, kind, scopeId, q, clock.now()),

    /** One schedule (or instance) by name, at exactly the scope in the URL. */
    async schedule(
      ctx: CallContext,
      kind: ScheduleKind,
      scopeId: string,
      name: string,
      instance: boolean,
    ): Promise<ResourceScheduleView> {
      const all = await schedulesAt(
        ctx,
        kind,
        scopeId,
        { atScope: true },
        instance ? clock.now() : undefined,
      );
      const found = all.find((v) => v.schedule.id === name.toLowerCase() && v.schedule.scopeId === scopeId);
      if (!found) throw notFound(instance ? 'Schedule instance' : 'Schedule', name);
      return found;
    },
  };
}

export type ResourceListService = ReturnType<typeof createResourceListService>;
