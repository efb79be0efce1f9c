import { z } from 'zod';

/**
 * The administrator's read models under `/api/v1/admin`: what the caller may do, the dashboard, assignments by
 * role, group, scope or principal, who holds a role at a scope and by which path, principals and scopes to pick
 * from, and a bulk add of one role to many principals.
 */

/** At most this many principals in one bulk add. */
const maxBulkPrincipals = 200;
/** At most this many rows in one page of an admin list. */
const maxAdminPage = 100;

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');
const scope = z
  .string()
  .min(1)
  .max(1024)
  .regex(
    /^\/([^/\s?#]+(\/[^/\s?#]+)*\/?)?$/,
    "must be a scope path such as '/', '/administrativeUnits/{id}' or '/subscriptions/{id}'",
  );
const instant = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time such as 2026-01-05T09:00:00Z',
});
const text = (max: number) => z.string().max(max);
const count = z.number().int().nonnegative();

const principalTypes = ['user', 'group', 'servicePrincipal'] as const;
const targetKinds = ['directoryRole', 'group', 'resourceRole'] as const;
const scheduleKinds = ['eligibility', 'assignment'] as const;

/** Page controls of every admin list: `top` rows after skipping `skip`. */
const paging = {
  top: z.coerce
    .number()
    .int()
    .min(1)
    .max(maxAdminPage, `must be at most ${maxAdminPage}`)
    .default(25)
    .describe(`Rows per page (1–${maxAdminPage}, 25 by default)`),
  skip: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('Rows to skip'),
};
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** `GET /api/v1/admin/me`: what the caller may do on the admin pages. */
export const adminAccessSchema = z.object({
  /** Global Administrator, Privileged Role Administrator, Global Reader, Security Reader, Security Administrator. */
  canRead: z.boolean(),
  /** Global Administrator, Privileged Role Administrator. */
  canManage: z.boolean(),
});
export type AdminAccess = z.output<typeof adminAccessSchema>;

const principalRefSchema = z.object({
  id: text(64),
  type: z.enum(principalTypes),
  displayName: text(256),
  userPrincipalName: text(320).nullable(),
});
export type PrincipalRef = z.output<typeof principalRefSchema>;

/** One live eligibility or assignment (a schedule), with the names of what it is for. */
const adminAssignmentSchema = z.object({
  id: text(64),
  kind: z.enum(scheduleKinds),
  targetKind: z.enum(targetKinds),
  /** A role definition id; `member` or `owner` for a group target. */
  roleDefinitionId: text(64),
  roleDisplayName: text(256),
  isPrivileged: z.boolean(),
  /** `/`, `/administrativeUnits/{id}`, an ARM scope, or a group's id for a group target. */
  scopeId: text(1024),
  scopeDisplayName: text(1024),
  principal: principalRefSchema,
  /** Assignments: `Assigned` by an administrator or `Activated` from an eligibility; null for eligibilities. */
  assignmentType: z.enum(['Assigned', 'Activated']).nullable(),
  status: text(32),
  startDateTime: text(40),
  /** null: permanent. */
  endDateTime: text(40).nullable(),
  createdDateTime: text(40),
});
export type AdminAssignment = z.output<typeof adminAssignmentSchema>;

export const adminAssignmentQuerySchema = z.strictObject({
  targetKind: z.enum(targetKinds).optional().describe('Only this kind of target'),
  roleDefinitionId: text(64)
    .regex(/^[\w-]+$/, 'must be a role definition id, or member/owner')
    .optional()
    .describe('Only this role (or a group target: member or owner)'),
  groupId: guid.optional().describe("Only this group's memberships and ownerships (PIM for Groups)"),
  scope: scope.optional().describe('Only grants at this directory or resource scope'),
  principalId: guid.optional().describe('Only what this user, group or service principal holds itself'),
  kind: z.enum(scheduleKinds).optional().describe('eligibility (eligible) or assignment (active)'),
  permanent: flag.optional().describe('true: only those without an end; false: only time-bound ones'),
  privileged: flag.optional().describe('true: only the directory roles Microsoft labels privileged'),
  expiringWithinDays: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .optional()
    .describe('Only those ending within this many days from now'),
  activatedWithinDays: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .optional()
    .describe('Activations made in the last this-many days, ended ones included'),
  ...paging,
});
/** What a client sends: any filter, as the server reads it (booleans and numbers written out). */
export type AdminAssignmentQuery = Partial<z.output<typeof adminAssignmentQuerySchema>>;

export const adminAssignmentPageSchema = z.object({
  items: z.array(adminAssignmentSchema),
  /** Rows matching the filters, over every page. */
  total: count,
  top: count,
  skip: count,
});
export type AdminAssignmentPage = z.output<typeof adminAssignmentPageSchema>;

/** How a principal holds a role at a scope: one path of the access explanation (core/access). */
const roleHolderSchema = z.object({
  principal: principalRefSchema,
  /** `eligible`: must activate first (or activate the group membership it comes through). */
  state: z.enum(['active', 'eligible']),
  memberType: z.enum(['Direct', 'Group']),
  group: z
    .object({
      id: text(64),
      displayName: text(256),
      membership: z.enum(['static', 'activated', 'assigned', 'eligible']),
    })
    .nullable(),
  /** The scope the grant is made at, when above the asked scope (inherited); null when made at it. */
  inheritedFrom: text(1024).nullable(),
  scheduleId: text(64),
  kind: z.enum(scheduleKinds),
  assignmentType: z.enum(['Assigned', 'Activated']).nullable(),
  startDateTime: text(40),
  endDateTime: text(40).nullable(),
});
export type RoleHolder = z.output<typeof roleHolderSchema>;

export const roleHoldersQuerySchema = z.strictObject({
  scope: scope.default('/').describe('Where: `/` (the whole directory) unless told'),
  state: z.enum(['active', 'eligible']).optional().describe('Only active or only eligible paths'),
  memberType: z.enum(['Direct', 'Group']).optional().describe('Only direct or only group paths'),
  ...paging,
});
export type RoleHoldersQuery = Partial<z.output<typeof roleHoldersQuerySchema>>;

export const roleHoldersSchema = z.object({
  role: z.object({ id: text(64), displayName: text(256), isPrivileged: z.boolean() }),
  scope: text(1024),
  at: text(40),
  /** Every path, before `state` and `memberType` narrow the list: the view's summary. */
  summary: z.object({
    principals: count,
    active: count,
    eligible: count,
    direct: count,
    group: count,
    inherited: count,
  }),
  items: z.array(roleHolderSchema),
  total: count,
  top: count,
  skip: count,
});
export type RoleHolders = z.output<typeof roleHoldersSchema>;

export const principalSearchQuerySchema = z.strictObject({
  search: text(256).optional().describe('Start of a display name or user principal name (any case)'),
  type: z.enum(principalTypes).optional().describe('Only users, groups or service principals'),
  top: paging.top,
});
export const principalSearchSchema = z.object({ items: z.array(principalRefSchema) });

/** A scope grants can be made at: the directory, an administrative unit, a registered resource scope. */
const adminScopeSchema = z.object({
  id: text(1024),
  displayName: text(1024),
  plane: z.enum(['directory', 'resource']),
});
export type AdminScope = z.output<typeof adminScopeSchema>;
export const adminScopesSchema = z.object({ items: z.array(adminScopeSchema) });

/** `GET /api/v1/admin/dashboard`: the numbers an administrator starts the day with. */
export const dashboardSchema = z.object({
  at: text(40),
  privilegedRoles: z.array(
    z.object({
      roleDefinitionId: text(64),
      displayName: text(256),
      eligible: count,
      active: count,
      permanent: count,
    }),
  ),
  totals: z.object({ eligible: count, active: count, permanent: count }),
  activations: z.object({ last7Days: count, last30Days: count }),
  pendingApprovals: count,
  expiringSoon: z.object({ withinDays: count, count }),
  emergencyAccounts: z.array(
    principalRefSchema.extend({ accountEnabled: z.boolean(), activeAssignments: count }),
  ),
});
export type Dashboard = z.output<typeof dashboardSchema>;

/** `POST /api/v1/admin/assignments/bulk`: one role (or group access) for many principals, each on its own. */
export const bulkAssignBodySchema = z
  .strictObject({
    kind: z.enum(scheduleKinds).describe('eligibility (eligible) or assignment (active)'),
    targetKind: z
      .enum(['directoryRole', 'group'])
      .describe('A directory role, or a group membership/ownership'),
    roleDefinitionId: guid.optional().describe('The directory role (targetKind directoryRole)'),
    directoryScopeId: scope.optional().describe('Where the role applies; `/` unless told'),
    groupId: guid.optional().describe('The group (targetKind group)'),
    accessId: z.enum(['member', 'owner']).optional().describe('member or owner (targetKind group)'),
    principals: z
      .array(text(320).min(1, 'must not be empty'))
      .min(1, 'give at least one principal')
      .max(maxBulkPrincipals, `give at most ${maxBulkPrincipals} principals per request`)
      .describe('User principal names or object ids of users, groups or service principals'),
    justification: text(500).optional(),
    ticketNumber: text(100).optional(),
    ticketSystem: text(100).optional(),
    startDateTime: instant.optional().describe('Now when absent'),
    endDateTime: instant.optional().describe('Permanent when absent and no duration is given'),
    duration: z
      .string()
      .max(32)
      .regex(
        /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/i,
        'must be an ISO 8601 duration',
      )
      .optional()
      .describe('How long from the start (ISO 8601, e.g. P90D) instead of endDateTime'),
  })
  .superRefine((b, ctx) => {
    if (b.targetKind === 'directoryRole') {
      if (!b.roleDefinitionId)
        ctx.addIssue({
          code: 'custom',
          path: ['roleDefinitionId'],
          message: 'is required for a directory role',
        });
      if (b.groupId || b.accessId)
        ctx.addIssue({ code: 'custom', path: ['groupId'], message: 'is only for targetKind group' });
    } else {
      if (!b.groupId) ctx.addIssue({ code: 'custom', path: ['groupId'], message: 'is required for a group' });
      if (!b.accessId)
        ctx.addIssue({ code: 'custom', path: ['accessId'], message: 'is required for a group' });
      if (b.roleDefinitionId || b.directoryScopeId)
        ctx.addIssue({
          code: 'custom',
          path: ['roleDefinitionId'],
          message: 'is only for targetKind directoryRole',
        });
    }
    if (b.endDateTime && b.duration)
      ctx.addIssue({ code: 'custom', path: ['duration'], message: 'give endDateTime or duration, not both' });
    if (b.endDateTime && Date.parse(b.endDateTime) <= Date.parse(b.startDateTime ?? '1970-01-01T00:00:00Z'))
      ctx.addIssue({ code: 'custom', path: ['endDateTime'], message: 'must be after startDateTime' });
  });
export type BulkAssignBody = z.input<typeof bulkAssignBodySchema>;

const bulkAssignResultSchema = z.object({
  /** The line as given. */
  input: text(320),
  outcome: z.enum(['assigned', 'pendingApproval', 'failed']),
  principal: principalRefSchema.nullable(),
  requestId: text(64).nullable(),
  error: z.object({ code: text(64), message: text(2048) }).nullable(),
});
export const bulkAssignResponseSchema = z.object({
  results: z.array(bulkAssignResultSchema),
  assigned: count,
  failed: count,
});
export type BulkAssignResponse = z.output<typeof bulkAssignResponseSchema>;
