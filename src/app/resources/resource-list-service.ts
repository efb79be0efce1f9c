import { approverCanDecide } from '../../core/authorization/approver-can-decide.js';
import { notFound } from '../../core/errors.js';
import type { ScheduleRequest } from '../../core/model/request.js';
import type { Schedule, ScheduleKind } from '../../core/model/schedule.js';
import { openApprovals } from '../../db/repositories/approval-repository.js';
import { groupRelations } from '../../db/repositories/membership-repository.js';
import { listRequests, pageRequests } from '../../db/repositories/request-repository.js';
import { heldByOrAt } from '../../db/repositories/resource-scope-repository.js';
import { pageSchedules } from '../../db/repositories/schedule-repository.js';
import type { AppDeps, CallContext } from '../context.js';
import { type KeysetSource, readKeysetPage } from '../shared/keyset-page.js';
import { listCoverage, withinCoverage } from './list-coverage.js';
import { chainLoader, resolveScope, type ScopeRef } from './resource-context.js';
import { type ResourceRequestView, type ResourceScheduleView, viewLoader } from './resource-views.js';
import { type ResourceVisibility, resourceVisibility } from './resource-visibility.js';

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

/** Most scopes a list may name for the caller's authority to be read at each of them before its rows. */
const maxNarrowedScopes = 500;

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

  /** Reads, together where it can, what a list needs before its first rows: its scope, principals and viewer. */
  async function prepare(ctx: CallContext, scopeId: string, q: ResourceListQuery, now: Date) {
    const chains = chainLoader(db);
    const resolved = resolveScope(db, scopeId);
    const groups = groupsAt(ctx, q, now);
    // The caller's grants are read while the first rows are; a failure surfaces where `keep` awaits them.
    const see = groups.then((g) =>
      resourceVisibility({ db, actor: ctx.actor, groups: g.actor, now, chains }),
    );
    see.catch(() => {});
    const [scope, coverage, principals] = await Promise.all([
      resolved,
      resolved.then((s) =>
        listCoverage(db, s, {
          ...q,
          narrowedToPrincipals: Boolean(q.asTarget || q.assignedTo || q.principalId),
        }),
      ),
      groups.then((g) => principalsOf(ctx, q, g)),
    ]);
    return { scope, coverage, principals, see, chains };
  }

  /** The groups the caller and (for `assignedTo`) the listed principal are members of at `now`, read together. */
  async function groupsAt(ctx: CallContext, q: ResourceListQuery, now: Date) {
    const ids = [ctx.actor.id, ...(q.assignedTo ? [q.assignedTo] : [])].map((id) => id.toLowerCase());
    const relations = await groupRelations(db, {
      relationship: 'member',
      at: now,
      principalIds: [...new Set(ids)],
    });
    const of = (id: string) => [
      ...new Set(relations.filter((r) => r.principalId === id.toLowerCase()).map((r) => r.groupId)),
    ];
    return { actor: of(ctx.actor.id), assignedTo: q.assignedTo ? of(q.assignedTo) : [] };
  }

  /** The principals a list narrows to, or undefined for any. */
  function principalsOf(
    ctx: CallContext,
    q: ResourceListQuery,
    groups: Awaited<ReturnType<typeof groupsAt>>,
  ) {
    if (q.asTarget) return { ids: [ctx.actor.id, ...groups.actor], target: ctx.actor.id };
    if (q.assignedTo) return { ids: [q.assignedTo, ...groups.assignedTo], target: q.assignedTo };
    if (q.principalId) return { ids: [q.principalId], target: q.principalId };
    return undefined;
  }

  /** The ids of requests waiting for an approval the caller may give (listed, or default approver of the scope). */
  async function approvableIds(ctx: CallContext, see: ResourceVisibility) {
    const open = await openApprovals(db);
    const byRequest = new Map(open.map((a) => [a.requestId, a]));
    const ids = [...byRequest.keys()];
    if (ids.length === 0) return new Set<string>();
    const [assignments, eligibilities] = await Promise.all([
      listRequests(db, { kind: 'assignment', targetKind: 'resourceRole', ids }),
      listRequests(db, { kind: 'eligibility', targetKind: 'resourceRole', ids }),
    ]);
    const waiting = [...assignments, ...eligibilities].filter(
      (r) => r.principalId !== ctx.actor.id && r.createdById !== ctx.actor.id,
    );
    const at = await see.authorities(waiting.map((r) => r.scopeId));
    const approvable = new Set<string>();
    for (const request of waiting) {
      const approval = byRequest.get(request.id);
      if (!approval) continue;
      const isDefault = at(request.scopeId).managesSettings;
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
    const { scope, coverage, principals, see, chains } = await prepare(ctx, scopeId, q, clock.now());
    // A list of every principal's grants at a few scopes is narrowed to what the caller sees in SQL: read batch
    // by batch, grants it cannot see (at `/`, say) could fill every batch a page reads.
    const exact =
      !principals && coverage.ids !== undefined && coverage.ids.length <= maxNarrowedScopes
        ? { narrowing: await (await see).narrowing(coverage.ids) }
        : undefined;
    const source: KeysetSource<Schedule, Schedule> = {
      rows: (from, limit) =>
        pageSchedules(db, {
          kind,
          targetKind: 'resourceRole',
          liveOnly: true,
          ...(coverage.ids ? { scopeIds: coverage.ids } : {}),
          ...(principals ? { principalIds: principals.ids } : {}),
          ...(q.roleDefinitionId ? { roleDefinitionId: q.roleDefinitionId } : {}),
          ...(activeAt ? { activeAt } : {}),
          ...(ids ? { ids } : {}),
          ...(exact?.narrowing
            ? { where: heldByOrAt(exact.narrowing.holders, exact.narrowing.readable) }
            : {}),
          ...(from ? { from } : {}),
          limit,
        }),
      ...identityKeys,
    };
    const keep = exact
      ? undefined
      : async (items: readonly Schedule[]) =>
          (await see).schedules(await withinCoverage(coverage, chains, items));
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
    const { coverage, principals, see: seeing, chains } = await prepare(ctx, scopeId, q, clock.now());
    const see = await seeing;
    const approvable = await approvableIds(ctx, see);
    const createdById = q.asRequestor ? ctx.actor.id : q.requestorId;
    const source: KeysetSource<ScheduleRequest, ScheduleRequest> = {
      rows: (from, limit) =>
        pageRequests(db, {
          kind,
          targetKind: 'resourceRole',
          ...(coverage.ids ? { scopeIds: coverage.ids } : {}),
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
    const keep = async (items: readonly ScheduleRequest[]) =>
      see.requests(
        await withinCoverage(
          coverage,
          chains,
          q.asApprover ? items.filter((r) => r.status === 'PendingApproval') : items,
        ),
        approvable,
      );
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
