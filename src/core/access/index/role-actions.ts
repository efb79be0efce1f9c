import { type RoleCatalogue, type RolePermissions, roleAllowsAction, roleKey } from '../action-match.js';
import { roleCatalogue } from '../role-catalogue.js';

/** Distinct actions remembered before the memo starts again (asked actions are few; this bounds memory). */
const maxActions = 100_000;

/** Numbers the lives of the action ids, across every index of the process (so no two ever share one). */
let lives = 0;

/**
 * An asked action as a caller keeps it for each spelling: the action, and its interned id in the life `life` —
 * looked up again only when the ids have started again since (see `actionOf`).
 */
export interface AskedAction {
  readonly action: string;
  id: number;
  life: number;
}

/** A new handle for an asked action. */
export const askedAction = (action: string): AskedAction => ({ action, id: -1, life: -1 });

/**
 * Role definition ids and asked actions interned to integers, and what each role allows: the evaluator's
 * catalogue (built-in directory and Azure roles, then custom roles) with each (role, action) answer memoised
 * in a byte per pair, so a check costs one map lookup for its action and one array read per candidate grant,
 * whatever the role's patterns.
 */
export function createRoleActions() {
  const ids = new Map<string, number>();
  const keys: string[] = [];
  let definitions: (RolePermissions | undefined)[] = [];
  /** Per role, by action id: 0 not yet asked, 1 denied, 2 allowed. */
  let memo: Uint8Array[] = [];
  const actionIds = new Map<string, number>();
  const custom = new Map<string, RolePermissions>();
  let catalogue: RoleCatalogue = roleCatalogue();
  /** Changes each time the action ids start again (ids from before are then stale); unique in the process. */
  let life = ++lives;

  function intern(roleDefinitionId: string): number {
    const key = roleKey(roleDefinitionId);
    let id = ids.get(key);
    if (id !== undefined) return id;
    id = keys.length;
    keys.push(key);
    ids.set(key, id);
    definitions.push(catalogue(key));
    memo.push(new Uint8Array(0));
    return id;
  }

  function rebuild(): void {
    catalogue = roleCatalogue([...custom.values()]);
    definitions = keys.map((k) => catalogue(k));
    memo = keys.map(() => new Uint8Array(0));
  }

  /** The interned id of an asked action (the memo starts again past `maxActions` distinct ones). */
  function action(asked: string): number {
    let id = actionIds.get(asked);
    if (id === undefined) {
      if (actionIds.size >= maxActions) {
        actionIds.clear();
        memo = keys.map(() => new Uint8Array(0));
        life = ++lives;
      }
      id = actionIds.size;
      actionIds.set(asked, id);
    }
    return id;
  }

  return {
    intern,
    /** The interned id of a role, or -1 when no grant names it. */
    find: (roleDefinitionId: string): number => ids.get(roleKey(roleDefinitionId)) ?? -1,
    action,
    /** `action` through the caller's handle: no lookup while the ids live on. */
    actionOf(asked: AskedAction): number {
      if (asked.life === life) return asked.id;
      const id = action(asked.action);
      asked.id = id;
      asked.life = life;
      return id;
    },
    /** Whether the role allows the action (false for a role the catalogue does not know). */
    allows(role: number, actionId: number, action: string): boolean {
      let m = memo[role] as Uint8Array;
      let answer = m[actionId] ?? 0;
      if (answer === 0) {
        if (actionId >= m.length) {
          const grown = new Uint8Array(Math.max(actionIds.size, 2 * m.length, 64));
          grown.set(m);
          memo[role] = grown;
          m = grown;
        }
        const definition = definitions[role];
        answer = definition !== undefined && roleAllowsAction(definition, action) ? 2 : 1;
        m[actionId] = answer;
      }
      return answer === 2;
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
