import type { Logger } from 'pino';
import type { OidcSettings } from '../../src/app/auth/oidc-service.js';
import { createOpenIdClientProvider } from '../../src/connectors/oidc/openid-client-provider.js';
import type { AcrFallback } from '../../src/core/requests/decision.js';
import type { Database } from '../../src/db/connect.js';
import { createTestApp, type TestApp } from './app.js';
import type { IdpLogin, TestIdentityProvider } from './oidc-provider.js';

export interface OidcTestApp extends TestApp {
  /**
   * Plays the person's browser: opens `url` (an Elevate path such as /api/auth/oidc/login, or the provider's
   * authorization URL), signs in at the provider as `login`, and follows the provider's redirect to Elevate's
   * callback. Answers the callback's response; `before` runs between the provider and the callback.
   */
  browse(
    url: string,
    login: IdpLogin,
    before?: () => void,
  ): Promise<{ status: number; body: any; headers: Record<string, unknown>; callback: URL }>;
}

/**
 * The whole server with single sign-on at `idp`. Its clock starts at the real time, as the provider's does: the
 * ID token's `auth_time` and `exp` are real instants (move the clock to make an authentication old).
 */
export async function createOidcTestApp(
  database: Database,
  idp: TestIdentityProvider,
  options: {
    createUsers?: boolean;
    matchClaim?: OidcSettings['matchClaim'];
    acrFallback?: AcrFallback;
    logger?: Logger;
  } = {},
): Promise<OidcTestApp> {
  const oidc: OidcSettings = {
    provider: createOpenIdClientProvider({
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      scopes: 'openid profile email',
      redirectUri: idp.redirectUri,
      timeoutSeconds: 5,
    }),
    matchClaim: options.matchClaim ?? 'email',
    createUsers: options.createUsers ?? false,
  };
  const t = await createTestApp(database, {
    now: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(),
    oidc,
    ...(options.acrFallback ? { acrFallback: options.acrFallback } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    ...t,
    async browse(url, login, before) {
      let providerUrl = url;
      if (url.startsWith('/')) {
        const start = await t.app.inject({ method: 'GET', url });
        if (start.statusCode !== 302) {
          throw new Error(`GET ${url}: ${start.statusCode} ${start.body}`);
        }
        providerUrl = String(start.headers.location);
      }
      idp.nextLogin = login;
      const callback = await idp.authorize(providerUrl);
      before?.();
      const res = await t.graph(null, 'GET', `${callback.pathname}${callback.search}`);
      return { ...res, callback };
    },
  };
}

/** The claims of a JWT (not verified: the test reads what Elevate put in its own token). */
export const jwtClaims = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));

/** The parameters in a URL's fragment. */
export const fragmentOf = (location: unknown): Record<string, string> =>
  Object.fromEntries(new URLSearchParams(new URL(String(location)).hash.slice(1)));
