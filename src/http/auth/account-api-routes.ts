import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Passkey } from '../../app/auth/passkey-service.js';
import {
  identityLinkSchema,
  passkeyOptionsSchema,
  passkeyRegisterBodySchema,
  passkeySchema,
  passwordChangeBodySchema,
  passwordChangedSchema,
} from '../../contracts/auth-schemas.js';
import type { ApiRouteRegistrar } from '../api/api-route-types.js';
import { callContext } from '../graph/call-context.js';
import { authenticatedSessionId } from './session-cookie.js';

const tags = ['auth'];
const idParam = z.object({ id: z.string().min(1).max(200) });

const passkeyWire = (p: Passkey) => ({
  id: p.id,
  name: p.name,
  transports: [...p.transports],
  deviceType: p.deviceType,
  backedUp: p.backedUp,
  createdDateTime: p.createdDateTime.toISOString(),
  lastUsedDateTime: p.lastUsedDateTime ? p.lastUsedDateTime.toISOString() : null,
});

/**
 * The caller's passkeys (`/me/passkeys`) and password (`/me/password`), and an administrator's view and unlinking
 * of a user's identity-provider accounts (`/users/{id}/identities`). Under /api/v1, registered by
 * auth-api-routes.ts.
 */
export const registerAccountApiRoutes: ApiRouteRegistrar = async (app, services) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/me/passkeys',
    {
      schema: {
        summary: 'My passkeys (WebAuthn): names and dates, never key material',
        tags,
        response: { 200: z.object({ value: z.array(passkeySchema) }) },
      },
    },
    async (req) => ({ value: (await services.passkeys.list(callContext(req))).map(passkeyWire) }),
  );

  r.post(
    '/me/passkeys/options',
    {
      schema: {
        summary:
          'Register a passkey, first step: WebAuthn creation options with a single-use challenge (five minutes)',
        tags,
        response: { 200: passkeyOptionsSchema },
      },
    },
    async (req) => ({ ...(await services.passkeys.registrationOptions(callContext(req))) }),
  );

  r.post(
    '/me/passkeys',
    {
      schema: {
        summary: "Register a passkey: the authenticator's answer to the registration options, and a name",
        description:
          'Attestation `none`: the public key, signature counter and transports are kept. Audited.',
        tags,
        body: passkeyRegisterBodySchema,
        response: { 201: passkeySchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(passkeyWire(await services.passkeys.register(callContext(req), req.body))),
  );

  r.delete(
    '/me/passkeys/:id',
    { schema: { summary: 'Remove one of my passkeys; audited', tags, params: idParam } },
    async (req, reply) => {
      await services.passkeys.remove(callContext(req), req.params.id);
      return reply.status(204).send();
    },
  );

  r.post(
    '/me/password',
    {
      schema: {
        summary:
          'Change my local password (current one, then a new one of 12 to 256 characters); ends my other portal sessions',
        description:
          'A wrong current password counts toward the lockout. The session making the change (cookie) stays; every other portal session ends. Audited, without either password.',
        tags,
        body: passwordChangeBodySchema,
        response: { 200: passwordChangedSchema },
      },
    },
    async (req) => {
      const keep = authenticatedSessionId(req);
      return services.auth.changePassword(callContext(req), {
        currentPassword: req.body.currentPassword,
        newPassword: req.body.newPassword,
        ...(keep ? { keepSessionId: keep } : {}),
      });
    },
  );

  r.get(
    '/users/:id/identities',
    {
      schema: {
        summary: 'The identity-provider accounts (issuer, subject) linked to a user by single sign-on',
        tags,
        params: idParam,
        response: { 200: z.object({ value: z.array(identityLinkSchema) }) },
      },
    },
    async (req) => ({
      value: (await services.identityLinks.list(callContext(req), req.params.id)).map((l) => ({
        issuer: l.issuer,
        subject: l.subject,
        createdDateTime: l.createdDateTime.toISOString(),
        lastSignInDateTime: l.lastSignInDateTime.toISOString(),
      })),
    }),
  );

  r.delete(
    '/users/:id/identities',
    {
      schema: {
        summary:
          "Unlink a user's identity-provider account (by issuer): the next single sign-on matches by the configured claim again; audited",
        tags,
        params: idParam,
        querystring: z.strictObject({
          issuer: z.string().min(1).max(1024).describe('The issuer URL of the provider'),
        }),
      },
    },
    async (req, reply) => {
      await services.identityLinks.unlink(callContext(req), req.params.id, req.query.issuer);
      return reply.status(204).send();
    },
  );
};
