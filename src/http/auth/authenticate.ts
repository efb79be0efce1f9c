import type { FastifyRequest } from 'fastify';
import type { Services } from '../../app/services.js';
import { ElevateError } from '../../core/errors.js';
import type { Actor } from '../../core/model/principal.js';
import { authenticateSessionCookie } from './session-cookie.js';

/**
 * Reads the bearer token (a signed access token or a personal access token), or else the portal's session
 * cookie (with its CSRF checks on a state change), and resolves the calling principal with the roles it holds
 * now; a read-only personal access token may only read.
 */
export async function authenticateRequest(
  services: Pick<Services, 'auth'>,
  request: FastifyRequest,
): Promise<Actor> {
  const header = request.headers.authorization;
  if (!header) {
    const fromSession = await authenticateSessionCookie(services, request);
    if (fromSession) return fromSession;
    throw new ElevateError(
      'auth.unauthenticated',
      'Access token is empty. Send "Authorization: Bearer <token>"; get a token from POST /api/auth/token or /oauth2/v2.0/token.',
    );
  }
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m)
    throw new ElevateError('auth.unauthenticated', 'The Authorization header must be "Bearer <token>".');
  const actor = await services.auth.authenticate(m[1]!);
  const pat = actor.personalAccessToken;
  if (pat && !pat.scopes.includes('write') && request.method !== 'GET' && request.method !== 'HEAD') {
    throw new ElevateError(
      'auth.forbidden',
      `This personal access token is read-only (scopes: ${pat.scopes.join(' ')}); ${request.method} needs the write scope.`,
    );
  }
  return actor;
}
