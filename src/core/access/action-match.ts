/**
 * What a role allows, as data the evaluator reads through `RoleCatalogue`: the directory catalogue (built-in
 * and custom roles) and the Azure resource-role catalogue both answer it.
 */
export interface RolePermissions {
  /** The role definition id (a GUID; lower case). */
  readonly id: string;
  readonly displayName: string;
  /**
   * Permission blocks, as ARM's `permissions[]` and Graph's `rolePermissions[]`: a block allows an action when
   * one of its `actions` patterns matches it and none of its `notActions` does (Graph's
   * `excludedResourceActions`).
   */
  readonly permissions: readonly {
    readonly actions: readonly string[];
    readonly notActions: readonly string[];
  }[];
  /**
   * Actions are literal names compared whole (in any letter case): no `*` and no Entra `allProperties`-style
   * tokens. Imported tenants (`elevate import tenant`) define their roles this way.
   */
  readonly exactActions?: boolean;
}

/** Role definitions by id; unknown ids answer undefined (their grants then allow no action). */
export type RoleCatalogue = (roleDefinitionId: string) => RolePermissions | undefined;

/** The last path segment of a role definition id, lower-cased: ARM's full ids and bare GUIDs compare equal. */
export const roleKey = (roleDefinitionId: string): string =>
  (
    roleDefinitionId
      .split('/')
      .filter((s) => s.length > 0)
      .pop() ?? roleDefinitionId
  ).toLowerCase();

const compiled = new Map<string, RegExp>();
const maxCached = 20_000;

const literal = (segment: string): string =>
  segment
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');

/**
 * One action pattern as a regular expression, case-insensitive:
 * - `*` matches any text, across `/` too, as ARM uses it (`Microsoft.Compute/*`, `*` then `/read`, `*`);
 * - Entra's whole-segment tokens: `allEntities` (one or more segments), `allProperties` (zero or more: a
 *   property set, or none as in `users/create`) and `allTasks` (one or more: any task), so
 *   `microsoft.directory/users/allProperties/allTasks` covers `microsoft.directory/users/password/update`.
 * Segments never straddle a `/`, so the nested repetitions stay linear in the number of segments.
 */
function compile(pattern: string): RegExp {
  const [first = '', ...rest] = pattern.split('/');
  let source = `^${literal(first)}`;
  for (const segment of rest) {
    if (segment === 'allProperties') source += '(?:/[^/]+)*';
    else if (segment === 'allEntities' || segment === 'allTasks') source += '(?:/[^/]+)+';
    else source += `/${literal(segment)}`;
  }
  return new RegExp(`${source}$`, 'i');
}

/** Whether an action pattern of a role covers `action` (a concrete action, or a pattern compared as text). */
export function actionMatches(pattern: string, action: string): boolean {
  if (pattern.toLowerCase() === action.toLowerCase()) return true;
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = compile(pattern);
    if (compiled.size < maxCached) compiled.set(pattern, re);
  }
  return re.test(action);
}

/** Decides whether a role allows `action`: some block matches it in `actions` and not in `notActions`. */
export function roleAllowsAction(role: RolePermissions, action: string): boolean {
  const matches = role.exactActions
    ? (p: string) => p.toLowerCase() === action.toLowerCase()
    : (p: string) => actionMatches(p, action);
  return role.permissions.some((block) => block.actions.some(matches) && !block.notActions.some(matches));
}
