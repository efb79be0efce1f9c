import type { Transaction } from 'kysely';
import type { AuditModifiedProperty } from '../../core/audit/audit-record.js';
import { canReadAllPim } from '../../core/authorization/permissions.js';
import { directoryRoleIds } from '../../core/catalog/directory-roles.js';
import { ElevateError, notFound } from '../../core/errors.js';
import {
  canonicalScopeId,
  managementGroupPath,
  type ParsedScope,
  type ResourceScope,
  wouldCreateCycle,
} from '../../core/scope/resource-scope.js';
import {
  childCount,
  childScopes,
  deleteScope,
  getScope,
  insertScope,
  liveSchedulesAt,
  lockResourceTree,
  pendingRequestsAt,
  scopeChain,
  updateScope,
} from '../../db/repositories/resource-scope-repository.js';
import type { DB } from '../../db/schema.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps, CallContext, Executor } from '../context.js';
import { ancestorsOf, authorityAt } from './resource-context.js';
import { scopeAudit } from './scope-audit.js';

/** What a PUT of a scope asks for; absent fields keep their value (or take the default on creation). */
export interface ScopeInput {
  readonly displayName?: string;
  /** Management groups and subscriptions: the canonical id of the management group to sit under. */
  readonly parentId?: string;
  readonly location?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** Change only: an unregistered scope is not found instead of registered (placing a subscription in a group). */
  readonly onlyExisting?: boolean;
}

type TreeScope = Exclude<ParsedScope, { type: 'root' }>;

const writeAction: Record<ResourceScope['type'], string> = {
  managementGroup: 'Microsoft.Management/managementGroups/write',
  subscription: 'Microsoft.Management/managementGroups/subscriptions/write',
  resourceGroup: 'Microsoft.Resources/subscriptions/resourceGroups/write',
  resource: 'Microsoft.Resources/resources/write',
};

/**
 * The resource tree: register, rename, move and delete management groups, subscriptions, resource groups and
 * resources. The tenant root group (its id is the tenant id) exists from the first use. A Global Administrator,
 * or an Owner or User Access Administrator active at the parent scope (at the tenant root group for top-level
 * management groups), changes the tree — registering a scope is PIM's onboarding, which Azure gives to those who
 * manage access. Moves change only a management group's or subscription's parent; a cycle is refused. A scope
 * with children, live schedules or pending requests is not deleted. Each change and its audit record commit together.
 */
export function createScopeTreeService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids' | 'tenantId'> & { audit: AuditWriter },
) {
  const { db, clock, ids, audit } = deps;
  const rootPath = managementGroupPath(deps.tenantId);
  const rootId = canonicalScopeId(rootPath);

  /** The tenant root group, created on first use (it is not a change anyone made, so it is not audited). */
  async function ensureRoot(trx: Executor, now: Date): Promise<void> {
    await insertScope(trx, {
      id: rootId,
      path: rootPath,
      type: 'managementGroup',
      name: deps.tenantId,
      displayName: 'Tenant Root Group',
      parentId: null,
      resourceType: null,
      location: null,
      tags: null,
      createdAt: now,
      updatedAt: now,
    });
  }

  /** Whether the caller may change the tree directly below `scopeId` (system, Global Administrator, Owner/UAA there). */
  async function mayManageBelow(trx: Executor, ctx: CallContext, scopeId: string, now: Date) {
    if (ctx.actor.isSystem || ctx.actor.roleIds.has(directoryRoleIds.globalAdministrator)) return true;
    return (await authorityAt(trx, ctx.actor, await ancestorsOf(trx, scopeId), now)).managesSettings;
  }

  async function requireManage(
    trx: Executor,
    ctx: CallContext,
    parent: ResourceScope,
    scope: Pick<ResourceScope, 'type' | 'path'>,
    now: Date,
  ) {
    if (await mayManageBelow(trx, ctx, parent.id, now)) return;
    throw new ElevateError(
      'auth.forbidden',
      `The client '${ctx.actor.displayName}' with object id '${ctx.actor.id}' does not have authorization to perform action '${writeAction[scope.type]}' over scope '${scope.path}': changing the resource tree under '${parent.path}' needs Owner or User Access Administrator active there (or above), or Global Administrator.`,
    );
  }

  /** Whether the caller may see a scope: readers of the directory, Global Administrators, anyone with a role there or above. */
  async function maySee(trx: Executor, ctx: CallContext, scope: ResourceScope, now: Date) {
    if (ctx.actor.isSystem || canReadAllPim(ctx.actor)) return true;
    return (await authorityAt(trx, ctx.actor, await ancestorsOf(trx, scope.id), now)).reads;
  }

  /** The parent a scope sits under: its path's for resource groups and resources, the asked (or current, or root) management group otherwise. */
  async function parentFor(
    trx: Executor,
    scope: TreeScope,
    input: ScopeInput,
    existing: ResourceScope | undefined,
  ): Promise<ResourceScope> {
    const wanted =
      scope.type === 'resourceGroup' || scope.type === 'resource'
        ? scope.pathParentId
        : (input.parentId ?? existing?.parentId ?? rootId);
    const parent = wanted ? await getScope(trx, wanted) : undefined;
    if (!parent) {
      const what =
        scope.type === 'resourceGroup'
          ? `The subscription '${wanted}' is not registered; register it first (PUT /subscriptions/{id}).`
          : scope.type === 'resource'
            ? `The resource group (or parent resource) '${wanted}' is not registered; register it first.`
            : `The parent management group '${wanted}' does not exist.`;
      throw new ElevateError(
        scope.type === 'resourceGroup' || scope.type === 'resource'
          ? 'resource.not_found'
          : 'request.invalid',
        what,
        { target: wanted ?? '' },
      );
    }
    if (
      (scope.type === 'managementGroup' || scope.type === 'subscription') &&
      parent.type !== 'managementGroup'
    ) {
      throw new ElevateError(
        'request.invalid',
        `'${parent.path}' is not a management group; ${scope.type === 'subscription' ? 'a subscription' : 'a management group'} sits under a management group.`,
      );
    }
    return parent;
  }

  /** Registers or changes a scope (ARM PUT). Returns the scope and whether it was created. */
  async function put(
    ctx: CallContext,
    scope: TreeScope,
    input: ScopeInput,
  ): Promise<{ scope: ResourceScope; created: boolean }> {
    return db.transaction().execute(async (trx) => {
      await lockResourceTree(trx);
      const now = clock.now();
      await ensureRoot(trx, now);
      const existing = await getScope(trx, scope.id);
      if (!existing && input.onlyExisting) throw notFound(scopeNoun[scope.type], scope.path);
      if (scope.id === rootId) {
        if (input.parentId !== undefined && input.parentId !== rootId) {
          throw new ElevateError(
            'request.invalid',
            'The tenant root group has no parent; it cannot be moved.',
          );
        }
        return update(trx, ctx, existing!, { ...input, parentId: undefined }, now);
      }
      const parent = await parentFor(trx, scope, input, existing);
      if (existing) return update(trx, ctx, existing, { ...input, parentId: parent.id }, now);
      await requireManage(trx, ctx, parent, scope, now);
      const created: ResourceScope = {
        id: scope.id,
        path: scope.path,
        type: scope.type,
        name: scope.name,
        displayName: input.displayName ?? scope.name,
        parentId: parent.id,
        resourceType: scope.type === 'resource' ? scope.resourceType : null,
        location: input.location ?? null,
        tags: input.tags ?? null,
        createdAt: now,
        updatedAt: now,
      };
      await insertScope(trx, created);
      await audit.append(trx, [
        scopeAudit({ id: ids.newId(), at: now, ctx, activity: 'onboardResource', scope: created }),
      ]);
      return { scope: created, created: true };
    });
  }

  async function update(
    trx: Transaction<DB>,
    ctx: CallContext,
    existing: ResourceScope,
    input: ScopeInput,
    now: Date,
  ): Promise<{ scope: ResourceScope; created: boolean }> {
    const parentId = input.parentId ?? existing.parentId;
    const moving = parentId !== existing.parentId;
    // Renaming needs authority at the scope or above; moving needs it under both the old and the new parent.
    if (moving) {
      const oldParent = existing.parentId ? await getScope(trx, existing.parentId) : undefined;
      const newParent = (await getScope(trx, parentId!))!;
      if (oldParent) await requireManage(trx, ctx, oldParent, existing, now);
      await requireManage(trx, ctx, newParent, existing, now);
      const chain = (await scopeChain(trx, newParent.id)).map((s) => s.id);
      if (wouldCreateCycle(existing.id, chain)) {
        throw new ElevateError(
          'request.invalid',
          `Moving '${existing.path}' under '${newParent.path}' would put it beneath itself; a management group cannot sit under one of its own descendants.`,
        );
      }
    } else {
      await requireManage(trx, ctx, existing, existing, now);
    }
    const next: ResourceScope = {
      ...existing,
      parentId,
      displayName: input.displayName ?? existing.displayName,
      location: input.location ?? existing.location,
      tags: input.tags ?? existing.tags,
      updatedAt: now,
    };
    const changes: AuditModifiedProperty[] = (
      [
        ['ParentId', existing.parentId, next.parentId],
        ['DisplayName', existing.displayName, next.displayName],
        ['Location', existing.location, next.location],
        ['Tags', JSON.stringify(existing.tags), JSON.stringify(next.tags)],
      ] as const
    )
      .filter(([, before, after]) => before !== after)
      .map(([displayName, before, after]) => ({
        displayName,
        oldValue: before === null ? null : JSON.stringify(before),
        newValue: after === null ? null : JSON.stringify(after),
      }));
    if (changes.length === 0) return { scope: existing, created: false };
    await updateScope(trx, existing.id, next);
    await audit.append(trx, [
      scopeAudit({ id: ids.newId(), at: now, ctx, activity: 'updateResource', scope: next, changes }),
    ]);
    return { scope: next, created: false };
  }

  /** A registered scope the caller may see (unknown and hidden ones answer the same). */
  async function get(ctx: CallContext, scope: TreeScope): Promise<ResourceScope> {
    const now = clock.now();
    if (scope.id === rootId) await db.transaction().execute((trx) => ensureRoot(trx, now));
    const found = await getScope(db, scope.id);
    if (!found || found.type !== scope.type || !(await maySee(db, ctx, found, now))) {
      throw notFound(scopeNoun[scope.type], scope.path);
    }
    return found;
  }

  return {
    /** The canonical id of the tenant root group. */
    rootId,

    put,

    get,

    /** The scope a management group or subscription sits under (for display; no visibility check). */
    parentOf: async (scope: ResourceScope): Promise<ResourceScope | undefined> =>
      scope.parentId ? getScope(db, scope.parentId) : undefined,

    /** The scopes directly below one the caller may see. */
    async children(ctx: CallContext, scope: TreeScope): Promise<ResourceScope[]> {
      const parent = await get(ctx, scope);
      return childScopes(db, parent.id);
    },

    /** Unregisters a scope with no children, no live schedules and no pending requests; its role settings go with it. */
    async remove(ctx: CallContext, scope: TreeScope): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await lockResourceTree(trx);
        const now = clock.now();
        const existing = await getScope(trx, scope.id);
        if (!existing || existing.type !== scope.type) throw notFound(scopeNoun[scope.type], scope.path);
        if (existing.parentId === null) {
          throw new ElevateError('request.invalid', 'The tenant root group cannot be deleted.');
        }
        const parent = (await getScope(trx, existing.parentId))!;
        await requireManage(trx, ctx, parent, scope, now);
        const children = await childCount(trx, existing.id);
        if (children > 0) {
          throw new ElevateError(
            'request.invalid',
            `'${existing.path}' still has ${children} child scope${children === 1 ? '' : 's'}; delete or move them first.`,
          );
        }
        const live = await liveSchedulesAt(trx, existing.id);
        const pending = await pendingRequestsAt(trx, existing.id);
        if (live > 0 || pending > 0) {
          throw new ElevateError(
            'request.invalid',
            `'${existing.path}' still has ${live} live eligible or active assignment${live === 1 ? '' : 's'} and ${pending} pending request${pending === 1 ? '' : 's'}; remove or cancel them first.`,
          );
        }
        const removed = await trx
          .deleteFrom('role_management_policies')
          .where('target_kind', '=', 'resourceRole')
          .where('scope_id', '=', existing.id)
          .returning('id')
          .execute();
        await deleteScope(trx, existing.id);
        await audit.append(trx, [
          scopeAudit({
            id: ids.newId(),
            at: now,
            ctx,
            activity: 'offboardResource',
            scope: existing,
            details:
              removed.length > 0
                ? [{ key: 'RemovedPolicyIds', value: removed.map((r) => r.id).join(',') }]
                : [],
          }),
        ]);
      });
    },
  };
}

const scopeNoun: Record<ResourceScope['type'], string> = {
  managementGroup: 'Management group',
  subscription: 'Subscription',
  resourceGroup: 'Resource group',
  resource: 'Resource',
};

export type ScopeTreeService = ReturnType<typeof createScopeTreeService>;
