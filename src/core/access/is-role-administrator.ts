import type { Actor } from '../model/principal.js';

/** Entra template id of Privileged Role Administrator. */
export const privilegedRoleAdministratorId = 'e8611ab8-c189-46e8-94e1-60213ab1f814';
/** Entra template id of Global Administrator. */
export const globalAdministratorId = '62e90394-69f5-4237-9190-012177145e10';

/** Decides whether an actor may change directory-role assignments and be a default approver (invariant 8). */
export const isRoleAdministrator = (actor: Pick<Actor, 'roleIds'>): boolean =>
  actor.roleIds.has(privilegedRoleAdministratorId) || actor.roleIds.has(globalAdministratorId);
