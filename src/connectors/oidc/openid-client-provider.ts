import * as client from 'openid-client';
import { ElevateError } from '../../core/errors.js';

export interface OpenIdClientOptions {
  /** The issuer identifier; `http:` only on the loopback interface (config.ts refuses anything else). */
  readonly issuer: string;
  readonly clientId: string;
  /** Absent: a public client, PKCE alone. */
  readonly clientSecret?: string | undefined;
  /** Space-separated, including `openid`. */
  readonly scopes: string;
  /** Elevate's callback, registered at the provider: `<public URL>/api/auth/oidc/callback`. */
  readonly redirectUri: string;
  /** Seconds before a request to the provider is abandoned; 10 by default. */
  readonly timeoutSeconds?: number;
}

/**
 * An OpenID provider reached with openid-client 6: authorization code flow with PKCE (S256). Discovery is lazy
 * (the first sign-in) and its result cached for the life of the process; a failed discovery is not cached.
 * Every new authorization request first checks that the provider answers (its discovery document, within the
 * timeout), so "provider down" is a clear 503 here rather than an error page in the person's browser.
 */
export function createOpenIdClientProvider(options: OpenIdClientOptions) {
  const issuerUrl = new URL(options.issuer);
  const insecure = issuerUrl.protocol === 'http:';
  const timeout = options.timeoutSeconds ?? 10;
  const discoveryUrl = new URL(
    `${issuerUrl.pathname.replace(/\/$/, '')}/.well-known/openid-configuration`,
    issuerUrl,
  );
  let cached: client.Configuration | undefined;

  async function configuration(): Promise<client.Configuration> {
    if (cached) return cached;
    const discovered = await client
      .discovery(issuerUrl, options.clientId, undefined, undefined, {
        ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
        timeout,
      })
      .catch((error: unknown) => {
        throw asElevateError(error, 'discovery');
      });
    const metadata = discovered.serverMetadata();
    const config = new client.Configuration(
      metadata,
      options.clientId,
      options.clientSecret ? { client_secret: options.clientSecret } : {},
      clientAuthentication(metadata.token_endpoint_auth_methods_supported),
    );
    config.timeout = timeout;
    if (insecure) client.allowInsecureRequests(config);
    cached = config;
    return config;
  }

  /** HTTP Basic (every provider must support it), form post where the provider offers only that. */
  function clientAuthentication(methods: readonly string[] | undefined): client.ClientAuth {
    const secret = options.clientSecret;
    if (!secret) return client.None();
    const offered = methods ?? ['client_secret_basic'];
    return !offered.includes('client_secret_basic') && offered.includes('client_secret_post')
      ? client.ClientSecretPost(secret)
      : client.ClientSecretBasic(secret);
  }

  async function checkReachable(): Promise<void> {
    const res = await fetch(discoveryUrl, {
      signal: AbortSignal.timeout(timeout * 1000),
      headers: { accept: 'application/json' },
    }).catch((error: unknown) => {
      throw unavailable(describeNetworkError(error));
    });
    await res.body?.cancel();
    if (res.status >= 500) throw unavailable(`it answered HTTP ${res.status}`);
  }

  function unavailable(reason: string): ElevateError {
    return new ElevateError(
      'auth.provider_unavailable',
      `The identity provider ${options.issuer} cannot be reached (${reason}). Single sign-on is unavailable; local accounts (and emergency-access accounts) can still sign in with POST /api/auth/token.`,
    );
  }

  function asElevateError(error: unknown, during: 'discovery' | 'callback'): ElevateError {
    if (error instanceof ElevateError) return error;
    if (isNetworkError(error)) return unavailable(describeNetworkError(error));
    if (error instanceof client.AuthorizationResponseError) {
      return refused(
        `it answered ${error.error}${error.error_description ? `: ${error.error_description}` : ''}`,
      );
    }
    if (error instanceof client.ResponseBodyError) {
      if (error.status >= 500) return unavailable(`it answered HTTP ${error.status}`);
      return refused(`its token endpoint answered ${error.error}`);
    }
    if (error instanceof client.ClientError) {
      if (during === 'discovery' || error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM') {
        return unavailable(
          `its ${during === 'discovery' ? 'discovery document' : 'answer'} is unusable: ${error.message}`,
        );
      }
      const detail = error.cause instanceof Error ? error.cause.message : error.message;
      return refused(`its answer failed validation: ${detail}`);
    }
    return refused('its answer could not be processed');
  }

  const refused = (why: string) =>
    new ElevateError(
      'auth.invalid_credentials',
      `The identity provider's sign-in was refused: ${bounded(why)}.`,
    );

  return {
    issuer: options.issuer,

    async authorizationUrl(request: {
      state: string;
      nonce: string;
      codeVerifier: string;
      maxAgeSeconds?: number;
      forceLogin?: boolean;
      acrValues?: string;
    }): Promise<string> {
      const known = cached !== undefined;
      const config = await configuration();
      if (known) await checkReachable();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: options.redirectUri,
        scope: options.scopes,
        response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(request.codeVerifier),
        code_challenge_method: 'S256',
        state: request.state,
        nonce: request.nonce,
        ...(request.maxAgeSeconds !== undefined ? { max_age: String(request.maxAgeSeconds) } : {}),
        ...(request.forceLogin ? { prompt: 'login' } : {}),
        ...(request.acrValues ? { acr_values: request.acrValues } : {}),
      });
      return url.href;
    },

    async redeem(
      callback: { query: string },
      checks: { state: string; nonce: string; codeVerifier: string },
    ) {
      const config = await configuration();
      const currentUrl = new URL(options.redirectUri);
      currentUrl.search = callback.query;
      const tokens = await client
        .authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        })
        .catch((error: unknown) => {
          throw asElevateError(error, 'callback');
        });
      const idToken = tokens.claims();
      if (!idToken) throw refused('it sent no ID token');
      // Claims such as email often come from UserInfo only (scope claims left out of the ID token); how the person
      // authenticated (amr, acr, auth_time) is taken from the signed ID token alone.
      const userInfo =
        config.serverMetadata().userinfo_endpoint && tokens.access_token
          ? await client.fetchUserInfo(config, tokens.access_token, idToken.sub).catch(() => ({}))
          : {};
      const { amr, acr, auth_time: authTime } = idToken;
      return {
        issuer: idToken.iss,
        subject: idToken.sub,
        claims: { ...userInfo, ...idToken } as Readonly<Record<string, unknown>>,
        amr: Array.isArray(amr) ? amr.filter((m): m is string => typeof m === 'string').slice(0, 20) : [],
        acr: typeof acr === 'string' && acr !== '' ? acr : null,
        authTime: typeof authTime === 'number' ? new Date(authTime * 1000) : null,
      };
    },
  };
}

function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return true;
  return error instanceof TypeError && error.message === 'fetch failed';
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'no answer in time';
  }
  const code = error instanceof Error ? (error.cause as { code?: unknown } | undefined)?.code : undefined;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'host not found';
  return typeof code === 'string' ? `network error ${code}` : 'network error';
}

const bounded = (s: string): string => (s.length > 300 ? `${s.slice(0, 300)}…` : s);
