import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../app/services.js';
import {
  passkeyOptionsSchema,
  passkeySignInOptionsBodySchema,
  passwordSignInBodySchema,
} from '../../contracts/auth-schemas.js';
import { ElevateError, isElevateError } from '../../core/errors.js';
import { sendApiError } from '../api/api-errors.js';
import { registerOidcRoutes } from './oidc-routes.js';
import { registerSessionRoutes } from './session-routes.js';

/**
 * Unauthenticated sign-in endpoints answer at most this many requests a minute from one address (429 with
 * Retry-After beyond), on top of the per-account lockout: it slows password spraying across accounts and
 * floods of OIDC authorization requests.
 */
export const signInRateLimit = { max: 30, timeWindow: 60_000 } as const;

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
  // Cookies for the whole server: every surface may authenticate a request by the portal's session cookie.
  await app.register(cookie);
  await app.register(async (api) => {
    api.setErrorHandler((error, request, reply) => sendApiError(error, request, reply));
    await api.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) =>
        new ElevateError(
          'auth.locked',
          `Too many sign-in requests from this address; try again in ${Math.ceil(context.ttl / 1000)} s.`,
          { retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)) },
        ),
    });
    api.withTypeProvider<ZodTypeProvider>().post(
      '/api/auth/token',
      {
        config: { rateLimit: signInRateLimit },
        schema: {
          summary:
            'Sign in with a local user name and password, plus a TOTP or recovery code once enrolled; returns a bearer token',
          description:
            'Without the second factor an enrolled account answers 401 `auth.mfa_required`. Five failures in a row lock the account (429 `auth.locked` with Retry-After) for 1, 5, 15, then 60 minutes.',
          tags: ['auth'],
          security: [],
          body: passwordSignInBodySchema,
          response: { 200: tokenResponse },
        },
      },
      async (request) => {
        const grant = await services.auth.signInWithPassword(request.body);
        return { access_token: grant.accessToken, token_type: grant.tokenType, expires_in: grant.expiresIn };
      },
    );
    api.withTypeProvider<ZodTypeProvider>().post(
      '/api/auth/passkey/options',
      {
        config: { rateLimit: signInRateLimit },
        schema: {
          summary:
            'Passkey sign-in, first step: checks the password and answers WebAuthn options with a single-use challenge',
          description:
            'Give the options to `navigator.credentials.get()`, then send its answer as `passkey` with the same user name and password to POST /api/auth/token or /api/auth/session. A wrong password counts toward the lockout.',
          tags: ['auth'],
          security: [],
          body: passkeySignInOptionsBodySchema,
          response: { 200: passkeyOptionsSchema },
        },
      },
      async (request) => ({ ...(await services.auth.passkeySignInOptions(request.body)) }),
    );
    await registerSessionRoutes(api, services, { rateLimit: signInRateLimit });
    await registerOidcRoutes(api, services, { rateLimit: signInRateLimit });
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
