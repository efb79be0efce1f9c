import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ProvisioningLink } from '../../app/provisioning/provisioning-link.js';
import type { ProvisioningReceipt } from '../../app/provisioning/provisioning-receipts.js';
import {
  groupReceiptsQuerySchema,
  type ProvisioningLinkResponse,
  type ProvisioningReceiptResponse,
  provisioningGroupParamsSchema,
  provisioningLinkBodySchema,
  provisioningLinkListSchema,
  provisioningLinkParamsSchema,
  provisioningLinkPatchSchema,
  provisioningLinkSchema,
  provisioningReceiptListSchema,
  scheduleIdsOf,
  scheduleReceiptsQuerySchema,
} from '../../contracts/provisioning-schemas.js';
import { callContext } from '../graph/call-context.js';
import type { ApiRouteRegistrar } from './api-route-types.js';

const tags = ['provisioning'];

const toLinkResponse = (l: ProvisioningLink): ProvisioningLinkResponse => ({
  id: l.id,
  groupId: l.groupId,
  displayName: l.displayName,
  baseUrl: l.baseUrl,
  ratePerSecond: l.ratePerSecond,
  scimGroupId: l.scimGroupId,
  createdDateTime: l.createdDateTime.toISOString(),
  updatedDateTime: l.updatedDateTime.toISOString(),
});

/** A receipt on the wire (explain can attach these under a grant's `group`). */
export const toReceiptResponse = (r: ProvisioningReceipt): ProvisioningReceiptResponse => ({
  ...r,
  deliveredDateTime: r.deliveredDateTime.toISOString(),
});

/**
 * Outbound SCIM provisioning: link a group to applications (SCIM base URL + bearer token, write-only), change or
 * unlink them, and read the receipts of what was pushed. Application administrators write; readers read.
 */
export const registerProvisioningRoutes: ApiRouteRegistrar = async (app, services) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const applications = '/groups/:groupId/provisioning/applications';

  r.get(
    applications,
    {
      schema: {
        summary:
          "The applications a group's membership is provisioned to by SCIM 2.0 (tokens are never shown)",
        tags,
        params: provisioningGroupParamsSchema,
        response: { 200: provisioningLinkListSchema },
      },
    },
    async (req) => ({
      value: (await services.provisioning.list(callContext(req), req.params.groupId)).map(toLinkResponse),
    }),
  );

  r.post(
    applications,
    {
      schema: {
        summary:
          'Link a group to an application: activated membership is pushed there by SCIM (user created if absent, added to the group) and removed when it ends',
        tags,
        params: provisioningGroupParamsSchema,
        body: provisioningLinkBodySchema,
        response: { 201: provisioningLinkSchema },
      },
    },
    async (req, reply) => {
      const link = await services.provisioning.link(callContext(req), req.params.groupId, req.body);
      return reply.status(201).send(toLinkResponse(link));
    },
  );

  r.patch(
    `${applications}/:applicationId`,
    {
      schema: {
        summary: "Change a provisioning link's name, SCIM base URL, rate or token (rotation)",
        tags,
        params: provisioningLinkParamsSchema,
        body: provisioningLinkPatchSchema,
        response: { 200: provisioningLinkSchema },
      },
    },
    async (req) =>
      toLinkResponse(
        await services.provisioning.update(
          callContext(req),
          req.params.groupId,
          req.params.applicationId,
          req.body,
        ),
      ),
  );

  r.delete(
    `${applications}/:applicationId`,
    {
      schema: {
        summary:
          'Unlink an application: nothing more is pushed to it (what was pushed stays; receipts are kept)',
        tags,
        params: provisioningLinkParamsSchema,
      },
    },
    async (req, reply) => {
      await services.provisioning.unlink(callContext(req), req.params.groupId, req.params.applicationId);
      return reply.status(204).send();
    },
  );

  r.get(
    '/groups/:groupId/provisioning/receipts',
    {
      schema: {
        summary: "Receipts of the SCIM deliveries of a group's membership changes, newest first",
        tags,
        params: provisioningGroupParamsSchema,
        querystring: groupReceiptsQuerySchema,
        response: { 200: provisioningReceiptListSchema },
      },
    },
    async (req) => ({
      value: (
        await services.provisioning.receipts(callContext(req), {
          groupId: req.params.groupId,
          limit: req.query.top,
          ...(req.query.principalId ? { principalId: req.query.principalId } : {}),
        })
      ).map(toReceiptResponse),
    }),
  );

  r.get(
    '/provisioning/receipts',
    {
      schema: {
        summary:
          'Receipts of the SCIM deliveries of group membership schedules (what explain shows): readers see all, others their own',
        tags,
        querystring: scheduleReceiptsQuerySchema,
        response: { 200: provisioningReceiptListSchema },
      },
    },
    async (req) => ({
      value: (
        await services.provisioning.receiptsOf(callContext(req), scheduleIdsOf(req.query.scheduleId))
      ).map(toReceiptResponse),
    }),
  );
};
