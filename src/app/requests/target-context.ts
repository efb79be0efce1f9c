import { sql, type Transaction } from 'kysely';
import { findAzureRole } from '../../core/catalog/azure-roles.js';
import { ElevateError } from '../../core/errors.js';
import type { RoleManagementPolicy } from '../../core/model/policy.js';
import type { Actor, PrincipalType } from '../../core/model/principal.js';
import type { GroupAccessId, PimTarget, Schedule } from '../../core/model/schedule.js';
import {
  defaultDirectoryRoleRules,
  defaultGroupRules,
  defaultResourceRoleRules,
} from '../../core/policy/default-rules.js';
import type { TargetFacts } from '../../core/requests/decision.js';
import { parseDirectoryScope, scopeAncestors } from '../../core/scope/scope-path.js';
import { targetKey } from '../../core/targets/target.js';
import { isRelated } from '../../db/repositories/membership-repository.js';
import { getOrCreatePolicy } from '../../db/repositories/policy-repository.js';
import { findPrincipal, memberGroupIds } from '../../db/repositories/principal-repository.js';
import {
  administrativeUnitExists,
  findRoleDefinition,
  type RoleRef,
} from '../../db/repositories/role-lookup.js';
import { activationsFrom, schedulesForTarget } from '../../db/repositories/schedule-repository.js';
import type { DB } from '../../db/schema.js';
import type { AppDeps, Executor } from '../context.js';
import { authorityAt, resolveScope, type ScopeRef } from '../resources/resource-context.js';

/** The target of a request as found in the directory: a role, or a group and its access id. */
export type TargetRef =
  | {
      readonly kind: 'directoryRole';
      readonly id: string;
      readonly displayName: string;
      readonly role: RoleRef;
    }
  | {
      readonly kind: 'group';
      /** The group's id. */
      readonly id: string;
      /** The group's display name. */
      readonly displayName: string;
      readonly accessId: GroupAccessId;
      readonly isAssignableToRole: boolean;
    }
  | {
      readonly kind: 'resourceRole';
      /** The Azure role's GUID. */
      readonly id: string;
      /** The role's name. */
      readonly displayName: string;
      readonly scope: ScopeRef;
    };

export interface ResolvedTarget {
  readonly target: TargetRef;
  readonly principal: { id: string; type: PrincipalType; displayName: string; isAssignableGroup: boolean };
}

const accessIds: readonly string[] = ['member', 'owner'];

/** Checks that the target (role and scope, or group) and the principal of a request exist, naming what does not. */
export async function resolveTarget(
  db: Executor,
  t: PimTarget & { readonly principalId: string },
): Promise<ResolvedTarget> {
  const target =
    t.targetKind === 'group'
      ? await resolveGroup(db, t)
      : t.targetKind === 'resourceRole'
        ? await resolveResourceRole(db, t)
        : await resolveRole(db, t);
  const principal = await findPrincipal(db, t.principalId);
  if (!principal) {
    throw new ElevateError(
      'request.invalid',
      `principalId '${t.principalId}' does not name a user, group or service principal.`,
    );
  }
  return { target, principal };
}

async function resolveRole(db: Executor, t: PimTarget): Promise<TargetRef> {
  const role = await findRoleDefinition(db, t.roleDefinitionId);
  if (!role) {
    throw new ElevateError(
      'request.invalid',
      `roleDefinitionId '${t.roleDefinitionId}' does not name a role definition; list them at /roleManagement/directory/roleDefinitions.`,
    );
  }
  const scope = parseDirectoryScope(t.scopeId);
  if (!scope) {
    throw new ElevateError(
      'request.invalid',
      `directoryScopeId '${t.scopeId}' is not a directory scope; use '/' or '/administrativeUnits/{id}'.`,
    );
  }
  if (scope.kind === 'administrativeUnit' && !(await administrativeUnitExists(db, scope.id))) {
    throw new ElevateError(
      'request.invalid',
      `Administrative unit '${scope.id}' in directoryScopeId does not exist.`,
    );
  }
  return { kind: 'directoryRole', id: role.id, displayName: role.displayName, role };
}

/** An Azure built-in role at a registered scope of the resource tree (or the root `/`). */
async function resolveResourceRole(db: Executor, t: PimTarget): Promise<TargetRef> {
  const role = findAzureRole(t.roleDefinitionId);
  if (!role) {
    throw new ElevateError(
      'request.invalid',
      `roleDefinitionId '${t.roleDefinitionId}' does not name an Azure role definition; list them at {scope}/providers/Microsoft.Authorization/roleDefinitions.`,
    );
  }
  const scope = await resolveScope(db, t.scopeId).catch(() => {
    throw new ElevateError(
      'resource.not_found',
      `The scope '${t.scopeId}' is not registered in the resource tree; register it first (PUT the management group, subscription, resource group or resource).`,
      { target: t.scopeId },
    );
  });
  return { kind: 'resourceRole', id: role.id, displayName: role.roleName, scope };
}

async function resolveGroup(db: Executor, t: PimTarget): Promise<TargetRef> {
  if (!accessIds.includes(t.roleDefinitionId)) {
    throw new ElevateError(
      'request.invalid',
      `accessId '${t.roleDefinitionId}' must be 'member' or 'owner'.`,
    );
  }
  const group = /^[0-9a-f-]{36}$/i.test(t.scopeId)
    ? await db
        .selectFrom('groups')
        .select(['id', 'display_name', 'is_assignable_to_role'])
        .where('id', '=', t.scopeId.toLowerCase())
        .executeTakeFirst()
    : undefined;
  if (!group) {
    throw new ElevateError(
      'request.invalid',
      `groupId '${t.scopeId}' does not name a group; list them at /groups.`,
    );
  }
  return {
    kind: 'group',
    id: group.id,
    displayName: group.display_name,
    accessId: t.roleDefinitionId as GroupAccessId,
    isAssignableToRole: group.is_assignable_to_role,
  };
}

/** What the decision needs to know of the target, as seen by `actor` at `now` (for groups: is the actor an owner). */
export async function targetFacts(
  db: Executor,
  target: TargetRef,
  actor: Actor,
  now: Date,
): Promise<TargetFacts> {
  if (target.kind === 'directoryRole') {
    return {
      kind: 'directoryRole',
      id: target.id,
      displayName: target.displayName,
      isEnabled: target.role.isEnabled,
    };
  }
  if (target.kind === 'resourceRole') {
    // Elevate's own system actor (setup, scheduler) acts with full authority; people need a resource role.
    const authority = actor.isSystem ? null : await authorityAt(db, actor, target.scope.ancestors, now);
    return {
      kind: 'resourceRole',
      id: target.id,
      displayName: target.displayName,
      scopePath: target.scope.path,
      actorManagesAccess: authority === null || authority.managesAccess,
    };
  }
  const actorIsOwner = await isRelated(db, {
    groupId: target.id,
    principalId: actor.id,
    relationship: 'owner',
    at: now,
  });
  const { kind, id, displayName, accessId, isAssignableToRole } = target;
  return { kind, id, displayName, accessId, isAssignableToRole, actorIsOwner };
}

/** A directory role policy id as Graph writes it: DirectoryRole_{tenantId}_{guid}. */
export const directoryRolePolicyId = (tenantId: string, guid: string): string =>
  `DirectoryRole_${tenantId}_${guid}`;

/** A group policy id as Graph writes it: Group_{groupId}_{guid} (research §2.2). */
export const groupPolicyId = (groupId: string, guid: string): string => `Group_${groupId}_${guid}`;

/**
 * The settings of a target, created with Entra's defaults on first use: a role's at its scope, a group's
 * membership or ownership (scopeType Group, no permanent active assignment, research §2.5), or an Azure role's at
 * its resource scope (scopeType Resource).
 */
export async function policyFor(
  trx: Executor,
  deps: Pick<AppDeps, 'ids' | 'tenantId'>,
  t: PimTarget,
  now: Date,
): Promise<RoleManagementPolicy> {
  if (t.targetKind === 'resourceRole') {
    // ARM names a policy by a GUID; one per role and scope, never inherited from a scope above (research §9.3).
    return getOrCreatePolicy(
      trx,
      {
        targetKind: 'resourceRole',
        scopeType: 'Resource',
        scopeId: t.scopeId,
        roleDefinitionId: t.roleDefinitionId,
      },
      { id: deps.ids.newId(), rules: defaultResourceRoleRules(), now },
    );
  }
  if (t.targetKind === 'group') {
    const accessId = t.roleDefinitionId as GroupAccessId;
    return getOrCreatePolicy(
      trx,
      { targetKind: 'group', scopeType: 'Group', scopeId: t.scopeId, roleDefinitionId: accessId },
      { id: groupPolicyId(t.scopeId, deps.ids.newId()), rules: defaultGroupRules(accessId), now },
    );
  }
  return getOrCreatePolicy(
    trx,
    {
      targetKind: 'directoryRole',
      scopeType: 'DirectoryRole',
      scopeId: t.scopeId,
      roleDefinitionId: t.roleDefinitionId,
    },
    { id: directoryRolePolicyId(deps.tenantId, deps.ids.newId()), rules: defaultDirectoryRoleRules(), now },
  );
}

/**
 * Serialises every request on one (principal, target) across transactions and server instances, so two racing
 * activations see each other; the exclusion constraint on schedules is the last line behind it.
 */
export async function lockTarget(
  trx: Transaction<DB>,
  t: PimTarget & { readonly principalId: string },
): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${targetKey(t.principalId, t)}))`.execute(trx);
}

/**
 * The schedules a decision on this target needs at `at`: the principal's and those of the groups it is a member
 * of then (for a role: role-assignable groups; statically or through PIM), at the scope and every scope above it
 * (a group target has only its group), plus the live activations drawn from the principal's eligibilities.
 */
export async function targetSchedules(
  trx: Executor,
  t: PimTarget & { principalId: string; principalType: PrincipalType; at: Date },
): Promise<Schedule[]> {
  const groups =
    t.principalType === 'user'
      ? await memberGroupIds(trx, t.principalId, {
          at: t.at,
          roleAssignableOnly: t.targetKind === 'directoryRole',
        })
      : [];
  const own = await schedulesForTarget(trx, {
    principalIds: [t.principalId, ...groups.filter((g) => g !== t.scopeId)],
    targetKind: t.targetKind,
    roleId: t.roleDefinitionId,
    // A resource role acts only on its exact scope (activations stay at the eligibility's scope).
    scopes: t.targetKind === 'directoryRole' ? scopeAncestors(t.scopeId) : [t.scopeId],
  });
  const eligibilities = own
    .filter((s) => s.kind === 'eligibility' && s.principalId === t.principalId)
    .map((s) => s.id);
  const seen = new Set(own.map((s) => s.id));
  const derived = (await activationsFrom(trx, eligibilities)).filter((s) => !seen.has(s.id));
  return [...own, ...derived];
}

/** Postgres reports an overlap the exclusion constraint refused as SQLSTATE 23P01. */
export const isOverlapViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: string }).code === '23P01';
