import { type RoleCatalogue, type RolePermissions, roleAllowsAction, roleKey } from '../action-match.js';
import { roleCatalogue } from '../role-catalogue.js';

const maxMemoPerRole = 50_000;

/**
 * Role definition ids interned to integers, and what each allows: the evaluator's catalogue (built-in
 * directory and Azure roles, then custom roles) with each (role, action) answer memoised, so a check costs one
 * map lookup per candidate grant whatever the role's patterns.
 */
export function createRoleActions() {
  const ids = new Map<string, number>();
  const keys: string[] = [];
  let definitions: (RolePermissions | undefined)[] = [];
  let memo: (Map<string, boolean> | undefined)[] = [];
  const custom = new Map<string, RolePermissions>();
  let catalogue: RoleCatalogue = roleCatalogue();

  function intern(roleDefinitionId: string): number {
    const key = roleKey(roleDefinitionId);
    let id = ids.get(key);
    if (id !== undefined) return id;
    id = keys.length;
    keys.push(key);
    ids.set(key, id);
    definitions.push(catalogue(key));
    memo.push(undefined);
    return id;
  }

  function rebuild(): void {
    catalogue = roleCatalogue([...custom.values()]);
    definitions = keys.map((k) => catalogue(k));
    memo = keys.map(() => undefined);
  }

  return {
    intern,
    /** The interned id of a role, or -1 when no grant names it. */
    find: (roleDefinitionId: string): number => ids.get(roleKey(roleDefinitionId)) ?? -1,
    /** Whether the role allows the action (false for a role the catalogue does not know). */
    allows(role: number, action: string): boolean {
      let m = memo[role];
      if (m === undefined) {
        m = new Map();
        memo[role] = m;
      }
      let answer = m.get(action);
      if (answer === undefined) {
        const definition = definitions[role];
        answer = definition !== undefined && roleAllowsAction(definition, action);
        if (m.size >= maxMemoPerRole) m.clear();
        m.set(action, answer);
      }
      return answer;
    },
    /** How many roles are interned (grows only). */
    get size(): number {
      return keys.length;
    },
    /** Whether the role's actions are literal names (then it also answers for actions at `/`). */
    exact: (role: number): boolean => definitions[role]?.exactActions === true,
    /** Replaces every custom role definition (built-in ones never change). */
    setCustomRoles(roles: readonly RolePermissions[]): void {
      custom.clear();
      for (const r of roles) custom.set(roleKey(r.id), r);
      rebuild();
    },
    /** Adds, changes or (with undefined) removes one custom role definition. */
    setCustomRole(id: string, role: RolePermissions | undefined): void {
      if (role === undefined) custom.delete(roleKey(id));
      else custom.set(roleKey(id), role);
      rebuild();
    },
  };
}

export type RoleActions = ReturnType<typeof createRoleActions>;
