import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../../app/services.js';
import { csrfHeader, passwordSignInBodySchema, portalSessionSchema } from '../../contracts/auth-schemas.js';
import { ElevateError } from '../../core/errors.js';
import { checkCsrf, sessionCookie, sessionIdOf } from './session-cookie.js';

const noStore = (reply: FastifyReply) =>
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');

/**
 * The portal's cookie sessions: sign-in (`POST /api/auth/session`) sets an HttpOnly, SameSite=Strict cookie
 * and answers the session's CSRF token; `GET /api/auth/session` answers it again after a reload; sign-out
 * (`POST /api/auth/sign-out`) ends the session on the server. Bearer tokens are unaffected.
 */
export async function registerSessionRoutes(
  app: FastifyInstance,
  services: Services,
  limits: { rateLimit: { max: number; timeWindow: number } },
): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cookie = sessionCookie(services.auth.portalOrigin);
  const { idleMinutes } = services.auth.sessionTimeouts;

  r.post(
    '/api/auth/session',
    {
      config: { rateLimit: limits.rateLimit },
      schema: {
        summary:
          'Sign in to the portal: sets the session cookie (HttpOnly, SameSite=Strict) and answers its CSRF token',
        description: `The same credentials and second factor as POST /api/auth/token. The session ends after ELEVATE_SESSION_IDLE_MINUTES without use, ELEVATE_SESSION_MAX_HOURS after sign-in, or at sign-out. Requests authenticated by the cookie that change anything must carry the CSRF token in the ${csrfHeader} header and come from the portal's origin.`,
        tags: ['auth'],
        security: [],
        body: passwordSignInBodySchema,
        response: { 201: portalSessionSchema },
      },
    },
    async (request, reply) => {
      // A browser says where the form was: another site's page may not sign anyone in (login CSRF).
      const origin = request.headers.origin;
      if (
        origin &&
        origin !== services.auth.portalOrigin &&
        origin !== `${request.protocol}://${request.host}`
      ) {
        throw new ElevateError(
          'auth.forbidden',
          'Cross-origin sign-in refused: sign in from the portal itself.',
        );
      }
      const started = await services.auth.startSessionWithPassword(request.body);
      const session = await services.auth.authenticateSession(started.sessionId);
      if (!session) throw new ElevateError('internal', 'The new session could not be read back.');
      noStore(reply).setCookie(cookie.name, started.sessionId, {
        ...cookie.options,
        maxAge: Math.floor((started.expiresAt.getTime() - services.clock.now().getTime()) / 1000),
      });
      return reply.status(201).send({
        userId: session.actor.id,
        csrfToken: started.csrfToken,
        expiresDateTime: started.expiresAt.toISOString(),
        idleExpiresDateTime: started.idleExpiresAt.toISOString(),
        idleTimeoutMinutes: idleMinutes,
      });
    },
  );

  r.get(
    '/api/auth/session',
    {
      schema: {
        summary:
          "The portal's current session (from its cookie): who, its CSRF token and when it ends; 401 when none",
        tags: ['auth'],
        security: [],
        response: { 200: portalSessionSchema },
      },
    },
    async (request, reply) => {
      const sessionId = sessionIdOf(services, request);
      const found = sessionId ? await services.auth.authenticateSession(sessionId) : undefined;
      noStore(reply);
      if (!found) {
        if (sessionId) reply.clearCookie(cookie.name, cookie.options);
        throw new ElevateError('auth.unauthenticated', 'Not signed in: no live portal session.');
      }
      return {
        userId: found.actor.id,
        csrfToken: found.session.csrfToken,
        expiresDateTime: found.session.expiresAt.toISOString(),
        idleExpiresDateTime: found.session.idleExpiresAt.toISOString(),
        idleTimeoutMinutes: idleMinutes,
      };
    },
  );

  r.post(
    '/api/auth/sign-out',
    {
      schema: {
        summary: 'Sign out of the portal: ends the session on the server and clears its cookie',
        description: `Needs the ${csrfHeader} header and the portal's Origin while the session lives; an ended session just clears the cookie.`,
        tags: ['auth'],
        security: [],
      },
    },
    async (request, reply) => {
      const sessionId = sessionIdOf(services, request);
      if (sessionId) {
        const found = await services.auth.authenticateSession(sessionId);
        if (found) {
          checkCsrf(request, {
            csrfToken: found.session.csrfToken,
            publicOrigin: services.auth.portalOrigin,
          });
          await services.auth.endSession(sessionId);
        }
      }
      return noStore(reply).clearCookie(cookie.name, cookie.options).status(204).send();
    },
  );
}
