import type { Schedule } from '../model/schedule.js';
import { scopeCovers } from '../scope/scope-path.js';
import { isActiveAt } from './is-active.js';

export interface HoldsRoleQuery {
  readonly principalId: string;
  /** Role-assignable groups the principal is a member of; their active assignments count as the principal's. */
  readonly groupIds: ReadonlySet<string>;
  readonly roleId: string;
  /** Where the role is needed; a grant at this scope or any scope above it applies. */
  readonly scope: string;
  readonly schedules: readonly Schedule[];
  readonly now: Date;
}

/**
 * Decides whether a principal holds a role at a scope at `now`, directly or through a group, from a grant at
 * that scope or above; eligibility grants nothing (invariant 1).
 */
export function holdsRole(q: HoldsRoleQuery): boolean {
  return q.schedules.some(
    (s) =>
      (s.principalId === q.principalId || q.groupIds.has(s.principalId)) &&
      s.roleDefinitionId === q.roleId &&
      s.targetKind === 'directoryRole' &&
      scopeCovers(s.scopeId, q.scope) &&
      isActiveAt(s, q.now),
  );
}
