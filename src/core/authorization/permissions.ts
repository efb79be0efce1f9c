import { directoryRoleIds as r } from '../catalog/directory-roles.js';
import { ElevateError } from '../errors.js';
import type { Actor } from '../model/principal.js';

const holdsAny = (actor: Actor, ids: readonly string[]): boolean => ids.some((id) => actor.roleIds.has(id));

/** Invariant 8: only Privileged Role Administrators and Global Administrators change directory-role PIM. */
export const canManageRoleAssignments = (actor: Actor): boolean =>
  holdsAny(actor, [r.globalAdministrator, r.privilegedRoleAdministrator]);

/** Readers see everything PIM holds but change nothing. */
export const canReadAllPim = (actor: Actor): boolean =>
  canManageRoleAssignments(actor) ||
  holdsAny(actor, [r.globalReader, r.securityReader, r.securityAdministrator]);

export const canManageUsers = (actor: Actor): boolean =>
  holdsAny(actor, [r.globalAdministrator, r.userAdministrator]);

/** Role-assignable groups grant roles, so only role administrators may create or change them. */
export const canManageGroup = (actor: Actor, group: { isAssignableToRole: boolean }): boolean =>
  group.isAssignableToRole
    ? canManageRoleAssignments(actor)
    : holdsAny(actor, [
        r.globalAdministrator,
        r.privilegedRoleAdministrator,
        r.groupsAdministrator,
        r.userAdministrator,
      ]);

/**
 * Members of a role-assignable group hold its roles, so only role administrators change them; an owner of
 * any other group may change its members (as Entra lets group owners do).
 */
export const canManageGroupMembers = (
  actor: Actor,
  group: { isAssignableToRole: boolean },
  actorIsOwner: boolean,
): boolean => canManageGroup(actor, group) || (!group.isAssignableToRole && actorIsOwner);

/** Administrative units are role scopes, so they belong to the role administrators. */
export const canManageAdministrativeUnits = (actor: Actor): boolean => canManageRoleAssignments(actor);

/** Custom role definitions decide what a role grants: role administrators only. */
export const canManageRoleDefinitions = (actor: Actor): boolean => canManageRoleAssignments(actor);

export const canManageApplications = (actor: Actor): boolean =>
  holdsAny(actor, [r.globalAdministrator, r.applicationAdministrator, r.cloudApplicationAdministrator]);

export const canReadAudit = (actor: Actor): boolean =>
  canReadAllPim(actor) || holdsAny(actor, [r.reportsReader, r.securityOperator]);

/** Throws the Graph-style 403 when `allowed` is false, naming what would have allowed it. */
export function requirePermission(allowed: boolean, what: string, roles: string): void {
  if (!allowed) {
    throw new ElevateError('auth.forbidden', `Insufficient privileges to ${what}. This needs ${roles}.`);
  }
}
