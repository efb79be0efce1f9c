import { z } from 'zod';
import type {
  NewPasswordCredential,
  PasswordCredential,
  ServicePrincipal,
} from '../../../app/directory/service-principal-service.js';
import { boundedString, graphBody, guid, isoDateTime } from '../graph-body.js';

const toGraphCredential = (c: PasswordCredential) => ({
  keyId: c.keyId,
  displayName: c.displayName,
  hint: c.hint,
  startDateTime: c.startDateTime.toISOString(),
  endDateTime: c.endDateTime.toISOString(),
});

/** Graph's `servicePrincipal` as Elevate serves it: credentials by key id and hint, never the secret. */
export function toGraphServicePrincipal(sp: ServicePrincipal) {
  return {
    id: sp.id,
    appId: sp.appId,
    displayName: sp.displayName,
    accountEnabled: sp.accountEnabled,
    servicePrincipalType: 'Application',
    passwordCredentials: sp.passwordCredentials.map(toGraphCredential),
  };
}

/** The one response that carries `secretText`: addPassword's, shown once. */
export const toGraphNewCredential = (c: NewPasswordCredential) => ({
  ...toGraphCredential(c),
  secretText: c.secretText,
});

// Response schemas: the serializer keeps only what they list, so a secret or hash added to the
// domain objects by mistake never reaches a client.
const graphPasswordCredential = z.object({
  keyId: z.string(),
  displayName: z.string().nullable(),
  hint: z.string(),
  startDateTime: z.string(),
  endDateTime: z.string(),
});
const graphServicePrincipalFields = {
  appId: z.string(),
  displayName: z.string(),
  accountEnabled: z.boolean(),
  servicePrincipalType: z.string(),
  passwordCredentials: z.array(graphPasswordCredential),
};
export const servicePrincipalResponse = z.object({
  '@odata.context': z.string(),
  id: z.string(),
  ...graphServicePrincipalFields,
});
export const servicePrincipalListResponse = z.object({
  '@odata.context': z.string(),
  '@odata.count': z.number().optional(),
  '@odata.nextLink': z.string().optional(),
  value: z.array(z.object({ id: z.string(), ...graphServicePrincipalFields }).partial()),
});
export const newPasswordCredentialResponse = graphPasswordCredential.extend({
  '@odata.context': z.string(),
  secretText: z.string(),
});

export const createServicePrincipalBody = graphBody({
  appId: guid.optional(),
  displayName: boundedString(256).min(1),
  accountEnabled: z.boolean().optional(),
});

export const updateServicePrincipalBody = graphBody({
  appId: guid.optional(),
  displayName: boundedString(256).min(1).optional(),
  accountEnabled: z.boolean().optional(),
});

export const addPasswordBody = graphBody({
  passwordCredential: graphBody({
    displayName: boundedString(256).nullable().optional(),
    endDateTime: isoDateTime.optional(),
  }).optional(),
});

export const removePasswordBody = graphBody({ keyId: guid });

export const servicePrincipalListSpec = {
  fields: {
    id: { type: 'guid' },
    appId: { type: 'guid' },
    displayName: { type: 'string' },
    accountEnabled: { type: 'boolean' },
  },
  select: ['id', 'appId', 'displayName', 'accountEnabled', 'servicePrincipalType', 'passwordCredentials'],
} as const;
