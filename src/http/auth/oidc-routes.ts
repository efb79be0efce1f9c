import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { OidcCompletion } from '../../app/auth/oidc-service.js';
import type { Services } from '../../app/services.js';
import { signInProvidersSchema, stepUpResponseSchema } from '../../contracts/auth-schemas.js';
import { ElevateError, isElevateError } from '../../core/errors.js';
import { sendApiError } from '../api/api-errors.js';
import { graphErrorTable } from '../graph/graph-errors.js';
import { sessionCookie } from './session-cookie.js';

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
  } else if (result.kind === 'failed') {
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
 * The cookie that binds a portal sign-in to the browser that started it (its value is the state), sent back only
 * to the callback. SameSite=Lax: the provider's redirect to the callback is a top-level navigation from its site.
 */
function bindingCookie(publicOrigin: string) {
  const secure = publicOrigin.startsWith('https:');
  return {
    name: secure ? '__Secure-elevate_oidc' : 'elevate_oidc',
    options: { httpOnly: true, sameSite: 'lax', secure, path: '/api/auth/oidc/callback' } as const,
  };
}

/** The portal's sign-in page showing why a single sign-on failed (a fixed, same-origin path). */
function toSignInPage(message: string, portalPath: string | null): string {
  const params = new URLSearchParams();
  if (portalPath && portalPath !== '/') params.set('redirect', portalPath);
  params.set('error', message);
  return `/sign-in?${params.toString()}`;
}

/**
 * Single sign-on with an OpenID provider: `GET /api/auth/oidc/login` sends the browser to the provider, and
 * `GET /api/auth/oidc/callback` (the redirect URI registered there) completes a sign-in (a token, or for the portal
 * a cookie session) or a step-up; `GET /api/auth/providers` tells the portal whether to show its button. Native
 * error envelope (the portal's flow reports on its sign-in page instead); 503 `auth.provider_unavailable` when the
 * provider cannot be reached.
 */
export async function registerOidcRoutes(
  app: FastifyInstance,
  services: Services,
  limits: { rateLimit: { max: number; timeWindow: number } },
): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const binding = bindingCookie(services.auth.portalOrigin);
  const session = sessionCookie(services.auth.portalOrigin);

  r.get(
    '/api/auth/providers',
    {
      schema: {
        summary: "The ways to sign in besides a local password: single sign-on, and its provider's name",
        tags: ['auth'],
        security: [],
        response: { 200: signInProvidersSchema },
      },
    },
    async () => ({
      oidc: services.oidc.enabled && services.oidc.label ? { label: services.oidc.label } : null,
    }),
  );

  r.get(
    '/api/auth/oidc/login',
    {
      config: { rateLimit: limits.rateLimit },
      schema: {
        summary: 'Single sign-on: redirects (302) to the OpenID provider (authorization code flow with PKCE)',
        description:
          "With `redirect_uri` (a loopback address: the CLI), the callback sends the browser there with `access_token`, `token_type` and `expires_in` (or `error`, `error_description`) in the URL fragment. With `portal=true` (the portal's button), the callback starts a portal session (cookie, as POST /api/auth/session) and redirects to `return_to` (a path of the portal, default `/`), or to `/sign-in?error=…`; it completes only in the browser that started it. Otherwise the callback answers JSON. 503 `auth.provider_unavailable` when the provider cannot be reached; 404 when single sign-on is not configured.",
        tags: ['auth'],
        security: [],
        querystring: z.strictObject({
          redirect_uri: z
            .string()
            .min(1)
            .max(512)
            .optional()
            .describe('http://127.0.0.1:<port>/… or http://localhost:<port>/… only'),
          portal: z
            .enum(['true'])
            .optional()
            .describe('`true`: a sign-in to the portal, ending in a session cookie'),
          return_to: z
            .string()
            .min(1)
            .max(512)
            .optional()
            .describe('With portal=true: the portal page to return to, a path such as /my-roles (default /)'),
        }),
      },
    },
    async (req, reply) => {
      const { portal, return_to: returnTo, redirect_uri: redirectUri } = req.query;
      if (portal) {
        if (redirectUri !== undefined) {
          throw new ElevateError('request.invalid', 'Give either portal=true or redirect_uri, not both.');
        }
        let start: Awaited<ReturnType<typeof services.oidc.startPortalSignIn>>;
        try {
          start = await services.oidc.startPortalSignIn(returnTo !== undefined ? { returnTo } : {});
        } catch (error) {
          // The person clicked a button: the sign-in page says why (provider down, …), not a JSON page.
          if (isElevateError(error)) return noStore(reply).redirect(toSignInPage(error.message, null), 302);
          throw error;
        }
        noStore(reply).setCookie(binding.name, start.binding, {
          ...binding.options,
          maxAge: Math.floor((start.expiresAt.getTime() - services.clock.now().getTime()) / 1000),
        });
        return reply.redirect(start.authorizationUrl, 302);
      }
      if (returnTo !== undefined) throw new ElevateError('request.invalid', 'return_to needs portal=true.');
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
          'Register `<ELEVATE_PUBLIC_URL>/api/auth/oidc/callback` at the provider. A flow started with a loopback `redirect_uri` ends there (302, result in the fragment: `access_token`…, or `proof`, `expires_at`, `max_age` for a step-up, or `error`, `error_description`, `status`); a portal sign-in (`portal=true`) sets the session cookie and redirects (302) into the portal, or to `/sign-in?error=…`, and only in the browser that started it; otherwise the answer is JSON: a token (sign-in) or a step-up proof. A state works once and for ten minutes.',
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
      const bound = req.cookies?.[binding.name];
      noStore(reply);
      if (bound !== undefined) reply.clearCookie(binding.name, binding.options);
      let result: OidcCompletion;
      try {
        result = await services.oidc.complete({ query, state: req.query.state, binding: bound });
      } catch (error) {
        // A browser that started a portal sign-in reads the refusal on the sign-in page, not as JSON.
        if (bound !== undefined && isElevateError(error)) {
          return reply.redirect(toSignInPage(error.message, null), 302);
        }
        throw error;
      }
      if (result.portalPath !== null) {
        if (result.kind !== 'portalSession') {
          const message = result.kind === 'failed' ? result.error.message : 'Signing in failed.';
          return reply.redirect(toSignInPage(message, result.portalPath), 302);
        }
        reply.setCookie(session.name, result.session.sessionId, {
          ...session.options,
          maxAge: Math.floor((result.session.expiresAt.getTime() - services.clock.now().getTime()) / 1000),
        });
        return reply.redirect(result.portalPath, 302);
      }
      if (result.redirectUri) return reply.redirect(toLoopback(result.redirectUri, result), 302);
      if (result.kind === 'failed') return sendApiError(result.error, req, reply);
      if (result.kind === 'signIn') {
        const g = result.grant;
        return { access_token: g.accessToken, token_type: g.tokenType, expires_in: g.expiresIn };
      }
      if (result.kind === 'portalSession')
        throw new ElevateError('internal', 'A portal session without its portal.');
      return {
        proof: result.grant.proof,
        expiresDateTime: result.grant.expiresAt.toISOString(),
        maxAgeSeconds: result.grant.maxAgeSeconds,
      };
    },
  );
}
