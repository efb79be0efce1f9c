import { ApiError } from './api-error.js';
import {
  type ProvisioningLinkBody,
  type ProvisioningLinkPatchBody,
  type ProvisioningLinkResponse,
  type ProvisioningReceiptResponse,
  provisioningLinkListSchema,
  provisioningLinkSchema,
  provisioningReceiptListSchema,
} from './provisioning-schemas.js';
import type { RequestTransport } from './request-calls.js';

const id = (value: string) => encodeURIComponent(value);

function parsed<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  value: unknown,
  what: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ApiError(200, 'invalid_response', `The ${what} answer is not in the expected shape.`);
  }
  return result.data;
}

/** Outbound SCIM provisioning under `/api/v1/groups/{id}/provisioning` and `/api/v1/provisioning`. */
export function provisioningCalls(t: Pick<RequestTransport, 'call'>) {
  const applications = (groupId: string) => `/api/v1/groups/${id(groupId)}/provisioning/applications`;
  return {
    /** The applications a group's membership is provisioned to (never their tokens). */
    listProvisioningApplications: async (groupId: string): Promise<ProvisioningLinkResponse[]> =>
      parsed(
        provisioningLinkListSchema,
        await t.call<unknown>('GET', applications(groupId)),
        'provisioning list',
      ).value,

    linkProvisioningApplication: async (
      groupId: string,
      body: ProvisioningLinkBody,
    ): Promise<ProvisioningLinkResponse> =>
      parsed(
        provisioningLinkSchema,
        await t.call<unknown>('POST', applications(groupId), { body }),
        'provisioning link',
      ),

    updateProvisioningApplication: async (
      groupId: string,
      applicationId: string,
      body: ProvisioningLinkPatchBody,
    ): Promise<ProvisioningLinkResponse> =>
      parsed(
        provisioningLinkSchema,
        await t.call<unknown>('PATCH', `${applications(groupId)}/${id(applicationId)}`, { body }),
        'provisioning link',
      ),

    unlinkProvisioningApplication: (groupId: string, applicationId: string): Promise<void> =>
      t.call<void>('DELETE', `${applications(groupId)}/${id(applicationId)}`),

    /** A group's SCIM receipts, newest first. */
    listProvisioningReceipts: async (
      groupId: string,
      q: { principalId?: string; top?: number } = {},
    ): Promise<ProvisioningReceiptResponse[]> =>
      parsed(
        provisioningReceiptListSchema,
        await t.call<unknown>('GET', `/api/v1/groups/${id(groupId)}/provisioning/receipts`, {
          query: { principalId: q.principalId, top: q.top },
        }),
        'provisioning receipts',
      ).value,
  };
}
