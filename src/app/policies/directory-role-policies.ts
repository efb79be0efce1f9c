import { directoryRoles } from '../../core/catalog/directory-roles.js';
import type { RoleManagementPolicy } from '../../core/model/policy.js';
import { defaultDirectoryRoleRules } from '../../core/policy/default-rules.js';
import {
  customRoleDefinitionIds,
  insertPolicies,
  listPolicies,
} from '../../db/repositories/policy-repository.js';
import type { AppDeps } from '../context.js';
import { directoryRolePolicyId } from '../requests/target-context.js';

const directoryScope = { targetKind: 'directoryRole', scopeType: 'DirectoryRole', scopeId: '/' } as const;

/**
 * The tenant-wide (`/`) policy of every role definition: each built-in role of the catalogue and each
 * custom role. In Entra every role has its policy from the start (research §2.1: policies are never
 * created or deleted), so the missing ones are created here with Entra's defaults, all in one
 * transaction; that is not a change of settings and is not audited. Ordered by role definition id.
 */
export async function directoryRolePolicies(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids' | 'tenantId'>,
): Promise<RoleManagementPolicy[]> {
  const { db } = deps;
  const roleIds = [...directoryRoles.map((r) => r.id), ...(await customRoleDefinitionIds(db))];
  const existing = await listPolicies(db, directoryScope);
  const covered = new Set(existing.map((p) => p.roleDefinitionId));
  const missing = roleIds.filter((id) => !covered.has(id));
  const policies =
    missing.length === 0
      ? existing
      : await db.transaction().execute(async (trx) => {
          const now = deps.clock.now();
          const created = missing.map((roleDefinitionId) => ({
            id: directoryRolePolicyId(deps.tenantId, deps.ids.newId()),
            target: { ...directoryScope, roleDefinitionId },
            rules: defaultDirectoryRoleRules(),
          }));
          await insertPolicies(trx, created, now);
          return listPolicies(trx, directoryScope);
        });
  // A deleted custom role leaves its policy behind; only roles that exist have one to show.
  const roles = new Set(roleIds);
  return policies.filter((p) => roles.has(p.roleDefinitionId));
}
