import { ElevateError } from '../../core/errors.js';
import type { RoleManagementPolicy } from '../../core/model/policy.js';
import type { GroupAccessId } from '../../core/model/schedule.js';
import { defaultGroupRules } from '../../core/policy/default-rules.js';
import { insertPolicies, listPolicies } from '../../db/repositories/policy-repository.js';
import type { AppDeps } from '../context.js';
import { groupPolicyId } from '../requests/target-context.js';

const accessIds: readonly GroupAccessId[] = ['member', 'owner'];

/**
 * The two policies of a group, one for `member` and one for `owner` (research §3.4: scopeType Group, scopeId
 * the group's id, ids `Group_{groupId}_{guid}`), with Entra's group defaults (no permanent active assignment,
 * six months at most). As for roles, a policy always exists to be read: a missing one is created here, which is
 * not a change of settings and neither audited nor onboarding the group (a group schedule or a settings change
 * does that). Ordered member, owner.
 */
export async function groupPolicies(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids'>,
  groupId: string,
): Promise<RoleManagementPolicy[]> {
  const { db } = deps;
  const id = groupId.toLowerCase();
  const group = /^[0-9a-f-]{36}$/.test(id)
    ? await db.selectFrom('groups').select('id').where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!group) {
    throw new ElevateError(
      'request.invalid',
      `scopeId '${groupId}' does not name a group; with scopeType 'Group' the scopeId is a group's id.`,
    );
  }
  const scope = { targetKind: 'group', scopeType: 'Group', scopeId: id } as const;
  const existing = await listPolicies(db, scope);
  if (existing.length === accessIds.length) return existing;
  return db.transaction().execute(async (trx) => {
    const have = new Set(existing.map((p) => p.roleDefinitionId));
    const created = accessIds
      .filter((accessId) => !have.has(accessId))
      .map((accessId) => ({
        id: groupPolicyId(id, deps.ids.newId()),
        target: { ...scope, roleDefinitionId: accessId },
        rules: defaultGroupRules(accessId),
      }));
    await insertPolicies(trx, created, deps.clock.now());
    return listPolicies(trx, scope);
  });
}
