import { sql, type Transaction } from 'kysely';
import { ElevateError } from '../../core/errors.js';
import type { RoleManagementPolicy } from '../../core/model/policy.js';
import type { PrincipalType } from '../../core/model/principal.js';
import type { Schedule } from '../../core/model/schedule.js';
import { defaultDirectoryRoleRules } from '../../core/policy/default-rules.js';
import { parseDirectoryScope, scopeAncestors } from '../../core/scope/scope-path.js';
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

export interface ResolvedTarget {
  readonly role: RoleRef;
  readonly principal: { id: string; type: PrincipalType; displayName: string; isAssignableGroup: boolean };
}

/** Checks that the role, the scope and the principal of a request exist, with a message naming what does not. */
export async function resolveTarget(
  db: Executor,
  t: { roleDefinitionId: string; directoryScopeId: string; principalId: string },
): Promise<ResolvedTarget> {
  const role = await findRoleDefinition(db, t.roleDefinitionId);
  if (!role) {
    throw new ElevateError(
      'request.invalid',
      `roleDefinitionId '${t.roleDefinitionId}' does not name a role definition; list them at /roleManagement/directory/roleDefinitions.`,
    );
  }
  const scope = parseDirectoryScope(t.directoryScopeId);
  if (!scope) {
    throw new ElevateError(
      'request.invalid',
      `directoryScopeId '${t.directoryScopeId}' is not a directory scope; use '/' or '/administrativeUnits/{id}'.`,
    );
  }
  if (scope.kind === 'administrativeUnit' && !(await administrativeUnitExists(db, scope.id))) {
    throw new ElevateError(
      'request.invalid',
      `Administrative unit '${scope.id}' in directoryScopeId does not exist.`,
    );
  }
  const principal = await findPrincipal(db, t.principalId);
  if (!principal) {
    throw new ElevateError(
      'request.invalid',
      `principalId '${t.principalId}' does not name a user, group or service principal.`,
    );
  }
  return { role, principal };
}

/** A directory role policy id as Graph writes it: DirectoryRole_{tenantId}_{guid}. */
export const directoryRolePolicyId = (tenantId: string, guid: string): string =>
  `DirectoryRole_${tenantId}_${guid}`;

/** The settings of (role, scope), created with Entra's defaults on first use. */
export async function policyFor(
  trx: Executor,
  deps: Pick<AppDeps, 'ids' | 'tenantId'>,
  t: { roleDefinitionId: string; directoryScopeId: string },
  now: Date,
): Promise<RoleManagementPolicy> {
  return getOrCreatePolicy(
    trx,
    { scopeType: 'DirectoryRole', scopeId: t.directoryScopeId, roleDefinitionId: t.roleDefinitionId },
    { id: directoryRolePolicyId(deps.tenantId, deps.ids.newId()), rules: defaultDirectoryRoleRules(), now },
  );
}

/**
 * Serialises every request on one (principal, role, scope) across transactions and server instances, so two
 * racing activations see each other; the exclusion constraint on schedules is the last line behind it.
 */
export async function lockTarget(
  trx: Transaction<DB>,
  t: { principalId: string; roleDefinitionId: string; directoryScopeId: string },
): Promise<void> {
  const key = `${t.principalId}|${t.roleDefinitionId}|${t.directoryScopeId.toLowerCase()}`;
  await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
}

/**
 * The schedules a decision on this target needs: the principal's and its role-assignable groups', at the
 * scope and every scope above it, plus the live activations drawn from those eligibilities.
 */
export async function targetSchedules(
  trx: Executor,
  t: {
    principalId: string;
    principalType: PrincipalType;
    roleDefinitionId: string;
    directoryScopeId: string;
  },
): Promise<Schedule[]> {
  const groups = t.principalType === 'user' ? await memberGroupIds(trx, t.principalId, true) : [];
  const own = await schedulesForTarget(trx, {
    principalIds: [t.principalId, ...groups],
    roleId: t.roleDefinitionId,
    scopes: scopeAncestors(t.directoryScopeId),
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
