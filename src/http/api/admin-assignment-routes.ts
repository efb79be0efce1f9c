import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AssignmentView } from '../../app/reports/assignment-report.js';
import type { RoleHolderView } from '../../app/reports/role-holders-report.js';
import {
  type AdminAssignment,
  adminAssignmentPageSchema,
  adminAssignmentQuerySchema,
  bulkAssignBodySchema,
  bulkAssignResponseSchema,
  type RoleHolder,
  roleHoldersQuerySchema,
  roleHoldersSchema,
} from '../../contracts/admin-schemas.js';
import { callContext } from '../graph/call-context.js';
import type { ApiRouteRegistrar } from './api-route-types.js';

const tags = ['admin'];
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

const toAssignment = (a: AssignmentView): AdminAssignment => ({
  id: a.id,
  kind: a.kind,
  targetKind: a.targetKind,
  roleDefinitionId: a.roleDefinitionId,
  roleDisplayName: a.roleDisplayName,
  isPrivileged: a.isPrivileged,
  scopeId: a.scopeId,
  scopeDisplayName: a.scopeDisplayName,
  principal: a.principal,
  assignmentType: a.assignmentType,
  status: a.status,
  startDateTime: a.start.toISOString(),
  endDateTime: iso(a.end),
  createdDateTime: a.createdAt.toISOString(),
});

const toHolder = ({ principal, grant }: RoleHolderView): RoleHolder => ({
  principal,
  state: grant.state,
  memberType: grant.group === null ? 'Direct' : 'Group',
  group: grant.group
    ? { id: grant.group.groupId, displayName: grant.group.displayName, membership: grant.group.membership }
    : null,
  inheritedFrom: grant.inheritedFrom,
  scheduleId: grant.schedule.id,
  kind: grant.schedule.kind,
  assignmentType: grant.schedule.assignmentType,
  startDateTime: grant.window.start.toISOString(),
  endDateTime: iso(grant.window.end),
});

const roleParams = z.strictObject({
  roleDefinitionId: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID')
    .describe('A directory or Azure role definition id'),
});

/**
 * `/api/v1/admin/assignments` (list, bulk add) and `/admin/roles/{id}/holders` ("who can do what"): the
 * Assignments page's reads for PIM readers, and its bulk add for Privileged Role and Global Administrators. One
 * add, update or removal goes through the Graph-shaped schedule requests as any client's would.
 */
export const registerAdminAssignmentRoutes: ApiRouteRegistrar = async (app, services) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/admin/assignments',
    {
      schema: {
        summary:
          'Live eligible and active assignments of roles, groups and resource roles (or recent activations), by role, group, scope or principal, paged',
        tags,
        querystring: adminAssignmentQuerySchema,
        response: { 200: adminAssignmentPageSchema },
      },
    },
    async (req) => {
      const q = req.query;
      const page = await services.adminReports.assignments(callContext(req), {
        ...(q.targetKind !== undefined && { targetKind: q.targetKind }),
        ...(q.roleDefinitionId !== undefined && { roleDefinitionId: q.roleDefinitionId }),
        ...(q.groupId !== undefined && { groupId: q.groupId }),
        ...(q.scope !== undefined && { scope: q.scope }),
        ...(q.principalId !== undefined && { principalId: q.principalId }),
        ...(q.kind !== undefined && { kind: q.kind }),
        ...(q.permanent !== undefined && { permanent: q.permanent }),
        ...(q.privileged !== undefined && { privileged: q.privileged }),
        ...(q.expiringWithinDays !== undefined && { expiringWithinDays: q.expiringWithinDays }),
        ...(q.activatedWithinDays !== undefined && { activatedWithinDays: q.activatedWithinDays }),
        top: q.top,
        skip: q.skip,
      });
      return { items: page.items.map(toAssignment), total: page.total, top: q.top, skip: q.skip };
    },
  );

  r.post(
    '/admin/assignments/bulk',
    {
      schema: {
        summary:
          'Give one directory role or group access to many principals (UPNs or ids), each through its own adminAssign request; answers each line',
        tags,
        body: bulkAssignBodySchema,
        response: { 200: bulkAssignResponseSchema },
      },
    },
    async (req) => {
      const b = req.body;
      const results = await services.bulkAssignments.assign(callContext(req), {
        kind: b.kind,
        target:
          b.targetKind === 'group'
            ? {
                targetKind: 'group',
                roleDefinitionId: b.accessId ?? 'member',
                scopeId: (b.groupId ?? '').toLowerCase(),
              }
            : {
                targetKind: 'directoryRole',
                roleDefinitionId: (b.roleDefinitionId ?? '').toLowerCase(),
                scopeId: b.directoryScopeId ?? '/',
              },
        principals: b.principals,
        justification: b.justification?.trim() ? b.justification.trim() : null,
        ticketNumber: b.ticketNumber?.trim() || null,
        ticketSystem: b.ticketSystem?.trim() || null,
        start: b.startDateTime ? new Date(b.startDateTime) : null,
        end: b.endDateTime ? new Date(b.endDateTime) : null,
        duration: b.duration ?? null,
      });
      return {
        results,
        assigned: results.filter((x) => x.outcome !== 'failed').length,
        failed: results.filter((x) => x.outcome === 'failed').length,
      };
    },
  );

  r.get(
    '/admin/roles/:roleDefinitionId/holders',
    {
      schema: {
        summary:
          'Who can do what: every principal holding a role at a scope now, active or eligible, directly, through a group, or inherited from a scope above',
        tags,
        params: roleParams,
        querystring: roleHoldersQuerySchema,
        response: { 200: roleHoldersSchema },
      },
    },
    async (req) => {
      const q = req.query;
      const found = await services.adminReports.roleHolders(
        callContext(req),
        req.params.roleDefinitionId.toLowerCase(),
        q.scope,
      );
      const shown = found.holders.filter(
        (h) =>
          (q.state === undefined || h.grant.state === q.state) &&
          (q.memberType === undefined || (h.grant.group === null) === (q.memberType === 'Direct')),
      );
      return {
        role: found.role,
        scope: q.scope,
        at: found.at.toISOString(),
        summary: found.summary,
        items: shown.slice(q.skip, q.skip + q.top).map(toHolder),
        total: shown.length,
        top: q.top,
        skip: q.skip,
      };
    },
  );
};
