import { ApiError } from './api-error.js';
import {
  type PasskeyOptions,
  type PasskeyRegisterBody,
  type PasskeyResponse,
  type PasskeyStepUpOptionsBody,
  type PasswordChangeBody,
  type PasswordSignInBody,
  type PortalSession,
  passkeyOptionsSchema,
  passkeySchema,
  passwordChangedSchema,
  portalSessionSchema,
  type SignInProviders,
  signInProvidersSchema,
} from './auth-schemas.js';

/** What the client's transport lends these calls. */
export interface AuthTransport {
  call<T>(method: string, path: string, opts?: { body?: unknown; anonymous?: boolean }): Promise<T>;
}

function checked<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  body: unknown,
  what: string,
): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ApiError(200, 'invalid_response', `The ${what} answer is not what the API documents.`);
  return parsed.data;
}

/**
 * Portal sessions (cookie), passkeys and password change: the native calls of the sign-in area. A session's
 * calls rely on the browser sending its cookie (same origin) and on the client's `csrfToken` option.
 */
export function authCalls({ call }: AuthTransport) {
  return {
    /** `POST /api/auth/session`: signs in for a cookie session; answers its CSRF token. */
    startSession: async (credentials: PasswordSignInBody): Promise<PortalSession> =>
      checked(
        portalSessionSchema,
        await call<unknown>('POST', '/api/auth/session', { body: credentials, anonymous: true }),
        'sign-in',
      ),

    /** `GET /api/auth/session`: the session this browser's cookie holds (401 when none). */
    currentSession: async (): Promise<PortalSession> =>
      checked(
        portalSessionSchema,
        await call<unknown>('GET', '/api/auth/session', { anonymous: true }),
        'session',
      ),

    /** `GET /api/auth/providers`: whether single sign-on is configured, and the provider's name. */
    signInProviders: async (): Promise<SignInProviders> =>
      checked(
        signInProvidersSchema,
        await call<unknown>('GET', '/api/auth/providers', { anonymous: true }),
        'sign-in providers',
      ),

    /** `POST /api/auth/sign-out`: ends the cookie session on the server. */
    signOut: () => call<void>('POST', '/api/auth/sign-out', { anonymous: true }),

    /** `POST /api/auth/passkey/options`: the password first, then the passkey's challenge. */
    passkeySignInOptions: async (credentials: {
      username: string;
      password: string;
    }): Promise<PasskeyOptions> =>
      checked(
        passkeyOptionsSchema,
        await call<unknown>('POST', '/api/auth/passkey/options', { body: credentials, anonymous: true }),
        'passkey options',
      ),

    /** `POST /api/v1/me/passkeys/options`: creation options for a new passkey. */
    passkeyRegistrationOptions: async (): Promise<PasskeyOptions> =>
      checked(
        passkeyOptionsSchema,
        await call<unknown>('POST', '/api/v1/me/passkeys/options'),
        'passkey options',
      ),

    /** `POST /api/v1/me/passkeys`: registers the authenticator's answer. */
    registerPasskey: async (body: PasskeyRegisterBody): Promise<PasskeyResponse> =>
      checked(passkeySchema, await call<unknown>('POST', '/api/v1/me/passkeys', { body }), 'passkey'),

    /** `GET /api/v1/me/passkeys`. */
    listPasskeys: async (): Promise<PasskeyResponse[]> =>
      (await call<{ value: PasskeyResponse[] }>('GET', '/api/v1/me/passkeys')).value,

    /** `DELETE /api/v1/me/passkeys/{id}`. */
    removePasskey: (passkeyId: string) =>
      call<void>('DELETE', `/api/v1/me/passkeys/${encodeURIComponent(passkeyId)}`),

    /** `POST /api/v1/me/step-up/passkey/options`: a challenge bound to one target. */
    passkeyStepUpOptions: async (target: PasskeyStepUpOptionsBody): Promise<PasskeyOptions> =>
      checked(
        passkeyOptionsSchema,
        await call<unknown>('POST', '/api/v1/me/step-up/passkey/options', { body: target }),
        'passkey options',
      ),

    /** `POST /api/v1/me/password`: answers how many other portal sessions ended. */
    changePassword: async (body: PasswordChangeBody): Promise<{ endedSessions: number }> =>
      checked(
        passwordChangedSchema,
        await call<unknown>('POST', '/api/v1/me/password', { body }),
        'password change',
      ),
  };
}
