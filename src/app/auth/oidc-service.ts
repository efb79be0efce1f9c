import { ElevateError } from '../../core/errors.js';
import type { AcrFallback } from '../../core/requests/decision.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps, CallContext } from '../context.js';
import type { OidcProvider } from '../ports/oidc-provider.js';
import type { TokenGrant } from './auth-service.js';
import { loopbackRedirect } from './loopback-redirect.js';
import type { OidcMatchClaim } from './oidc-identities.js';
import { completeOidcSignIn, type FederatedSubject } from './oidc-sign-in.js';
import { newOidcSecrets, oidcStateTtlSeconds, savePendingOidc, takePendingOidc } from './oidc-states.js';
import { completeOidcStepUp, contextRuleOf } from './oidc-step-up.js';
import type { SecretBox } from './secret-box.js';
import type { StepUpTarget } from './step-up-proofs.js';
import type { StepUpGrant } from './step-up-service.js';

/** OIDC single sign-on as configured (ELEVATE_OIDC_*). */
export interface OidcSettings {
  readonly provider: OidcProvider;
  readonly matchClaim: OidcMatchClaim;
  readonly createUsers: boolean;
}

interface OidcDeps extends Pick<AppDeps, 'db' | 'clock' | 'ids'> {
  readonly audit: AuditWriter;
  /** Seals the PKCE verifiers kept between the redirect and the callback. */
  readonly secrets: SecretBox;
  /** Undefined when single sign-on is not configured: every call then says so. */
  readonly settings: OidcSettings | undefined;
  readonly issueToken: (subject: FederatedSubject) => Promise<TokenGrant>;
  readonly stepUpMaxAgeSeconds: number;
  readonly acrFallback: AcrFallback;
}

/** Where the browser goes next, and until when the request may be completed there. */
export interface OidcStart {
  readonly authorizationUrl: string;
  readonly expiresAt: Date;
}

/**
 * The result of a callback. `redirectUri` is the loopback address the flow was started for (the CLI's), where the
 * result or the refusal goes; null when the caller takes JSON. A refusal after the state was found is data here, so
 * it can go to the loopback address too; one before (no or unknown state) is thrown.
 */
export type OidcCompletion = { readonly redirectUri: string | null } & (
  | { readonly kind: 'signIn'; readonly grant: TokenGrant }
  | { readonly kind: 'stepUp'; readonly grant: StepUpGrant }
  | { readonly kind: 'failed'; readonly error: ElevateError }
);

const notConfigured = () =>
  new ElevateError(
    'resource.not_found',
    'Single sign-on is not configured on this server (ELEVATE_OIDC_ISSUER); sign in with a local account (POST /api/auth/token).',
  );

/**
 * Single sign-on and step-up through an OpenID provider: authorization code flow with PKCE (S256), `state` and
 * `nonce` kept server-side, single-use, for ten minutes (oidc-states.ts). Sign-in issues Elevate's own access token
 * (oidc-sign-in.ts); a step-up asks the provider to authenticate again (`prompt=login`, `max_age`, `acr_values`
 * for an authentication context) and mints a step-up proof for one target (oidc-step-up.ts).
 */
export function createOidcService(deps: OidcDeps) {
  const { db, clock, ids } = deps;

  function settings(): OidcSettings {
    if (!deps.settings) throw notConfigured();
    return deps.settings;
  }

  return {
    /** Whether single sign-on is configured. */
    enabled: deps.settings !== undefined,

    /** Starts a sign-in: the provider's URL; the result returns to `redirectUri` (loopback only) or as JSON. */
    async startSignIn(input: { redirectUri?: string }): Promise<OidcStart> {
      const { provider } = settings();
      const redirectUri = input.redirectUri === undefined ? null : loopbackRedirect(input.redirectUri);
      const secrets = newOidcSecrets();
      const authorizationUrl = await provider.authorizationUrl(secrets);
      const now = clock.now();
      await savePendingOidc(db, {
        id: ids.newId(),
        now,
        box: deps.secrets,
        secrets,
        request: {
          purpose: 'signIn',
          redirectUri,
          userId: null,
          target: null,
          maxAgeSeconds: null,
          acrValues: null,
        },
      });
      return { authorizationUrl, expiresAt: new Date(now.getTime() + oidcStateTtlSeconds * 1000) };
    },

    /**
     * Starts a step-up for one target by re-authentication at the provider: `prompt=login`,
     * `max_age=ELEVATE_STEP_UP_MAX_AGE`, and `acr_values` with the claimValue when the target's
     * authentication-context rule is on.
     */
    async startStepUp(
      ctx: CallContext,
      input: { target: StepUpTarget; redirectUri?: string },
    ): Promise<OidcStart & { maxAgeSeconds: number; acrValues: string | null }> {
      const { actor } = ctx;
      if (actor.type !== 'user' || actor.isSystem) {
        throw new ElevateError(
          'request.invalid',
          'Only users step up; service principals have no second factor.',
        );
      }
      if (actor.personalAccessToken) {
        throw new ElevateError(
          'auth.forbidden',
          'A personal access token cannot step up; sign in to activate roles that require MFA.',
        );
      }
      const { provider } = settings();
      const redirectUri = input.redirectUri === undefined ? null : loopbackRedirect(input.redirectUri);
      const rule = await contextRuleOf(db, input.target);
      const acrValues = rule?.claimValue ?? null;
      const maxAgeSeconds = deps.stepUpMaxAgeSeconds;
      const secrets = newOidcSecrets();
      const authorizationUrl = await provider.authorizationUrl({
        ...secrets,
        maxAgeSeconds,
        forceLogin: true,
        ...(acrValues ? { acrValues } : {}),
      });
      const now = clock.now();
      await savePendingOidc(db, {
        id: ids.newId(),
        now,
        box: deps.secrets,
        secrets,
        request: {
          purpose: 'stepUp',
          redirectUri,
          userId: actor.id,
          target: input.target,
          maxAgeSeconds,
          acrValues,
        },
      });
      return {
        authorizationUrl,
        expiresAt: new Date(now.getTime() + oidcStateTtlSeconds * 1000),
        maxAgeSeconds,
        acrValues,
      };
    },

    /**
     * Completes a sign-in or step-up from the provider's callback (its raw query string): takes the pending request
     * by `state` (once), redeems the code and validates the ID token, then carries out what was started.
     */
    async complete(input: { query: string; state: string | undefined }): Promise<OidcCompletion> {
      const { provider, matchClaim, createUsers } = settings();
      if (!input.state) {
        throw new ElevateError('request.invalid', 'The callback carries no state; start the sign-in again.');
      }
      const pending = await takePendingOidc(db, { state: input.state, now: clock.now(), box: deps.secrets });
      if (!pending) {
        throw new ElevateError(
          'request.invalid',
          `This sign-in is unknown, was already completed, or is older than ${oidcStateTtlSeconds / 60} minutes; start it again.`,
        );
      }
      const { redirectUri } = pending;
      try {
        const auth = await provider.redeem(
          { query: input.query },
          { state: input.state, nonce: pending.nonce, codeVerifier: pending.codeVerifier },
        );
        if (pending.purpose === 'stepUp' && pending.userId && pending.target) {
          const grant = await completeOidcStepUp(
            { db, clock, ids, audit: deps.audit, matchClaim, acrFallback: deps.acrFallback },
            { ...pending, userId: pending.userId, target: pending.target },
            auth,
          );
          return { kind: 'stepUp', redirectUri, grant };
        }
        const grant = await completeOidcSignIn(
          { db, clock, ids, audit: deps.audit, matchClaim, createUsers, issueToken: deps.issueToken },
          auth,
        );
        return { kind: 'signIn', redirectUri, grant };
      } catch (error) {
        if (error instanceof ElevateError) return { kind: 'failed', redirectUri, error };
        throw error;
      }
    },
  };
}

export type OidcService = ReturnType<typeof createOidcService>;
