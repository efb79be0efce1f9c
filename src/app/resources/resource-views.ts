import { type AzureRoleDefinition, findAzureRole } from '../../core/catalog/azure-roles.js';
import type { PrincipalType } from '../../core/model/principal.js';
import type { ScheduleRequest } from '../../core/model/request.js';
import type { Schedule } from '../../core/model/schedule.js';
import type { ResourceScopeType } from '../../core/scope/resource-scope.js';
import { principalCards } from '../../db/repositories/principal-card-repository.js';
import { getScopes } from '../../db/repositories/resource-scope-repository.js';
import type { Executor } from '../context.js';
import { rootScope } from './resource-context.js';

/** A scope as ARM's `expandedProperties.scope` shows it. */
export interface ScopeView {
  readonly id: string;
  readonly path: string;
  readonly displayName: string;
  readonly type: ResourceScopeType | 'root';
}

/** A principal as ARM's `expandedProperties.principal` shows it. */
export interface PrincipalView {
  readonly id: string;
  readonly displayName: string;
  readonly type: PrincipalType;
  readonly email: string | null;
}

export interface ResourceRequestView {
  readonly request: ScheduleRequest;
  readonly scope: ScopeView;
  readonly principal: PrincipalView | null;
  readonly role: AzureRoleDefinition;
}

/**
 * A schedule (or, listed as an instance, a grant in effect now) seen from the scope it was listed at:
 * `Inherited` when it is granted at a scope above, `Group` when the caller holds it through a group, else
 * `Direct` (ARM's memberType).
 */
export interface ResourceScheduleView {
  readonly schedule: Schedule;
  readonly scope: ScopeView;
  readonly principal: PrincipalView | null;
  readonly role: AzureRoleDefinition;
  readonly memberType: 'Direct' | 'Group' | 'Inherited';
}

const unknownRole = (id: string): AzureRoleDefinition => ({
  id,
  roleName: id,
  description: '',
  permissions: [],
});

/** Loads display data for many items at once: scopes and principals each read once, in a few queries per batch. */
export function viewLoader(db: Executor) {
  const principals = new Map<string, PrincipalView | null>();
  const scopes = new Map<string, ScopeView>([[rootScope.id, rootScope]]);

  async function loadPrincipals(ids: readonly string[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !principals.has(id));
    if (missing.length === 0) return;
    const found = await principalCards(db, missing);
    for (const id of missing) {
      const p = found.get(id);
      principals.set(id, p ? { id: p.id, displayName: p.displayName, type: p.type, email: p.email } : null);
    }
  }

  async function loadScopes(ids: readonly string[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !scopes.has(id));
    for (const s of await getScopes(db, missing)) {
      scopes.set(s.id, { id: s.id, path: s.path, displayName: s.displayName, type: s.type });
    }
  }

  /** Reads what the items at these scopes, held by these principals, show. */
  const load = (items: readonly { scopeId: string; principalId: string }[]) =>
    Promise.all([loadScopes(items.map((i) => i.scopeId)), loadPrincipals(items.map((i) => i.principalId))]);

  // A scope deleted since (its grants ended) still shows, by its canonical id.
  const scopeOf = (id: string): ScopeView =>
    scopes.get(id) ?? { id, path: id, displayName: id, type: 'resource' };
  const principalOf = (id: string): PrincipalView | null => principals.get(id) ?? null;

  return {
    async requests(items: readonly ScheduleRequest[]): Promise<ResourceRequestView[]> {
      await load(items);
      return items.map((request) => ({
        request,
        scope: scopeOf(request.scopeId),
        principal: principalOf(request.principalId),
        role: findAzureRole(request.roleDefinitionId) ?? unknownRole(request.roleDefinitionId),
      }));
    },

    async schedules(
      items: readonly { schedule: Schedule; memberType: ResourceScheduleView['memberType'] }[],
    ): Promise<ResourceScheduleView[]> {
      await load(items.map((i) => i.schedule));
      return items.map(({ schedule, memberType }) => ({
        schedule,
        memberType,
        scope: scopeOf(schedule.scopeId),
        principal: principalOf(schedule.principalId),
        role: findAzureRole(schedule.roleDefinitionId) ?? unknownRole(schedule.roleDefinitionId),
      }));
    },
  };
}
