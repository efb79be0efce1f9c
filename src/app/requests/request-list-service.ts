import type { Expression, SqlBool } from 'kysely';
import { isRoleAdministrator } from '../../core/access/is-role-administrator.js';
import { canReadAllPim } from '../../core/authorization/permissions.js';
import type { ScheduleRequest } from '../../core/model/request.js';
import type { ScheduleKind } from '../../core/model/schedule.js';
import { approvalIdsDecidableBy } from '../../db/repositories/approval-repository.js';
import { groupRelations } from '../../db/repositories/membership-repository.js';
import { memberGroupIds } from '../../db/repositories/principal-repository.js';
import {
  countRequests,
  pageRequests,
  type RequestPageQuery,
} from '../../db/repositories/request-repository.js';
import type { AppDeps, CallContext } from '../context.js';
import {
  countKeysetItems,
  type KeysetPage,
  type KeysetPageRequest,
  type KeysetSource,
  readKeysetPage,
} from '../shared/keyset-page.js';
import type { RequestListQuery } from './schedule-request-service.js';

/** A `RequestListQuery` with a condition on the request row evaluated by the database (a compiled `$filter`). */
export interface RequestPageListQuery extends RequestListQuery {
  readonly where?: Expression<SqlBool>;
  /**
   * Newest (or oldest) first, by `createdDateTime` then id, instead of by id: keys are then
   * `{createdDateTime}|{id}`.
   */
  readonly createdOrder?: 'asc' | 'desc';
}

/**
 * Schedule requests as Graph lists them, a page at a time, for directory roles and PIM for Groups: every
 * condition — the list's narrowing, `filterByCurrentUser`, who may see a request (the rule of the request
 * service's `canSee`) and a compiled `$filter` — is evaluated by the database.
 */
export function createRequestListService(deps: Pick<AppDeps, 'db' | 'clock'>) {
  const { db, clock } = deps;

  /** The approvals the caller may decide, as `approverCanDecide` sees it: itself, its groups, a default approver or not. */
  async function decidableApprovalIds(ctx: CallContext): Promise<string[]> {
    const groupIds = await memberGroupIds(db, ctx.actor.id, { at: clock.now() });
    return approvalIdsDecidableBy(db, {
      userId: ctx.actor.id,
      groupIds,
      isDefaultApprover: isRoleAdministrator(ctx.actor),
    });
  }

  /** A `{createdDateTime}|{id}` key read back. */
  function createdKey(key: string): { at: Date; id: string } {
    const [at = '', id = ''] = key.split('|');
    return { at: new Date(at), id };
  }

  /** The requests a list returns, read by id with every condition in the database (`canSee` as SQL). */
  async function requestSource(
    ctx: CallContext,
    kind: ScheduleKind,
    query: RequestPageListQuery,
  ): Promise<KeysetSource<ScheduleRequest, ScheduleRequest>> {
    const actorId = ctx.actor.id;
    const at = clock.now();
    const base = {
      kind,
      targetKind: query.targetKind ?? 'directoryRole',
      ...(query.principalId ? { principalIds: [query.principalId] } : {}),
      ...(query.groupId ? { scopeIds: [query.groupId] } : {}),
      ...(query.where ? { where: query.where } : {}),
    };
    let narrowed: Omit<RequestPageQuery, 'limit'>;
    if (query.on === 'principal') narrowed = { ...base, principalIds: [actorId] };
    else if (query.on === 'createdBy') narrowed = { ...base, createdById: actorId };
    else if (query.on === 'approver') narrowed = { ...base, approvalIds: await decidableApprovalIds(ctx) };
    else if (canReadAllPim(ctx.actor)) narrowed = base;
    else {
      const owned = await groupRelations(db, { relationship: 'owner', at, principalIds: [actorId] });
      narrowed = {
        ...base,
        visibleTo: {
          actorId,
          ownedGroupIds: owned.map((r) => r.groupId),
          approvalIds: await decidableApprovalIds(ctx),
        },
      };
    }
    const order = query.createdOrder;
    const keyOf = (r: ScheduleRequest) => (order ? `${r.createdAt.toISOString()}|${r.id}` : r.id);
    return {
      rows: (from, limit) =>
        pageRequests(db, {
          ...narrowed,
          ...(order ? { byCreated: { direction: order, ...(from && { after: createdKey(from.key) }) } } : {}),
          ...(from && !order ? { from } : {}),
          limit,
        }),
      rowKey: keyOf,
      items: async (rows) => rows,
      itemKey: keyOf,
      rowOf: (key) => key,
      endOfRow: (key) => key,
      count: () => countRequests(db, narrowed),
      ...(order === 'desc' && { descending: true }),
    };
  }

  return {
    /**
     * One page, in id order (keyset-paged), of the requests the caller may see (readers: all; others: their own,
     * what they made, what they approve, requests on groups they own), of one target kind, or of those
     * `filterByCurrentUser(on=…)` selects. The narrowing, the visibility and `query.where` are evaluated by the
     * database; `page.keep` runs on the rest.
     */
    async page(
      ctx: CallContext,
      kind: ScheduleKind,
      query: RequestPageListQuery,
      page: KeysetPageRequest<ScheduleRequest>,
    ): Promise<KeysetPage<ScheduleRequest>> {
      return readKeysetPage(await requestSource(ctx, kind, query), page);
    },

    /** How many requests `page` would return across all pages. */
    async count(
      ctx: CallContext,
      kind: ScheduleKind,
      query: RequestPageListQuery,
      keep?: KeysetPageRequest<ScheduleRequest>['keep'],
    ): Promise<number> {
      return countKeysetItems(await requestSource(ctx, kind, query), keep);
    },
  };
}

export type RequestListService = ReturnType<typeof createRequestListService>;
