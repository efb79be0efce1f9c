import type { ElevateClient } from '../../../src/contracts/browser';
import type { GraphRule } from './settings-form';

/** The target as the picker holds it: possibly not chosen yet. */
export type SettingsTargetChoice =
  | { readonly kind: 'directoryRole'; readonly roleDefinitionId?: string }
  | { readonly kind: 'group'; readonly groupId?: string; readonly accessId: 'member' | 'owner' }
  | { readonly kind: 'resourceRole'; readonly scope?: string; readonly roleDefinitionId?: string };

/** The target a policy belongs to, once chosen: a directory role, a group's access, or an Azure role at a scope. */
export type SettingsTarget =
  | Parameters<ElevateClient['getTargetPolicy']>[0]
  | { readonly kind: 'resourceRole'; readonly scope: string; readonly roleDefinitionId: string };

export type TargetPolicy = NonNullable<Awaited<ReturnType<ElevateClient['getTargetPolicy']>>>;

/** The page's address: `?role=<id>`, or `?group=<id>&access=member|owner`. */
export interface RoleSettingsSearch {
  readonly role?: string;
  readonly group?: string;
  readonly access?: 'member' | 'owner';
  /** An ARM scope path and an Azure role's GUID. */
  readonly scope?: string;
  readonly azureRole?: string;
}

const idPattern = /^[0-9A-Za-z-]{1,64}$/;
/** An ARM scope path as people type it: `/`, `/subscriptions/{id}`, `/providers/Microsoft.Management/…`. */
export const scopePattern = /^\/[\w\-./()]{0,1024}$/;

/** Reads the address; anything malformed is left out. */
export function roleSettingsSearch(search: Record<string, unknown>): RoleSettingsSearch {
  const id = (v: unknown) => (typeof v === 'string' && idPattern.test(v) ? v : undefined);
  const role = id(search.role);
  const group = id(search.group);
  if (group) return { group, access: search.access === 'owner' ? 'owner' : 'member' };
  if (typeof search.scope === 'string' && scopePattern.test(search.scope)) {
    const azureRole = id(search.azureRole);
    return azureRole ? { scope: search.scope, azureRole } : { scope: search.scope };
  }
  return role ? { role } : {};
}

export function choiceFromSearch(s: RoleSettingsSearch): SettingsTargetChoice {
  if (s.scope)
    return {
      kind: 'resourceRole',
      scope: s.scope,
      ...(s.azureRole ? { roleDefinitionId: s.azureRole } : {}),
    };
  if (s.group) return { kind: 'group', groupId: s.group, accessId: s.access ?? 'member' };
  if (s.access) return { kind: 'group', accessId: s.access };
  return s.role ? { kind: 'directoryRole', roleDefinitionId: s.role } : { kind: 'directoryRole' };
}

export function searchFromChoice(c: SettingsTargetChoice): RoleSettingsSearch {
  if (c.kind === 'resourceRole') {
    return { scope: c.scope ?? '/', ...(c.roleDefinitionId ? { azureRole: c.roleDefinitionId } : {}) };
  }
  if (c.kind === 'group')
    return c.groupId ? { group: c.groupId, access: c.accessId } : { access: c.accessId };
  return c.roleDefinitionId ? { role: c.roleDefinitionId } : {};
}

/** The chosen target, or null while the picker is incomplete. */
export function targetOf(c: SettingsTargetChoice): SettingsTarget | null {
  if (c.kind === 'resourceRole') {
    return c.scope && c.roleDefinitionId
      ? { kind: 'resourceRole', scope: c.scope, roleDefinitionId: c.roleDefinitionId }
      : null;
  }
  if (c.kind === 'group')
    return c.groupId ? { kind: 'group', groupId: c.groupId, accessId: c.accessId } : null;
  return c.roleDefinitionId
    ? { kind: 'directoryRole', roleDefinitionId: c.roleDefinitionId, directoryScopeId: '/' }
    : null;
}

/** A stable key of a target, for caches. */
export const targetKey = (t: SettingsTarget): string =>
  t.kind === 'group'
    ? `group:${t.groupId}:${t.accessId}`
    : t.kind === 'resourceRole'
      ? `resource:${t.scope.toLowerCase()}:${t.roleDefinitionId.toLowerCase()}`
      : `role:${t.roleDefinitionId}:${t.directoryScopeId}`;

/** The target's policy with its rules in Graph's spelling (an Azure role's read from ARM), or null when it has none. */
export const loadTargetPolicy = (client: ElevateClient, t: SettingsTarget): Promise<TargetPolicy | null> =>
  t.kind === 'resourceRole'
    ? client.getResourcePolicy(t.scope, t.roleDefinitionId)
    : client.getTargetPolicy(t);

/** Saves changed rules of the target's policy, all or none: Graph's policy PATCH, or ARM's for an Azure role. */
export const saveTargetPolicy = (
  client: ElevateClient,
  t: SettingsTarget,
  policyId: string,
  rules: readonly GraphRule[],
): Promise<void> =>
  t.kind === 'resourceRole'
    ? client.updateResourcePolicyRules(t.scope, policyId, rules)
    : client.updatePolicyRules(policyId, rules);
