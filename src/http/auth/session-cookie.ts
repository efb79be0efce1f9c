import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app/services.js';
import { csrfHeader } from '../../contracts/auth-schemas.js';
import { ElevateError } from '../../core/errors.js';
import type { Actor } from '../../core/model/principal.js';

/**
 * The portal's session cookie. Over https it takes the `__Host-` prefix (Secure, Path=/, no Domain: no other
 * host or path can set or shadow it); HttpOnly (no script reads it) and SameSite=Strict (no other site's page
 * sends it).
 */
export function sessionCookie(publicOrigin: string): {
  name: string;
  options: { httpOnly: true; sameSite: 'strict'; secure: boolean; path: '/' };
} {
  const secure = publicOrigin.startsWith('https:');
  return {
    name: secure ? '__Host-elevate_session' : 'elevate_session',
    options: { httpOnly: true, sameSite: 'strict', secure, path: '/' },
  };
}

/** The session id a request's cookie carries, if any. */
export function sessionIdOf(services: Pick<Services, 'auth'>, request: FastifyRequest): string | undefined {
  const value = request.cookies?.[sessionCookie(services.auth.portalOrigin).name];
  return value && value.length <= 128 ? value : undefined;
}

/** The session id behind an authenticated request (for a password change that keeps it); set by the hook. */
const sessionOfRequest = new WeakMap<FastifyRequest, string>();
export const authenticatedSessionId = (request: FastifyRequest): string | undefined =>
  sessionOfRequest.get(request);

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

const sameBytes = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Cross-site request forgery checks on a cookie-authenticated state change: the request must come from the
 * portal's own origin (the `Origin` header equals the public URL's origin or the origin the request was sent
 * to) and carry the session's CSRF token in `x-elevate-csrf` (compared in constant time).
 */
export function checkCsrf(
  request: FastifyRequest,
  expected: { csrfToken: string; publicOrigin: string },
): void {
  if (safeMethods.has(request.method)) return;
  const origin = request.headers.origin;
  const own = `${request.protocol}://${request.host}`;
  if (!origin || (origin !== expected.publicOrigin && origin !== own)) {
    throw new ElevateError(
      'auth.forbidden',
      `Cross-origin request refused: a request authenticated by the session cookie must come from the portal's own origin (Origin: ${origin ? origin.slice(0, 200) : 'none'}).`,
    );
  }
  const h = request.headers[csrfHeader];
  const token = Array.isArray(h) ? h[0] : h;
  if (!token || !sameBytes(token, expected.csrfToken)) {
    throw new ElevateError(
      'auth.forbidden',
      `The ${csrfHeader} header is missing or does not match the session; the portal sends it on every change (GET /api/auth/session answers it).`,
    );
  }
}

/**
 * The caller behind a session cookie, after the CSRF checks for a state change; undefined without a cookie.
 * An ended or expired session answers 401 and clears the cookie.
 */
export async function authenticateSessionCookie(
  services: Pick<Services, 'auth'>,
  request: FastifyRequest,
  reply?: FastifyReply,
): Promise<Actor | undefined> {
  const sessionId = sessionIdOf(services, request);
  if (!sessionId) return undefined;
  const found = await services.auth.authenticateSession(sessionId);
  if (!found) {
    const cookie = sessionCookie(services.auth.portalOrigin);
    reply?.clearCookie(cookie.name, cookie.options);
    throw new ElevateError(
      'auth.unauthenticated',
      'Your session has ended (signed out, idle or expired); sign in again.',
    );
  }
  checkCsrf(request, { csrfToken: found.session.csrfToken, publicOrigin: services.auth.portalOrigin });
  sessionOfRequest.set(request, sessionId);
  return found.actor;
}
