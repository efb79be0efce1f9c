import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../app/services.js';
import { isElevateError } from '../../core/errors.js';
import { sendApiError } from '../api/api-errors.js';
import { registerOidcRoutes } from './oidc-routes.js';

const tokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
});

/**
 * Sign-in endpoints: local password (`/api/auth/token`), single sign-on (`/api/auth/oidc/*`) and OAuth2 client
 * credentials (`/oauth2/v2.0/token`).
 */
export async function registerAuthRoutes(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(async (api) => {
    api.setErrorHandler((error, request, reply) => sendApiError(error, request, reply));
    api.withTypeProvider<ZodTypeProvider>().post(
      '/api/auth/token',
      {
        schema: {
          summary:
            'Sign in with a local user name and password, plus a TOTP or recovery code once enrolled; returns a bearer token',
          description:
            'Without the second factor an enrolled account answers 401 `auth.mfa_required`. Five failures in a row lock the account (429 `auth.locked` with Retry-After) for 1, 5, 15, then 60 minutes.',
          tags: ['auth'],
          security: [],
          body: z
            .strictObject({
              username: z.string().min(1).max(256),
              password: z.string().min(1).max(1024),
              totp: z
                .string()
                .min(1)
                .max(16)
                .optional()
                .describe('The 6-digit code of the authenticator app'),
              recoveryCode: z
                .string()
                .min(1)
                .max(64)
                .optional()
                .describe('One of the recovery codes (single use)'),
            })
            .refine((b) => b.totp === undefined || b.recoveryCode === undefined, {
              message: 'give totp or recoveryCode, not both',
            }),
          response: { 200: tokenResponse },
        },
      },
      async (request) => {
        const grant = await services.auth.signInWithPassword(request.body);
        return { access_token: grant.accessToken, token_type: grant.tokenType, expires_in: grant.expiresIn };
      },
    );
    await registerOidcRoutes(api, services);
  });

  // OAuth2 token endpoint (RFC 6749 §4.4): form-encoded in, RFC 6749 §5.2 errors out.
  await app.register(async (oauth) => {
    oauth.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16_384 },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    oauth.setErrorHandler((error, _request, reply) => {
      if (isElevateError(error) && error.code === 'auth.invalid_credentials') {
        return reply.status(401).send({ error: 'invalid_client', error_description: error.message });
      }
      const message = error instanceof Error ? error.message : 'invalid request';
      return reply.status(400).send({ error: 'invalid_request', error_description: message });
    });
    const body = z.object({
      grant_type: z.literal('client_credentials', { message: "grant_type must be 'client_credentials'" }),
      client_id: z.string().min(1).max(64),
      client_secret: z.string().min(1).max(512),
      scope: z.string().max(1024).optional(),
    });
    const handler = async (request: { body: unknown }) => {
      const parsed = body.safeParse(request.body);
      if (!parsed.success) {
        throw new Error(
          parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
        );
      }
      const grant = await services.auth.signInWithClientCredentials({
        clientId: parsed.data.client_id,
        clientSecret: parsed.data.client_secret,
      });
      return { access_token: grant.accessToken, token_type: grant.tokenType, expires_in: grant.expiresIn };
    };
    const schema = {
      summary: 'OAuth2 client credentials grant for service principals (form-encoded)',
      tags: ['auth'],
      security: [],
    };
    oauth.post('/oauth2/v2.0/token', { schema }, handler);
    oauth.post('/:tenant/oauth2/v2.0/token', { schema: { ...schema, hide: true } }, handler);
  });
}
