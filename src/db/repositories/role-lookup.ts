import type { Executor } from '../../app/context.js';
import { findDirectoryRole } from '../../core/catalog/directory-roles.js';

export interface RoleRef {
  readonly id: string;
  readonly displayName: string;
  readonly isEnabled: boolean;
  readonly isBuiltIn: boolean;
}

/** A built-in role from the catalogue, or a custom role row. */
export async function findRoleDefinition(db: Executor, id: string): Promise<RoleRef | undefined> {
  const builtIn = findDirectoryRole(id);
  if (builtIn) return { id: builtIn.id, displayName: builtIn.displayName, isEnabled: true, isBuiltIn: true };
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const row = await db
    .selectFrom('custom_role_definitions')
    .select(['id', 'display_name', 'is_enabled'])
    .where('id', '=', id.toLowerCase())
    .executeTakeFirst();
  return row && { id: row.id, displayName: row.display_name, isEnabled: row.is_enabled, isBuiltIn: false };
}

export async function administrativeUnitExists(db: Executor, id: string): Promise<boolean> {
  return !!(await db.selectFrom('administrative_units').select('id').where('id', '=', id).executeTakeFirst());
}
