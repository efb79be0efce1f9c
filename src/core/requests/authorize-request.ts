import { isRoleAdministrator } from '../access/is-role-administrator.js';
import { ElevateError } from '../errors.js';
import type { ScheduleAction } from '../model/request.js';
import type { Window } from '../time/window.js';
import type { DecisionContext } from './decision.js';

const selfVerb: Readonly<Record<string, string>> = {
  selfActivate: 'activate',
  selfDeactivate: 'deactivate',
  selfExtend: 'extend',
  selfRenew: 'renew',
};

/** Actions that end something: still allowed on disabled roles and non-assignable groups, to clean up. */
const ending: readonly ScheduleAction[] = ['adminRemove', 'selfDeactivate'];

/**
 * Decides whether this actor may make this request for this principal and role: admin* needs Privileged Role
 * Administrator or Global Administrator (invariant 8), self* only for oneself as a user, no eligibility for
 * service principals (invariant 7), only role-assignable groups, no new grants on a disabled role.
 */
export function authorizeRequest(ctx: DecisionContext): ElevateError | null {
  const { input, actor, principal, role } = ctx;
  const isSelf = input.action.startsWith('self');
  if (!isSelf && !isRoleAdministrator(actor)) {
    return new ElevateError(
      'auth.forbidden',
      `${input.action} on directory roles needs the Privileged Role Administrator or Global Administrator role, which '${actor.displayName}' does not hold.`,
    );
  }
  if (isSelf && actor.id !== input.principalId) {
    const verb = selfVerb[input.action] ?? 'change';
    return new ElevateError(
      'auth.forbidden',
      `You can only ${verb} roles for yourself; an administrator can act for '${principal.displayName}' with an admin* action.`,
    );
  }
  if (isSelf && principal.type !== 'user') {
    return new ElevateError(
      'schedule.principal_type_not_allowed',
      `Only users can ${selfVerb[input.action] ?? 'change'} roles themselves; service principals hold only time-bound active assignments made by an administrator.`,
    );
  }
  if (ending.includes(input.action)) return null;
  if (!role.isEnabled) {
    return new ElevateError(
      'request.invalid',
      `The role '${role.displayName}' is disabled; it cannot be assigned, activated, extended or renewed until it is enabled.`,
    );
  }
  if (principal.type === 'group' && !principal.isAssignableGroup) {
    return new ElevateError(
      'request.invalid',
      `The group '${principal.displayName}' is not role-assignable; only groups created with isAssignableToRole can hold directory roles.`,
    );
  }
  if (principal.type === 'servicePrincipal' && input.kind === 'eligibility') {
    return new ElevateError(
      'schedule.principal_type_not_allowed',
      `The service principal '${principal.displayName}' cannot be made eligible for '${role.displayName}': service principals can hold only time-bound active assignments.`,
    );
  }
  return null;
}

/** Refuses a permanent active assignment for a service principal, which must always end (invariant 7). */
export function servicePrincipalWindowError(ctx: DecisionContext, window: Window): ElevateError | null {
  if (ctx.principal.type !== 'servicePrincipal' || window.end !== null) return null;
  return new ElevateError(
    'schedule.principal_type_not_allowed',
    `The service principal '${ctx.principal.displayName}' can hold '${ctx.role.displayName}' only for a limited time: set scheduleInfo.expiration to afterDateTime or afterDuration (permanent assignments are not allowed for service principals, ExpirationRule).`,
  );
}
