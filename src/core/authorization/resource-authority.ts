import {
  accessManagerRoleIds,
  findAzureRole,
  roleAllowsAction,
  roleAssignmentReadAction,
  settingsManagerRoleIds,
} from '../catalog/azure-roles.js';
import { liveScheduleStatuses, type Schedule } from '../model/schedule.js';
import { isWithin } from '../time/window.js';

/**
 * What a caller may do at one resource scope, decided from the resource-role grants it holds (directly or through
 * its groups) and the scope's ancestors in the resource tree. Azure RBAC: a grant at a scope applies at every
 * scope beneath it, and only while it is active (invariant 1). Directory roles give nothing here — a Global
 * Administrator first elevates access (User Access Administrator at `/`).
 */
export interface ResourceAuthority {
  /** Azure role GUIDs the caller holds, active at `now`, at the scope or a scope above it. */
  readonly roleIds: ReadonlySet<string>;
  /** Owner, User Access Administrator or Role Based Access Control Administrator: manages assignments (invariant 8). */
  readonly managesAccess: boolean;
  /** Owner or User Access Administrator: changes role settings and registers scopes below (onboarding). */
  readonly managesSettings: boolean;
  /** Reads role assignments and PIM schedules there (every built-in role: `*` or a read wildcard). */
  readonly reads: boolean;
}

/**
 * Decides the caller's authority at a scope: `grants` are the caller's (and its groups') resource-role
 * assignments, `ancestors` the scope and every scope above it (the tree's chain, ending with `/`).
 */
export function resourceAuthority(args: {
  readonly grants: readonly Schedule[];
  readonly ancestors: readonly string[];
  readonly now: Date;
}): ResourceAuthority {
  const above = new Set(args.ancestors);
  const roleIds = new Set(
    args.grants
      .filter(
        (g) =>
          g.targetKind === 'resourceRole' &&
          g.kind === 'assignment' &&
          liveScheduleStatuses.includes(g.status) &&
          isWithin(g, args.now) &&
          above.has(g.scopeId),
      )
      .map((g) => g.roleDefinitionId),
  );
  const holdsAny = (ids: readonly string[]) => ids.some((id) => roleIds.has(id));
  return {
    roleIds,
    managesAccess: holdsAny(accessManagerRoleIds),
    managesSettings: holdsAny(settingsManagerRoleIds),
    reads: [...roleIds].some((id) => {
      const role = findAzureRole(id);
      return role !== undefined && roleAllowsAction(role, roleAssignmentReadAction);
    }),
  };
}
