import { isRoleAdministrator } from '../access/is-role-administrator.js';
import { azureRoleIds } from '../catalog/azure-roles.js';
import { directoryRoleIds } from '../catalog/directory-roles.js';
import { ElevateError } from '../errors.js';
import type { ScheduleAction } from '../model/request.js';
import type { Window } from '../time/window.js';
import type { DecisionContext } from './decision.js';
import { targetOf } from './describe-request.js';

const selfVerb: Readonly<Record<string, string>> = {
  selfActivate: 'activate',
  selfDeactivate: 'deactivate',
  selfExtend: 'extend',
  selfRenew: 'renew',
};

/** Actions that end something: still allowed on disabled roles and non-assignable groups, to clean up. */
const ending: readonly ScheduleAction[] = ['adminRemove', 'selfDeactivate'];

/**
 * Decides whether this actor may make this request for this principal and target (invariants 7, 8): admin*
 * needs Privileged Role Administrator or Global Administrator — or, for a group that is not role-assignable,
 * an owner of it (Entra lets group owners govern their group); for a resource role, Owner, User Access
 * Administrator or Role Based Access Control Administrator active at the scope or above (a Global
 * Administrator only after elevating access, as in Azure); self* only for oneself as a user; no eligibility
 * for service principals; then the target's own rules (roles: enabled, only role-assignable groups as
 * principals; groups: no nesting into role-assignable groups, no group owners).
 */
export function authorizeRequest(ctx: DecisionContext): ElevateError | null {
  const { input, actor, principal, target } = ctx;
  const isSelf = input.action.startsWith('self');
  const things = target.kind === 'group' ? 'group memberships and ownerships' : 'roles';
  if (!isSelf && target.kind === 'resourceRole') {
    if (!target.actorManagesAccess && !isElevation(ctx)) {
      return new ElevateError(
        'auth.forbidden',
        `The client '${actor.displayName}' with object id '${actor.id}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '${target.scopePath}': ${input.action} of '${target.displayName}' there needs Owner, User Access Administrator or Role Based Access Control Administrator active at that scope or a scope above it${actor.roleIds.has(directoryRoleIds.globalAdministrator) ? ' (a Global Administrator first elevates access: POST /providers/Microsoft.Authorization/elevateAccess)' : ''}.`,
      );
    }
  } else if (!isSelf && !isRoleAdministrator(actor) && !(target.kind === 'group' && mayGovernGroup(ctx))) {
    return new ElevateError(
      'auth.forbidden',
      target.kind === 'group'
        ? `${input.action} on group '${target.displayName}' needs the Privileged Role Administrator or Global Administrator role${target.isAssignableToRole ? ' (the group is role-assignable)' : ', or ownership of the group'}, which '${actor.displayName}' does not have.`
        : `${input.action} on directory roles needs the Privileged Role Administrator or Global Administrator role, which '${actor.displayName}' does not hold.`,
    );
  }
  if (isSelf && actor.id !== input.principalId) {
    const verb = selfVerb[input.action] ?? 'change';
    return new ElevateError(
      'auth.forbidden',
      `You can only ${verb} ${things} for yourself; an administrator can act for '${principal.displayName}' with an admin* action.`,
    );
  }
  if (isSelf && principal.type !== 'user') {
    return new ElevateError(
      'schedule.principal_type_not_allowed',
      `Only users can ${selfVerb[input.action] ?? 'change'} ${things} themselves; service principals hold only time-bound active assignments made by an administrator.`,
    );
  }
  if (ending.includes(input.action)) return null;
  if (principal.type === 'servicePrincipal' && input.kind === 'eligibility') {
    return new ElevateError(
      'schedule.principal_type_not_allowed',
      `The service principal '${principal.displayName}' cannot be made eligible for ${targetOf(ctx)}: service principals can hold only time-bound active assignments.`,
    );
  }
  if (target.kind === 'resourceRole') return null;
  return target.kind === 'group' ? groupPrincipalError(ctx) : rolePrincipalError(ctx);
}

/**
 * Azure's "elevate access": a Global Administrator may give themself User Access Administrator at the root
 * scope `/`, and with it the management of every resource scope; nothing else is implied by the directory role.
 */
export function isElevation(ctx: DecisionContext): boolean {
  const { input, actor } = ctx;
  return (
    actor.type === 'user' &&
    actor.roleIds.has(directoryRoleIds.globalAdministrator) &&
    input.targetKind === 'resourceRole' &&
    input.action === 'adminAssign' &&
    input.kind === 'assignment' &&
    input.principalId === actor.id &&
    input.roleDefinitionId === azureRoleIds.userAccessAdministrator &&
    input.scopeId === '/'
  );
}

/** An owner governs a group that is not role-assignable; a role-assignable group belongs to role administrators. */
function mayGovernGroup(ctx: DecisionContext): boolean {
  return ctx.target.kind === 'group' && !ctx.target.isAssignableToRole && ctx.target.actorIsOwner;
}

function rolePrincipalError(ctx: DecisionContext): ElevateError | null {
  const { principal, target } = ctx;
  if (target.kind === 'directoryRole' && !target.isEnabled) {
    return new ElevateError(
      'request.invalid',
      `The role '${target.displayName}' is disabled; it cannot be assigned, activated, extended or renewed until it is enabled.`,
    );
  }
  if (principal.type === 'group' && !principal.isAssignableGroup) {
    return new ElevateError(
      'request.invalid',
      `The group '${principal.displayName}' is not role-assignable; only groups created with isAssignableToRole can hold directory roles.`,
    );
  }
  return null;
}

function groupPrincipalError(ctx: DecisionContext): ElevateError | null {
  const { principal, target, input } = ctx;
  if (target.kind !== 'group') return null;
  if (principal.id === target.id) {
    return new ElevateError(
      'request.invalid',
      `The group '${target.displayName}' cannot be its own ${target.accessId}.`,
    );
  }
  if (principal.type !== 'group') return null;
  if (input.roleDefinitionId === 'owner') {
    return new ElevateError(
      'request.invalid',
      `The group '${principal.displayName}' cannot own a group: owners must be users or service principals.`,
    );
  }
  // Entra: "A group can't be added as a member of a role-assignable group" (no nesting).
  if (target.isAssignableToRole) {
    return new ElevateError(
      'request.invalid',
      `The role-assignable group '${target.displayName}' cannot contain other groups (Entra does not support nesting groups in role-assignable groups); make the members of '${principal.displayName}' eligible directly.`,
    );
  }
  return null;
}

/** Refuses a permanent active assignment for a service principal, which must always end (invariant 7). */
export function servicePrincipalWindowError(ctx: DecisionContext, window: Window): ElevateError | null {
  if (ctx.principal.type !== 'servicePrincipal' || window.end !== null) return null;
  return new ElevateError(
    'schedule.principal_type_not_allowed',
    `The service principal '${ctx.principal.displayName}' can hold ${targetOf(ctx)} only for a limited time: set scheduleInfo.expiration to afterDateTime or afterDuration (permanent assignments are not allowed for service principals, ExpirationRule).`,
  );
}
