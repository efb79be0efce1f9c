import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { OidcCompletion } from '../../app/auth/oidc-service.js';
import type { Services } from '../../app/services.js';
import { stepUpResponseSchema } from '../../contracts/auth-schemas.js';
import { sendApiError } from '../api/api-errors.js';
import { graphErrorTable } from '../graph/graph-errors.js';

const tokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
});

/** The callback's query carries a one-time code and the state: the request log shows its path only. */
const pathOnly = {
  req: (req: FastifyRequest) => ({ method: req.method, url: req.url.split('?')[0], remoteAddress: req.ip }),
};

/** Responses that carry a token (or lead to one) are never cached nor leak through Referer. */
const noStore = (reply: FastifyReply) =>
  reply
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .header('referrer-policy', 'no-referrer');

/** The loopback address with the result in its fragment (never sent to a server, kept out of logs). */
function toLoopback(redirectUri: string, result: OidcCompletion): string {
  const params = new URLSearchParams();
  if (result.kind === 'signIn') {
    params.set('access_token', result.grant.accessToken);
    params.set('token_type', result.grant.tokenType);
    params.set('expires_in', String(result.grant.expiresIn));
  } else if (result.kind === 'stepUp') {
    params.set('proof', result.grant.proof);
    params.set('expires_at', result.grant.expiresAt.toISOString());
    params.set('max_age', String(result.grant.maxAgeSeconds));
  } else {
    const { error } = result;
    params.set('error', error.code);
    params.set('error_description', error.message);
    params.set('status', String(graphErrorTable[error.code].status));
    const challenge = error.details.stepUp;
    if (challenge?.acrValues) params.set('acr_values', challenge.acrValues);
    if (challenge) params.set('max_age', String(challenge.maxAgeSeconds));
  }
  const url = new URL(redirectUri);
  url.hash = params.toString();
  return url.href;
}

/**
 * Single sign-on with an OpenID provider: `GET /api/auth/oidc/login` sends the browser to the provider, and
 * `GET /api/auth/oidc/callback` (the redirect URI registered there) completes a sign-in or a step-up. Native error
 * envelope; 503 `auth.provider_unavailable` when the provider cannot be reached.
 */
export async function registerOidcRoutes(
  app: FastifyInstance,
  services: Services,
  limits: { rateLimit: { max: number; timeWindow: number } },
): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/auth/oidc/login',
    {
      config: { rateLimit: limits.rateLimit },
      schema: {
        summary: 'Single sign-on: redirects (302) to the OpenID provider (authorization code flow with PKCE)',
        description:
          'With `redirect_uri` (a loopback address: the CLI), the callback sends the browser there with `access_token`, `token_type` and `expires_in` (or `error`, `error_description`) in the URL fragment; without it, the callback answers JSON. 503 `auth.provider_unavailable` when the provider cannot be reached; 404 when single sign-on is not configured.',
        tags: ['auth'],
        security: [],
        querystring: z.strictObject({
          redirect_uri: z
            .string()
            .min(1)
            .max(512)
            .optional()
            .describe('http://127.0.0.1:<port>/… or http://localhost:<port>/… only'),
        }),
      },
    },
    async (req, reply) => {
      const start = await services.oidc.startSignIn(
        req.query.redirect_uri !== undefined ? { redirectUri: req.query.redirect_uri } : {},
      );
      return noStore(reply).redirect(start.authorizationUrl, 302);
    },
  );

  r.get(
    '/api/auth/oidc/callback',
    {
      config: { rateLimit: limits.rateLimit },
      logSerializers: pathOnly,
      schema: {
        summary: "The OpenID provider's redirect URI: completes a single sign-on or a step-up",
        description:
          'Register `<ELEVATE_PUBLIC_URL>/api/auth/oidc/callback` at the provider. A flow started with a loopback `redirect_uri` ends there (302, result in the fragment: `access_token`…, or `proof`, `expires_at`, `max_age` for a step-up, or `error`, `error_description`, `status`); otherwise the answer is JSON: a token (sign-in) or a step-up proof. A state works once and for ten minutes.',
        tags: ['auth'],
        security: [],
        querystring: z.looseObject({
          state: z.string().max(512).optional(),
          code: z.string().max(4096).optional(),
          iss: z.string().max(1024).optional(),
          error: z.string().max(256).optional(),
          error_description: z.string().max(2048).optional(),
        }),
        response: { 200: z.union([tokenResponse, stepUpResponseSchema]) },
      },
    },
    async (req, reply) => {
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
      const result = await services.oidc.complete({ query, state: req.query.state });
      noStore(reply);
      if (result.redirectUri) return reply.redirect(toLoopback(result.redirectUri, result), 302);
      if (result.kind === 'failed') return sendApiError(result.error, req, reply);
      if (result.kind === 'signIn') {
        const g = result.grant;
        return { access_token: g.accessToken, token_type: g.tokenType, expires_in: g.expiresIn };
      }
      return {
        proof: result.grant.proof,
        expiresDateTime: result.grant.expiresAt.toISOString(),
        maxAgeSeconds: result.grant.maxAgeSeconds,
      };
    },
  );
}
