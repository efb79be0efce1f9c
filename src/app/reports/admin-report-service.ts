import {
  canManageRoleAssignments,
  canReadAllPim,
  requirePermission,
} from '../../core/authorization/permissions.js';
import { azureRoleIds, findAzureRole } from '../../core/catalog/azure-roles.js';
import { notFound } from '../../core/errors.js';
import type { PrincipalType } from '../../core/model/principal.js';
import type { AppDeps, CallContext } from '../context.js';
import type { LookupService } from '../shared/lookup-service.js';
import { type AssignmentFilter, listAssignments } from './assignment-report.js';
import { dashboard } from './dashboard-report.js';
import { grantScopes, searchPrincipals } from './principal-search.js';
import { roleHolders } from './role-holders-report.js';

const readers =
  'Global Administrator, Privileged Role Administrator, Global Reader, Security Reader or Security Administrator';

/**
 * The administrator's read models (the portal's Dashboard and Assignments pages): readers of PIM see them all;
 * nothing here changes a row. Every number and list is computed at the clock's `now`.
 */
export function createAdminReportService(deps: Pick<AppDeps, 'db' | 'clock'> & { lookups: LookupService }) {
  const { db, clock } = deps;
  const authorize = (ctx: CallContext, what: string) =>
    requirePermission(canReadAllPim(ctx.actor), what, readers);

  return {
    /** What the caller may do on the admin pages; never refused. */
    access: (ctx: CallContext) => ({
      canRead: canReadAllPim(ctx.actor),
      canManage: canManageRoleAssignments(ctx.actor),
    }),

    /** Counts of privileged roles' grants, recent activations, pending approvals, what ends soon, emergency accounts. */
    async dashboard(ctx: CallContext) {
      authorize(ctx, 'read the PIM dashboard');
      return dashboard(db, clock.now());
    },

    /** A page of live eligibilities and assignments (or recent activations), filtered. */
    async assignments(ctx: CallContext, q: AssignmentFilter) {
      authorize(ctx, 'list role assignments');
      return listAssignments(db, q, clock.now());
    },

    /** Who holds a role at a scope now, and by which path (direct, group, inherited; active or eligible). */
    async roleHolders(ctx: CallContext, roleDefinitionId: string, scope: string) {
      authorize(ctx, 'list who holds a role');
      const role = await deps.lookups.role(roleDefinitionId);
      const azure = role ? undefined : findAzureRole(roleDefinitionId);
      if (!role && !azure) throw notFound('Role definition', roleDefinitionId);
      const at = clock.now();
      const found = await roleHolders(db, { roleDefinitionId, scope, now: at });
      return {
        role: role
          ? { id: role.id, displayName: role.displayName, isPrivileged: role.isPrivileged }
          : {
              id: azure?.id ?? roleDefinitionId,
              displayName: azure?.roleName ?? roleDefinitionId,
              isPrivileged: azure?.id !== azureRoleIds.reader,
            },
        at,
        ...found,
      };
    },

    /** Principals whose name starts with `search`, to pick from. */
    async principals(ctx: CallContext, q: { search?: string; type?: PrincipalType; top: number }) {
      authorize(ctx, 'search principals');
      return searchPrincipals(db, q);
    },

    /** The directory, its administrative units and the registered resource scopes, to pick from. */
    async scopes(ctx: CallContext) {
      authorize(ctx, 'list scopes');
      return grantScopes(db);
    },
  };
}

export type AdminReportService = ReturnType<typeof createAdminReportService>;
