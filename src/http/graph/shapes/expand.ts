import type { LookupService, PrincipalSummary, RoleSummary } from '../../../app/shared/lookup-service.js';
import type { ExpandItem } from '../odata/index.js';
import { applySelect } from '../odata/index.js';

/** A directoryObject with its derived type, as Graph expands `principal`. */
export function toGraphDirectoryObject(p: PrincipalSummary) {
  return {
    '@odata.type': `#microsoft.graph.${p.type}`,
    id: p.id,
    displayName: p.displayName,
    ...(p.type === 'user' ? { userPrincipalName: p.userPrincipalName } : {}),
  };
}

/** `unifiedRoleDefinition` in its Graph shape. */
export function toGraphRoleDefinitionSummary(r: RoleSummary) {
  return {
    id: r.id,
    description: r.description,
    displayName: r.displayName,
    isBuiltIn: r.isBuiltIn,
    isEnabled: r.isEnabled,
    isPrivileged: r.isPrivileged,
    resourceScopes: ['/'],
    templateId: r.id,
    version: null,
    rolePermissions: [
      { allowedResourceActions: r.allowedResourceActions, condition: null, excludedResourceActions: [] },
    ],
  };
}

type Navigation = (item: Record<string, unknown>, lookups: LookupService) => Promise<unknown>;

const navigations: Record<string, Navigation> = {
  principal: async (item, l) => {
    const p = await l.principal(String(item.principalId));
    return p ? toGraphDirectoryObject(p) : null;
  },
  roleDefinition: async (item, l) => {
    const r = await l.role(String(item.roleDefinitionId));
    return r ? toGraphRoleDefinitionSummary(r) : null;
  },
  directoryScope: async (item) =>
    item.directoryScopeId === '/' ? { '@odata.type': '#microsoft.graph.directory', id: '/' } : null,
};

/**
 * Adds the requested navigations to Graph-shaped items. `extra` supplies area-specific ones
 * (activatedUsing, targetSchedule); nested `$select` applies to each expanded object.
 */
export async function expandItems<T extends Record<string, unknown>>(
  items: readonly T[],
  expand: readonly ExpandItem[],
  lookups: LookupService,
  extra: Record<string, Navigation> = {},
): Promise<T[]> {
  if (expand.length === 0) return [...items];
  return Promise.all(
    items.map(async (item) => {
      const out: Record<string, unknown> = { ...item };
      for (const e of expand) {
        const nav = extra[e.name] ?? navigations[e.name];
        if (!nav) continue;
        const value = await nav(item, lookups);
        out[e.name] = value && typeof value === 'object' ? applySelect(value as object, e.select) : value;
      }
      return out as T;
    }),
  );
}
