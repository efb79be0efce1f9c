import { z } from 'zod';
import { provisioningReceiptSchema } from './provisioning-schemas.js';

/** At most this many questions in one `POST /api/v1/access/check`. */
export const maxAccessQueries = 1000;

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');
const scope = z
  .string()
  .min(1)
  .max(1024)
  .regex(
    /^\/([^/\s?#]+(\/[^/\s?#]+)*\/?)?$/,
    "must be a scope path such as '/', '/administrativeUnits/{id}' or '/subscriptions/{id}/resourceGroups/{name}'",
  )
  .describe('Where: `/`, `/administrativeUnits/{id}`, or an Azure resource scope');
const action = z
  .string()
  .min(1)
  .max(512)
  .regex(
    /^[A-Za-z0-9*][\w.*-]*(\/[\w.*-]+)*$/,
    'must be an action such as microsoft.directory/users/password/update or Microsoft.Compute/virtualMachines/start/action',
  )
  .describe("An action a role allows; `*` wildcards in a role's actions match it as ARM matches them");
const instant = (description: string) =>
  z.iso
    .datetime({ offset: true, message: 'must be an ISO 8601 date-time such as 2026-01-05T09:00:00Z' })
    .describe(description);
const at = instant('The instant asked about; now when absent').optional();

const exactlyOne = (
  q: { roleDefinitionId?: string | undefined; action?: string | undefined },
  ctx: z.RefinementCtx,
) => {
  if ((q.roleDefinitionId === undefined) === (q.action === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'give roleDefinitionId or action, exactly one' });
  }
};

/** One question: does `principalId` hold the role (or a role allowing `action`) at `scope` at `at`? */
export const accessQuerySchema = z
  .strictObject({
    principalId: guid,
    roleDefinitionId: guid.optional().describe('A directory or Azure role definition id'),
    action: action.optional(),
    scope,
    at,
  })
  .superRefine(exactlyOne);
export type AccessQueryBody = z.input<typeof accessQuerySchema>;

/** One question as an object, or up to 1000 as `{ queries: [...] }` (answered in order). */
export const accessCheckBodySchema = z
  .strictObject({
    queries: z
      .array(accessQuerySchema)
      .min(1)
      .max(maxAccessQueries, `give at most ${maxAccessQueries} queries per request`)
      .optional()
      .describe('Several questions; then give none of the single-question fields'),
    principalId: guid.optional(),
    roleDefinitionId: guid.optional(),
    action: action.optional(),
    scope: scope.optional(),
    at,
  })
  .superRefine((b, ctx) => {
    const single = [b.principalId, b.roleDefinitionId, b.action, b.scope, b.at].some((v) => v !== undefined);
    if (b.queries !== undefined) {
      if (single)
        ctx.addIssue({ code: 'custom', message: 'give queries, or the fields of one query, not both' });
      return;
    }
    if (b.principalId === undefined)
      ctx.addIssue({ code: 'custom', path: ['principalId'], message: 'required' });
    if (b.scope === undefined) ctx.addIssue({ code: 'custom', path: ['scope'], message: 'required' });
    exactlyOne(b, ctx);
  });
export type AccessCheckBody = z.input<typeof accessCheckBodySchema>;

export const accessExplainQuerySchema = z.strictObject({ principalId: guid, scope, at });

const when = z.string().max(64).describe('ISO 8601, UTC');

/** A grant that applies at the asked scope and instant, and the path it reaches the principal by. */
export const accessGrantSchema = z.object({
  state: z.enum(['active', 'eligible']).describe('eligible grants nothing until activated'),
  roleDefinitionId: z.string().max(256),
  roleDisplayName: z.string().max(256),
  targetKind: z.enum(['directoryRole', 'resourceRole']),
  /** Where the grant is; above the asked scope when inherited. */
  scope: z.string().max(1024),
  inheritedFrom: z.string().max(1024).nullable().describe('The ancestor scope the grant is inherited from'),
  memberType: z.enum(['Direct', 'Group']),
  kind: z.enum(['assignment', 'eligibility']),
  assignmentType: z.enum(['Assigned', 'Activated']).nullable(),
  status: z.string().max(32),
  scheduleId: z.string().max(256),
  createdUsing: z.string().max(256).describe('The schedule request that created the grant'),
  activatedUsing: z.string().max(256).nullable(),
  scheduleStartDateTime: when,
  scheduleEndDateTime: when.nullable(),
  startDateTime: when.describe('When this path holds: the schedule cut to the group membership'),
  endDateTime: when.nullable(),
  group: z
    .object({
      id: z.string().max(64),
      displayName: z.string().max(256),
      membership: z.enum(['static', 'activated', 'assigned', 'eligible']),
      /** The PIM for Groups schedule (Graph's `{groupId}_member_{id}`); null for a standing member. */
      scheduleId: z.string().max(256).nullable(),
      createdUsing: z.string().max(256).nullable(),
      startDateTime: when.nullable(),
      endDateTime: when.nullable(),
      provisioning: z
        .array(provisioningReceiptSchema)
        .optional()
        .describe(
          'Explain only: the SCIM deliveries of this membership to the applications the group is linked to',
        ),
    })
    .nullable(),
});
export type AccessGrantResponse = z.output<typeof accessGrantSchema>;

export const accessDecisionSchema = z.object({
  allowed: z.boolean(),
  reason: z.string().max(4000),
  via: accessGrantSchema.optional().describe('The grant that allows it (the one lasting longest)'),
});
export type AccessDecisionResponse = z.output<typeof accessDecisionSchema>;

export const accessCheckResponseSchema = z.object({
  results: z.array(accessDecisionSchema).max(maxAccessQueries),
});
export type AccessCheckResponse = z.output<typeof accessCheckResponseSchema>;

export const accessExplanationSchema = z.object({
  principal: z.object({
    id: z.string().max(64),
    type: z.enum(['user', 'group', 'servicePrincipal']),
    displayName: z.string().max(256),
  }),
  scope: z.string().max(1024),
  at: when,
  grants: z.array(accessGrantSchema).max(100_000),
});
export type AccessExplanationResponse = z.output<typeof accessExplanationSchema>;
