import type { Executor } from '../../app/context.js';
import type { PolicyRules, PolicyScopeType, RoleManagementPolicy } from '../../core/model/policy.js';
import type { TargetKind } from '../../core/model/schedule.js';
import type { PolicyRow } from '../schema.js';

export const toPolicy = (r: PolicyRow): RoleManagementPolicy => ({
  id: r.id,
  targetKind: r.target_kind,
  scopeId: r.scope_id,
  scopeType: r.scope_type as PolicyScopeType,
  roleDefinitionId: r.role_definition_id,
  rules: r.rules as PolicyRules,
  lastModifiedAt: r.last_modified_at,
  lastModifiedBy: r.last_modified_by as RoleManagementPolicy['lastModifiedBy'],
});

/** Where policies live: a directory role's scope (scopeType DirectoryRole), or a group (scopeType Group). */
export interface PolicyScope {
  readonly targetKind: TargetKind;
  readonly scopeType: PolicyScopeType;
  /** The directory scope of a role (`/` or `/administrativeUnits/{id}`), or the group's id. */
  readonly scopeId: string;
}

export interface PolicyTarget extends PolicyScope {
  /** The role definition, or for a group `member` or `owner`. */
  readonly roleDefinitionId: string;
}

/**
 * The policy of a target, created with `defaults` on first use (one per role and scope). Concurrent first
 * uses race on the unique key; the loser reads the winner's row.
 */
export async function getOrCreatePolicy(
  db: Executor,
  target: PolicyTarget,
  make: { id: string; rules: PolicyRules; now: Date },
): Promise<RoleManagementPolicy> {
  const find = () =>
    db
      .selectFrom('role_management_policies')
      .selectAll()
      .where('target_kind', '=', target.targetKind)
      .where('scope_type', '=', target.scopeType)
      .where('scope_id', '=', target.scopeId)
      .where('role_definition_id', '=', target.roleDefinitionId)
      .executeTakeFirst();
  const existing = await find();
  if (existing) return toPolicy(existing);
  await db
    .insertInto('role_management_policies')
    .values({
      id: make.id,
      target_kind: target.targetKind,
      scope_type: target.scopeType,
      scope_id: target.scopeId,
      role_definition_id: target.roleDefinitionId,
      rules: JSON.stringify(make.rules),
      last_modified_at: null,
      last_modified_by: null,
      created_at: make.now,
    })
    .onConflict((oc) =>
      oc.columns(['target_kind', 'scope_type', 'scope_id', 'role_definition_id']).doNothing(),
    )
    .execute();
  return toPolicy((await find())!);
}

export async function getPolicy(db: Executor, id: string): Promise<RoleManagementPolicy | undefined> {
  const row = await db
    .selectFrom('role_management_policies')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toPolicy(row);
}

/** Locks the policy row while a rule changes, so two concurrent PATCHes do not lose each other's change. */
export async function getPolicyForUpdate(
  db: Executor,
  id: string,
): Promise<RoleManagementPolicy | undefined> {
  const row = await db
    .selectFrom('role_management_policies')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row && toPolicy(row);
}

export async function listPolicies(db: Executor, scope: PolicyScope): Promise<RoleManagementPolicy[]> {
  const rows = await db
    .selectFrom('role_management_policies')
    .selectAll()
    .where('target_kind', '=', scope.targetKind)
    .where('scope_type', '=', scope.scopeType)
    .where('scope_id', '=', scope.scopeId)
    .orderBy('role_definition_id')
    .execute();
  return rows.map(toPolicy);
}

export async function savePolicyRules(
  db: Executor,
  id: string,
  rules: PolicyRules,
  modified: { at: Date; by: { id: string; displayName: string } },
): Promise<void> {
  await db
    .updateTable('role_management_policies')
    .set({
      rules: JSON.stringify(rules),
      last_modified_at: modified.at,
      last_modified_by: JSON.stringify(modified.by),
    })
    .where('id', '=', id)
    .execute();
}

/** The ids of every custom role definition, for the policies that exist implicitly for each role. */
export async function customRoleDefinitionIds(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('custom_role_definitions').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}

/**
 * Inserts new policies in one statement; a target that gained a policy meanwhile (a concurrent first use)
 * keeps it, as `getOrCreatePolicy` does.
 */
export async function insertPolicies(
  db: Executor,
  policies: readonly { id: string; target: PolicyTarget; rules: PolicyRules }[],
  now: Date,
): Promise<void> {
  if (policies.length === 0) return;
  await db
    .insertInto('role_management_policies')
    .values(
      policies.map((p) => ({
        id: p.id,
        target_kind: p.target.targetKind,
        scope_type: p.target.scopeType,
        scope_id: p.target.scopeId,
        role_definition_id: p.target.roleDefinitionId,
        rules: JSON.stringify(p.rules),
        last_modified_at: null,
        last_modified_by: null,
        created_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['target_kind', 'scope_type', 'scope_id', 'role_definition_id']).doNothing(),
    )
    .execute();
}
