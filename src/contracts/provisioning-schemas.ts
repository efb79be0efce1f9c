import { z } from 'zod';

/** Outbound SCIM provisioning (native API): a group's links to applications, and the receipts of deliveries. */

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');
const displayName = z
  .string()
  .trim()
  .min(1)
  .max(256)
  .describe("The application's name, as receipts and audit show it");
const baseUrl = z
  .string()
  .min(1)
  .max(2048)
  .describe(
    'The SCIM 2.0 base URL (…/scim/v2): https://, or http:// on 127.0.0.1 or localhost only; no credentials or query',
  );
const token = z
  .string()
  .min(1)
  .max(8192)
  .describe('The bearer token the application issued. Write-only: stored sealed, never returned');
const ratePerSecond = z
  .number()
  .positive()
  .max(1000)
  .nullable()
  .describe('Requests per second to this application; null: ELEVATE_SCIM_RATE_PER_SECOND');

export const provisioningGroupParamsSchema = z.strictObject({ groupId: guid });
export const provisioningLinkParamsSchema = z.strictObject({ groupId: guid, applicationId: guid });

export const provisioningLinkBodySchema = z.strictObject({
  displayName,
  baseUrl,
  token,
  ratePerSecond: ratePerSecond.optional(),
});
export type ProvisioningLinkBody = z.input<typeof provisioningLinkBodySchema>;

export const provisioningLinkPatchSchema = z
  .strictObject({
    displayName: displayName.optional(),
    baseUrl: baseUrl.optional(),
    token: token.optional().describe('A new token (rotation); the old one is forgotten'),
    ratePerSecond: ratePerSecond.optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'give at least one property to change');
export type ProvisioningLinkPatchBody = z.input<typeof provisioningLinkPatchSchema>;

/** A link as the API shows it: never the token. */
export const provisioningLinkSchema = z.object({
  id: z.string(),
  groupId: z.string(),
  displayName: z.string(),
  baseUrl: z.string(),
  ratePerSecond: z.number().nullable(),
  scimGroupId: z
    .string()
    .nullable()
    .describe("The group's id in the application, once Elevate found or made it"),
  createdDateTime: z.string(),
  updatedDateTime: z.string(),
});
export type ProvisioningLinkResponse = z.output<typeof provisioningLinkSchema>;
export const provisioningLinkListSchema = z.object({ value: z.array(provisioningLinkSchema) });

export const provisioningReceiptSchema = z.object({
  id: z.string(),
  eventId: z.string(),
  applicationId: z.string(),
  applicationName: z.string(),
  scheduleId: z
    .string()
    .nullable()
    .describe('The group membership schedule (Elevate id) the change concerns'),
  groupId: z.string(),
  principalId: z.string(),
  operation: z.enum(['add', 'remove']),
  outcome: z.enum(['applied', 'skipped']),
  response: z
    .string()
    .describe("What the application answered, e.g. 'SCIM user created (201); member added (200)'"),
  deliveredDateTime: z.string(),
});
export type ProvisioningReceiptResponse = z.output<typeof provisioningReceiptSchema>;
export const provisioningReceiptListSchema = z.object({ value: z.array(provisioningReceiptSchema) });

export const groupReceiptsQuerySchema = z.strictObject({
  principalId: guid.optional().describe('Only this principal’s receipts'),
  top: z.coerce.number().int().min(1).max(1000).default(100).describe('At most this many, newest first'),
});

const guidText = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** A schedule id: Elevate's, or Graph's group form `{groupId}_member_{id}` (as explain's `group.scheduleId`). */
const scheduleIdText = `(?:${guidText}_(?:member|owner)_)?${guidText}`;

export const scheduleReceiptsQuerySchema = z.strictObject({
  scheduleId: z
    .string()
    .min(1)
    .max(100 * 90)
    .regex(
      new RegExp(`^${scheduleIdText}(,${scheduleIdText}){0,99}$`, 'i'),
      'must be up to 100 schedule ids (GUIDs, or {groupId}_member_{id} as explain shows them) separated by commas',
    )
    .describe(
      'Group membership schedule ids, comma-separated, up to 100: Elevate ids, or Graph form {groupId}_member_{id}',
    ),
});

/** The Elevate schedule ids of a `scheduleId` query (the last GUID of each Graph-form id). */
export const scheduleIdsOf = (text: string): string[] =>
  text
    .toLowerCase()
    .split(',')
    .map((id) => id.slice(-36));
