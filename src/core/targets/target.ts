import type { PimTarget } from '../model/schedule.js';
import { scopeCovers } from '../scope/scope-path.js';

const sameScope = (a: string, b: string): boolean => scopeCovers(a, b) && scopeCovers(b, a);

/**
 * Decides whether a grant on `held` applies to `wanted` for PIM's own purposes (an activation drawing on an
 * eligibility): the same kind and role definition (or access id); a directory role also from any scope covering
 * the wanted one; a group's membership or ownership only on that group; a resource role only at the same scope —
 * Azure activates an eligibility at the eligibility's own scope, and the activation is then inherited by every
 * scope beneath it through the resource tree (research §9.4), which is for access checks to follow.
 */
export function targetCovers(held: PimTarget, wanted: PimTarget): boolean {
  if (held.targetKind !== wanted.targetKind || held.roleDefinitionId !== wanted.roleDefinitionId)
    return false;
  return held.targetKind === 'directoryRole'
    ? scopeCovers(held.scopeId, wanted.scopeId)
    : held.targetKind === 'resourceRole'
      ? sameScope(held.scopeId, wanted.scopeId)
      : held.scopeId.toLowerCase() === wanted.scopeId.toLowerCase();
}

/** Whether two targets are the same one (scopes compared by segment, in any letter case). */
export const sameTarget = (a: PimTarget, b: PimTarget): boolean =>
  a.targetKind === b.targetKind &&
  a.roleDefinitionId === b.roleDefinitionId &&
  sameScope(a.scopeId, b.scopeId);

/** A stable text key of a principal's target, for locks: every request on it is serialised. */
export const targetKey = (principalId: string, t: PimTarget): string =>
  `${t.targetKind}|${principalId}|${t.roleDefinitionId}|${t.scopeId.toLowerCase()}`;
